//! `trama stats …`: statistics of an instrument's scales computed from
//! files, no database needed.

use std::path::PathBuf;

use trama_i18n::Lang;
use trama_results::reliability::{self, Missing};

use super::report::{Inputs, json_bytes, load, write_output};
use crate::exit::CliResult;

#[derive(clap::Subcommand, Debug)]
pub enum Stats {
    /// Cronbach's alpha of every dimension and sub-dimension, as pingouin computes it.
    #[command(
        long_about = "Cronbach's alpha of every dimension and sub-dimension, from the item covariance \
matrix exactly as pingouin's cronbach_alpha: NA and empty are missing, reverse-keyed items are \
recoded 6 − x first, and respondents who answered no item of a scale are not counted in it. \
--missing pairwise (default) uses for each pair of items the respondents who answered both; \
listwise drops respondents missing any item of the scale (n stays the respondents of the scale, \
as in pingouin). The 95 % interval is Feldt's. Each item shows the scale's alpha without it and \
its correlation with the sum of the other items (respondents who answered every item). Scales \
answered by fewer than --min-group respondents show no figures.",
        after_help = "Examples:\n  trama stats reliability --instrument rme.xlsx --responses respuestas.csv --format json\n  trama stats reliability --instrument rme.xlsx --responses respuestas.csv --missing listwise -o alfa.json"
    )]
    Reliability(ReliabilityArgs),
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum MissingArg {
    Pairwise,
    Listwise,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum JsonOnly {
    Json,
}

#[derive(clap::Args, Debug)]
pub struct ReliabilityArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// How missing answers (NA or empty) are handled.
    #[arg(long, value_enum, default_value = "pairwise")]
    missing: MissingArg,
    /// Anonymity threshold: scales with fewer respondents show no figures.
    #[arg(long, default_value_t = 5, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    min_group: u64,
    #[arg(long, value_enum, default_value = "json")]
    format: JsonOnly,
    /// Write here instead of standard output (nothing is written when the input has problems).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(cmd: Stats, lang: Lang) -> CliResult {
    let Stats::Reliability(args) = cmd;
    let (design, table) = load(lang, &args.inputs)?;
    let missing = match args.missing {
        MissingArg::Pairwise => Missing::Pairwise,
        MissingArg::Listwise => Missing::Listwise,
    };
    let report = reliability::report(&design, &table, missing, args.min_group, lang);
    let JsonOnly::Json = args.format;
    write_output(&args.output, &json_bytes(&report)?)
}

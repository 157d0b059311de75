//! `trama generate`: synthetic files for tests and benchmarks.
//!
//! Without a subcommand it writes registry files (the Directorio, networks,
//! people), as it always has; `trama generate responses` writes an
//! instrument and a responses file for the results commands.

use std::io::Write;
use std::path::{Path, PathBuf};

use trama_i18n::{Lang, t};
use trama_store::synth::{SynthSize, generate};

use crate::exit::{CliResult, Failure};

#[derive(clap::Args, Debug)]
#[command(
    // `trama generate --schools …` predates the subcommand and stays valid:
    // the registry flags apply only when no subcommand is given.
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Examples:\n  trama generate --schools 12000 --networks 500 --people 25000 --out bench-data\n  trama import schools bench-data/directorio.csv\n  trama generate responses --rows 1000000 --items 50 -o bench-data"
)]
pub struct Args {
    #[command(subcommand)]
    what: Option<What>,
    #[arg(long, default_value_t = 12_000)]
    schools: u64,
    #[arg(long, default_value_t = 500)]
    networks: u64,
    #[arg(long, default_value_t = 25_000)]
    people: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Directory for directorio.csv, redes.csv and personas.csv.
    #[arg(long, short = 'o', required = true)]
    out: Option<PathBuf>,
}

#[derive(clap::Subcommand, Debug)]
pub enum What {
    /// Synthetic responses: an instrument (survey sheet as CSV) and a responses CSV.
    #[command(
        long_about = "Writes DIR/instrumento.csv (the survey sheet of an XLSForm: ITEMS agreement \
items over the RME's two dimensions and ten sub-dimensions, every seventh reverse-keyed) and \
DIR/respuestas.csv (ROWS responses in the export format, 16 regions, 500 networks, four roles, \
answers 1–5, NA and empty). The same seed gives the same files.",
        after_help = "Example:\n  trama generate responses --rows 1000000 --items 50 -o bench-data\n  trama report likert --instrument bench-data/instrumento.csv --responses bench-data/respuestas.csv --by region --format json -o likert.json"
    )]
    Responses(ResponsesArgs),
}

#[derive(clap::Args, Debug)]
pub struct ResponsesArgs {
    /// Number of responses (rows).
    #[arg(long, default_value_t = 1_000_000)]
    rows: usize,
    /// Number of agreement items (columns).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=999))]
    items: u64,
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Directory for instrumento.csv and respuestas.csv (created if missing).
    #[arg(long, short = 'o', value_name = "DIR")]
    out: PathBuf,
}

pub fn run(args: Args, lang: Lang) -> CliResult {
    if let Some(What::Responses(r)) = args.what {
        return responses(r, lang);
    }
    let Some(out) = args.out else {
        // clap requires --out when there is no subcommand; kept as a usage
        // error rather than a panic should that ever change.
        return Err(Failure {
            code: 2,
            lines: vec!["--out".into()],
        });
    };
    let files = generate(SynthSize {
        schools: args.schools,
        networks: args.networks,
        people: args.people,
        seed: args.seed,
    });
    std::fs::create_dir_all(&out).map_err(|e| Failure::env(e.to_string()))?;
    for (name, content) in [
        ("directorio.csv", &files.directorio),
        ("redes.csv", &files.networks),
        ("personas.csv", &files.people),
    ] {
        let path = out.join(name);
        std::fs::write(&path, content)
            .map_err(|e| Failure::env(format!("{}: {e}", path.display())))?;
        eprintln!(
            "{}",
            t!(lang, "cli-wrote", file = path.display().to_string())
        );
    }
    Ok(())
}

fn responses(args: ResponsesArgs, lang: Lang) -> CliResult {
    use trama_results::synth;
    let design = synth::design(usize::try_from(args.items).unwrap_or(50));
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::env(format!("{}: {e}", args.out.display())))?;
    let instrument = args.out.join("instrumento.csv");
    write_with(&instrument, |f| synth::write_instrument(&design, f))?;
    eprintln!(
        "{}",
        t!(lang, "cli-wrote", file = instrument.display().to_string())
    );
    let responses = args.out.join("respuestas.csv");
    write_with(&responses, |f| {
        synth::write_responses(&design, args.rows, args.seed, f)
    })?;
    eprintln!(
        "{}",
        t!(lang, "cli-wrote", file = responses.display().to_string())
    );
    Ok(())
}

/// Streams into the file (a million rows are never held in memory).
fn write_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> CliResult {
    let fail = |e: std::io::Error| Failure::env(format!("{}: {e}", path.display()));
    let mut f = std::fs::File::create(path).map_err(fail)?;
    write(&mut f).map_err(fail)?;
    f.flush().map_err(fail)
}

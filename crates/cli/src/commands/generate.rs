use std::path::PathBuf;

use trama_i18n::{Lang, t};
use trama_store::synth::{SynthSize, generate};

use crate::exit::{CliResult, Failure};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  trama generate --schools 12000 --networks 500 --people 25000 --out bench-data\n  trama import schools bench-data/directorio.csv"
)]
pub struct Args {
    #[arg(long, default_value_t = 12_000)]
    schools: u64,
    #[arg(long, default_value_t = 500)]
    networks: u64,
    #[arg(long, default_value_t = 25_000)]
    people: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Directory for directorio.csv, redes.csv and personas.csv.
    #[arg(long, short = 'o')]
    out: PathBuf,
}

pub fn run(args: Args, lang: Lang) -> CliResult {
    let files = generate(SynthSize {
        schools: args.schools,
        networks: args.networks,
        people: args.people,
        seed: args.seed,
    });
    std::fs::create_dir_all(&args.out).map_err(|e| Failure::env(e.to_string()))?;
    for (name, content) in [
        ("directorio.csv", &files.directorio),
        ("redes.csv", &files.networks),
        ("personas.csv", &files.people),
    ] {
        let path = args.out.join(name);
        std::fs::write(&path, content)
            .map_err(|e| Failure::env(format!("{}: {e}", path.display())))?;
        eprintln!(
            "{}",
            t!(lang, "cli-wrote", file = path.display().to_string())
        );
    }
    Ok(())
}

//! `trama report …`: results computed from files, no database needed.

use std::collections::HashSet;
use std::path::PathBuf;

use trama_i18n::{Lang, t};
use trama_results::ResponseTable;
use trama_results::design::Design;
use trama_results::responses::ANY_COLUMN;

use crate::exit::{CliResult, Failure};

#[derive(clap::Subcommand, Debug)]
pub enum Report {
    /// Response rates per region, in the seed's table shape.
    #[command(
        after_help = "Example:\n  trama report rates --networks redes.csv --responses respuestas.csv --format csv"
    )]
    Rates(RatesArgs),
}

#[derive(clap::Args, Debug)]
pub struct RatesArgs {
    /// Networks in scope: CSV with columns `network,region`.
    #[arg(long)]
    networks: PathBuf,
    /// Valid responses, in the export format (`response_id,region,deprov,network,role,…`).
    #[arg(long)]
    responses: PathBuf,
    /// json or csv.
    #[arg(long, default_value = "json")]
    format: String,
    /// Write here instead of standard output.
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
}

pub(crate) fn read_file(lang: Lang, path: &PathBuf) -> Result<(String, Vec<u8>), Failure> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::input(vec![t!(
            lang,
            "cli-cannot-read",
            file = path.display().to_string(),
            detail = e.to_string()
        )])
    })?;
    Ok((name, bytes))
}

pub(crate) fn write_output(output: &Option<PathBuf>, bytes: &[u8]) -> CliResult {
    match output {
        Some(p) => {
            std::fs::write(p, bytes).map_err(|e| Failure::env(format!("{}: {e}", p.display())))
        }
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(bytes)
                .map_err(|e| Failure::env(e.to_string()))
        }
    }
}

fn cells(lang: Lang, errors: Vec<trama_tabular::CellError>) -> Failure {
    Failure::input(errors.iter().map(|e| e.render(lang)).collect())
}

pub fn run(cmd: Report, lang: Lang) -> CliResult {
    let Report::Rates(args) = cmd;
    let (name, bytes) = read_file(lang, &args.networks)?;
    let table = trama_tabular::Table::parse(&name, &bytes).map_err(|e| cells(lang, vec![e]))?;
    let cols = table
        .require(&["network", "region"])
        .map_err(|e| cells(lang, e))?;
    let networks: Vec<(String, String)> = table
        .rows
        .iter()
        .map(|r| (r.get(cols[0]).to_owned(), r.get(cols[1]).to_owned()))
        .collect();
    let (rname, rbytes) = read_file(lang, &args.responses)?;
    let any: HashSet<String> = [ANY_COLUMN.to_owned()].into();
    let responses = ResponseTable::read(&rname, rbytes.as_slice(), &Design::default(), &any)
        .map_err(|e| cells(lang, e))?;
    let rows = trama_results::rates::rates(&networks, &responses);
    let out = match args.format.as_str() {
        "csv" => {
            let mut w = csv::Writer::from_writer(vec![]);
            let _ = w.write_record([
                "region",
                "networks_total",
                "networks_with_answers",
                "cases",
                "pct_networks",
            ]);
            for r in &rows {
                let _ = w.write_record([
                    r.region.clone().unwrap_or_else(|| "total".into()),
                    r.networks_total.to_string(),
                    r.networks_with_answers.to_string(),
                    r.cases.to_string(),
                    r.pct_networks.to_string(),
                ]);
            }
            w.into_inner().map_err(|e| Failure::env(e.to_string()))?
        }
        "json" => {
            let mut v = serde_json::to_vec_pretty(&serde_json::json!({ "rows": rows }))
                .map_err(|e| Failure::env(e.to_string()))?;
            v.push(b'\n');
            v
        }
        other => {
            return Err(Failure {
                code: 2,
                lines: vec![t!(lang, "cli-bad-format", format = other.to_owned())],
            });
        }
    };
    write_output(&args.output, &out)
}

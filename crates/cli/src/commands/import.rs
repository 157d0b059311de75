use std::path::PathBuf;

use trama_i18n::{Lang, t};
use trama_store::imports::ImportSummary;
use trama_store::{Store, StoreError};
use trama_tabular::CellError;

use super::db::DbArgs;
use crate::exit::{CliResult, Failure};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The CSV file.
    file: PathBuf,
    #[command(flatten)]
    db: DbArgs,
    /// Check everything and report what would change, without writing.
    #[arg(long)]
    dry_run: bool,
    /// Summary format on standard output: text or json.
    #[arg(long, default_value = "text")]
    format: String,
}

#[derive(clap::Subcommand, Debug)]
pub enum Import {
    /// MINEDUC's Directorio Oficial de Establecimientos (`;`, UTF-8 or Latin-1).
    #[command(
        after_help = "Example:\n  trama import schools 20240912_Directorio_Oficial_EE_2024.csv --dry-run"
    )]
    Schools(ImportArgs),
    /// Network memberships: network,rbd,from_year[,to_year][,name].
    #[command(after_help = "Example:\n  trama import networks redes.csv")]
    Networks(ImportArgs),
    /// People and roles: name,email,rbd|network,role,from_year[,to_year].
    #[command(after_help = "Example:\n  trama import people personas.csv")]
    People(ImportArgs),
}

fn read(lang: Lang, path: &PathBuf) -> Result<(String, Vec<u8>), Failure> {
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

fn cell_failure(lang: Lang, errors: Vec<CellError>) -> Failure {
    let mut lines: Vec<String> = errors.iter().map(|e| e.render(lang)).collect();
    lines.push(t!(lang, "cli-import-refused", count = errors.len()));
    Failure::input(lines)
}

async fn apply(
    store: &Store,
    kind: &str,
    name: &str,
    bytes: &[u8],
    dry_run: bool,
    lang: Lang,
) -> Result<ImportSummary, Failure> {
    let result = match kind {
        "schools" => {
            let rows =
                trama_import::directorio::parse(name, bytes).map_err(|e| cell_failure(lang, e))?;
            store.import_directorio(&rows, dry_run).await
        }
        "networks" => {
            let rows =
                trama_import::memberships::parse(name, bytes).map_err(|e| cell_failure(lang, e))?;
            store.import_memberships(&rows, dry_run).await
        }
        _ => {
            let rows =
                trama_import::people::parse(name, bytes).map_err(|e| cell_failure(lang, e))?;
            store.import_people(&rows, dry_run).await
        }
    };
    match result {
        Ok(s) => Ok(s),
        Err(StoreError::References(problems)) => Err(cell_failure(
            lang,
            problems
                .into_iter()
                .map(|p| CellError {
                    file: name.to_owned(),
                    line: Some(p.line),
                    column: Some(p.column.to_owned()),
                    value: Some(p.value),
                    issue: p.problem.into(),
                })
                .collect(),
        )),
        Err(e) => Err(Failure::store(lang, e)),
    }
}

pub async fn run(cmd: Import, lang: Lang) -> CliResult {
    let (kind, args) = match cmd {
        Import::Schools(a) => ("schools", a),
        Import::Networks(a) => ("networks", a),
        Import::People(a) => ("people", a),
    };
    let (name, bytes) = read(lang, &args.file)?;
    let store = args.db.open(lang).await?;
    let started = std::time::Instant::now();
    let summary = apply(&store, kind, &name, &bytes, args.dry_run, lang).await?;
    let elapsed = started.elapsed();
    let text = t!(
        lang,
        "import-summary",
        inserted = summary.inserted,
        updated = summary.updated,
        unchanged = summary.unchanged
    );
    if args.format == "json" {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
    } else {
        println!("{name}: {text}");
    }
    if summary.networks_created > 0 {
        eprintln!(
            "{}",
            t!(
                lang,
                "cli-networks-created",
                count = summary.networks_created
            )
        );
    }
    if args.dry_run {
        eprintln!("{}", t!(lang, "cli-dry-run"));
    }
    tracing::debug!(?elapsed, "import finished");
    store.close().await;
    Ok(())
}

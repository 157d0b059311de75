//! `trama import schools|networks|people`: registry files checked and
//! written in one transaction, or every problem reported by line and column.

use std::path::PathBuf;

use trama_app::Actor;
use trama_app::registry::imports::{self, Kind};
use trama_i18n::{Lang, t};
use trama_tabular::{CellError, report};

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

/// A file's problems as printed: the first hundred, the count of the rest,
/// then that nothing was imported (`trama_tabular::report`).
pub(crate) fn cell_failure(lang: Lang, errors: Vec<CellError>) -> Failure {
    let mut lines = report::lines(&errors, lang);
    lines.push(refused(lang, report::total(&errors)));
    Failure::input(lines)
}

/// "Se encontraron 1.500 problemas; no se importó nada."
pub(crate) fn refused(lang: Lang, count: u64) -> String {
    t!(
        lang,
        "cli-import-refused",
        count = count,
        shown = trama_i18n::number::integer(count, lang)
    )
}

pub async fn run(cmd: Import, lang: Lang) -> CliResult {
    let (kind, args) = match cmd {
        Import::Schools(a) => (Kind::Schools, a),
        Import::Networks(a) => (Kind::Networks, a),
        Import::People(a) => (Kind::People, a),
    };
    let (name, bytes) = read(lang, &args.file)?;
    let app = args.db.app(lang).await?;
    let started = std::time::Instant::now();
    let summary = imports::import(&app, &Actor::operator(), kind, &name, &bytes, args.dry_run)
        .await
        .map_err(|e| Failure::app(lang, e))?
        .map_err(|e| cell_failure(lang, e))?;
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
    app.store.close().await;
    Ok(())
}

//! `trama sessions import|export`: networks' session logs as supervisors
//! keep them in spreadsheets (`network,date,duration_min,modality,foci,
//! attendees_rbd,agenda`), checked row by row and written in one
//! transaction, or every problem reported by line and column.

use std::path::PathBuf;

use trama_app::Actor;
use trama_app::characterisation::year;
use trama_i18n::{Lang, t};

use super::db::DbArgs;
use super::import::cell_failure;
use super::report::{read_file, write_output};
use crate::exit::{CliResult, Failure};

#[derive(clap::Subcommand, Debug)]
pub enum Sessions {
    /// Import sessions: network,date,duration_min,modality,foci,attendees_rbd,agenda.
    #[command(
        after_help = "`foci` and `attendees_rbd` are separated by `;`; modality is in_person, online or mixed (presencial, online, mixta); dates YYYY-MM-DD.\n\nExample:\n  trama sessions import sesiones-2026.csv --dry-run"
    )]
    Import {
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
        /// Check everything and report what would be imported, without writing.
        #[arg(long)]
        dry_run: bool,
        /// Summary format on standard output: text or json.
        #[arg(long, default_value = "text")]
        format: String,
    },
    /// Export a network's sessions of a year in the import's format.
    #[command(
        after_help = "Example:\n  trama sessions export --network RME1 --year 2026 -o rme1.csv"
    )]
    Export {
        #[arg(long)]
        network: String,
        #[arg(long)]
        year: i32,
        #[command(flatten)]
        db: DbArgs,
        /// Write here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub async fn run(cmd: Sessions, lang: Lang) -> CliResult {
    match cmd {
        Sessions::Import {
            file,
            db,
            dry_run,
            format,
        } => {
            let (name, bytes) = read_file(lang, &file)?;
            let app = db.app(lang).await?;
            let done = year::import(&app, &Actor::operator(), &name, &bytes, dry_run)
                .await
                .map_err(|e| Failure::app(lang, e))?
                .map_err(|e| cell_failure(lang, e))?;
            if format == "json" {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&done).unwrap_or_default()
                );
            } else {
                let id = if dry_run {
                    "char-import-dry-run"
                } else {
                    "char-import-done"
                };
                println!(
                    "{name}: {}",
                    t!(
                        lang,
                        id,
                        sessions = done.sessions,
                        networks = done.networks.len()
                    )
                );
            }
            app.store.close().await;
            Ok(())
        }
        Sessions::Export {
            network,
            year: y,
            db,
            output,
        } => {
            let app = db.app(lang).await?;
            let found = trama_app::registry::networks::find(&app, &network)
                .await
                .map_err(|e| Failure::app(lang, e))?;
            let bytes = year::export(&app, &Actor::operator(), &found, y)
                .await
                .map_err(|e| Failure::app(lang, e))?;
            app.store.close().await;
            write_output(&output, &bytes)
        }
    }
}

//! `--data-dir` / `--database-url`, shared by every command that uses the database.

use std::path::PathBuf;

use trama_i18n::{Lang, t};
use trama_store::Store;

use crate::exit::Failure;

#[derive(clap::Args, Debug, Clone)]
pub struct DbArgs {
    /// Directory for the embedded SQLite database (created if missing).
    #[arg(
        long,
        value_name = "DIR",
        default_value = "./trama-data",
        env = "TRAMA_DATA_DIR"
    )]
    pub data_dir: PathBuf,
    /// Database URL (sqlite://… or postgres://…); overrides --data-dir.
    #[arg(long, value_name = "URL", env = "TRAMA_DATABASE_URL")]
    pub database_url: Option<String>,
    /// The anonymity threshold K: no output shows, or lets anyone work out,
    /// a group of fewer respondents (at least 3).
    #[arg(long, value_name = "K", env = "TRAMA_MIN_GROUP", default_value_t = trama_app::DEFAULT_MIN_GROUP)]
    pub min_group: u64,
}

impl DbArgs {
    pub async fn open(&self, lang: Lang) -> Result<Store, Failure> {
        let result = match &self.database_url {
            Some(url) => Store::open(url).await,
            None => Store::open_dir(&self.data_dir).await,
        };
        result.map_err(|e| {
            Failure::env(trama_i18n::t!(
                lang,
                "cli-db-unreachable",
                detail = e.to_string()
            ))
        })
    }

    /// The application layer over this database, as the operator uses it.
    pub async fn app(&self, lang: Lang) -> Result<trama_app::App, Failure> {
        let min_group = self.min_group(lang)?;
        Ok(trama_app::App::new(
            self.open(lang).await?,
            trama_app::Settings {
                min_group,
                ..Default::default()
            },
        ))
    }

    /// K as given, refused below 3 (a group of two is two people who know
    /// each other's answers).
    pub fn min_group(&self, lang: Lang) -> Result<u64, Failure> {
        if self.min_group < 3 {
            return Err(Failure {
                code: 2,
                lines: vec![t!(
                    lang,
                    "cli-min-group-too-small",
                    k = self.min_group as i64
                )],
            });
        }
        Ok(self.min_group)
    }

    pub fn describe(&self) -> String {
        match &self.database_url {
            Some(u) => trama_store::redact(u),
            None => trama_store::sqlite_url_for_dir(&self.data_dir),
        }
    }
}

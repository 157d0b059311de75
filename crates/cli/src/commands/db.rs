//! `--data-dir` / `--database-url`, shared by every command that uses the database.

use std::path::PathBuf;

use trama_i18n::Lang;
use trama_store::Store;

use crate::exit::Failure;

#[derive(clap::Args, Debug, Clone)]
pub struct DbArgs {
    /// Directory for the embedded SQLite database (created if missing).
    #[arg(long, value_name = "DIR", default_value = "./trama-data")]
    pub data_dir: PathBuf,
    /// Database URL (sqlite://… or postgres://…); overrides --data-dir.
    #[arg(long, value_name = "URL", env = "TRAMA_DATABASE_URL")]
    pub database_url: Option<String>,
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
        Ok(trama_app::App::new(
            self.open(lang).await?,
            trama_app::Settings::default(),
        ))
    }

    pub fn describe(&self) -> String {
        match &self.database_url {
            Some(u) => trama_store::redact(u),
            None => trama_store::sqlite_url_for_dir(&self.data_dir),
        }
    }
}

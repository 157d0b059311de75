//! `trama backup` on SQLite: a consistent copy taken while the server keeps
//! serving. `VACUUM INTO` reads one snapshot (in WAL mode writers go on
//! beside it) and writes a compact file of its own. The copy is written
//! under a temporary name beside its destination, synced, checked, and only
//! then renamed: a file at the destination is always a whole, sound backup.
//! (PostgreSQL is copied with `pg_dump`, by the command line.)

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::check::{CheckReport, examine};
use super::{MaintenanceError, connect, read_only_url, sync_file_and_dir};
use crate::db::Fetch;
use crate::{Backend, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    /// The copy, examined as a database of its own.
    pub check: CheckReport,
}

impl Store {
    /// Copies the whole database to `dest`, which must not exist.
    pub async fn backup_sqlite(&self, dest: &Path) -> Result<BackupReport, MaintenanceError> {
        if self.backend() != Backend::Sqlite {
            return Err(MaintenanceError::NotSqlite);
        }
        if dest.exists() {
            return Err(MaintenanceError::Exists(dest.to_owned()));
        }
        let partial = super::partial_name(dest);
        // A copy a crash left half-written is worthless.
        let _ = std::fs::remove_file(&partial);
        sqlx::query("VACUUM INTO $1")
            .bind(partial.display().to_string())
            .read_all(self.db())
            .await
            .map_err(StoreError::from)?;
        let checked = examine_file(&partial).await;
        let check = match checked {
            Ok(c) if c.healthy() => c,
            Ok(c) => {
                let _ = std::fs::remove_file(&partial);
                return Err(MaintenanceError::Unhealthy(Box::new(c)));
            }
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        super::owner_only(&partial)?;
        sync_file_and_dir(&partial)?;
        std::fs::rename(&partial, dest).map_err(|e| io(dest, e))?;
        sync_file_and_dir(dest)?;
        let bytes = std::fs::metadata(dest).map_err(|e| io(dest, e))?.len();
        Ok(BackupReport {
            path: dest.to_owned(),
            bytes,
            check,
        })
    }
}

/// Examines a SQLite file read-only, as a database of its own.
pub async fn examine_file(path: &Path) -> Result<CheckReport, MaintenanceError> {
    let (mut conn, backend) = connect(&read_only_url(path)).await?;
    let report = examine(&mut conn, backend).await;
    let _ = sqlx::Connection::close(conn).await;
    Ok(report?)
}

pub(crate) fn io(path: &Path, e: std::io::Error) -> MaintenanceError {
    MaintenanceError::Store(StoreError::Io(format!("{}: {e}", path.display())))
}

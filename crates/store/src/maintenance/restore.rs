//! `trama restore` on SQLite: a backup put in place as the database of a
//! data directory that has none yet (or only an empty one). The backup is
//! examined first and copied under a temporary name, so a crash halfway
//! leaves the place empty rather than holding half a database. Migrations
//! a newer build knows are applied when the store is next opened.

use std::path::Path;

use super::backup::{examine_file, io};
use super::check::CheckReport;
use super::{MaintenanceError, owner_only, partial_name, sync_file_and_dir};

/// Restores the SQLite backup `file` as the database file `dest`.
pub async fn restore_sqlite(file: &Path, dest: &Path) -> Result<CheckReport, MaintenanceError> {
    let backup = examine_file(file).await?;
    if !backup.tables.contains_key("_sqlx_migrations") {
        return Err(MaintenanceError::NotTrama(file.display().to_string()));
    }
    if !backup.healthy() {
        return Err(MaintenanceError::Unhealthy(Box::new(backup)));
    }
    if dest.exists() {
        let there = examine_file(dest).await?;
        if !there.is_empty() {
            return Err(MaintenanceError::NotEmpty(dest.display().to_string()));
        }
    }
    // The empty database and its WAL go: the backup takes their place.
    for suffix in ["", "-wal", "-shm"] {
        let mut name = dest.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(Path::new(&name));
    }
    let partial = partial_name(dest);
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    std::fs::copy(file, &partial).map_err(|e| io(&partial, e))?;
    owner_only(&partial)?;
    sync_file_and_dir(&partial)?;
    std::fs::rename(&partial, dest).map_err(|e| io(dest, e))?;
    sync_file_and_dir(dest)?;
    Ok(backup)
}

//! The operator's care of a database: consistent copies while it serves
//! ([`backup`]), putting a copy back into an empty place ([`restore`]), and
//! an examination that trusts nothing ([`check`]: the engine's own integrity
//! check, the migrations applied against those this build knows, and rows
//! whose parent is gone).
//!
//! These open their own connections, not the pool: a check must see the
//! database as it is, without migrating it first, and a copy is examined as
//! a file of its own.

pub mod backup;
pub mod check;
pub mod restore;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::AnyConnection;
use sqlx::ConnectOptions;
use sqlx::any::AnyConnectOptions;

use crate::{Backend, StoreError, redact};

pub use check::{CheckReport, check};

#[derive(Debug, thiserror::Error)]
pub enum MaintenanceError {
    #[error("{} already exists", .0.display())]
    Exists(PathBuf),
    #[error("{0} already holds a database")]
    NotEmpty(String),
    #[error("{0} is not a Trama database")]
    NotTrama(String),
    #[error("the database failed its check")]
    Unhealthy(Box<CheckReport>),
    #[error("Trama copies SQLite databases itself; PostgreSQL is copied with pg_dump")]
    NotSqlite,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// `FILE.partial`, beside `FILE`: where a copy is written until it is whole.
pub(crate) fn partial_name(dest: &Path) -> PathBuf {
    let mut name = dest.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// A copy holds every answer and address: readable by its owner only.
pub(crate) fn owner_only(path: &Path) -> Result<(), MaintenanceError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| backup::io(path, e))?;
    }
    Ok(())
}

/// The file's bytes and its directory entry on disk, so a copy reported
/// done survives a power cut.
pub(crate) fn sync_file_and_dir(path: &Path) -> Result<(), MaintenanceError> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| backup::io(path, e))?;
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(|e| backup::io(dir, e))?;
    }
    Ok(())
}

/// One connection to `url`, opened as it is (no migration, no pragmas but
/// what the URL says).
pub(crate) async fn connect(url: &str) -> Result<(AnyConnection, Backend), StoreError> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url)?;
    let conn = AnyConnectOptions::from_str(url)
        .map_err(|e| StoreError::Unreachable(format!("{}: {e}", redact(url))))?
        .connect()
        .await
        .map_err(|e| StoreError::Unreachable(format!("{}: {e}", redact(url))))?;
    Ok((conn, backend))
}

/// A SQLite file opened read-only, as a URL.
pub(crate) fn read_only_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=ro", path.display())
}

/// The migrations this build applies on `backend`.
pub(crate) fn migrator(backend: Backend) -> &'static sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => &crate::SQLITE_MIGRATIONS,
        Backend::Postgres => &crate::POSTGRES_MIGRATIONS,
    }
}

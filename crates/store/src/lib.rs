//! Storage for Trama, one code path over two backends.
//!
//! SQLite is the embedded default (a file in the data directory, WAL mode,
//! foreign keys on); PostgreSQL is the production backend. Both are reached
//! through sqlx's `Any` driver with portable SQL (`$n` placeholders, integer
//! flags, Unix-second timestamps); each backend has its own migration set with
//! the same tables, and the test suite runs against both.

pub mod accounts;
pub mod campaigns;
mod db;
pub mod demo;
mod demo_load;
mod demo_open;
mod demo_rounds;
mod demo_year;
mod error;
pub mod imports;
pub mod maintenance;
pub mod network_year;
pub mod registry;
pub mod schema;
pub mod sign_in_limits;
mod sql;
pub mod synth;
pub mod synth_round;
pub mod testing;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::ConnectOptions;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};

pub use db::{PoolStats, WriteTx};
pub use error::{RowProblem, StoreError};

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Store {
    db: db::Db,
    backend: Backend,
    writers: db::WriterQueue,
    /// The SQLite database file (`None` on PostgreSQL or in memory).
    sqlite_file: Option<std::path::PathBuf>,
    /// As given, password included: for maintenance's own connections,
    /// never for display (see [`redact`]).
    url: ConnectionUrl,
}

/// A database URL whose `Debug` hides the password.
#[derive(Clone)]
struct ConnectionUrl(std::sync::Arc<str>);

impl std::fmt::Debug for ConnectionUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

/// The file a SQLite URL names, if it names one.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| std::path::PathBuf::from(path))
}

/// Creates a new SQLite file readable by its owner only, whatever the umask
/// (a container's is often 022): it holds names, e-mail addresses and
/// answers. SQLite gives its `-wal` and `-shm` files the database's mode.
/// An existing file is left as its operator set it.
fn create_private(file: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(file) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A directory that does not exist yet is SQLite's to report.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::Io(format!("{}: {e}", file.display()))),
    }
}

/// Held while this process runs the campaign worker (see
/// [`Store::take_worker_role`]); dropping it lets another process take it.
#[derive(Debug)]
pub struct WorkerRole {
    _lock: Option<std::fs::File>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The database URL for a data directory: `DIR/trama.db`.
pub fn sqlite_url_for_dir(dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("trama.db").display())
}

impl Backend {
    /// The backend a database URL names.
    pub fn of_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact(url)))
        }
    }
}

impl Store {
    /// Opens the database at `url`, creating the SQLite file if needed, and
    /// brings its schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        if backend == Backend::Sqlite
            && !url.contains("mode=ro")
            && let Some(file) = sqlite_file(url)
        {
            create_private(&file)?;
        }
        let options = AnyConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unreachable(format!("{}: {e}", redact(url))))?
            .log_statements(tracing::log::LevelFilter::Debug)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; the busy
                        // timeout makes a concurrent writer wait instead of failing.
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout = 10000")
                            .execute(&mut *conn)
                            .await?;
                        // FULL: a commit is on disk before the page says
                        // "guardado", even across a power cut (NORMAL in WAL
                        // mode survives a process crash, not a power loss).
                        sqlx::query("PRAGMA synchronous = FULL")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            // A connection whose transaction failed to end (a COMMIT refused
            // for a full disk, after which SQLite had already rolled back and
            // the driver's own rollback failed) would refuse every later
            // BEGIN: such a connection is closed instead of going back to the
            // pool, so the server recovers once there is space again.
            .after_release(|conn, _| {
                Box::pin(async move {
                    use sqlx::Connection;
                    conn.ping().await?;
                    Ok(!conn.is_in_transaction())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Unreachable(format!("{}: {e}", redact(url))))?;
        let store = Store {
            db: db::Db::new(pool),
            backend,
            writers: db::WriterQueue::default(),
            sqlite_file: if backend == Backend::Sqlite {
                sqlite_file(url)
            } else {
                None
            },
            url: ConnectionUrl(url.into()),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Opens (creating if needed) the SQLite database inside `dir`.
    pub async fn open_dir(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Io(format!("{}: {e}", dir.display())))?;
        Store::open(&sqlite_url_for_dir(dir)).await
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        self.db.migrate(migrator).await?;
        registry::territory::ensure_regions(self).await
    }

    /// The URL this store was opened with, password included: to open
    /// another connection to the same database, never to show.
    pub fn connection_url(&self) -> &str {
        &self.url.0
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether this process may run the campaign worker. On PostgreSQL any
    /// number may: their work is claimed row by row. SQLite stays one
    /// process: the worker's role is a lock on a file beside the database,
    /// which the system frees when the process ends, however it ends.
    /// `Ok(None)`: another process holds it.
    pub fn take_worker_role(&self) -> Result<Option<WorkerRole>, StoreError> {
        let Some(db) = &self.sqlite_file else {
            return Ok(Some(WorkerRole { _lock: None }));
        };
        let mut name = db.as_os_str().to_owned();
        name.push(".worker-lock");
        let path = std::path::PathBuf::from(name);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::Io(format!("{}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(WorkerRole { _lock: Some(file) })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(StoreError::Io(format!("{}: {e}", path.display())))
            }
        }
    }

    /// The pool for reading: it only fetches (see [`db::Fetch`]).
    pub(crate) fn db(&self) -> &db::Db {
        &self.db
    }

    pub async fn close(&self) {
        self.db.close().await;
    }
}

/// Hides the secrets of a database URL before it reaches a log or an error
/// message: the password of `user:password@host`, and any `password=`,
/// `sslpassword=` or `passfile=` option in the query string.
pub fn redact(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let base = match (base.find("://"), base.rfind('@')) {
        (Some(s), Some(at)) if at > s => match base[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{}:***{}", &base[..s + 3], user, &base[at..]),
            None => base.to_owned(),
        },
        _ => base.to_owned(),
    };
    let Some(query) = query else { return base };
    let options: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if is_secret_option(k) => format!("{k}=***"),
            _ => kv.to_owned(),
        })
        .collect();
    format!("{base}?{}", options.join("&"))
}

fn is_secret_option(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k == "password" || k == "sslpassword" || k == "passfile" || k == "pwd"
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// The current school year (calendar year in Chile).
pub use trama_stdx::time::current_year;

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_urls_name_their_file() {
        use std::path::PathBuf;
        assert_eq!(
            super::sqlite_file("sqlite:///var/lib/trama/trama.db?mode=rwc"),
            Some(PathBuf::from("/var/lib/trama/trama.db"))
        );
        assert_eq!(
            super::sqlite_file("sqlite:x.db"),
            Some(PathBuf::from("x.db"))
        );
        assert_eq!(super::sqlite_file("sqlite::memory:"), None);
        assert_eq!(super::sqlite_file("postgres://db/x"), None);
    }

    #[tokio::test]
    async fn one_process_at_a_time_runs_the_worker_on_sqlite() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let first = super::Store::open_dir(dir.path())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let second = super::Store::open_dir(dir.path())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let held = first.take_worker_role().unwrap_or_else(|e| panic!("{e}"));
        assert!(held.is_some());
        // Another open file description: what a second process would meet.
        assert!(
            second
                .take_worker_role()
                .unwrap_or_else(|e| panic!("{e}"))
                .is_none()
        );
        drop(held);
        assert!(
            second
                .take_worker_role()
                .unwrap_or_else(|e| panic!("{e}"))
                .is_some()
        );
    }

    #[test]
    fn passwords_never_leave_in_urls() {
        assert_eq!(
            super::redact("postgres://trama:s3cret@db:5432/trama"),
            "postgres://trama:***@db:5432/trama"
        );
        assert_eq!(super::redact("sqlite://x.db"), "sqlite://x.db");
        assert_eq!(
            super::redact("postgres://db/trama?user=t&password=s3cret&sslmode=require"),
            "postgres://db/trama?user=t&password=***&sslmode=require"
        );
        assert_eq!(
            super::redact("postgres://u:p@db/x?sslpassword=k"),
            "postgres://u:***@db/x?sslpassword=***"
        );
        assert_eq!(
            super::redact("sqlite://x.db?mode=rwc"),
            "sqlite://x.db?mode=rwc"
        );
    }
}

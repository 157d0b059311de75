//! What can go wrong in the store: the database, the disk, or the input.

use serde::Serialize;
use trama_domain::Problem;
use trama_domain::problem::FieldProblem;

/// A problem found when checking an imported row against the database
/// (an RBD that does not exist, a network code nobody created).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowProblem {
    pub line: u64,
    pub column: &'static str,
    pub value: String,
    pub problem: Problem,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL {0} (use sqlite:// or postgres://)")]
    UnsupportedUrl(String),
    #[error("database unreachable: {0}")]
    Unreachable(String),
    #[error("i/o: {0}")]
    Io(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("not found")]
    NotFound,
    #[error("invalid fields: {0:?}")]
    Invalid(Vec<FieldProblem>),
    #[error("rows refer to unknown records: {0:?}")]
    References(Vec<RowProblem>),
    #[error("password hashing failed")]
    Hash,
}

impl StoreError {
    /// True when the failure is the environment's (network, disk), not the input's.
    pub fn is_environment(&self) -> bool {
        match self {
            StoreError::Unreachable(_) | StoreError::Io(_) | StoreError::Migrate(_) => true,
            StoreError::Database(e) => {
                self.is_disk_full()
                    || matches!(
                        e,
                        sqlx::Error::Io(_)
                            | sqlx::Error::PoolTimedOut
                            | sqlx::Error::PoolClosed
                            | sqlx::Error::Tls(_)
                    )
            }
            _ => false,
        }
    }

    /// The database could not write for lack of space (SQLite's
    /// `SQLITE_FULL`, PostgreSQL's `disk_full`), or SQLite could not write
    /// its file at all (`SQLITE_IOERR`).
    pub fn is_disk_full(&self) -> bool {
        let StoreError::Database(sqlx::Error::Database(db)) = self else {
            return false;
        };
        let code = db.code().unwrap_or_default();
        // SQLite reports extended codes: their low byte is the primary one.
        let primary = code.parse::<i64>().map(|c| c & 0xff).unwrap_or(-1);
        primary == 13 || primary == 10 || code == "53100"
    }

    /// A unique-constraint violation, reported to users as "already exists".
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(db)) => db.is_unique_violation(),
            _ => false,
        }
    }
}

/// Turns a unique-constraint violation into "already exists" on `field`, the
/// way forms and the API report it.
pub(crate) fn unique_on(field: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| {
        let e = StoreError::from(e);
        if e.is_unique_violation() {
            StoreError::Invalid(vec![FieldProblem::new(field, Problem::AlreadyExists)])
        } else {
            e
        }
    }
}

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
                    || self.is_connection_lost()
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
        matches!(sqlite_primary(&code), Some(13 | 10)) || code == "53100"
    }

    /// The database ended the connection or cannot take one now:
    /// PostgreSQL's connection exceptions (class 08), an administrator or a
    /// crash shutting the server down or starting it (57P01–57P03), too many
    /// connections or no memory (53200, 53300); SQLite still busy after its
    /// timeout (5). The request can be tried again; nothing was half-written.
    pub fn is_connection_lost(&self) -> bool {
        let StoreError::Database(sqlx::Error::Database(db)) = self else {
            return false;
        };
        let code = db.code().unwrap_or_default();
        code.starts_with("08")
            || matches!(&*code, "57P01" | "57P02" | "57P03" | "53200" | "53300")
            || sqlite_primary(&code) == Some(5)
    }

    /// A unique-constraint violation, reported to users as "already exists".
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(db)) => db.is_unique_violation(),
            _ => false,
        }
    }
}

/// SQLite's primary result code from the code a driver reports: SQLite's
/// are numbers of at most four digits (extended codes keep the primary one
/// in their low byte); PostgreSQL's are five characters, digits or not.
fn sqlite_primary(code: &str) -> Option<i64> {
    if code.len() > 4 {
        return None;
    }
    code.parse::<i64>().ok().map(|c| c & 0xff)
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

#[cfg(test)]
mod tests {
    use super::sqlite_primary;

    #[test]
    fn only_sqlite_codes_are_read_as_sqlite_codes() {
        assert_eq!(sqlite_primary("13"), Some(13)); // SQLITE_FULL
        assert_eq!(sqlite_primary("517"), Some(5)); // SQLITE_BUSY_SNAPSHOT
        assert_eq!(sqlite_primary("3338"), Some(10)); // SQLITE_IOERR_SHMMAP
        // PostgreSQL's 22021 (character_not_in_repertoire) has 5 in its low
        // byte: it is not SQLite's BUSY.
        assert_eq!(sqlite_primary("22021"), None);
        assert_eq!(sqlite_primary("57P01"), None);
    }
}

//! Fresh, isolated stores for tests of this and other crates.
//!
//! With `TRAMA_TEST_DATABASE_URL=postgres://…` every call gets its own
//! PostgreSQL schema (so tests run in parallel without seeing each other);
//! otherwise a SQLite file in a temporary directory.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::{Store, StoreError};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Keeps the temporary directory of a SQLite test store alive.
pub struct TestGuard {
    _dir: Option<tempfile::TempDir>,
}

pub fn backend_under_test() -> &'static str {
    match std::env::var("TRAMA_TEST_DATABASE_URL") {
        Ok(u) if u.starts_with("postgres") => "postgres",
        _ => "sqlite",
    }
}

pub async fn test_store() -> Result<(Store, TestGuard), StoreError> {
    match std::env::var("TRAMA_TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let (store, _) = crate::schema::open_in_new_schema(&url, "trama_test", n).await?;
            Ok((store, TestGuard { _dir: None }))
        }
        _ => {
            let dir = tempfile::tempdir().map_err(|e| StoreError::Io(e.to_string()))?;
            let store = Store::open_dir(dir.path()).await?;
            Ok((store, TestGuard { _dir: Some(dir) }))
        }
    }
}

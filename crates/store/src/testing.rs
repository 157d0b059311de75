//! Fresh, isolated stores for tests of this and other crates.
//!
//! With `TRAMA_TEST_DATABASE_URL=postgres://…` every call gets its own
//! PostgreSQL schema (so tests run in parallel without seeing each other);
//! otherwise a SQLite file in a temporary directory.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

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
            let schema = format!("trama_test_{}_{}_{}", crate::now(), std::process::id(), n);
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(&url)
                .await
                .map_err(|e| StoreError::Unreachable(format!("{}: {e}", crate::redact(&url))))?;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                .execute(&mut conn)
                .await?;
            drop_stale_schemas(&mut conn).await?;
            conn.close().await?;
            let sep = if url.contains('?') { '&' } else { '?' };
            let scoped = format!("{url}{sep}options=-c%20search_path%3D{schema}");
            Ok((Store::open(&scoped).await?, TestGuard { _dir: None }))
        }
        _ => {
            let dir = tempfile::tempdir().map_err(|e| StoreError::Io(e.to_string()))?;
            let store = Store::open_dir(dir.path()).await?;
            Ok((store, TestGuard { _dir: Some(dir) }))
        }
    }
}

/// Schemas of test runs older than a day are dropped, so a developer's
/// database does not grow without bound.
async fn drop_stale_schemas(conn: &mut sqlx::AnyConnection) -> Result<(), StoreError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'trama\\_test\\_%'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let cutoff = crate::now() - 86_400;
    for (name,) in rows {
        let ts: Option<i64> = name.split('_').nth(2).and_then(|t| t.parse().ok());
        if ts.is_some_and(|t| t < cutoff) {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE"
            )))
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

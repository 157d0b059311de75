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

/// A message as the claims see it, for tests that share work between
/// servers and kill one.
#[derive(Debug, Clone)]
pub struct MessageClaim {
    pub to_email: String,
    pub status: String,
    /// The worker that claimed it last (kept once it is sent).
    pub claimed_by: Option<String>,
    /// Still claimed: queued, with a lease that has not run out.
    pub live: bool,
}

/// Every message's claim, in queue order.
pub async fn message_claims(store: &Store) -> Result<Vec<MessageClaim>, StoreError> {
    use crate::campaigns::{opt_int, opt_text, text};
    use crate::db::Fetch;
    let t = crate::now();
    let rows =
        sqlx::query("SELECT to_email, status, claimed_by, lease_until FROM messages ORDER BY id")
            .read_all(store.db())
            .await?;
    rows.iter()
        .map(|r| {
            let status = text(r, "status")?;
            let live = status == "queued" && opt_int(r, "lease_until")?.is_some_and(|l| l > t);
            Ok(MessageClaim {
                to_email: text(r, "to_email")?,
                status,
                claimed_by: opt_text(r, "claimed_by")?,
                live,
            })
        })
        .collect()
}

/// Moves every live claim on a queued message into the past: what the
/// passing of [`crate::campaigns::mail_queue::MESSAGE_LEASE_SECS`] does to
/// the claims of a server that died, without the test waiting five minutes.
pub async fn expire_message_claims(store: &Store) -> Result<u64, StoreError> {
    let t = crate::now();
    let done = store
        .write_one(
            sqlx::query(
                "UPDATE messages SET lease_until = $1 WHERE status = 'queued' AND lease_until > $2",
            )
            .bind(t - 1)
            .bind(t),
        )
        .await?;
    Ok(done.rows_affected())
}

/// Puts every message of a campaign back in the queue, due at `due`: a
/// queue the worker has not kept up with, without waiting for it to fall
/// behind.
pub async fn requeue_messages(
    store: &Store,
    campaign_id: i64,
    due: i64,
) -> Result<u64, StoreError> {
    let done = store
        .write_one(
            sqlx::query(
                "UPDATE messages SET status = 'queued', next_attempt_at = $1 \
                 WHERE campaign_id = $2",
            )
            .bind(due)
            .bind(campaign_id),
        )
        .await?;
    Ok(done.rows_affected())
}

/// Deletes every row of `table` past the foreign keys, as a hand edit or a
/// broken copy would, so a test can show `db check` finding the orphans.
pub async fn delete_unchecked(url: &str, table: &str) -> Result<u64, StoreError> {
    let (mut conn, backend) = crate::maintenance::connect(url).await?;
    // Past the foreign keys for this session: on PostgreSQL their triggers
    // are skipped (superuser); sqlx turns SQLite's on, so they go off.
    let off = match backend {
        crate::Backend::Postgres => "SET session_replication_role = replica",
        crate::Backend::Sqlite => "PRAGMA foreign_keys = OFF",
    };
    sqlx::query(off).execute(&mut conn).await?;
    let done = sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
        .execute(&mut conn)
        .await?;
    let _ = sqlx::Connection::close(conn).await;
    Ok(done.rows_affected())
}

/// Ends every PostgreSQL connection whose `application_name` is `name`, as
/// a database restart or a network cut would: how many were ended.
pub async fn terminate_connections(url: &str, name: &str) -> Result<u64, StoreError> {
    use crate::campaigns::int;
    let (mut conn, _) = crate::maintenance::connect(url).await?;
    let row = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM \
         (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) t",
    )
    .bind(name.to_owned())
    .fetch_one(&mut conn)
    .await?;
    let _ = sqlx::Connection::close(conn).await;
    Ok(int(&row, "n")? as u64)
}

/// Creates (`create`) or drops an empty PostgreSQL database beside the one
/// at `url`, for a test that restores into a database of its own.
pub async fn postgres_database(url: &str, name: &str, create: bool) -> Result<(), StoreError> {
    let (mut conn, _) = crate::maintenance::connect(url).await?;
    let sql = if create {
        format!("CREATE DATABASE \"{name}\"")
    } else {
        format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")
    };
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await?;
    let _ = sqlx::Connection::close(conn).await;
    Ok(())
}

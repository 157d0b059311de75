//! Fresh PostgreSQL schemas for runs that must not see each other's rows
//! (tests in parallel, benchmarks beside real data), created and dropped
//! here so that no other crate needs the database driver.

use sqlx::Connection;

use crate::{Store, StoreError, now, redact};

async fn connect(url: &str) -> Result<sqlx::AnyConnection, StoreError> {
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(url)
        .await
        .map_err(|e| StoreError::Unreachable(format!("{}: {e}", redact(url))))
}

/// Creates a schema named `PREFIX_<time>_<pid>_<n>` in the database at
/// `url` and opens a store whose tables live there. Returns the schema's
/// name, for [`drop_schema`].
pub async fn open_in_new_schema(
    url: &str,
    prefix: &str,
    n: u32,
) -> Result<(Store, String), StoreError> {
    let schema = format!("{prefix}_{}_{}_{n}", now(), std::process::id());
    let mut conn = connect(url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await?;
    drop_stale(&mut conn, prefix).await?;
    conn.close().await?;
    match Store::open(&scoped_url(url, &schema)).await {
        Ok(store) => Ok((store, schema)),
        Err(e) => {
            drop_schema(url, &schema).await.ok();
            Err(e)
        }
    }
}

/// `url` with every connection's `search_path` set to `schema`, for another
/// process (a server a test starts) to open the same schema.
pub fn scoped_url(url: &str, schema: &str) -> String {
    let base = unscoped_url(url);
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

/// `url` without the `options` parameter that [`scoped_url`] sets, so a
/// schema is chosen once.
pub fn unscoped_url(url: &str) -> String {
    let Some((path, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.starts_with("options="))
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

pub async fn drop_schema(url: &str, schema: &str) -> Result<(), StoreError> {
    let mut conn = connect(url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE"
    )))
    .execute(&mut conn)
    .await?;
    conn.close().await?;
    Ok(())
}

/// Schemas of earlier runs older than a day are dropped, so a developer's
/// database does not grow without bound.
async fn drop_stale(conn: &mut sqlx::AnyConnection, prefix: &str) -> Result<(), StoreError> {
    let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE '{}\\_%'",
        prefix.replace('_', "\\_")
    )))
    .fetch_all(&mut *conn)
    .await?;
    let cutoff = now() - 86_400;
    for (name,) in rows {
        let ts: Option<i64> = name
            .strip_prefix(prefix)
            .and_then(|rest| rest.trim_start_matches('_').split('_').next())
            .and_then(|t| t.parse().ok());
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

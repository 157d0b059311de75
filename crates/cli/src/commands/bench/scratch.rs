//! The database a benchmark writes to: a fresh schema in the PostgreSQL
//! database given, the SQLite directory given, or a temporary one, and how
//! to clean it up afterwards.

use std::path::PathBuf;

use trama_store::Store;

use crate::exit::Failure;

/// The database the run writes to, and how to clean it up afterwards.
pub(super) enum Scratch {
    Kept,
    Dir(PathBuf),
    Schema { url: String, schema: String },
}

/// A database for a benchmark run: the PostgreSQL database given (in a
/// fresh schema), the SQLite directory given, or a temporary one.
pub(super) async fn scratch_database(
    database_url: &Option<String>,
    data_dir: &Option<PathBuf>,
) -> Result<(Store, String, Scratch), Failure> {
    let unreachable = |e: String| Failure::env(format!("database: {e}"));
    match (database_url, data_dir) {
        (Some(url), _) if url.starts_with("postgres") => {
            let (store, schema) = trama_store::schema::open_in_new_schema(url, "trama_bench", 0)
                .await
                .map_err(|e| unreachable(e.to_string()))?;
            let described = format!("{} (schema {schema})", trama_store::redact(url));
            Ok((
                store,
                described,
                Scratch::Schema {
                    url: url.clone(),
                    schema,
                },
            ))
        }
        (Some(url), _) => Store::open(url)
            .await
            .map(|s| (s, trama_store::redact(url), Scratch::Kept))
            .map_err(|e| unreachable(e.to_string())),
        (None, Some(dir)) => Store::open_dir(dir)
            .await
            .map(|s| (s, trama_store::sqlite_url_for_dir(dir), Scratch::Kept))
            .map_err(|e| unreachable(e.to_string())),
        (None, None) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or_default();
            let dir = std::env::temp_dir().join(format!(
                "trama-bench-answers-{}-{nanos}",
                std::process::id()
            ));
            let described = trama_store::sqlite_url_for_dir(&dir);
            match Store::open_dir(&dir).await {
                Ok(s) => Ok((s, described, Scratch::Dir(dir))),
                Err(e) => {
                    cleanup(Scratch::Dir(dir)).await;
                    Err(unreachable(e.to_string()))
                }
            }
        }
    }
}

pub(super) async fn cleanup(scratch: Scratch) {
    match scratch {
        Scratch::Kept => {}
        Scratch::Dir(dir) => {
            let _ = std::fs::remove_dir_all(dir);
        }
        Scratch::Schema { url, schema } => {
            let _ = trama_store::schema::drop_schema(&url, &schema).await;
        }
    }
}

//! Backups, restores and the database check, on SQLite and (with
//! `TRAMA_TEST_DATABASE_URL`) PostgreSQL: a check that finds what is wrong
//! and only that, copies that hold what the database held.

use std::str::FromStr;

use sqlx::{ConnectOptions, Connection};
use trama_store::maintenance::backup::examine_file;
use trama_store::maintenance::restore::restore_sqlite;
use trama_store::maintenance::{MaintenanceError, check};
use trama_store::testing::{backend_under_test, test_store};
use trama_store::{Backend, Store};

async fn demo() -> (Store, trama_store::testing::TestGuard) {
    let (s, g) = test_store().await.unwrap_or_else(|e| panic!("{e}"));
    s.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
    (s, g)
}

/// Runs `sql` on its own connection to the store's database.
async fn execute(s: &Store, sql: &str) {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::any::AnyConnectOptions::from_str(s.connection_url())
        .unwrap_or_else(|e| panic!("{e}"))
        .connect()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

#[tokio::test]
async fn a_database_trama_made_checks_sound() {
    let (s, _g) = demo().await;
    let r = check(s.connection_url())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(r.healthy(), "{r:?}");
    assert!(r.integrity.is_empty(), "{r:?}");
    assert!(r.orphans.is_empty(), "{r:?}");
    assert_eq!(r.migrations.applied, r.migrations.known);
    assert!(r.migrations.known >= 8);
    assert!(r.migrations.pending.is_empty());
    assert_eq!(r.backend, backend_under_test());
    // The demo's registry, counted from the database.
    assert!(
        r.tables["schools"] > 0 && r.tables["people"] > 0,
        "{:?}",
        r.tables
    );
    assert_eq!(r.tables["responses"], 0);
}

#[tokio::test]
async fn the_check_names_every_migration_out_of_step() {
    let (s, _g) = demo().await;
    let known = check(s.connection_url())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .migrations
        .known;
    let last = 8;
    execute(
        &s,
        &format!("DELETE FROM _sqlx_migrations WHERE version = {last}"),
    )
    .await;
    let r = check(s.connection_url())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.migrations.pending, vec![last]);
    assert!(r.healthy(), "pending migrations are the next start's work");

    execute(
        &s,
        "UPDATE _sqlx_migrations SET checksum = (SELECT checksum FROM _sqlx_migrations WHERE version = 2) \
         WHERE version = 1",
    )
    .await;
    execute(
        &s,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         SELECT 99990101, 'from the future', success, checksum, 0 FROM _sqlx_migrations WHERE version = 2",
    )
    .await;
    execute(
        &s,
        "UPDATE _sqlx_migrations SET success = false WHERE version = 3",
    )
    .await;
    let r = check(s.connection_url())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.migrations.changed, vec![1]);
    assert_eq!(r.migrations.unknown, vec![99990101]);
    assert_eq!(r.migrations.failed, vec![3]);
    assert_eq!(r.migrations.applied, known);
    assert!(!r.healthy());
}

#[tokio::test]
async fn rows_whose_parent_is_gone_are_counted_per_key() {
    let (s, _g) = demo().await;
    let people: i64 = check(s.connection_url())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .tables["network_schools"];
    assert!(people > 0);
    let deleted = trama_store::testing::delete_unchecked(s.connection_url(), "networks")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(deleted > 0);
    let r = check(s.connection_url())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!r.healthy());
    let members = r
        .orphans
        .iter()
        .find(|o| o.table == "network_schools" && o.parent == "networks")
        .unwrap_or_else(|| panic!("{:?}", r.orphans));
    assert_eq!(members.rows, people);
    assert!(
        r.orphans.iter().all(|o| o.parent == "networks"),
        "{:?}",
        r.orphans
    );
}

#[tokio::test]
async fn a_backup_holds_the_database_and_restores_only_into_an_empty_place() {
    if backend_under_test() != "sqlite" {
        return; // PostgreSQL is copied by pg_dump: cli/tests/it/operations.rs
    }
    let (s, _g) = demo().await;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dest = dir.path().join("copia.db");
    let report = s
        .backup_sqlite(&dest)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let original = check(s.connection_url())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.check.tables, original.tables);
    assert!(report.bytes > 0 && dest.exists());
    assert!(!dir.path().join("copia.db.partial").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dest)
            .unwrap_or_else(|e| panic!("{e}"))
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "a copy is its owner's only");
    }
    assert!(matches!(
        s.backup_sqlite(&dest).await,
        Err(MaintenanceError::Exists(_))
    ));

    let target = dir.path().join("nueva").join("trama.db");
    let restored = restore_sqlite(&dest, &target)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(restored.tables, original.tables);
    let there = examine_file(&target)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(there.tables, original.tables);
    assert!(matches!(
        restore_sqlite(&dest, &target).await,
        Err(MaintenanceError::NotEmpty(_))
    ));

    // Any other SQLite file is refused as a backup.
    let other = dir.path().join("otra.db");
    let url = format!("sqlite://{}?mode=rwc", other.display());
    let mut conn = sqlx::any::AnyConnectOptions::from_str(&url)
        .unwrap_or_else(|e| panic!("{e}"))
        .connect()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sqlx::query("CREATE TABLE t (x INTEGER)")
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = conn.close().await;
    assert!(matches!(
        restore_sqlite(&other, &dir.path().join("x").join("trama.db")).await,
        Err(MaintenanceError::NotTrama(_))
    ));
}

#[tokio::test]
async fn a_damaged_sqlite_file_fails_its_integrity_check() {
    if backend_under_test() != "sqlite" {
        return;
    }
    let (s, _g) = demo().await;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let copy = dir.path().join("copia.db");
    s.backup_sqlite(&copy)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Scribble over one index's root page (found from the schema) in the copy.
    let url = format!("sqlite://{}?mode=ro", copy.display());
    let mut conn = sqlx::any::AnyConnectOptions::from_str(&url)
        .unwrap_or_else(|e| panic!("{e}"))
        .connect()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let root: i64 = sqlx::Row::get(
        &sqlx::query(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'schools' \
             ORDER BY name LIMIT 1",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{e}")),
        0,
    );
    let page_size: i64 = sqlx::Row::get(
        &sqlx::query("PRAGMA page_size")
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        0,
    );
    let _ = conn.close().await;
    let mut bytes = std::fs::read(&copy).unwrap_or_else(|e| panic!("{e}"));
    let start = ((root - 1) * page_size) as usize;
    for b in &mut bytes[start + 8..start + page_size as usize] {
        *b = 0xA5;
    }
    std::fs::write(&copy, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let r = examine_file(&copy).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(!r.integrity.is_empty(), "{r:?}");
    assert!(!r.healthy());
    assert_eq!(Backend::Sqlite, s.backend());
}

/// A new SQLite database is its owner's alone, whatever the umask: it
/// holds names, e-mail addresses and answers (a container's umask of 022
/// once left it readable by every user of the host).
#[cfg(unix)]
#[tokio::test]
async fn a_new_sqlite_database_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open_dir(dir.path())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
    let mut seen = 0;
    for name in ["trama.db", "trama.db-wal", "trama.db-shm"] {
        let Ok(meta) = std::fs::metadata(dir.path().join(name)) else {
            continue;
        };
        seen += 1;
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}");
    }
    assert!(seen >= 2, "the database and its WAL");
    store.close().await;
}

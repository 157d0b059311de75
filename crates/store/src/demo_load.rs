//! `serve --demo` on an empty database: the demo (registry, questionnaire,
//! accounts, rounds with answers, sessions) is built aside — in a file
//! beside the SQLite database, or in a schema of its own on PostgreSQL —
//! and arrives in one transaction. A server killed while loading leaves no
//! demo at all, never half of one that a later start would take for whole.

use crate::maintenance::check::{parents_first, quoted};
use crate::maintenance::connect;
use crate::{Backend, Store, StoreError};

impl Store {
    /// Loads whatever of the demo is missing; true when it loaded any.
    pub async fn load_demo(&self) -> Result<bool, StoreError> {
        if !self.is_blank().await? {
            // Data of its own: the demo's steps add what is missing.
            let registry = self.seed_demo().await?;
            let rounds = self.seed_demo_rounds().await?;
            return Ok(registry || rounds);
        }
        match (self.backend(), &self.sqlite_file) {
            (Backend::Sqlite, Some(file)) => self.load_demo_from_file(file).await?,
            (Backend::Postgres, _) => self.load_demo_from_schema().await?,
            // In memory there is nothing to leave half-done.
            (Backend::Sqlite, None) => {
                self.seed_demo().await?;
                self.seed_demo_rounds().await?;
            }
        }
        Ok(true)
    }

    /// No registry, no account, no campaign: nothing the demo could clash with.
    async fn is_blank(&self) -> Result<bool, StoreError> {
        use crate::db::Fetch;
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM schools) + (SELECT COUNT(*) FROM users) \
             + (SELECT COUNT(*) FROM campaigns) AS n",
        )
        .read_one(self.db())
        .await?;
        Ok(crate::campaigns::int(&row, "n")? == 0)
    }

    async fn load_demo_from_file(&self, file: &std::path::Path) -> Result<(), StoreError> {
        let mut name = file.as_os_str().to_owned();
        name.push(".demo-staging");
        let staging = std::path::PathBuf::from(name);
        let remove_staging = || {
            for suffix in ["", "-wal", "-shm"] {
                let mut n = staging.as_os_str().to_owned();
                n.push(suffix);
                let _ = std::fs::remove_file(std::path::Path::new(&n));
            }
        };
        // What a killed load left aside is rebuilt from nothing.
        remove_staging();
        let aside = Store::open(&format!("sqlite://{}?mode=rwc", staging.display())).await?;
        let built = build(&aside).await;
        aside.close().await;
        built?;
        let (mut conn, backend) = connect(self.connection_url()).await?;
        let copied = async {
            sqlx::query("PRAGMA busy_timeout = 10000")
                .execute(&mut conn)
                .await?;
            sqlx::query("PRAGMA foreign_keys = ON")
                .execute(&mut conn)
                .await?;
            // ATTACH may not run inside a transaction: before BEGIN.
            sqlx::query("ATTACH DATABASE $1 AS demo")
                .bind(staging.display().to_string())
                .execute(&mut conn)
                .await?;
            let order = parents_first(&mut conn, backend).await?;
            sqlx::query("BEGIN IMMEDIATE").execute(&mut conn).await?;
            for t in order.iter().filter(|t| copied_table(t)) {
                let q = quoted(t);
                let done = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT OR IGNORE INTO main.{q} SELECT * FROM demo.{q}"
                )))
                .execute(&mut conn)
                .await;
                if let Err(e) = done {
                    let _ = sqlx::query("ROLLBACK").execute(&mut conn).await;
                    return Err(StoreError::from(e));
                }
            }
            sqlx::query("COMMIT").execute(&mut conn).await?;
            sqlx::query("DETACH DATABASE demo")
                .execute(&mut conn)
                .await?;
            Ok::<(), StoreError>(())
        }
        .await;
        let _ = sqlx::Connection::close(conn).await;
        remove_staging();
        copied
    }

    async fn load_demo_from_schema(&self) -> Result<(), StoreError> {
        let base = crate::schema::unscoped_url(self.connection_url());
        let (aside, schema) = crate::schema::open_in_new_schema(&base, "trama_demo", 0).await?;
        let built = build(&aside).await;
        aside.close().await;
        let copied = match built {
            Ok(()) => self.copy_from_schema(&schema).await,
            Err(e) => Err(e),
        };
        let dropped = crate::schema::drop_schema(&base, &schema).await;
        copied.and(dropped)
    }

    async fn copy_from_schema(&self, schema: &str) -> Result<(), StoreError> {
        let (mut conn, backend) = connect(self.connection_url()).await?;
        let order = parents_first(&mut conn, backend).await;
        let _ = sqlx::Connection::close(conn).await;
        let order = order?;
        let from = quoted(schema);
        self.write(async |tx| {
            for t in order.iter().filter(|t| copied_table(t)) {
                let q = quoted(t);
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT INTO {q} SELECT * FROM {from}.{q} ON CONFLICT DO NOTHING"
                )))
                .execute(&mut **tx)
                .await?;
            }
            // Rows came with their ids: each sequence goes on after them.
            let serials = sqlx::query(
                "SELECT table_name::text AS t FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND column_name = 'id' \
                 AND column_default LIKE 'nextval%' ORDER BY 1",
            )
            .fetch_all(&mut **tx)
            .await?;
            for row in &serials {
                let t = crate::campaigns::text(row, "t")?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{t}', 'id'), MAX(id)) FROM {} HAVING MAX(id) IS NOT NULL",
                    quoted(&t)
                )))
                .fetch_all(&mut **tx)
                .await?;
            }
            Ok(())
        })
        .await
    }
}

/// The demo, step by step, on a database of its own.
async fn build(aside: &Store) -> Result<(), StoreError> {
    aside.seed_demo().await?;
    aside.seed_demo_rounds().await?;
    Ok(())
}

/// Tables the copy carries: all but the migrations' own record.
fn copied_table(name: &str) -> bool {
    name != "_sqlx_migrations"
}

//! The database handle: the only module that holds the connection pool.
//!
//! Readers get a [`Db`] that can only fetch (the [`Fetch`] methods take it;
//! nothing here executes a statement on it), so a write outside a
//! transaction does not compile. Writes go through [`Store::begin_write`],
//! whose [`WriteTx`] is the only way to run `INSERT`, `UPDATE` or `DELETE`.
//!
//! SQLite has one write lock per database. A connection that finds it taken
//! waits in SQLite's busy handler, which sleeps and retries with growing
//! naps (up to 100 ms each): under a burst of page saves, a writer can sleep
//! long after the lock was freed, and the slowest saves pay for it. So on
//! SQLite the writers of this process queue in a fair async mutex first and
//! take the lock one after another, handing it over without sleeping. Other
//! processes (a CLI import beside the server) still meet the busy handler.

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, AnyPool, IntoArguments, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::{Backend, Store, StoreError};

/// The pool, for reading. Its field is private to this module.
#[derive(Debug, Clone)]
pub(crate) struct Db(AnyPool);

impl Db {
    pub(crate) fn new(pool: AnyPool) -> Self {
        Db(pool)
    }

    pub(crate) async fn migrate(
        &self,
        migrator: &sqlx::migrate::Migrator,
    ) -> Result<(), StoreError> {
        migrator.run(&self.0).await?;
        Ok(())
    }

    pub(crate) async fn close(&self) {
        self.0.close().await;
    }

    pub(crate) fn stats(&self) -> PoolStats {
        PoolStats {
            open: self.0.size(),
            idle: u32::try_from(self.0.num_idle()).unwrap_or(u32::MAX),
            max: self.0.options().get_max_connections(),
        }
    }
}

/// The connection pool's state, for monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// Connections open, idle or in use.
    pub open: u32,
    /// Open connections waiting for work.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

/// Reading a query's rows from the pool.
pub(crate) trait Fetch: Sized {
    fn read_all(self, db: &Db) -> impl Future<Output = Result<Vec<AnyRow>, sqlx::Error>> + Send;
    fn read_one(self, db: &Db) -> impl Future<Output = Result<AnyRow, sqlx::Error>> + Send;
    fn read_optional(
        self,
        db: &Db,
    ) -> impl Future<Output = Result<Option<AnyRow>, sqlx::Error>> + Send;
}

impl<'q, A> Fetch for sqlx::query::Query<'q, Any, A>
where
    A: 'q + IntoArguments<Any> + Send,
{
    fn read_all(self, db: &Db) -> impl Future<Output = Result<Vec<AnyRow>, sqlx::Error>> + Send {
        self.fetch_all(&db.0)
    }

    fn read_one(self, db: &Db) -> impl Future<Output = Result<AnyRow, sqlx::Error>> + Send {
        self.fetch_one(&db.0)
    }

    fn read_optional(
        self,
        db: &Db,
    ) -> impl Future<Output = Result<Option<AnyRow>, sqlx::Error>> + Send {
        self.fetch_optional(&db.0)
    }
}

/// Whose turn it is to write; shared by the clones of a [`Store`].
#[derive(Debug, Clone, Default)]
pub(crate) struct WriterQueue(Arc<Mutex<()>>);

/// A transaction that will write, holding the process's turn to write on
/// SQLite until it is committed or dropped (dropping rolls back). Use cases
/// compose their writes and their audit entry in one of these.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    // Declared after `tx`, so dropped after it: the turn passes on only
    // once the rollback of a dropped transaction has been issued.
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        self.tx.rollback().await?;
        Ok(())
    }

    /// Records who did what, in the same transaction as the change itself:
    /// a change is never without its audit line, nor the line without it.
    pub async fn audit(
        &mut self,
        user_id: Option<i64>,
        action: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO audit_log (at, user_id, action, detail) VALUES ($1, $2, $3, $4)")
            .bind(crate::now())
            .bind(user_id)
            .bind(action)
            .bind(detail)
            .execute(&mut **self)
            .await?;
        Ok(())
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

impl Store {
    /// A transaction that will write. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`), after the writers queued before it: a plain
    /// `BEGIN` that reads first and writes later fails at the write with
    /// "database is locked", without waiting, whenever another writer got in
    /// between — a lost page save under load.
    pub async fn begin_write(&self) -> Result<WriteTx, StoreError> {
        let pool = &self.db.0;
        match self.backend {
            Backend::Sqlite => {
                let turn = self.writers.0.clone().lock_owned().await;
                let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(WriteTx {
                    tx,
                    _turn: Some(turn),
                })
            }
            Backend::Postgres => Ok(WriteTx {
                tx: pool.begin().await?,
                _turn: None,
            }),
        }
    }

    /// One write transaction around `f`, committed when it succeeds.
    pub async fn write<T>(
        &self,
        f: impl AsyncFnOnce(&mut WriteTx) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut tx = self.begin_write().await?;
        let out = f(&mut tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// One statement in a write transaction of its own.
    pub(crate) async fn write_one<'q, A>(
        &self,
        q: sqlx::query::Query<'q, Any, A>,
    ) -> Result<sqlx::any::AnyQueryResult, StoreError>
    where
        A: 'q + IntoArguments<Any> + Send,
    {
        let mut tx = self.begin_write().await?;
        let done = q.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// The connection pool's state now.
    pub fn pool_stats(&self) -> PoolStats {
        self.db().stats()
    }

    /// Checks that the database answers and takes a write (for `/ready`):
    /// a database that reads but cannot commit, on a full disk, is not
    /// ready to keep anyone's answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.write_one(
            sqlx::query("UPDATE readiness SET checked_at = $1 WHERE id = 1").bind(crate::now()),
        )
        .await?;
        Ok(())
    }
}

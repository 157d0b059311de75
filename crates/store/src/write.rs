//! Write transactions, and the queue SQLite's writers wait in.
//!
//! SQLite has one write lock per database. A connection that finds it taken
//! waits in SQLite's busy handler, which sleeps and retries with growing
//! naps (up to 100 ms each): under a burst of page saves, a writer can sleep
//! long after the lock was freed, and the slowest saves pay for it. So on
//! SQLite the writers of this process queue in a fair async mutex first and
//! take the lock one after another, handing it over without sleeping. Other
//! processes (a CLI import beside the server) still meet the busy handler.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::{Any, AnyConnection, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::{Backend, Store};

/// Whose turn it is to write; shared by the clones of a [`Store`].
#[derive(Debug, Clone, Default)]
pub(crate) struct WriterQueue(Arc<Mutex<()>>);

/// A transaction that will write, holding the process's turn to write on
/// SQLite until it is committed or dropped (dropping rolls back).
pub(crate) struct WriteTx {
    tx: Transaction<'static, Any>,
    // Declared after `tx`, so dropped after it: the turn passes on only
    // once the rollback of a dropped transaction has been issued.
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub(crate) async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
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
    pub(crate) async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let turn = self.writers.0.clone().lock_owned().await;
                let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(WriteTx {
                    tx,
                    _turn: Some(turn),
                })
            }
            Backend::Postgres => Ok(WriteTx {
                tx: self.pool.begin().await?,
                _turn: None,
            }),
        }
    }
}

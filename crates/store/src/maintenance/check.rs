//! `trama db check`: is this database whole? Three questions, each asked of
//! the database itself rather than of what the code assumes:
//!
//! - **integrity**: SQLite's `integrity_check` (every page, index and
//!   constraint); on PostgreSQL, indexes left invalid by an interrupted
//!   build and constraints never validated;
//! - **migrations**: those applied against those this build knows: pending
//!   ones are applied at the next start, while unknown (a newer Trama wrote
//!   here), failed or changed ones need the operator;
//! - **orphans**: rows whose parent row is gone, for every foreign key the
//!   catalog declares (SQLite enforces them only on connections that ask,
//!   and a file copied or edited by hand may hold any).

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::AnyConnection;

use super::{connect, migrator};
use crate::campaigns::{int, opt_text, text};
use crate::{Backend, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub backend: &'static str,
    /// What the engine's own check found wrong; empty when nothing.
    pub integrity: Vec<String>,
    pub migrations: Migrations,
    /// Foreign keys some rows break, with how many rows.
    pub orphans: Vec<Orphans>,
    /// Rows per table, to compare with what the operator expects.
    pub tables: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Migrations {
    /// Migrations this build knows.
    pub known: usize,
    /// Migrations recorded as applied.
    pub applied: usize,
    /// Known but not applied: the next start applies them.
    pub pending: Vec<i64>,
    /// Applied but unknown to this build: a newer Trama wrote here.
    pub unknown: Vec<i64>,
    /// Recorded as started and never finished.
    pub failed: Vec<i64>,
    /// Applied with a text other than this build's.
    pub changed: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Orphans {
    pub table: String,
    pub columns: Vec<String>,
    pub parent: String,
    pub rows: i64,
}

impl CheckReport {
    /// Nothing the operator must repair (pending migrations are not: the
    /// server applies them when it starts).
    pub fn healthy(&self) -> bool {
        self.integrity.is_empty()
            && self.orphans.is_empty()
            && self.migrations.unknown.is_empty()
            && self.migrations.failed.is_empty()
            && self.migrations.changed.is_empty()
    }

    /// No table at all: a place a backup can be restored into.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }
}

/// Examines the database at `url` without changing it.
pub async fn check(url: &str) -> Result<CheckReport, StoreError> {
    let (mut conn, backend) = connect(url).await?;
    let report = examine(&mut conn, backend).await;
    let _ = sqlx::Connection::close(conn).await;
    report
}

pub(crate) async fn examine(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<CheckReport, StoreError> {
    let mut integrity = match integrity(conn, backend).await {
        Ok(found) => found,
        Err(e) => vec![e.to_string()],
    };
    let names = tables(conn, backend).await?;
    // A damaged file may fail a query outright: that is a finding too, and
    // the rest of the examination goes on.
    let mut tables = BTreeMap::new();
    for t in &names {
        let counted = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM {}",
            quoted(t)
        )))
        .fetch_one(&mut *conn)
        .await;
        match counted {
            Ok(row) => {
                tables.insert(t.clone(), int(&row, "n")?);
            }
            Err(e) => integrity.push(format!("{t}: {e}")),
        }
    }
    let migrations = if names.iter().any(|t| t == "_sqlx_migrations") {
        migrations(conn, backend).await?
    } else {
        Migrations {
            known: migrator(backend).iter().count(),
            pending: migrator(backend).iter().map(|m| m.version).collect(),
            ..Migrations::default()
        }
    };
    let mut orphans = vec![];
    for fk in foreign_keys(conn, backend, &names).await? {
        match orphan_rows(conn, &fk).await {
            Ok(0) => {}
            Ok(rows) => orphans.push(Orphans {
                table: fk.table,
                columns: fk.columns.into_iter().map(|(c, _)| c).collect(),
                parent: fk.parent,
                rows,
            }),
            Err(e) => integrity.push(format!("{} → {}: {e}", fk.table, fk.parent)),
        }
    }
    Ok(CheckReport {
        backend: match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        },
        integrity,
        migrations,
        orphans,
        tables,
    })
}

/// A name from the catalog, quoted as an identifier.
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub(crate) async fn tables(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<Vec<String>, StoreError> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        }
    };
    let rows = sqlx::query(sql).fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .map(|r| text(r, "name"))
        .collect::<Result<_, _>>()?)
}

async fn integrity(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<String>, StoreError> {
    match backend {
        Backend::Sqlite => {
            let rows = sqlx::query("PRAGMA integrity_check")
                .fetch_all(&mut *conn)
                .await?;
            let found: Vec<String> = rows
                .iter()
                .map(|r| text(r, "integrity_check"))
                .collect::<Result<_, _>>()?;
            Ok(found.into_iter().filter(|s| s != "ok").collect())
        }
        Backend::Postgres => {
            let rows = sqlx::query(
                "SELECT 'index ' || c.relname::text || ' is invalid (an interrupted build)' AS problem \
                 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE NOT i.indisvalid AND n.nspname = current_schema() \
                 UNION ALL \
                 SELECT 'constraint ' || k.conname::text || ' was never validated' AS problem \
                 FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace \
                 WHERE NOT k.convalidated AND n.nspname = current_schema() ORDER BY 1",
            )
            .fetch_all(&mut *conn)
            .await?;
            Ok(rows
                .iter()
                .map(|r| text(r, "problem"))
                .collect::<Result<_, _>>()?)
        }
    }
}

async fn migrations(conn: &mut AnyConnection, backend: Backend) -> Result<Migrations, StoreError> {
    let hex = match backend {
        Backend::Sqlite => "lower(hex(checksum))",
        Backend::Postgres => "encode(checksum, 'hex')",
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT version, CAST(CASE WHEN success THEN 1 ELSE 0 END AS BIGINT) AS ok, \
         {hex} AS checksum FROM _sqlx_migrations ORDER BY version"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let known: BTreeMap<i64, String> = migrator(backend)
        .iter()
        .map(|m| (m.version, hex::encode(&m.checksum)))
        .collect();
    let mut m = Migrations {
        known: known.len(),
        applied: rows.len(),
        ..Migrations::default()
    };
    let mut applied = std::collections::BTreeSet::new();
    for r in &rows {
        let version = int(r, "version")?;
        applied.insert(version);
        if int(r, "ok")? == 0 {
            m.failed.push(version);
        }
        match known.get(&version) {
            None => m.unknown.push(version),
            Some(sum) if opt_text(r, "checksum")?.as_deref() != Some(sum.as_str()) => {
                m.changed.push(version)
            }
            Some(_) => {}
        }
    }
    m.pending = known
        .keys()
        .filter(|v| !applied.contains(v))
        .copied()
        .collect();
    Ok(m)
}

/// A declared foreign key: child columns with the parent columns they name.
pub(crate) struct ForeignKey {
    pub(crate) table: String,
    pub(crate) columns: Vec<(String, String)>,
    pub(crate) parent: String,
}

pub(crate) async fn foreign_keys(
    conn: &mut AnyConnection,
    backend: Backend,
    tables: &[String],
) -> Result<Vec<ForeignKey>, StoreError> {
    // One row per column of a key: (table, key, parent, column, parent column).
    let mut columns: Vec<[String; 5]> = vec![];
    match backend {
        Backend::Sqlite => {
            for t in tables {
                let rows = sqlx::query(
                    "SELECT CAST(id AS TEXT) AS id, \"table\" AS parent, \"from\" AS col, \"to\" AS pcol \
                     FROM pragma_foreign_key_list($1) ORDER BY id, seq",
                )
                .bind(t.clone())
                .fetch_all(&mut *conn)
                .await?;
                for r in &rows {
                    let parent = text(r, "parent")?;
                    let pcol = match opt_text(r, "pcol")? {
                        Some(c) => c,
                        None => primary_key(conn, &parent).await?,
                    };
                    columns.push([t.clone(), text(r, "id")?, parent, text(r, "col")?, pcol]);
                }
            }
        }
        Backend::Postgres => {
            let rows = sqlx::query(
                "SELECT c.conname::text AS id, cl.relname::text AS child, a.attname::text AS col, \
                 pl.relname::text AS parent, pa.attname::text AS pcol \
                 FROM pg_constraint c \
                 JOIN pg_class cl ON cl.oid = c.conrelid \
                 JOIN pg_namespace n ON n.oid = cl.relnamespace \
                 JOIN pg_class pl ON pl.oid = c.confrelid \
                 CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(ck, pk, ord) \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.ck \
                 JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk \
                 WHERE c.contype = 'f' AND n.nspname = current_schema() ORDER BY 1, k.ord",
            )
            .fetch_all(&mut *conn)
            .await?;
            for r in &rows {
                columns.push([
                    text(r, "child")?,
                    text(r, "id")?,
                    text(r, "parent")?,
                    text(r, "col")?,
                    text(r, "pcol")?,
                ]);
            }
        }
    }
    let mut keys: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for [table, id, parent, col, pcol] in columns {
        keys.entry((table.clone(), id))
            .or_insert_with(|| ForeignKey {
                table,
                columns: vec![],
                parent,
            })
            .columns
            .push((col, pcol));
    }
    Ok(keys.into_values().collect())
}

/// The single-column primary key a foreign key without `(column)` names.
async fn primary_key(conn: &mut AnyConnection, table: &str) -> Result<String, StoreError> {
    let row = sqlx::query("SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk")
        .bind(table.to_owned())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(r) => text(&r, "name")?,
        None => "rowid".to_owned(),
    })
}

/// Rows of the child whose key (all columns set: MATCH SIMPLE) names no
/// parent row.
async fn orphan_rows(conn: &mut AnyConnection, fk: &ForeignKey) -> Result<i64, StoreError> {
    let set: Vec<String> = fk
        .columns
        .iter()
        .map(|(c, _)| format!("c.{} IS NOT NULL", quoted(c)))
        .collect();
    let matches: Vec<String> = fk
        .columns
        .iter()
        .map(|(c, p)| format!("p.{} = c.{}", quoted(p), quoted(c)))
        .collect();
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) AS n FROM {} c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} p WHERE {})",
        quoted(&fk.table),
        set.join(" AND "),
        quoted(&fk.parent),
        matches.join(" AND ")
    )))
    .fetch_one(&mut *conn)
    .await?;
    Ok(int(&row, "n")?)
}

/// `tables` with every parent before its children, so rows can be copied
/// table by table under the foreign keys (a key to its own table does not
/// order; a cycle, which Trama's schema has none of, ends in name order).
pub(crate) async fn parents_first(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<Vec<String>, StoreError> {
    let names = tables(conn, backend).await?;
    let keys = foreign_keys(conn, backend, &names).await?;
    let mut order: Vec<String> = vec![];
    let mut left: Vec<String> = names;
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|t| {
                keys.iter().all(|k| {
                    &k.table != *t
                        || k.parent == **t
                        || order.contains(&k.parent)
                        || !left.contains(&k.parent)
                })
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            order.append(&mut left);
            break;
        }
        left.retain(|t| !ready.contains(t));
        order.extend(ready);
    }
    Ok(order)
}

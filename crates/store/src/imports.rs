//! Registry imports, second half: check parsed rows against the database and
//! write them in one transaction. Any problem and nothing is written; a dry
//! run does all the work and rolls back.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::Row;
use trama_domain::Problem;

use trama_import::directorio::DirectorioRow;
use trama_import::memberships::MembershipRow;
use trama_import::people::{PersonRow, Place};

use crate::registry::networks::insert_membership;
use crate::registry::people::insert_affiliation;
use crate::registry::schools::{Written, all_schools, write_school_known};
use crate::registry::territory::{upsert_comuna, upsert_deprov};
use crate::registry::{i32_col, opt_i32};
use crate::{RowProblem, Store, StoreError, now};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Networks created by a memberships import.
    pub networks_created: u64,
    pub dry_run: bool,
}

impl ImportSummary {
    fn count(&mut self, w: Written) {
        match w {
            Written::Inserted => self.inserted += 1,
            Written::Updated => self.updated += 1,
            Written::Unchanged => self.unchanged += 1,
        }
    }
}

async fn finish(
    tx: crate::WriteTx,
    mut summary: ImportSummary,
    dry_run: bool,
) -> Result<ImportSummary, StoreError> {
    summary.dry_run = dry_run;
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(summary)
}

impl Store {
    /// Upserts schools by RBD, creating the DEPROVs and comunas they name.
    pub async fn import_directorio(
        &self,
        rows: &[DirectorioRow],
        dry_run: bool,
        by: Option<i64>,
    ) -> Result<ImportSummary, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut deprovs_done = HashSet::new();
        let mut comunas_done = HashSet::new();
        for r in rows {
            let region = i32::from(r.region.0);
            if let Some((code, name)) = &r.deprov
                && deprovs_done.insert(*code)
            {
                upsert_deprov(&mut tx, *code, name, region).await?;
            }
            if comunas_done.insert(r.school.comuna.0) {
                upsert_comuna(
                    &mut tx,
                    r.school.comuna.0,
                    &r.comuna_name,
                    region,
                    r.deprov.as_ref().map(|d| d.0),
                )
                .await?;
            }
        }
        let existing = all_schools(&mut tx).await?;
        let mut summary = ImportSummary::default();
        for r in rows {
            let w = write_school_known(
                &mut tx,
                &r.school,
                existing.get(&r.school.rbd.0),
                i64::from(r.region.0),
            )
            .await?;
            summary.count(w);
        }
        if !dry_run {
            audit_in(&mut tx, by, "import.schools", &summary).await?;
        }
        finish(tx, summary, dry_run).await
    }

    /// Adds school memberships to networks, creating networks named for the
    /// first time (their region and DEPROV come from the school).
    pub async fn import_memberships(
        &self,
        rows: &[MembershipRow],
        dry_run: bool,
        by: Option<i64>,
    ) -> Result<ImportSummary, StoreError> {
        let mut tx = self.begin_write().await?;
        let schools = school_places(&mut tx).await?;
        let problems: Vec<RowProblem> = rows
            .iter()
            .filter(|r| !schools.contains_key(&r.rbd.0))
            .map(|r| RowProblem {
                line: r.line,
                column: "rbd",
                value: r.rbd.0.to_string(),
                problem: Problem::UnknownSchool,
            })
            .collect();
        if !problems.is_empty() {
            return Err(StoreError::References(problems));
        }
        let mut networks = network_ids(&mut tx).await?;
        let mut summary = ImportSummary::default();
        for r in rows {
            let network_id = match networks.get(r.network.as_str()) {
                Some(id) => *id,
                None => {
                    let (region, deprov) = schools.get(&r.rbd.0).copied().unwrap_or_default();
                    let name = r
                        .network_name
                        .clone()
                        .unwrap_or_else(|| r.network.to_string());
                    let row = sqlx::query(
                        "INSERT INTO networks (code, name, search_key, year_formed, region_code, deprov_code, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(r.network.as_str())
                    .bind(name.clone())
                    .bind(trama_domain::search_key(&format!("{} {name}", r.network)))
                    .bind(r.span.from)
                    .bind(region)
                    .bind(deprov)
                    .bind(now())
                    .fetch_one(&mut *tx)
                    .await?;
                    let id: i64 = row.try_get(0)?;
                    networks.insert(r.network.to_string(), id);
                    summary.networks_created += 1;
                    id
                }
            };
            let existing = sqlx::query(
                "SELECT id, to_year FROM network_schools WHERE network_id = $1 AND rbd = $2 AND from_year = $3",
            )
            .bind(network_id)
            .bind(r.rbd.0)
            .bind(r.span.from)
            .fetch_optional(&mut *tx)
            .await?;
            match existing {
                Some(row) if opt_i32(&row, "to_year")? == r.span.to => summary.unchanged += 1,
                Some(row) => {
                    sqlx::query("UPDATE network_schools SET to_year = $2 WHERE id = $1")
                        .bind(row.try_get::<i64, _>("id")?)
                        .bind(r.span.to)
                        .execute(&mut *tx)
                        .await?;
                    summary.updated += 1;
                }
                None => {
                    insert_membership(&mut tx, network_id, r.rbd, r.span).await?;
                    summary.inserted += 1;
                }
            }
        }
        if !dry_run {
            audit_in(&mut tx, by, "import.networks", &summary).await?;
        }
        finish(tx, summary, dry_run).await
    }

    /// Upserts people by email and records their roles.
    pub async fn import_people(
        &self,
        rows: &[PersonRow],
        dry_run: bool,
        by: Option<i64>,
    ) -> Result<ImportSummary, StoreError> {
        let mut tx = self.begin_write().await?;
        let schools = school_places(&mut tx).await?;
        let networks = network_ids(&mut tx).await?;
        let mut problems = vec![];
        for r in rows {
            match &r.place {
                Place::School(rbd) if !schools.contains_key(&rbd.0) => problems.push(RowProblem {
                    line: r.line,
                    column: "rbd",
                    value: rbd.0.to_string(),
                    problem: Problem::UnknownSchool,
                }),
                Place::Network(code) if !networks.contains_key(code.as_str()) => {
                    problems.push(RowProblem {
                        line: r.line,
                        column: "network",
                        value: code.to_string(),
                        problem: Problem::UnknownNetwork,
                    })
                }
                _ => {}
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::References(problems));
        }
        let mut summary = ImportSummary::default();
        for r in rows {
            let person = sqlx::query("SELECT id, name, national_id FROM people WHERE email = $1")
                .bind(r.email.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            let (person_id, person_changed) = match person {
                Some(p) => {
                    let id: i64 = p.try_get("id")?;
                    let name: String = p.try_get("name")?;
                    let nid: Option<String> = p.try_get("national_id")?;
                    let new_nid = r.national_id.clone().or(nid.clone());
                    let changed = name != r.name || nid != new_nid;
                    if changed {
                        sqlx::query("UPDATE people SET name = $2, search_key = $3, national_id = $4, updated_at = $5 WHERE id = $1")
                            .bind(id)
                            .bind(r.name.clone())
                            .bind(trama_domain::search_key(&r.name))
                            .bind(new_nid)
                            .bind(now())
                            .execute(&mut *tx)
                            .await?;
                    }
                    (id, changed)
                }
                None => {
                    let row = sqlx::query(
                        "INSERT INTO people (name, search_key, email, national_id, updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(r.name.clone())
                    .bind(trama_domain::search_key(&r.name))
                    .bind(r.email.as_str())
                    .bind(r.national_id.clone())
                    .bind(now())
                    .fetch_one(&mut *tx)
                    .await?;
                    summary.inserted += 1;
                    (row.try_get::<i64, _>(0)?, false)
                }
            };
            let (rbd, network_id) = match &r.place {
                Place::School(rbd) => (Some(rbd.0), None),
                Place::Network(code) => (None, networks.get(code.as_str()).copied()),
            };
            let aff_changed = upsert_affiliation(&mut tx, person_id, r, rbd, network_id).await?;
            if person_changed || aff_changed == Some(true) {
                summary.updated += 1;
            } else if aff_changed == Some(false) {
                summary.unchanged += 1;
            }
        }
        if !dry_run {
            audit_in(&mut tx, by, "import.people", &summary).await?;
        }
        finish(tx, summary, dry_run).await
    }
}

/// `None` when a new affiliation was inserted, `Some(changed)` when one existed.
async fn upsert_affiliation(
    conn: &mut sqlx::AnyConnection,
    person_id: i64,
    r: &PersonRow,
    rbd: Option<i32>,
    network_id: Option<i64>,
) -> Result<Option<bool>, StoreError> {
    let existing = sqlx::query(
        "SELECT id, to_year FROM affiliations WHERE person_id = $1 AND role = $2 AND from_year = $3 \
         AND COALESCE(rbd, -1) = $4 AND COALESCE(network_id, -1) = $5",
    )
    .bind(person_id)
    .bind(r.role.as_str())
    .bind(r.span.from)
    .bind(rbd.map(i64::from).unwrap_or(-1))
    .bind(network_id.unwrap_or(-1))
    .fetch_optional(&mut *conn)
    .await?;
    match existing {
        Some(row) if opt_i32(&row, "to_year")? == r.span.to => Ok(Some(false)),
        Some(row) => {
            sqlx::query("UPDATE affiliations SET to_year = $2 WHERE id = $1")
                .bind(row.try_get::<i64, _>("id")?)
                .bind(r.span.to)
                .execute(&mut *conn)
                .await?;
            Ok(Some(true))
        }
        None => {
            insert_affiliation(conn, person_id, r.role, rbd, network_id, r.span).await?;
            Ok(None)
        }
    }
}

/// RBD → (region, DEPROV) of every school.
async fn school_places(
    conn: &mut sqlx::AnyConnection,
) -> Result<HashMap<i32, (i32, Option<i32>)>, StoreError> {
    let rows = sqlx::query(
        "SELECT s.rbd, s.region_code, c.deprov_code FROM schools s JOIN comunas c ON c.code = s.comuna_code",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut map = HashMap::with_capacity(rows.len());
    for r in rows {
        map.insert(
            i32_col(&r, "rbd")?,
            (i32_col(&r, "region_code")?, opt_i32(&r, "deprov_code")?),
        );
    }
    Ok(map)
}

async fn network_ids(conn: &mut sqlx::AnyConnection) -> Result<HashMap<String, i64>, StoreError> {
    let rows = sqlx::query("SELECT code, id FROM networks")
        .fetch_all(&mut *conn)
        .await?;
    let mut map = HashMap::with_capacity(rows.len());
    for r in rows {
        map.insert(r.try_get::<String, _>("code")?, r.try_get::<i64, _>("id")?);
    }
    Ok(map)
}

/// The import's audit line, written in the import's own transaction.
async fn audit_in(
    tx: &mut crate::WriteTx,
    by: Option<i64>,
    action: &str,
    summary: &ImportSummary,
) -> Result<(), StoreError> {
    let detail = serde_json::to_string(summary).unwrap_or_default();
    tx.audit(by, action, &detail).await
}

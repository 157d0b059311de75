//! Regions (fixed), DEPROVs and comunas (data).

use crate::db::Fetch;
use serde::Serialize;
use sqlx::Row;
use trama_domain::policy::{Scope, Target};
use trama_domain::territory::{REGIONS, RegionCode};

use super::{i32_col, push_scope};
use crate::sql::Sql;
use crate::{Store, StoreError};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RegionSummary {
    pub code: i32,
    pub numeral: String,
    pub name: String,
    pub networks: i64,
    pub schools: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Deprov {
    pub code: i32,
    pub name: String,
    pub region_code: i32,
    pub networks: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Comuna {
    pub code: i32,
    pub name: String,
    pub region_code: i32,
    pub deprov_code: Option<i32>,
}

/// The official regions are rows too, so that foreign keys hold; they are
/// written at every start and never edited.
pub(crate) async fn ensure_regions(store: &Store) -> Result<(), StoreError> {
    let mut tx = store.begin_write().await?;
    for r in REGIONS {
        sqlx::query(
            "INSERT INTO regions (code, numeral, name, sort_order) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (code) DO UPDATE SET numeral = $2, name = $3, sort_order = $4",
        )
        .bind(i32::from(r.code.0))
        .bind(r.numeral)
        .bind(r.name)
        .bind(i32::from(r.order))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

impl Store {
    /// Where a region sits for the policy: the region itself and every
    /// network in it (a supervisor reaches a region through their networks).
    pub async fn region_target(&self, region: RegionCode) -> Result<Target, StoreError> {
        let rows = sqlx::query("SELECT id FROM networks WHERE region_code = $1")
            .bind(i64::from(region.0))
            .read_all(self.db())
            .await?;
        let networks = rows
            .iter()
            .map(|r| r.try_get::<i64, _>(0))
            .collect::<Result<_, _>>()?;
        Ok(Target::in_region(Some(region), networks))
    }

    /// Regions in north-to-south order with their network and school counts,
    /// limited to what `scope` may see.
    pub async fn list_regions(&self, scope: &Scope) -> Result<Vec<RegionSummary>, StoreError> {
        let mut sql = Sql::new(
            "SELECT r.code, r.numeral, r.name, \
             (SELECT COUNT(*) FROM networks n WHERE n.region_code = r.code) AS networks, \
             (SELECT COUNT(*) FROM schools s WHERE s.region_code = r.code) AS schools \
             FROM regions r WHERE 1 = 1",
        );
        push_scope(&mut sql, scope, "r.code", |sql, ids| {
            sql.push("r.code IN (SELECT region_code FROM networks WHERE id IN ")
                .bind_list(ids)
                .push(")");
        });
        sql.push(" ORDER BY r.sort_order");
        let rows = sql.query().read_all(self.db()).await?;
        rows.iter()
            .map(|row| {
                Ok(RegionSummary {
                    code: i32_col(row, "code")?,
                    numeral: row.try_get("numeral")?,
                    name: row.try_get("name")?,
                    networks: row.try_get("networks")?,
                    schools: row.try_get("schools")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    pub async fn list_deprovs(&self, region: RegionCode) -> Result<Vec<Deprov>, StoreError> {
        let rows = sqlx::query(
            "SELECT d.code, d.name, d.region_code, \
             (SELECT COUNT(*) FROM networks n WHERE n.deprov_code = d.code) AS networks \
             FROM deprovs d WHERE d.region_code = $1 ORDER BY d.name",
        )
        .bind(i32::from(region.0))
        .read_all(self.db())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Deprov {
                    code: i32_col(row, "code")?,
                    name: row.try_get("name")?,
                    region_code: i32_col(row, "region_code")?,
                    networks: row.try_get("networks")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    pub async fn list_comunas(
        &self,
        region: Option<RegionCode>,
    ) -> Result<Vec<Comuna>, StoreError> {
        let mut sql =
            Sql::new("SELECT code, name, region_code, deprov_code FROM comunas WHERE 1 = 1");
        if let Some(r) = region {
            sql.push(" AND region_code = ").bind(r.0);
        }
        sql.push(" ORDER BY name");
        let rows = sql.query().read_all(self.db()).await?;
        rows.iter()
            .map(|row| {
                Ok(Comuna {
                    code: i32_col(row, "code")?,
                    name: row.try_get("name")?,
                    region_code: i32_col(row, "region_code")?,
                    deprov_code: super::opt_i32(row, "deprov_code")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    pub async fn get_comuna(&self, code: i32) -> Result<Option<Comuna>, StoreError> {
        let row =
            sqlx::query("SELECT code, name, region_code, deprov_code FROM comunas WHERE code = $1")
                .bind(code)
                .read_optional(self.db())
                .await?;
        row.map(|row| {
            Ok(Comuna {
                code: i32_col(&row, "code")?,
                name: row.try_get("name")?,
                region_code: i32_col(&row, "region_code")?,
                deprov_code: super::opt_i32(&row, "deprov_code")?,
            })
        })
        .transpose()
        .map_err(|e: sqlx::Error| e.into())
    }
}

/// Upserts a DEPROV inside a transaction; returns whether anything changed.
pub(crate) async fn upsert_deprov(
    conn: &mut sqlx::AnyConnection,
    code: i32,
    name: &str,
    region: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO deprovs (code, name, region_code) VALUES ($1, $2, $3) \
         ON CONFLICT (code) DO UPDATE SET name = $2, region_code = $3",
    )
    .bind(code)
    .bind(name)
    .bind(region)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn upsert_comuna(
    conn: &mut sqlx::AnyConnection,
    code: i32,
    name: &str,
    region: i32,
    deprov: Option<i32>,
) -> Result<(), sqlx::Error> {
    let q = sqlx::query(
        "INSERT INTO comunas (code, name, region_code, deprov_code) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (code) DO UPDATE SET name = $2, region_code = $3, \
         deprov_code = COALESCE($4, comunas.deprov_code)",
    )
    .bind(code)
    .bind(name)
    .bind(region);
    let q = match deprov {
        Some(d) => q.bind(d),
        None => q.bind(Option::<i32>::None),
    };
    q.execute(conn).await?;
    Ok(())
}

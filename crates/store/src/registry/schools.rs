//! Schools: list with filters, detail with networks and people, create/edit.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use trama_domain::policy::{Scope, Target};
use trama_domain::school::{Dependency, Rbd, School, SchoolStatus};
use trama_domain::territory::{ComunaCode, RegionCode};

use super::{Page, PageRequest, count, flag, i32_col, opt_i32, push_active, push_scope};
use crate::db::Fetch;
use crate::sql::{Sql, like_pattern};
use crate::{Store, StoreError, WriteTx, now};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SchoolSummary {
    pub rbd: i32,
    pub name: String,
    pub comuna_code: i32,
    pub comuna_name: String,
    pub region_code: i32,
    pub dependency: String,
    pub rural: bool,
    pub status: String,
    pub enrolment: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchoolFilter {
    /// Text in the name or the RBD.
    #[param(nullable = false)]
    pub q: Option<String>,
    #[param(nullable = false)]
    pub region: Option<i32>,
    #[param(nullable = false)]
    pub comuna: Option<i32>,
    #[param(nullable = false)]
    pub dependency: Option<String>,
    #[param(nullable = false)]
    pub rural: Option<bool>,
    #[param(nullable = false)]
    pub status: Option<String>,
    /// Only schools in this network (code) in the current year.
    #[param(nullable = false)]
    pub network: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SchoolNetwork {
    pub network_id: i64,
    pub code: String,
    pub name: String,
    pub from_year: i32,
    pub to_year: Option<i32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SchoolPerson {
    pub person_id: i64,
    pub name: String,
    pub role: String,
    pub from_year: i32,
    pub to_year: Option<i32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SchoolDetail {
    #[serde(flatten)]
    pub summary: SchoolSummary,
    pub check_digit: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub deprov_code: Option<i32>,
    pub deprov_name: Option<String>,
    pub networks: Vec<SchoolNetwork>,
    pub people: Vec<SchoolPerson>,
}

const SUMMARY_COLUMNS: &str = "s.rbd, s.name, s.comuna_code, c.name AS comuna_name, s.region_code, \
     s.dependency, s.rural, s.status, s.enrolment";

fn summary(row: &AnyRow) -> Result<SchoolSummary, sqlx::Error> {
    Ok(SchoolSummary {
        rbd: i32_col(row, "rbd")?,
        name: row.try_get("name")?,
        comuna_code: i32_col(row, "comuna_code")?,
        comuna_name: row.try_get("comuna_name")?,
        region_code: i32_col(row, "region_code")?,
        dependency: row.try_get("dependency")?,
        rural: flag(row, "rural")?,
        status: row.try_get("status")?,
        enrolment: opt_i32(row, "enrolment")?,
    })
}

fn push_school_scope(sql: &mut Sql, scope: &Scope) {
    push_scope(sql, scope, "s.region_code", |sql, ids| {
        sql.push("s.rbd IN (SELECT rbd FROM network_schools WHERE network_id IN ")
            .bind_list(ids)
            .push(")");
    });
}

impl Store {
    pub async fn list_schools(
        &self,
        filter: &SchoolFilter,
        scope: &Scope,
        page: PageRequest,
    ) -> Result<Page<SchoolSummary>, StoreError> {
        let mut wh =
            Sql::new(" FROM schools s JOIN comunas c ON c.code = s.comuna_code WHERE 1 = 1");
        push_school_scope(&mut wh, scope);
        if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            match q.parse::<i64>() {
                Ok(n) => {
                    wh.push(" AND s.rbd = ").bind(n);
                }
                Err(_) => {
                    wh.push(" AND s.search_key LIKE ")
                        .bind(like_pattern(q))
                        .push(" ESCAPE '\\'");
                }
            }
        }
        if let Some(r) = filter.region {
            wh.push(" AND s.region_code = ").bind(r);
        }
        if let Some(c) = filter.comuna {
            wh.push(" AND s.comuna_code = ").bind(c);
        }
        if let Some(d) = filter.dependency.as_deref().filter(|d| !d.is_empty()) {
            wh.push(" AND s.dependency = ").bind(d);
        }
        if let Some(r) = filter.rural {
            wh.push(" AND s.rural = ").bind(i64::from(r));
        }
        if let Some(st) = filter.status.as_deref().filter(|d| !d.is_empty()) {
            wh.push(" AND s.status = ").bind(st);
        }
        if let Some(code) = filter.network.as_deref().filter(|d| !d.is_empty()) {
            wh.push(" AND s.rbd IN (SELECT ns.rbd FROM network_schools ns JOIN networks n ON n.id = ns.network_id WHERE n.code = ")
                .bind(code.to_ascii_uppercase());
            push_active(&mut wh, "ns", crate::current_year());
            wh.push(")");
        }
        let mut counting = Sql::new("SELECT COUNT(*)");
        counting.push_all(&wh);
        let total = count(self, &counting).await?;
        let mut listing = Sql::new(&format!("SELECT {SUMMARY_COLUMNS}"));
        listing.push_all(&wh);
        listing.push(" ORDER BY s.search_key, s.rbd");
        page.push_limit(&mut listing);
        let rows = listing.query().read_all(self.db()).await?;
        let items = rows.iter().map(summary).collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            page: page.page(),
            per_page: page.per_page(),
            total,
        })
    }

    pub async fn get_school(&self, rbd: Rbd) -> Result<Option<SchoolDetail>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS}, s.check_digit, s.latitude, s.longitude, \
             d.code AS deprov_code, d.name AS deprov_name \
             FROM schools s JOIN comunas c ON c.code = s.comuna_code \
             LEFT JOIN deprovs d ON d.code = c.deprov_code WHERE s.rbd = $1"
        )))
        .bind(rbd.0)
        .read_optional(self.db())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let networks = sqlx::query(
            "SELECT n.id, n.code, n.name, ns.from_year, ns.to_year FROM network_schools ns \
             JOIN networks n ON n.id = ns.network_id WHERE ns.rbd = $1 ORDER BY ns.from_year DESC, n.code",
        )
        .bind(rbd.0)
        .read_all(self.db())
        .await?
        .iter()
        .map(|r| {
            Ok(SchoolNetwork {
                network_id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                from_year: i32_col(r, "from_year")?,
                to_year: opt_i32(r, "to_year")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        let people = sqlx::query(
            "SELECT p.id, p.name, a.role, a.from_year, a.to_year FROM affiliations a \
             JOIN people p ON p.id = a.person_id WHERE a.rbd = $1 ORDER BY a.from_year DESC, a.role, p.name",
        )
        .bind(rbd.0)
        .read_all(self.db())
        .await?
        .iter()
        .map(|r| {
            Ok(SchoolPerson {
                person_id: r.try_get("id")?,
                name: r.try_get("name")?,
                role: r.try_get("role")?,
                from_year: i32_col(r, "from_year")?,
                to_year: opt_i32(r, "to_year")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        Ok(Some(SchoolDetail {
            summary: summary(&row)?,
            check_digit: row.try_get("check_digit")?,
            latitude: row.try_get("latitude")?,
            longitude: row.try_get("longitude")?,
            deprov_code: opt_i32(&row, "deprov_code")?,
            deprov_name: row.try_get("deprov_name")?,
            networks,
            people,
        }))
    }

    /// Where a school sits, for the policy: its region and every network it
    /// ever belonged to.
    pub async fn school_target(&self, rbd: Rbd) -> Result<Option<Target>, StoreError> {
        let row = sqlx::query("SELECT region_code FROM schools WHERE rbd = $1")
            .bind(rbd.0)
            .read_optional(self.db())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let region = RegionCode(row.try_get::<i64, _>(0)? as i16);
        let networks =
            sqlx::query("SELECT DISTINCT network_id FROM network_schools WHERE rbd = $1")
                .bind(rbd.0)
                .read_all(self.db())
                .await?
                .iter()
                .map(|r| r.try_get::<i64, _>(0))
                .collect::<Result<_, _>>()?;
        Ok(Some(Target::in_region(Some(region), networks)))
    }
}

/// Registry changes to schools, inside a use case's transaction.
impl WriteTx {
    /// Inserts or updates a school; the region follows from its comuna, which
    /// must exist.
    pub async fn save_school(&mut self, school: &School) -> Result<(), StoreError> {
        write_school(self, school).await?;
        Ok(())
    }
}

/// Every stored school by RBD, for imports that compare before writing.
pub(crate) async fn all_schools(
    conn: &mut sqlx::AnyConnection,
) -> Result<std::collections::HashMap<i32, School>, StoreError> {
    let rows = sqlx::query(
        "SELECT rbd, check_digit, name, comuna_code, dependency, rural, latitude, longitude, enrolment, status \
         FROM schools",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut map = std::collections::HashMap::with_capacity(rows.len());
    for r in &rows {
        let s = stored_school(r)?;
        map.insert(s.rbd.0, s);
    }
    Ok(map)
}

fn stored_school(r: &AnyRow) -> Result<School, sqlx::Error> {
    let dependency: String = r.try_get("dependency")?;
    let status: String = r.try_get("status")?;
    Ok(School {
        rbd: Rbd(i32_col(r, "rbd")?),
        check_digit: r.try_get("check_digit")?,
        name: r.try_get("name")?,
        comuna: ComunaCode(i32_col(r, "comuna_code")?),
        dependency: Dependency::parse(&dependency).unwrap_or(Dependency::Municipal),
        rural: flag(r, "rural")?,
        latitude: r.try_get("latitude")?,
        longitude: r.try_get("longitude")?,
        enrolment: opt_i32(r, "enrolment")?,
        status: SchoolStatus::parse(&status).unwrap_or(SchoolStatus::Open),
        sostenedor_id: None,
    })
}

/// The outcome of writing one school.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    Inserted,
    Updated,
    Unchanged,
}

pub(crate) async fn write_school(
    conn: &mut sqlx::AnyConnection,
    s: &School,
) -> Result<Written, StoreError> {
    let existing = sqlx::query(
        "SELECT rbd, check_digit, name, comuna_code, dependency, rural, latitude, longitude, enrolment, status \
         FROM schools WHERE rbd = $1",
    )
    .bind(s.rbd.0)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| stored_school(&r))
    .transpose()?;
    let region = comuna_region(conn, s.comuna).await?;
    write_school_known(conn, s, existing.as_ref(), region).await
}

pub(crate) async fn comuna_region(
    conn: &mut sqlx::AnyConnection,
    comuna: ComunaCode,
) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT region_code FROM comunas WHERE code = $1")
        .bind(comuna.0)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(r) => Ok(r.try_get(0)?),
        None => Err(StoreError::Invalid(vec![
            trama_domain::problem::FieldProblem::new("comuna", trama_domain::Problem::InvalidCode),
        ])),
    }
}

/// Writes `s` given what is stored (`existing`), skipping identical rows.
pub(crate) async fn write_school_known(
    conn: &mut sqlx::AnyConnection,
    s: &School,
    existing: Option<&School>,
    region: i64,
) -> Result<Written, StoreError> {
    if existing == Some(s) {
        return Ok(Written::Unchanged);
    }
    let sql = if existing.is_some() {
        "UPDATE schools SET check_digit = $2, name = $3, search_key = $4, comuna_code = $5, \
         region_code = $6, dependency = $7, rural = $8, latitude = $9, longitude = $10, \
         enrolment = $11, status = $12, updated_at = $13 WHERE rbd = $1"
    } else {
        "INSERT INTO schools (rbd, check_digit, name, search_key, comuna_code, region_code, dependency, \
         rural, latitude, longitude, enrolment, status, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    };
    sqlx::query(sql)
        .bind(s.rbd.0)
        .bind(s.check_digit.clone())
        .bind(s.name.clone())
        .bind(trama_domain::search_key(&s.name))
        .bind(s.comuna.0)
        .bind(region)
        .bind(s.dependency.as_str())
        .bind(i64::from(s.rural))
        .bind(s.latitude)
        .bind(s.longitude)
        .bind(s.enrolment)
        .bind(s.status.as_str())
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(if existing.is_some() {
        Written::Updated
    } else {
        Written::Inserted
    })
}

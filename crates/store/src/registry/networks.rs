//! Networks (RME): list, detail for a given year, history, create/edit and
//! school memberships.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use trama_domain::Problem;
use trama_domain::network::{NetworkCode, Rurality};
use trama_domain::policy::{Scope, Target};
use trama_domain::problem::FieldProblem;
use trama_domain::school::Rbd;
use trama_domain::span::YearSpan;
use trama_domain::territory::RegionCode;

use super::{Page, PageRequest, count, flag, i32_col, opt_i32, push_active, push_scope};
use crate::db::Fetch;
use crate::error::unique_on;
use crate::sql::{Sql, like_pattern};
use crate::{Store, StoreError, WriteTx, current_year, now};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NetworkSummary {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub region_code: i32,
    pub deprov_code: Option<i32>,
    pub deprov_name: Option<String>,
    pub year_formed: Option<i32>,
    /// Schools in the network in the requested year.
    pub schools: i64,
    pub supervisor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetworkFilter {
    /// Text in the code or name.
    #[param(nullable = false)]
    pub q: Option<String>,
    #[param(nullable = false)]
    pub region: Option<i32>,
    #[param(nullable = false)]
    pub deprov: Option<i32>,
    /// Year the counts refer to (default: current year).
    #[param(nullable = false)]
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberSchool {
    pub rbd: i32,
    pub name: String,
    pub comuna_name: String,
    pub dependency: String,
    pub rural: bool,
    pub from_year: i32,
    pub to_year: Option<i32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberPerson {
    pub person_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub rbd: Option<i32>,
    pub school_name: Option<String>,
    pub from_year: i32,
    pub to_year: Option<i32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct YearComposition {
    pub year: i32,
    pub schools: i64,
    pub people: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NetworkDetail {
    #[serde(flatten)]
    pub summary: NetworkSummary,
    pub year: i32,
    /// urban, rural or mixed, from the member schools of `year`.
    pub rurality: Option<String>,
    pub comunas: Vec<String>,
    pub dependencies: Vec<String>,
    pub schools_in_year: Vec<MemberSchool>,
    pub people_in_year: Vec<MemberPerson>,
    /// Every school membership ever recorded.
    pub school_history: Vec<MemberSchool>,
    pub composition_by_year: Vec<YearComposition>,
}

/// Fields a coordinator sets on a network.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NetworkInput {
    pub code: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// 1 to 16 (RM is 13).
    #[schema(minimum = 1, maximum = 16)]
    pub region_code: i32,
    pub deprov_code: Option<i32>,
    pub year_formed: Option<i32>,
}

/// A checked [`NetworkInput`].
#[derive(Debug, Clone)]
pub struct ValidNetwork {
    pub code: NetworkCode,
    pub name: String,
    pub region: RegionCode,
    pub deprov_code: Option<i32>,
    pub year_formed: Option<i32>,
}

impl NetworkInput {
    pub fn validate(&self) -> Result<ValidNetwork, Vec<FieldProblem>> {
        let mut errors = vec![];
        let code = NetworkCode::parse(&self.code)
            .map_err(|p| errors.push(FieldProblem::new("code", p)))
            .ok();
        let name = trama_domain::problem::text(&self.name, 200)
            .map_err(|p| errors.push(FieldProblem::new("name", p)))
            .ok();
        let region = RegionCode::parse(&self.region_code.to_string())
            .map_err(|p| errors.push(FieldProblem::new("region_code", p)))
            .ok();
        if let Some(y) = self.year_formed
            && let Err(p) = trama_domain::span::check_year(y)
        {
            errors.push(FieldProblem::new("year_formed", p));
        }
        match (code, name, region) {
            (Some(code), Some(name), Some(region)) if errors.is_empty() => Ok(ValidNetwork {
                code,
                name,
                region,
                deprov_code: self.deprov_code,
                year_formed: self.year_formed,
            }),
            _ => Err(errors),
        }
    }
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds a network's columns as `$1…$7` in the order both statements use.
fn bind_network<'q>(q: AnyQuery<'q>, n: &ValidNetwork) -> AnyQuery<'q> {
    q.bind(n.code.as_str().to_owned())
        .bind(n.name.clone())
        .bind(trama_domain::search_key(&format!("{} {}", n.code, n.name)))
        .bind(n.year_formed)
        .bind(i32::from(n.region.0))
        .bind(n.deprov_code)
        .bind(now())
}

fn push_network_scope(sql: &mut Sql, scope: &Scope) {
    push_scope(sql, scope, "n.region_code", |sql, ids| {
        sql.push("n.id IN ").bind_list(ids);
    });
}

fn push_summary_select(sql: &mut Sql, year: i32) {
    sql.push(
        "SELECT n.id, n.code, n.name, n.region_code, n.deprov_code, d.name AS deprov_name, n.year_formed, \
         (SELECT COUNT(*) FROM network_schools ns WHERE ns.network_id = n.id",
    );
    push_active(sql, "ns", year);
    sql.push(
        ") AS schools, (SELECT p.name FROM affiliations a JOIN people p ON p.id = a.person_id \
         WHERE a.network_id = n.id AND a.role = 'supervisor'",
    );
    push_active(sql, "a", year);
    sql.push(" ORDER BY a.from_year DESC, p.name LIMIT 1) AS supervisor");
}

const FROM_NETWORKS: &str =
    " FROM networks n LEFT JOIN deprovs d ON d.code = n.deprov_code WHERE 1 = 1";

fn summary(row: &AnyRow) -> Result<NetworkSummary, sqlx::Error> {
    Ok(NetworkSummary {
        id: row.try_get("id")?,
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        region_code: i32_col(row, "region_code")?,
        deprov_code: opt_i32(row, "deprov_code")?,
        deprov_name: row.try_get("deprov_name")?,
        year_formed: opt_i32(row, "year_formed")?,
        schools: row.try_get("schools")?,
        supervisor: row.try_get("supervisor")?,
    })
}

fn member_school(r: &AnyRow) -> Result<MemberSchool, sqlx::Error> {
    Ok(MemberSchool {
        rbd: i32_col(r, "rbd")?,
        name: r.try_get("name")?,
        comuna_name: r.try_get("comuna_name")?,
        dependency: r.try_get("dependency")?,
        rural: flag(r, "rural")?,
        from_year: i32_col(r, "from_year")?,
        to_year: opt_i32(r, "to_year")?,
    })
}

impl Store {
    pub async fn list_networks(
        &self,
        filter: &NetworkFilter,
        scope: &Scope,
        page: PageRequest,
    ) -> Result<Page<NetworkSummary>, StoreError> {
        let year = filter.year.unwrap_or_else(current_year);
        let mut wh = Sql::new(FROM_NETWORKS);
        push_network_scope(&mut wh, scope);
        if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            wh.push(" AND (n.search_key LIKE ")
                .bind(like_pattern(q))
                .push(" ESCAPE '\\' OR n.code = ")
                .bind(q.to_ascii_uppercase())
                .push(")");
        }
        if let Some(r) = filter.region {
            wh.push(" AND n.region_code = ").bind(r);
        }
        if let Some(d) = filter.deprov {
            wh.push(" AND n.deprov_code = ").bind(d);
        }
        let mut counting = Sql::new("SELECT COUNT(*)");
        counting.push_all(&wh);
        let total = count(self, &counting).await?;
        let mut listing = Sql::default();
        push_summary_select(&mut listing, year);
        listing.push_all(&wh);
        // Natural order: RME2 before RME10.
        listing.push(" ORDER BY LENGTH(n.code), n.code");
        page.push_limit(&mut listing);
        let rows = listing.query().read_all(self.db()).await?;
        Ok(Page {
            items: rows.iter().map(summary).collect::<Result<_, _>>()?,
            page: page.page(),
            per_page: page.per_page(),
            total,
        })
    }

    /// A network as it was in `year` (default: this year), with its history.
    pub async fn get_network(
        &self,
        code: &NetworkCode,
        year: Option<i32>,
    ) -> Result<Option<NetworkDetail>, StoreError> {
        let year = year.unwrap_or_else(current_year);
        let mut sql = Sql::default();
        push_summary_select(&mut sql, year);
        sql.push(FROM_NETWORKS)
            .push(" AND n.code = ")
            .bind(code.as_str());
        let Some(row) = sql.query().read_optional(self.db()).await? else {
            return Ok(None);
        };
        let summary = summary(&row)?;
        let id = summary.id;

        let mut q = Sql::new(
            "SELECT s.rbd, s.name, c.name AS comuna_name, s.dependency, s.rural, ns.from_year, ns.to_year \
             FROM network_schools ns JOIN schools s ON s.rbd = ns.rbd JOIN comunas c ON c.code = s.comuna_code \
             WHERE ns.network_id = ",
        );
        q.bind(id);
        let history_sql = {
            let mut h = q.clone();
            h.push(" ORDER BY ns.from_year, s.name");
            h
        };
        push_active(&mut q, "ns", year);
        q.push(" ORDER BY s.name");
        let schools_in_year: Vec<MemberSchool> = q
            .query()
            .read_all(self.db())
            .await?
            .iter()
            .map(member_school)
            .collect::<Result<_, _>>()?;
        let school_history: Vec<MemberSchool> = history_sql
            .query()
            .read_all(self.db())
            .await?
            .iter()
            .map(member_school)
            .collect::<Result<_, _>>()?;

        // People of the network that year: supervisors of the network and
        // everyone affiliated with a member school.
        let mut p = Sql::new(
            "SELECT p.id, p.name, p.email, a.role, a.rbd, s.name AS school_name, a.from_year, a.to_year \
             FROM affiliations a JOIN people p ON p.id = a.person_id LEFT JOIN schools s ON s.rbd = a.rbd \
             WHERE (a.network_id = ",
        );
        p.bind(id)
            .push(" OR a.rbd IN (SELECT ns.rbd FROM network_schools ns WHERE ns.network_id = ")
            .bind(id);
        push_active(&mut p, "ns", year);
        p.push("))");
        push_active(&mut p, "a", year);
        p.push(" ORDER BY CASE a.role WHEN 'supervisor' THEN 0 WHEN 'director' THEN 1 WHEN 'jefe_utp' THEN 2 ELSE 3 END, s.name, p.name");
        let people_in_year: Vec<MemberPerson> = p
            .query()
            .read_all(self.db())
            .await?
            .iter()
            .map(|r| {
                Ok(MemberPerson {
                    person_id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    email: r.try_get("email")?,
                    role: r.try_get("role")?,
                    rbd: opt_i32(r, "rbd")?,
                    school_name: r.try_get("school_name")?,
                    from_year: i32_col(r, "from_year")?,
                    to_year: opt_i32(r, "to_year")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;

        let composition_by_year =
            composition(&school_history, &people_years(self, id).await?, year);
        let mut comunas: Vec<String> = schools_in_year
            .iter()
            .map(|s| s.comuna_name.clone())
            .collect();
        comunas.sort();
        comunas.dedup();
        let mut dependencies: Vec<String> = schools_in_year
            .iter()
            .map(|s| s.dependency.clone())
            .collect();
        dependencies.sort();
        dependencies.dedup();
        let rurality = Rurality::of(schools_in_year.iter().map(|s| s.rural)).map(|r| {
            match r {
                Rurality::Urban => "urban",
                Rurality::Rural => "rural",
                Rurality::Mixed => "mixed",
            }
            .to_owned()
        });
        Ok(Some(NetworkDetail {
            summary,
            year,
            rurality,
            comunas,
            dependencies,
            schools_in_year,
            people_in_year,
            school_history,
            composition_by_year,
        }))
    }

    /// Codes of the networks with these ids.
    pub async fn network_codes(&self, ids: &[i64]) -> Result<Vec<String>, StoreError> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut sql = Sql::new("SELECT code FROM networks WHERE id IN ");
        sql.bind_list(ids);
        let rows = sql.query().read_all(self.db()).await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?)
    }

    pub async fn network_id(&self, code: &NetworkCode) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT id FROM networks WHERE code = $1")
            .bind(code.as_str())
            .read_optional(self.db())
            .await?;
        Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
    }

    /// Where a network sits, for the policy.
    pub async fn network_target(&self, code: &NetworkCode) -> Result<Option<Target>, StoreError> {
        let row = sqlx::query("SELECT id, region_code FROM networks WHERE code = $1")
            .bind(code.as_str())
            .read_optional(self.db())
            .await?;
        Ok(match row {
            Some(r) => Some(Target::in_region(
                Some(RegionCode(r.try_get::<i64, _>(1)? as i16)),
                vec![r.try_get::<i64, _>(0)?],
            )),
            None => None,
        })
    }
}

/// Registry changes to networks, inside a use case's transaction.
impl WriteTx {
    pub async fn create_network(&mut self, n: &ValidNetwork) -> Result<i64, StoreError> {
        self.check_deprov(n).await?;
        let q = sqlx::query(
            "INSERT INTO networks (code, name, search_key, year_formed, region_code, deprov_code, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        );
        let row = bind_network(q, n)
            .fetch_one(&mut **self)
            .await
            .map_err(unique_on("code"))?;
        Ok(row.try_get::<i64, _>(0)?)
    }

    pub async fn update_network(&mut self, id: i64, n: &ValidNetwork) -> Result<(), StoreError> {
        self.check_deprov(n).await?;
        let q = sqlx::query(
            "UPDATE networks SET code = $1, name = $2, search_key = $3, year_formed = $4, \
             region_code = $5, deprov_code = $6, updated_at = $7 WHERE id = $8",
        );
        let done = bind_network(q, n)
            .bind(id)
            .execute(&mut **self)
            .await
            .map_err(unique_on("code"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn check_deprov(&mut self, n: &ValidNetwork) -> Result<(), StoreError> {
        if let Some(d) = n.deprov_code {
            let row = sqlx::query("SELECT region_code FROM deprovs WHERE code = $1")
                .bind(d)
                .fetch_optional(&mut **self)
                .await?;
            let ok = match row {
                Some(r) => r.try_get::<i64, _>(0)? == i64::from(n.region.0),
                None => false,
            };
            if !ok {
                return Err(StoreError::Invalid(vec![FieldProblem::new(
                    "deprov_code",
                    Problem::InvalidCode,
                )]));
            }
        }
        Ok(())
    }

    /// Adds a school to a network for a span of years. Refuses an overlapping
    /// membership of the same school in the same network.
    pub async fn add_school_to_network(
        &mut self,
        network_id: i64,
        rbd: Rbd,
        span: YearSpan,
    ) -> Result<(), StoreError> {
        let exists = sqlx::query("SELECT 1 FROM schools WHERE rbd = $1")
            .bind(rbd.0)
            .fetch_optional(&mut **self)
            .await?;
        if exists.is_none() {
            return Err(StoreError::Invalid(vec![FieldProblem::new(
                "rbd",
                Problem::UnknownSchool,
            )]));
        }
        if overlapping_membership(self, network_id, rbd, span).await? {
            return Err(StoreError::Invalid(vec![FieldProblem::new(
                "rbd",
                Problem::AlreadyExists,
            )]));
        }
        insert_membership(self, network_id, rbd, span).await?;
        Ok(())
    }
}

pub(crate) async fn overlapping_membership(
    conn: &mut sqlx::AnyConnection,
    network_id: i64,
    rbd: Rbd,
    span: YearSpan,
) -> Result<bool, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT from_year, to_year FROM network_schools WHERE network_id = $1 AND rbd = $2",
    )
    .bind(network_id)
    .bind(rbd.0)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let other = YearSpan {
            from: i32_col(&r, "from_year")?,
            to: opt_i32(&r, "to_year")?,
        };
        if other.overlaps(&span) {
            return Ok(true);
        }
    }
    Ok(false)
}

pub(crate) async fn insert_membership(
    conn: &mut sqlx::AnyConnection,
    network_id: i64,
    rbd: Rbd,
    span: YearSpan,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO network_schools (network_id, rbd, from_year, to_year) VALUES ($1, $2, $3, $4)",
    )
    .bind(network_id)
    .bind(rbd.0)
    .bind(span.from)
    .bind(span.to)
    .execute(conn)
    .await?;
    Ok(())
}

async fn people_years(
    store: &Store,
    network_id: i64,
) -> Result<Vec<(i32, Option<i32>)>, StoreError> {
    let rows = sqlx::query(
        "SELECT a.from_year, a.to_year FROM affiliations a WHERE a.network_id = $1 \
         OR a.rbd IN (SELECT rbd FROM network_schools WHERE network_id = $1)",
    )
    .bind(network_id)
    .read_all(store.db())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Ok((i32_col(r, "from_year")?, opt_i32(r, "to_year")?)))
        .collect::<Result<_, sqlx::Error>>()?)
}

/// Counts per year from the first membership up to `until` (or the last
/// closed membership), so the page can show how a network grew or shrank.
fn composition(
    schools: &[MemberSchool],
    people: &[(i32, Option<i32>)],
    until: i32,
) -> Vec<YearComposition> {
    let Some(first) = schools.iter().map(|s| s.from_year).min() else {
        return vec![];
    };
    let last = until.max(first);
    (first..=last)
        .map(|y| {
            let span_has = |from: i32, to: Option<i32>| from <= y && to.is_none_or(|t| t >= y);
            YearComposition {
                year: y,
                schools: schools
                    .iter()
                    .filter(|s| span_has(s.from_year, s.to_year))
                    .count() as i64,
                people: people.iter().filter(|(f, t)| span_has(*f, *t)).count() as i64,
            }
        })
        .collect()
}

/// What a national table says about a network in a year, read for all
/// networks at once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkFacts {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub region_code: i32,
    pub deprov_name: Option<String>,
    pub comunas: Vec<String>,
    pub dependencies: Vec<String>,
    pub rurality: Option<Rurality>,
    /// Member schools that year, by RBD.
    pub schools: Vec<i64>,
}

impl Store {
    /// Every network with its member schools in `year` (two queries).
    pub async fn network_facts(&self, year: i32) -> Result<Vec<NetworkFacts>, StoreError> {
        let nets = sqlx::query(
            "SELECT n.id, n.code, n.name, n.region_code, d.name AS deprov_name FROM networks n \
             LEFT JOIN deprovs d ON d.code = n.deprov_code ORDER BY LENGTH(n.code), n.code",
        )
        .read_all(self.db())
        .await?;
        let mut facts: Vec<NetworkFacts> = nets
            .iter()
            .map(|r| {
                Ok(NetworkFacts {
                    id: r.try_get("id")?,
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    region_code: i32_col(r, "region_code")?,
                    deprov_name: r.try_get("deprov_name")?,
                    comunas: vec![],
                    dependencies: vec![],
                    rurality: None,
                    schools: vec![],
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        let at: std::collections::HashMap<i64, usize> =
            facts.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
        let mut q = Sql::new(
            "SELECT ns.network_id, s.rbd, s.dependency, s.rural, c.name AS comuna_name \
             FROM network_schools ns JOIN schools s ON s.rbd = ns.rbd \
             JOIN comunas c ON c.code = s.comuna_code WHERE 1 = 1",
        );
        push_active(&mut q, "ns", year);
        q.push(" ORDER BY ns.network_id, s.rbd");
        let mut rural: std::collections::HashMap<usize, Vec<bool>> = Default::default();
        for r in q.query().read_all(self.db()).await? {
            let Some(&i) = at.get(&r.try_get::<i64, _>("network_id")?) else {
                continue;
            };
            let f = &mut facts[i];
            f.schools.push(r.try_get("rbd")?);
            for (list, v) in [
                (&mut f.comunas, r.try_get::<String, _>("comuna_name")?),
                (&mut f.dependencies, r.try_get::<String, _>("dependency")?),
            ] {
                if !list.contains(&v) {
                    list.push(v);
                }
            }
            rural.entry(i).or_default().push(flag(&r, "rural")?);
        }
        for (i, flags) in rural {
            facts[i].rurality = Rurality::of(flags);
            facts[i].comunas.sort();
            facts[i].dependencies.sort();
        }
        Ok(facts)
    }
}

//! People and their affiliations (role in a school or network, by year).

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use trama_domain::Problem;
use trama_domain::person::{Email, Role};
use trama_domain::policy::{Scope, Target};
use trama_domain::problem::FieldProblem;
use trama_domain::span::YearSpan;
use trama_domain::territory::RegionCode;

use super::{Page, PageRequest, count, i32_col, opt_i32, push_active, push_scope};
use crate::db::Fetch;
use crate::error::unique_on;
use crate::sql::{Sql, like_pattern};
use crate::{Store, StoreError, WriteTx, current_year, now};

/// A person in a list: never the national id.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonFilter {
    /// Text in the name or email.
    #[param(nullable = false)]
    pub q: Option<String>,
    /// Only people holding this role this year.
    #[param(nullable = false)]
    pub role: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Affiliation {
    pub id: i64,
    pub role: String,
    pub rbd: Option<i32>,
    pub school_name: Option<String>,
    pub network_id: Option<i64>,
    pub network_code: Option<String>,
    pub from_year: i32,
    pub to_year: Option<i32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonDetail {
    #[serde(flatten)]
    pub summary: PersonSummary,
    /// Shown only to those who may edit the person.
    pub national_id: Option<String>,
    pub affiliations: Vec<Affiliation>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PersonInput {
    pub name: String,
    pub email: String,
    pub national_id: Option<String>,
}

pub struct ValidPerson {
    pub name: String,
    pub email: Email,
    pub national_id: Option<String>,
}

impl PersonInput {
    pub fn validate(&self) -> Result<ValidPerson, Vec<FieldProblem>> {
        let mut errors = vec![];
        let name = trama_domain::problem::text(&self.name, 200)
            .map_err(|p| errors.push(FieldProblem::new("name", p)))
            .ok();
        let email = Email::parse(&self.email)
            .map_err(|p| errors.push(FieldProblem::new("email", p)))
            .ok();
        let national_id =
            trama_domain::problem::optional_text(self.national_id.as_deref().unwrap_or(""), 20)
                .map_err(|p| errors.push(FieldProblem::new("national_id", p)))
                .ok()
                .flatten();
        match (name, email) {
            (Some(name), Some(email)) if errors.is_empty() => Ok(ValidPerson {
                name,
                email,
                national_id,
            }),
            _ => Err(errors),
        }
    }
}

/// The networks a person's affiliations touch (directly or through a school).
const PERSON_NETWORKS: &str = "SELECT a.network_id FROM affiliations a WHERE a.person_id = p.id AND a.network_id IS NOT NULL \
     UNION SELECT ns.network_id FROM affiliations a JOIN network_schools ns ON ns.rbd = a.rbd WHERE a.person_id = p.id";

fn push_person_scope(sql: &mut Sql, scope: &Scope) {
    match scope {
        Scope::Region(r) => {
            sql.push(
                " AND (EXISTS (SELECT 1 FROM affiliations a JOIN schools s ON s.rbd = a.rbd WHERE a.person_id = p.id AND s.region_code = ",
            )
            .bind(r.0)
            .push(") OR EXISTS (SELECT 1 FROM affiliations a JOIN networks n ON n.id = a.network_id WHERE a.person_id = p.id AND n.region_code = ")
            .bind(r.0)
            .push("))");
        }
        other => push_scope(sql, other, "", |sql, ids| {
            sql.push("EXISTS (SELECT 1 FROM (")
                .push(PERSON_NETWORKS)
                .push(") pn WHERE pn.network_id IN ")
                .bind_list(ids)
                .push(")");
        }),
    }
}

fn summary(r: &AnyRow) -> Result<PersonSummary, sqlx::Error> {
    Ok(PersonSummary {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
    })
}

impl Store {
    pub async fn list_people(
        &self,
        filter: &PersonFilter,
        scope: &Scope,
        page: PageRequest,
    ) -> Result<Page<PersonSummary>, StoreError> {
        let mut wh = Sql::new(" FROM people p WHERE 1 = 1");
        push_person_scope(&mut wh, scope);
        if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            wh.push(" AND (p.search_key LIKE ")
                .bind(like_pattern(q))
                .push(" ESCAPE '\\' OR p.email = ")
                .bind(q.to_lowercase())
                .push(")");
        }
        if let Some(role) = filter.role.as_deref().filter(|r| !r.is_empty()) {
            wh.push(
                " AND EXISTS (SELECT 1 FROM affiliations a WHERE a.person_id = p.id AND a.role = ",
            )
            .bind(role);
            push_active(&mut wh, "a", current_year());
            wh.push(")");
        }
        let mut counting = Sql::new("SELECT COUNT(*)");
        counting.push_all(&wh);
        let total = count(self, &counting).await?;
        let mut listing = Sql::new("SELECT p.id, p.name, p.email");
        listing.push_all(&wh).push(" ORDER BY p.search_key, p.id");
        page.push_limit(&mut listing);
        let rows = listing.query().read_all(self.db()).await?;
        Ok(Page {
            items: rows.iter().map(summary).collect::<Result<_, _>>()?,
            page: page.page(),
            per_page: page.per_page(),
            total,
        })
    }

    pub async fn get_person(&self, id: i64) -> Result<Option<PersonDetail>, StoreError> {
        let Some(row) =
            sqlx::query("SELECT id, name, email, national_id FROM people WHERE id = $1")
                .bind(id)
                .read_optional(self.db())
                .await?
        else {
            return Ok(None);
        };
        let affiliations = sqlx::query(
            "SELECT a.id, a.role, a.rbd, s.name AS school_name, a.network_id, n.code AS network_code, \
             a.from_year, a.to_year FROM affiliations a LEFT JOIN schools s ON s.rbd = a.rbd \
             LEFT JOIN networks n ON n.id = a.network_id WHERE a.person_id = $1 ORDER BY a.from_year DESC",
        )
        .bind(id)
        .read_all(self.db())
        .await?
        .iter()
        .map(|r| {
            Ok(Affiliation {
                id: r.try_get("id")?,
                role: r.try_get("role")?,
                rbd: opt_i32(r, "rbd")?,
                school_name: r.try_get("school_name")?,
                network_id: r.try_get("network_id")?,
                network_code: r.try_get("network_code")?,
                from_year: i32_col(r, "from_year")?,
                to_year: opt_i32(r, "to_year")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        Ok(Some(PersonDetail {
            summary: summary(&row)?,
            national_id: row.try_get("national_id")?,
            affiliations,
        }))
    }

    /// Where a person sits, for the policy: the regions and networks of their
    /// affiliations. A person with no affiliation is visible only nationally.
    pub async fn person_targets(&self, id: i64) -> Result<Option<Vec<Target>>, StoreError> {
        if sqlx::query("SELECT 1 FROM people WHERE id = $1")
            .bind(id)
            .read_optional(self.db())
            .await?
            .is_none()
        {
            return Ok(None);
        }
        let rows = sqlx::query(
            "SELECT COALESCE(s.region_code, n.region_code) AS region, \
             COALESCE(a.network_id, ns.network_id) AS network \
             FROM affiliations a LEFT JOIN schools s ON s.rbd = a.rbd \
             LEFT JOIN network_schools ns ON ns.rbd = a.rbd \
             LEFT JOIN networks n ON n.id = a.network_id WHERE a.person_id = $1",
        )
        .bind(id)
        .read_all(self.db())
        .await?;
        let mut targets = vec![];
        for r in rows {
            let region: Option<i64> = r.try_get("region")?;
            let network: Option<i64> = r.try_get("network")?;
            targets.push(Target::in_region(
                region.map(|c| RegionCode(c as i16)),
                network.into_iter().collect(),
            ));
        }
        Ok(Some(targets))
    }

    /// The id of the person with this e-mail (case-insensitive).
    pub async fn person_by_email(&self, email: &str) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT id FROM people WHERE LOWER(email) = $1")
            .bind(email.trim().to_lowercase())
            .read_optional(self.db())
            .await?;
        Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
    }
}

/// Registry changes to people, inside a use case's transaction.
impl WriteTx {
    pub async fn create_person(&mut self, p: &ValidPerson) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO people (name, search_key, email, national_id, updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(p.name.clone())
        .bind(trama_domain::search_key(&p.name))
        .bind(p.email.as_str())
        .bind(p.national_id.clone())
        .bind(now())
        .fetch_one(&mut **self)
        .await
        .map_err(unique_on("email"))?;
        Ok(row.try_get::<i64, _>(0)?)
    }

    pub async fn update_person(&mut self, id: i64, p: &ValidPerson) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE people SET name = $2, search_key = $3, email = $4, national_id = $5, updated_at = $6 WHERE id = $1",
        )
        .bind(id)
        .bind(p.name.clone())
        .bind(trama_domain::search_key(&p.name))
        .bind(p.email.as_str())
        .bind(p.national_id.clone())
        .bind(now())
        .execute(&mut **self)
        .await
        .map_err(unique_on("email"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Gives a person a role in a school (or, for supervisors, a network).
    pub async fn add_affiliation(
        &mut self,
        person_id: i64,
        role: Role,
        rbd: Option<i32>,
        network_id: Option<i64>,
        span: YearSpan,
    ) -> Result<i64, StoreError> {
        let (rbd, network_id) = match (role.is_network_level(), rbd, network_id) {
            (true, _, Some(n)) => (None, Some(n)),
            (true, _, None) => {
                return Err(StoreError::Invalid(vec![FieldProblem::new(
                    "network",
                    Problem::RoleNeedsNetwork,
                )]));
            }
            (false, Some(r), _) => (Some(r), None),
            (false, None, Some(n)) => (None, Some(n)),
            (false, None, None) => {
                return Err(StoreError::Invalid(vec![FieldProblem::new(
                    "rbd",
                    Problem::SchoolOrNetwork,
                )]));
            }
        };
        insert_affiliation(self, person_id, role, rbd, network_id, span)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Database(sqlx::Error::Database(db))
                    if db.is_foreign_key_violation() =>
                {
                    StoreError::Invalid(vec![FieldProblem::new(
                        if rbd.is_some() { "rbd" } else { "network" },
                        if rbd.is_some() {
                            Problem::UnknownSchool
                        } else {
                            Problem::UnknownNetwork
                        },
                    )])
                }
                other => other,
            })
    }
}

pub(crate) async fn insert_affiliation(
    conn: &mut sqlx::AnyConnection,
    person_id: i64,
    role: Role,
    rbd: Option<i32>,
    network_id: Option<i64>,
    span: YearSpan,
) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO affiliations (person_id, role, rbd, network_id, from_year, to_year) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(person_id)
    .bind(role.as_str())
    .bind(rbd)
    .bind(network_id)
    .bind(span.from)
    .bind(span.to)
    .fetch_one(conn)
    .await?;
    row.try_get::<i64, _>(0)
}

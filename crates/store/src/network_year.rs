//! The network's year in the database: its plan, its sessions, who
//! attended (schools and people) and the agreements with their follow-up.
//!
//! Attendance names people: it is read with names only by those the policy
//! lets see them; this module only reads and writes. Checks that schools
//! and people belong to the network are the use case's, made before the
//! transaction that writes.

use std::collections::BTreeMap;

use sqlx::any::AnyRow;
use trama_characterise::focus::Focus;
use trama_characterise::year::{Agreement, FollowUp, Modality, Plan, Session};

use crate::campaigns::{int, opt_int, opt_text, text};
use crate::db::Fetch;
use crate::sql::Sql;
use crate::{Store, StoreError, WriteTx, now};

/// A logged session with its id and the agreements taken at it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSession {
    pub id: i64,
    pub network_id: i64,
    pub session: Session,
    pub agreements: Vec<StoredAgreement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredAgreement {
    pub id: i64,
    pub session_id: i64,
    pub agreement: Agreement,
    /// The later session at which its fate was recorded.
    pub reviewed_in: Option<i64>,
}

/// A plan as stored, with when it was last changed.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPlan {
    pub plan: Plan,
    pub updated_at: i64,
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn date_col(row: &AnyRow, col: &str) -> Result<jiff::civil::Date, sqlx::Error> {
    let v = text(row, col)?;
    v.parse()
        .map_err(|e: jiff::Error| sqlx::Error::Decode(format!("{col} {v:?}: {e}").into()))
}

fn session_row(r: &AnyRow) -> Result<(i64, i64, Session), sqlx::Error> {
    let modality = text(r, "modality")?;
    Ok((
        int(r, "id")?,
        int(r, "network_id")?,
        Session {
            date: date_col(r, "held_on")?,
            duration_min: u32::try_from(int(r, "duration_min")?).unwrap_or(0),
            modality: Modality::parse(&modality)
                .ok_or_else(|| sqlx::Error::Decode(format!("modality {modality:?}").into()))?,
            place: text(r, "place")?,
            agenda: text(r, "agenda")?,
            foci: text(r, "foci")?
                .split_whitespace()
                .filter_map(Focus::parse)
                .collect(),
            schools: vec![],
            attendees: vec![],
        },
    ))
}

impl Store {
    pub async fn network_plan(
        &self,
        network_id: i64,
        year: i32,
    ) -> Result<Option<StoredPlan>, StoreError> {
        Ok(self
            .plans_of(&[network_id], year)
            .await?
            .remove(&network_id))
    }

    /// The plans of networks in a year, by network id.
    pub async fn plans_of(
        &self,
        network_ids: &[i64],
        year: i32,
    ) -> Result<BTreeMap<i64, StoredPlan>, StoreError> {
        if network_ids.is_empty() {
            return Ok(BTreeMap::new());
        }
        let mut q = Sql::new(
            "SELECT network_id, purpose, goals, topics, updated_at FROM network_plans WHERE year = ",
        );
        q.bind(year)
            .push(" AND network_id IN ")
            .bind_list(network_ids);
        let rows = q.query().read_all(self.db()).await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok::<_, sqlx::Error>((
                    int(r, "network_id")?,
                    StoredPlan {
                        plan: Plan {
                            purpose: text(r, "purpose")?,
                            goals: lines(&text(r, "goals")?),
                            topics: lines(&text(r, "topics")?),
                        },
                        updated_at: int(r, "updated_at")?,
                    },
                ))
            })
            .collect::<Result<_, _>>()?)
    }

    /// The sessions of networks in a year, oldest first, with who attended
    /// and what was agreed. One query per table, whatever the count.
    pub async fn sessions_of(
        &self,
        network_ids: &[i64],
        year: i32,
    ) -> Result<Vec<StoredSession>, StoreError> {
        if network_ids.is_empty() {
            return Ok(vec![]);
        }
        let mut q = Sql::new(
            "SELECT id, network_id, held_on, duration_min, modality, place, agenda, foci \
             FROM network_sessions WHERE year = ",
        );
        q.bind(year).push(" AND network_id IN ");
        q.bind_list(network_ids);
        q.push(" ORDER BY network_id, held_on, id");
        let mut sessions: Vec<StoredSession> = q
            .query()
            .read_all(self.db())
            .await?
            .iter()
            .map(|r| {
                let (id, network_id, session) = session_row(r)?;
                Ok(StoredSession {
                    id,
                    network_id,
                    session,
                    agreements: vec![],
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        let at: BTreeMap<i64, usize> = sessions
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        let within = |table: &str, cols: &str, order: &str| {
            let mut q = Sql::new(&format!(
                "SELECT {cols} FROM {table} x JOIN network_sessions s ON s.id = x.session_id \
                 WHERE s.year = "
            ));
            q.bind(year).push(" AND s.network_id IN ");
            q.bind_list(network_ids);
            q.push(order);
            q
        };
        let schools = within(
            "session_schools",
            "x.session_id, x.rbd AS v",
            " ORDER BY x.rbd",
        );
        for (session, rbd) in self.pairs(&schools).await? {
            if let Some(&i) = at.get(&session) {
                sessions[i].session.schools.push(rbd);
            }
        }
        let people = within(
            "session_attendees",
            "x.session_id, x.person_id AS v",
            " ORDER BY x.person_id",
        );
        for (session, person) in self.pairs(&people).await? {
            if let Some(&i) = at.get(&session) {
                sessions[i].session.attendees.push(person);
            }
        }
        for r in within(
            "session_agreements",
            "x.id, x.session_id, x.text, x.responsible_id, x.due_on, x.status, x.reviewed_in",
            " ORDER BY x.id",
        )
        .query()
        .read_all(self.db())
        .await?
        {
            let session_id = int(&r, "session_id")?;
            let status = text(&r, "status")?;
            let due = opt_text(&r, "due_on")?;
            let agreement = StoredAgreement {
                id: int(&r, "id")?,
                session_id,
                agreement: Agreement {
                    text: text(&r, "text")?,
                    responsible: opt_int(&r, "responsible_id")?,
                    due: due.as_deref().and_then(|d| d.parse().ok()),
                    status: FollowUp::parse(&status).unwrap_or(FollowUp::Pending),
                },
                reviewed_in: opt_int(&r, "reviewed_in")?,
            };
            if let Some(&i) = at.get(&session_id) {
                sessions[i].agreements.push(agreement);
            }
        }
        Ok(sessions)
    }

    /// `(session_id, v)` of each row of `q`.
    async fn pairs(&self, q: &Sql) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(q.query()
            .read_all(self.db())
            .await?
            .iter()
            .map(|r| Ok((int(r, "session_id")?, int(r, "v")?)))
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// The network and year of a session.
    pub async fn session_place(&self, session_id: i64) -> Result<Option<(i64, i32)>, StoreError> {
        let row = sqlx::query("SELECT network_id, year FROM network_sessions WHERE id = $1")
            .bind(session_id)
            .read_optional(self.db())
            .await?;
        Ok(row
            .map(|r| {
                Ok::<_, sqlx::Error>((
                    int(&r, "network_id")?,
                    i32::try_from(int(&r, "year")?).unwrap_or(0),
                ))
            })
            .transpose()?)
    }

    /// Years in which a network has a plan or sessions, newest first.
    pub async fn network_year_span(&self, network_id: i64) -> Result<Vec<i32>, StoreError> {
        let rows = sqlx::query(
            "SELECT year FROM network_plans WHERE network_id = $1 \
             UNION SELECT year FROM network_sessions WHERE network_id = $1 ORDER BY year DESC",
        )
        .bind(network_id)
        .read_all(self.db())
        .await?;
        Ok(rows
            .iter()
            .map(|r| int(r, "year").map(|y| i32::try_from(y).unwrap_or(0)))
            .collect::<Result<_, sqlx::Error>>()?)
    }
}

/// Writing the network's year, inside a use case's transaction.
impl WriteTx {
    pub async fn save_plan(
        &mut self,
        network_id: i64,
        year: i32,
        plan: &Plan,
        by: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM network_plans WHERE network_id = $1 AND year = $2")
            .bind(network_id)
            .bind(year)
            .execute(&mut **self)
            .await?;
        sqlx::query(
            "INSERT INTO network_plans (network_id, year, purpose, goals, topics, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(network_id)
        .bind(year)
        .bind(plan.purpose.clone())
        .bind(plan.goals.join("\n"))
        .bind(plan.topics.join("\n"))
        .bind(by)
        .bind(now())
        .execute(&mut **self)
        .await?;
        Ok(())
    }

    /// Records a new session (`id` `None`) or replaces one, with its
    /// attendance and its own agreements; returns its id.
    pub async fn save_session(
        &mut self,
        network_id: i64,
        id: Option<i64>,
        s: &Session,
        agreements: &[Agreement],
        by: Option<i64>,
    ) -> Result<i64, StoreError> {
        let foci: Vec<&str> = s.foci.iter().map(|f| f.code()).collect();
        let id = match id {
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE network_sessions SET year = $1, held_on = $2, duration_min = $3, \
                     modality = $4, place = $5, agenda = $6, foci = $7, updated_at = $8 \
                     WHERE id = $9 AND network_id = $10",
                )
                .bind(i64::from(s.date.year()))
                .bind(s.date.to_string())
                .bind(i64::from(s.duration_min))
                .bind(s.modality.code())
                .bind(s.place.clone())
                .bind(s.agenda.clone())
                .bind(foci.join(" "))
                .bind(now())
                .bind(id)
                .bind(network_id)
                .execute(&mut **self)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                for delete in [
                    "DELETE FROM session_schools WHERE session_id = $1",
                    "DELETE FROM session_attendees WHERE session_id = $1",
                    "DELETE FROM session_agreements WHERE session_id = $1",
                ] {
                    sqlx::query(delete).bind(id).execute(&mut **self).await?;
                }
                id
            }
            None => {
                use sqlx::Row;
                sqlx::query(
                    "INSERT INTO network_sessions (network_id, year, held_on, duration_min, modality, \
                     place, agenda, foci, created_by, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(network_id)
                .bind(i64::from(s.date.year()))
                .bind(s.date.to_string())
                .bind(i64::from(s.duration_min))
                .bind(s.modality.code())
                .bind(s.place.clone())
                .bind(s.agenda.clone())
                .bind(foci.join(" "))
                .bind(by)
                .bind(now())
                .fetch_one(&mut **self)
                .await?
                .try_get::<i64, _>(0)?
            }
        };
        for rbd in &s.schools {
            sqlx::query("INSERT INTO session_schools (session_id, rbd) VALUES ($1, $2)")
                .bind(id)
                .bind(*rbd)
                .execute(&mut **self)
                .await?;
        }
        for person in &s.attendees {
            sqlx::query("INSERT INTO session_attendees (session_id, person_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*person)
                .execute(&mut **self)
                .await?;
        }
        for a in agreements {
            sqlx::query(
                "INSERT INTO session_agreements (session_id, text, responsible_id, due_on, status, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(a.text.clone())
            .bind(a.responsible)
            .bind(a.due.map(|d| d.to_string()))
            .bind(a.status.code())
            .bind(now())
            .execute(&mut **self)
            .await?;
        }
        Ok(id)
    }

    /// Records the fate of an earlier agreement of the network at session
    /// `reviewed_in`.
    pub async fn follow_up(
        &mut self,
        network_id: i64,
        agreement_id: i64,
        status: FollowUp,
        reviewed_in: i64,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE session_agreements SET status = $1, reviewed_in = $2, updated_at = $3 \
             WHERE id = $4 AND session_id IN (SELECT id FROM network_sessions WHERE network_id = $5)",
        )
        .bind(status.code())
        .bind(reviewed_in)
        .bind(now())
        .bind(agreement_id)
        .bind(network_id)
        .execute(&mut **self)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn delete_session(&mut self, network_id: i64, id: i64) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM network_sessions WHERE id = $1 AND network_id = $2")
            .bind(id)
            .bind(network_id)
            .execute(&mut **self)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

/// Moves whenever something a campaign's characterisation reads changes:
/// its ties (every roster save bumps its invitation's `ties_version`; an
/// erased person takes their invitation with them) and invitations, the year's sessions, agreements and plans,
/// the registry's memberships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharacterisationStamp([i64; 9]);

impl Store {
    pub async fn characterisation_stamp(
        &self,
        campaign_id: i64,
        year: i32,
    ) -> Result<CharacterisationStamp, StoreError> {
        let row = sqlx::query(
            "SELECT \
             (SELECT COALESCE(SUM(ties_version), 0) FROM invitations WHERE campaign_id = $1) AS a, \
             (SELECT COUNT(*) FROM invitations WHERE campaign_id = $1) AS b, \
             (SELECT COUNT(*) FROM invitations WHERE campaign_id = $1 AND revoked_at IS NULL) AS c, \
             (SELECT COUNT(*) FROM network_sessions WHERE year = $2) AS d, \
             (SELECT COALESCE(MAX(updated_at), 0) FROM network_sessions WHERE year = $2) AS e, \
             (SELECT COUNT(*) FROM session_agreements) AS f, \
             (SELECT COALESCE(MAX(updated_at), 0) FROM session_agreements) AS g, \
             (SELECT COALESCE(MAX(updated_at), 0) FROM network_plans WHERE year = $2) AS h, \
             (SELECT COUNT(*) FROM network_schools) AS k",
        )
        .bind(campaign_id)
        .bind(year)
        .read_one(self.db())
        .await?;
        let mut out = [0; 9];
        for (slot, col) in out
            .iter_mut()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h", "k"])
        {
            *slot = int(&row, col)?;
        }
        Ok(CharacterisationStamp(out))
    }
}

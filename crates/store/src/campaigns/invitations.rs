//! Who is invited to a campaign, their personal links and their opt-outs.
//!
//! Links are random secrets shown once (in a message) and stored only as
//! SHA-256 hashes; every message carries a fresh one, so reminders never need
//! a secret kept in clear. A revoked invitation's links show a "cancelled" page.

use crate::db::Fetch;
use serde::Serialize;
use trama_domain::person::Role;

use super::lifecycle::CampaignScope;
use super::{int, opt_int, opt_text, text};
use crate::accounts::{hash_secret, new_secret};
use crate::sql::Sql;
use crate::{Store, StoreError, WriteTx, now};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Answer,
    OptOut,
}

impl LinkPurpose {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Answer => "answer",
            LinkPurpose::OptOut => "opt_out",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Invitation {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub email: String,
    pub network_code: String,
    pub role: String,
    pub delivery: String,
    pub delivery_error: Option<String>,
    pub opened_at: Option<i64>,
    pub started_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Someone a message goes to.
#[derive(Debug, Clone, Serialize)]
pub struct Recipient {
    pub invitation_id: i64,
    pub person_name: String,
    pub email: String,
    pub lang: String,
    pub network_code: String,
    pub network_name: String,
    /// The address opted out of every message.
    pub opted_out: bool,
}

/// Who a round of messages is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every invitation in force, opt-outs left out.
    Everyone,
    /// Invitations that never had a message.
    Uninvited,
    /// Those who have not completed and have no reminder of this run yet.
    Reminder { run_due_at: i64 },
}

/// Filters for the invitation list.
#[derive(Debug, Clone, Default)]
pub struct InvitationFilter {
    pub network: Option<String>,
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

pub(crate) fn email_hash(email: &str) -> String {
    hash_secret(&email.trim().to_lowercase())
}

/// Restricts a query over networks `n` to a campaign's scope.
pub(crate) fn push_campaign_scope(sql: &mut Sql, scope: &CampaignScope) {
    match scope {
        CampaignScope::National => {}
        CampaignScope::Regions(r) => {
            sql.push(" AND n.region_code IN ")
                .bind_list(&r.iter().map(|c| i64::from(*c)).collect::<Vec<_>>());
        }
        CampaignScope::Networks(codes) => {
            sql.push(" AND n.code IN ").bind_list(codes);
        }
    }
}

impl Store {
    /// Invitations still in force.
    pub async fn count_invitations(&self, campaign_id: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM invitations WHERE campaign_id = $1 AND revoked_at IS NULL",
        )
        .bind(campaign_id)
        .read_one(self.db())
        .await?;
        Ok(int(&row, "n")?)
    }

    /// Invitations (not removed) whose questionnaire was submitted.
    pub async fn count_completed(&self, campaign_id: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM invitations \
             WHERE campaign_id = $1 AND revoked_at IS NULL AND completed_at IS NOT NULL",
        )
        .bind(campaign_id)
        .read_one(self.db())
        .await?;
        Ok(int(&row, "n")?)
    }

    pub async fn list_invitations(
        &self,
        campaign_id: i64,
        filter: &InvitationFilter,
    ) -> Result<(Vec<Invitation>, i64), StoreError> {
        let mut wh = Sql::new(" WHERE i.campaign_id = ");
        wh.bind(campaign_id);
        if let Some(n) = filter.network.as_ref().filter(|n| !n.is_empty()) {
            wh.push(" AND n.code = ").bind(n.as_str());
        }
        if let Some(q) = filter.q.as_ref().filter(|q| !q.trim().is_empty()) {
            wh.push(" AND p.search_key LIKE ")
                .bind(crate::sql::like_pattern(q))
                .push(" ESCAPE '\\'");
        }
        let from = " FROM invitations i JOIN people p ON p.id = i.person_id JOIN networks n ON n.id = i.network_id";
        let mut count = Sql::new(&format!("SELECT COUNT(*) AS n{from}"));
        count.push_all(&wh);
        let total = int(&count.query().read_one(self.db()).await?, "n")?;
        let mut sql = Sql::new(&format!(
            "SELECT i.id, i.person_id, p.name, p.email, n.code, i.role, i.delivery, i.delivery_error, i.opened_at, \
             i.started_at, i.completed_at, i.revoked_at{from}"
        ));
        sql.push_all(&wh)
            .push(" ORDER BY n.code, p.search_key LIMIT ")
            .bind(filter.limit.clamp(1, 1000))
            .push(" OFFSET ")
            .bind(filter.offset.max(0));
        let rows = sql.query().read_all(self.db()).await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(Invitation {
                    id: int(r, "id")?,
                    person_id: int(r, "person_id")?,
                    person_name: text(r, "name")?,
                    email: text(r, "email")?,
                    network_code: text(r, "code")?,
                    role: text(r, "role")?,
                    delivery: text(r, "delivery")?,
                    delivery_error: opt_text(r, "delivery_error")?,
                    opened_at: opt_int(r, "opened_at")?,
                    started_at: opt_int(r, "started_at")?,
                    completed_at: opt_int(r, "completed_at")?,
                    revoked_at: opt_int(r, "revoked_at")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok((items, total))
    }

    /// A fresh personal link secret for an invitation (shown once).
    pub async fn issue_link(
        &self,
        invitation_id: i64,
        purpose: LinkPurpose,
    ) -> Result<String, StoreError> {
        self.write(async |tx| tx.issue_link(invitation_id, purpose).await)
            .await
    }

    /// The invitation a link belongs to, if the link exists.
    pub async fn link_invitation(
        &self,
        token: &str,
        purpose: LinkPurpose,
    ) -> Result<Option<i64>, StoreError> {
        if token.len() > 128 {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT invitation_id FROM invitation_tokens WHERE token_hash = $1 AND purpose = $2",
        )
        .bind(hash_secret(token))
        .bind(purpose.as_str())
        .read_optional(self.db())
        .await?;
        Ok(row.map(|r| int(&r, "invitation_id")).transpose()?)
    }

    /// Whom a round of messages still has to reach, in invitation order,
    /// at most `limit` of them. People who opted out are listed with
    /// `opted_out` set (in [`Audience::Everyone`], left out), so the caller
    /// can record it and they are not found again.
    pub async fn recipients(
        &self,
        campaign_id: i64,
        audience: Audience,
        limit: i64,
    ) -> Result<Vec<Recipient>, StoreError> {
        let mut sql = Sql::new(
            "SELECT i.id, p.name, p.email, i.lang, n.code, n.name AS network_name FROM invitations i \
             JOIN people p ON p.id = i.person_id JOIN networks n ON n.id = i.network_id \
             WHERE i.revoked_at IS NULL AND i.campaign_id = ",
        );
        sql.bind(campaign_id);
        match audience {
            Audience::Everyone => {}
            Audience::Uninvited => {
                sql.push(" AND i.delivery = 'pending'");
            }
            Audience::Reminder { run_due_at } => {
                sql.push(
                    " AND i.completed_at IS NULL AND i.delivery <> 'opted_out' AND NOT EXISTS \
                     (SELECT 1 FROM messages m WHERE m.invitation_id = i.id AND m.kind = 'reminder' AND m.run_due_at = ",
                )
                .bind(run_due_at)
                .push(")");
            }
        }
        sql.push(" ORDER BY i.id LIMIT ").bind(limit.max(0));
        let rows = sql.query().read_all(self.db()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let email = text(r, "email")?;
            let opted_out = self.is_opted_out(&email).await?;
            if opted_out && audience == Audience::Everyone {
                continue;
            }
            out.push(Recipient {
                invitation_id: int(r, "id")?,
                person_name: text(r, "name")?,
                email,
                lang: text(r, "lang")?,
                network_code: text(r, "code")?,
                network_name: text(r, "network_name")?,
                opted_out,
            });
        }
        Ok(out)
    }

    /// Open campaigns with invitations that never had their message (the
    /// opening, or an invitation added since, was cut short).
    pub async fn campaigns_owing_invitations(&self) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT i.campaign_id FROM invitations i JOIN campaigns c ON c.id = i.campaign_id \
             WHERE c.status = 'open' AND i.delivery = 'pending' AND i.revoked_at IS NULL ORDER BY i.campaign_id",
        )
        .read_all(self.db())
        .await?;
        Ok(rows
            .iter()
            .map(|r| int(r, "campaign_id"))
            .collect::<Result<_, _>>()?)
    }

    pub async fn is_opted_out(&self, email: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 FROM opt_outs WHERE email_hash = $1")
            .bind(email_hash(email))
            .read_optional(self.db())
            .await?;
        Ok(row.is_some())
    }

    /// Records an opt-out for the invitation's person: no further message
    /// reaches their address, in this campaign or any later one.
    pub async fn opt_out(&self, invitation_id: i64) -> Result<(), StoreError> {
        let row = sqlx::query(
            "SELECT p.id, p.email FROM invitations i JOIN people p ON p.id = i.person_id WHERE i.id = $1",
        )
        .bind(invitation_id)
        .read_optional(self.db())
        .await?
        .ok_or(StoreError::NotFound)?;
        let person_id = int(&row, "id")?;
        let email = text(&row, "email")?;
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO opt_outs (email_hash, at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(email_hash(&email))
            .bind(now())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE messages SET status = 'cancelled', link = NULL, unsubscribe = NULL WHERE status IN ('queued', 'outbox') AND to_email = $1",
        )
        .bind(email)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE invitations SET delivery = 'opted_out' WHERE person_id = $1")
            .bind(person_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The invitation list, inside a use case's transaction.
impl WriteTx {
    /// A fresh personal link secret for an invitation (shown once).
    pub async fn issue_link(
        &mut self,
        invitation_id: i64,
        purpose: LinkPurpose,
    ) -> Result<String, StoreError> {
        let token = new_secret();
        sqlx::query("INSERT INTO invitation_tokens (token_hash, invitation_id, purpose, created_at) VALUES ($1, $2, $3, $4)")
            .bind(hash_secret(&token))
            .bind(invitation_id)
            .bind(purpose.as_str())
            .bind(now())
            .execute(&mut **self)
            .await?;
        Ok(token)
    }

    /// Records that an invitation's person opted out earlier (their address
    /// is on the opt-out list), so no round writes to it.
    pub async fn mark_opted_out(&mut self, invitation_id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE invitations SET delivery = 'opted_out' WHERE id = $1")
            .bind(invitation_id)
            .execute(&mut **self)
            .await?;
        Ok(())
    }

    /// Invites everyone the registry lists in the campaign's networks for its
    /// year: school staff through their school's network membership, and
    /// people affiliated with a network directly (supervisors). People already
    /// invited are left as they are. Returns how many were added.
    pub async fn invite_from_registry(&mut self, campaign_id: i64) -> Result<u64, StoreError> {
        let c = super::lifecycle::campaign_in(self, campaign_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let y = i64::from(c.year);
        let mut school = Sql::new(
            "SELECT a.person_id, ns.network_id, n.region_code, n.deprov_code, a.role \
             FROM affiliations a JOIN network_schools ns ON ns.rbd = a.rbd \
             JOIN networks n ON n.id = ns.network_id WHERE a.rbd IS NOT NULL AND a.from_year <= ",
        );
        school
            .bind(y)
            .push(" AND (a.to_year IS NULL OR a.to_year >= ")
            .bind(y)
            .push(") AND ns.from_year <= ")
            .bind(y)
            .push(" AND (ns.to_year IS NULL OR ns.to_year >= ")
            .bind(y)
            .push(")");
        push_campaign_scope(&mut school, &c.scope);
        let mut direct = Sql::new(
            " UNION ALL SELECT a.person_id, a.network_id, n.region_code, n.deprov_code, a.role \
             FROM affiliations a JOIN networks n ON n.id = a.network_id WHERE a.network_id IS NOT NULL AND a.from_year <= ",
        );
        direct
            .bind(y)
            .push(" AND (a.to_year IS NULL OR a.to_year >= ")
            .bind(y)
            .push(")");
        push_campaign_scope(&mut direct, &c.scope);
        let mut sql = Sql::new(
            "INSERT INTO invitations (campaign_id, person_id, network_id, region_code, deprov_code, role, added_at) \
             SELECT ",
        );
        sql.bind(campaign_id)
            .push(", s.person_id, s.network_id, s.region_code, s.deprov_code, s.role, ")
            .bind(now())
            .push(" FROM (")
            .push_all(&school)
            .push_all(&direct)
            // `WHERE true` lets SQLite tell the upsert clause from a join.
            .push(") s WHERE true ORDER BY s.person_id, s.network_id ON CONFLICT (campaign_id, person_id) DO NOTHING");
        let done = sql.query().execute(&mut **self).await?;
        Ok(done.rows_affected())
    }

    /// Adds one person by hand, in a network and with a role.
    pub async fn invite_person(
        &mut self,
        campaign_id: i64,
        person_id: i64,
        network_code: &str,
        role: Role,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO invitations (campaign_id, person_id, network_id, region_code, deprov_code, role, added_at) \
             SELECT $1, $2, n.id, n.region_code, n.deprov_code, $3, $4 FROM networks n WHERE n.code = $5 \
             ON CONFLICT (campaign_id, person_id) DO UPDATE SET revoked_at = NULL RETURNING id",
        )
        .bind(campaign_id)
        .bind(person_id)
        .bind(role.as_str())
        .bind(now())
        .bind(network_code.to_owned())
        .fetch_optional(&mut **self)
        .await?;
        match row {
            Some(r) => Ok(int(&r, "id")?),
            None => Err(StoreError::NotFound),
        }
    }

    /// Takes someone off the list: deleted while the campaign is a draft,
    /// revoked (links dead, history kept) once it is open.
    pub async fn remove_invitation(
        &mut self,
        campaign_id: i64,
        invitation_id: i64,
    ) -> Result<(), StoreError> {
        // Links of a revoked invitation stay known (as hashes) so that they
        // answer "cancelled" rather than "unknown".
        sqlx::query(
            "UPDATE messages SET status = 'cancelled', link = NULL, unsubscribe = NULL WHERE invitation_id = $1 AND status IN ('queued', 'outbox')",
        )
        .bind(invitation_id)
        .execute(&mut **self)
        .await?;
        let deleted = sqlx::query(
            "DELETE FROM invitations WHERE id = $1 AND campaign_id = $2 \
             AND (SELECT status FROM campaigns WHERE id = $2) = 'draft'",
        )
        .bind(invitation_id)
        .bind(campaign_id)
        .execute(&mut **self)
        .await?;
        if deleted.rows_affected() == 0 {
            let revoked = sqlx::query(
                "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND campaign_id = $3 AND revoked_at IS NULL",
            )
            .bind(now())
            .bind(invitation_id)
            .bind(campaign_id)
            .execute(&mut **self)
            .await?;
            if revoked.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
        }
        Ok(())
    }

    /// Erases a person: their registry entry, memberships, invitations and
    /// links go; messages addressed to them are scrubbed; their answers stay,
    /// no longer linked to anyone.
    pub async fn erase_person(&mut self, person_id: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE messages SET to_name = '', to_email = '', subject = '', body = '', html_body = NULL, link = NULL, unsubscribe = NULL, \
             status = CASE WHEN status IN ('queued', 'outbox') THEN 'cancelled' ELSE status END \
             WHERE invitation_id IN (SELECT id FROM invitations WHERE person_id = $1)",
        )
        .bind(person_id)
        .execute(&mut **self)
        .await?;
        let done = sqlx::query("DELETE FROM people WHERE id = $1")
            .bind(person_id)
            .execute(&mut **self)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

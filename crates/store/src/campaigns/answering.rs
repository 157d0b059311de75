//! Answering through a personal link.
//!
//! A response row is created on the first page save, with a random id and the
//! respondent's groups copied from the invitation; `response_links` ties it to
//! the invitation so the link resumes it. Saves are upserts keyed by
//! (response, item), so a double submit or a second tab rewrites the same
//! answers instead of adding rows, and every save is one transaction: an
//! accepted page is on disk when the next page is shown.

use crate::db::Fetch;
use std::collections::BTreeMap;

use rand::RngExt;
use trama_campaign::roster::TieAnswer;
use trama_campaign::tally::Tallies;
use trama_instrument::Instrument;

use super::invitations::LinkPurpose;
use super::lifecycle::{Campaign, CampaignStatus};
use super::{int, opt_int, opt_text, text};
use crate::{Store, StoreError, now};

/// Where a personal link stands.
#[derive(Debug, Clone)]
pub enum LinkState {
    /// No such link (never issued, or revoked with its invitation).
    Unknown,
    Revoked,
    /// The campaign is not open yet, or was closed.
    NotOpen(Campaign),
    /// Already submitted: nothing left to do.
    Completed(Campaign),
    Active(Box<Respondent>),
}

/// The invitation behind an active link, without the person's identity.
#[derive(Debug, Clone)]
pub struct Respondent {
    pub invitation_id: i64,
    pub campaign: Campaign,
    pub network_code: String,
    pub network_name: String,
    pub lang: String,
    pub response_id: Option<String>,
    /// Page to resume at.
    pub page: i64,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub response_id: String,
    pub rating_answered: u32,
}

pub(crate) fn response_id() -> String {
    let bytes: [u8; 12] = rand::rng().random();
    format!("r{}", hex::encode(bytes))
}

impl Store {
    /// Resolves a link and records the first opening.
    pub async fn open_link(&self, token: &str) -> Result<LinkState, StoreError> {
        if token.len() > 128 {
            return Ok(LinkState::Unknown);
        }
        // One query from the token to where the person stands: every page
        // view and save starts here.
        let row = sqlx::query(
            "SELECT i.id, i.campaign_id, i.revoked_at, i.completed_at, i.opened_at, i.lang, n.code, n.name, \
             l.response_id, r.page FROM invitation_tokens t JOIN invitations i ON i.id = t.invitation_id \
             JOIN networks n ON n.id = i.network_id \
             LEFT JOIN response_links l ON l.invitation_id = i.id LEFT JOIN responses r ON r.id = l.response_id \
             WHERE t.token_hash = $1 AND t.purpose = $2",
        )
        .bind(crate::accounts::hash_secret(token))
        .bind(LinkPurpose::Answer.as_str())
        .read_optional(self.db())
        .await?;
        let Some(row) = row else {
            return Ok(LinkState::Unknown);
        };
        let invitation_id = int(&row, "id")?;
        if opt_int(&row, "revoked_at")?.is_some() {
            return Ok(LinkState::Revoked);
        }
        let campaign = self
            .campaign_by_id(int(&row, "campaign_id")?)
            .await?
            .ok_or(StoreError::NotFound)?;
        if opt_int(&row, "completed_at")?.is_some() {
            return Ok(LinkState::Completed(campaign));
        }
        if campaign.status != CampaignStatus::Open || !campaign.accepts_answers(now()) {
            return Ok(LinkState::NotOpen(campaign));
        }
        if opt_int(&row, "opened_at")?.is_none() {
            self.write_one(
                sqlx::query(
                    "UPDATE invitations SET opened_at = $1 WHERE id = $2 AND opened_at IS NULL",
                )
                .bind(now())
                .bind(invitation_id),
            )
            .await?;
        }
        Ok(LinkState::Active(Box::new(Respondent {
            invitation_id,
            campaign,
            network_code: text(&row, "code")?,
            network_name: text(&row, "name")?,
            lang: text(&row, "lang")?,
            response_id: opt_text(&row, "response_id")?,
            page: opt_int(&row, "page")?.unwrap_or(0),
        })))
    }

    /// The answers stored for a response.
    pub async fn answers(&self, response_id: &str) -> Result<BTreeMap<String, String>, StoreError> {
        let rows = sqlx::query("SELECT item, value FROM answers WHERE response_id = $1")
            .bind(response_id.to_owned())
            .read_all(self.db())
            .await?;
        rows.iter()
            .map(|r| Ok((text(r, "item")?, text(r, "value")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Saves the accepted answers of one page (an empty value clears an
    /// answer) and where to resume; creates the response on the first save.
    pub async fn save_page(
        &self,
        who: &Respondent,
        instrument: &Instrument,
        accepted: &BTreeMap<String, String>,
        resume_page: i64,
    ) -> Result<Saved, StoreError> {
        self.save_page_with_roster(who, instrument, accepted, &[], resume_page)
            .await
    }

    /// [`Store::save_page`] for a page holding roster questions: the answers
    /// and each roster item's ties (`(item, ties)`, replacing what was stored
    /// for that item) are written in one transaction.
    pub async fn save_page_with_roster(
        &self,
        who: &Respondent,
        instrument: &Instrument,
        accepted: &BTreeMap<String, String>,
        roster: &[(String, Vec<TieAnswer>)],
        resume_page: i64,
    ) -> Result<Saved, StoreError> {
        let now = now();
        // Everything that can be read before taking the write lock is: on
        // SQLite every other writer waits while this transaction runs.
        let groups = match who.response_id {
            Some(_) => None,
            None => Some(
                sqlx::query(
                    "SELECT i.region_code, i.deprov_code, i.role, n.code FROM invitations i \
                     JOIN networks n ON n.id = i.network_id WHERE i.id = $1",
                )
                .bind(who.invitation_id)
                .read_one(self.db())
                .await?,
            ),
        };
        let rating: Vec<String> = instrument
            .rating_items()
            .iter()
            .map(|i| i.name.clone())
            .collect();
        let (cleared, given): (Vec<_>, Vec<_>) = accepted.iter().partition(|(_, v)| v.is_empty());

        let mut tx = self.begin_write().await?;
        let response_id = match (&who.response_id, groups) {
            (Some(id), _) => id.clone(),
            (None, Some(inv)) => {
                let id = response_id();
                sqlx::query(
                    "INSERT INTO responses (id, campaign_id, instrument_version_id, year, region_code, deprov_code, \
                     network_code, role, source, page, rating_total, started_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'web', 0, $9, $10, $10)",
                )
                .bind(id.clone())
                .bind(who.campaign.id)
                .bind(who.campaign.instrument_version_id)
                .bind(who.campaign.year)
                .bind(opt_int(&inv, "region_code")?)
                .bind(opt_int(&inv, "deprov_code")?)
                .bind(text(&inv, "code")?)
                .bind(text(&inv, "role")?)
                .bind(rating.len() as i64)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                // Two tabs saving their first page at once: the second insert
                // finds the link taken, drops its own row and joins the first.
                let linked = sqlx::query(
                    "INSERT INTO response_links (invitation_id, response_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(who.invitation_id)
                .bind(id.clone())
                .execute(&mut *tx)
                .await?;
                if linked.rows_affected() == 1 {
                    sqlx::query("UPDATE invitations SET started_at = $1, opened_at = COALESCE(opened_at, $1) WHERE id = $2")
                        .bind(now)
                        .bind(who.invitation_id)
                        .execute(&mut *tx)
                        .await?;
                    id
                } else {
                    sqlx::query("DELETE FROM responses WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    let r = sqlx::query(
                        "SELECT response_id FROM response_links WHERE invitation_id = $1",
                    )
                    .bind(who.invitation_id)
                    .fetch_one(&mut *tx)
                    .await?;
                    text(&r, "response_id")?
                }
            }
            (None, None) => return Err(StoreError::NotFound),
        };
        // A response already counted in the results (an edit after
        // submitting) moves its counts with it, in this transaction.
        let rule = who.campaign.validity();
        let counted = match &who.response_id {
            Some(_) => tx.contribution(&response_id, &rule, &rating).await?,
            None => None,
        };
        // One statement for the cleared answers and one for the given ones,
        // however many the page holds.
        if !cleared.is_empty() {
            let items: Vec<String> = cleared.iter().map(|(item, _)| (*item).clone()).collect();
            let mut delete = crate::sql::Sql::new("DELETE FROM answers WHERE response_id = ");
            delete
                .bind(response_id.clone())
                .push(" AND item IN ")
                .bind_list(&items);
            delete.query().execute(&mut *tx).await?;
        }
        if !given.is_empty() {
            let mut upsert =
                crate::sql::Sql::new("INSERT INTO answers (response_id, item, value) VALUES ");
            for (n, (item, value)) in given.iter().enumerate() {
                upsert
                    .push(if n == 0 { "(" } else { ", (" })
                    .bind(response_id.clone())
                    .push(", ")
                    .bind((*item).clone())
                    .push(", ")
                    .bind((*value).clone())
                    .push(")");
            }
            upsert.push(" ON CONFLICT (response_id, item) DO UPDATE SET value = excluded.value");
            upsert.query().execute(&mut *tx).await?;
        }
        for (item, ties) in roster {
            Store::replace_roster(&mut tx, who.invitation_id, item, ties).await?;
        }
        // The count of rating answers is taken in the same statement that
        // records where to resume.
        let mut update = crate::sql::Sql::new("UPDATE responses SET page = ");
        update.bind(resume_page).push(", updated_at = ").bind(now);
        if !rating.is_empty() {
            update
                .push(", rating_answered = (SELECT COUNT(*) FROM answers WHERE response_id = ")
                .bind(response_id.clone())
                .push(" AND item IN ")
                .bind_list(&rating)
                .push(")");
        }
        update
            .push(" WHERE id = ")
            .bind(response_id.clone())
            .push(" RETURNING rating_answered");
        let row = update.query().fetch_one(&mut *tx).await?;
        let rating_answered = int(&row, "rating_answered")?;
        if let Some(before) = counted {
            let after = tx
                .contribution(&response_id, &rule, &rating)
                .await?
                .flatten();
            let change = Tallies::change(before.as_ref(), after.as_ref());
            tx.apply_tallies(who.campaign.id, &change, &rating).await?;
        }
        tx.commit().await?;
        Ok(Saved {
            response_id,
            rating_answered: u32::try_from(rating_answered).unwrap_or(0),
        })
    }

    /// Final submit. Idempotent: a second submit changes nothing. Cancels the
    /// person's queued reminders at once.
    /// The response's counts join the campaign's results in the same
    /// transaction, if it is valid.
    pub async fn submit_response(
        &self,
        who: &Respondent,
        instrument: &Instrument,
    ) -> Result<(), StoreError> {
        let response_id = who.response_id.clone().ok_or(StoreError::NotFound)?;
        let rating = super::results::rating_names(instrument);
        let now = now();
        let mut tx = self.begin_write().await?;
        let first = sqlx::query(
            "UPDATE responses SET submitted_at = $1, updated_at = $1 WHERE id = $2 AND submitted_at IS NULL",
        )
        .bind(now)
        .bind(response_id.clone())
        .execute(&mut *tx)
        .await?;
        if first.rows_affected() == 1 {
            let added = tx
                .contribution(&response_id, &who.campaign.validity(), &rating)
                .await?;
            let change = Tallies::change(None, added.flatten().as_ref());
            tx.apply_tallies(who.campaign.id, &change, &rating).await?;
        }
        sqlx::query(
            "UPDATE invitations SET completed_at = COALESCE(completed_at, $1) WHERE id = $2",
        )
        .bind(now)
        .bind(who.invitation_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE messages SET status = 'cancelled', link = NULL, unsubscribe = NULL \
             WHERE invitation_id = $1 AND kind = 'reminder' AND status = 'queued'",
        )
        .bind(who.invitation_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

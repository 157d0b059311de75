//! The durable mail queue and the outbox.
//!
//! Messages are written before anything is sent, so a crash loses none: the
//! worker picks `queued` rows that are due, and records the outcome on the
//! message and its invitation. Without SMTP, messages wait as `outbox` for a
//! coordinator to export for a mail merge. Once a message has left, its
//! personal link is removed from the stored copy.

use crate::db::Fetch;
use serde::Serialize;

use super::{int, opt_int, opt_text, text};
use crate::accounts::new_secret;
use crate::{Store, StoreError, WriteTx, now};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Invitation,
    Reminder,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Invitation => "invitation",
            MessageKind::Reminder => "reminder",
        }
    }

    fn parse(s: &str) -> MessageKind {
        if s == "reminder" {
            MessageKind::Reminder
        } else {
            MessageKind::Invitation
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub campaign_id: i64,
    pub invitation_id: i64,
    pub kind: MessageKind,
    pub to_name: String,
    pub to_email: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub html_body: Option<String>,
    pub link: String,
    /// The opt-out link, for the List-Unsubscribe header.
    pub unsubscribe: String,
    /// True: queue for SMTP; false: keep in the outbox.
    pub send: bool,
    /// The reminder run this reminder belongs to (`None` for invitations).
    pub run_due_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: i64,
    pub campaign_id: i64,
    pub invitation_id: Option<i64>,
    pub kind: MessageKind,
    pub to_name: String,
    pub to_email: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub html_body: Option<String>,
    pub link: Option<String>,
    pub unsubscribe: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// The local part of the message's Message-ID, the same at every attempt.
    pub message_key: Option<String>,
    /// The reminder run a reminder belongs to.
    pub run_due_at: Option<i64>,
}

const SELECT: &str = "SELECT id, campaign_id, invitation_id, kind, to_name, to_email, lang, subject, body, html_body, \
     link, unsubscribe, status, attempts, last_error, created_at, sent_at, message_key, run_due_at FROM messages";

fn decode(r: &sqlx::any::AnyRow) -> Result<Message, sqlx::Error> {
    Ok(Message {
        id: int(r, "id")?,
        campaign_id: int(r, "campaign_id")?,
        invitation_id: opt_int(r, "invitation_id")?,
        kind: MessageKind::parse(&text(r, "kind")?),
        to_name: text(r, "to_name")?,
        to_email: text(r, "to_email")?,
        lang: text(r, "lang")?,
        subject: text(r, "subject")?,
        body: text(r, "body")?,
        html_body: opt_text(r, "html_body")?,
        link: opt_text(r, "link")?,
        unsubscribe: opt_text(r, "unsubscribe")?,
        status: text(r, "status")?,
        attempts: int(r, "attempts")?,
        last_error: opt_text(r, "last_error")?,
        created_at: int(r, "created_at")?,
        sent_at: opt_int(r, "sent_at")?,
        message_key: opt_text(r, "message_key")?,
        run_due_at: opt_int(r, "run_due_at")?,
    })
}

/// What the stored copy keeps of a message after it left.
const REDACTED_LINK: &str = "[enlace personal / personal link]";

/// `text` without the message's personal links.
fn redacted(m: &Message, text: &str) -> String {
    let mut out = text.to_owned();
    for link in [&m.link, &m.unsubscribe].into_iter().flatten() {
        if !link.is_empty() {
            out = out.replace(link.as_str(), REDACTED_LINK);
        }
    }
    out
}

impl Message {
    /// The message's text with its personal links replaced by a marker:
    /// what a coordinator may read before sending it, touching no link.
    pub fn preview(&self) -> String {
        redacted(self, &self.body)
    }
}

/// Queuing, inside the transaction that decided who is written to.
impl WriteTx {
    /// Writes a message to the queue (or the outbox) and shows it on its
    /// invitation. `None`: this invitation already has its reminder of this
    /// run (a resumed run writes nobody twice).
    pub async fn enqueue_message(&mut self, m: &NewMessage) -> Result<Option<i64>, StoreError> {
        let now = now();
        let status = if m.send { "queued" } else { "outbox" };
        let row = sqlx::query(
            "INSERT INTO messages (campaign_id, invitation_id, kind, to_name, to_email, lang, subject, body, html_body, \
             link, unsubscribe, status, next_attempt_at, created_at, message_key, run_due_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15) \
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(m.campaign_id)
        .bind(m.invitation_id)
        .bind(m.kind.as_str())
        .bind(m.to_name.clone())
        .bind(m.to_email.clone())
        .bind(m.lang.clone())
        .bind(m.subject.clone())
        .bind(m.body.clone())
        .bind(m.html_body.clone())
        .bind(m.link.clone())
        .bind(m.unsubscribe.clone())
        .bind(status)
        .bind(now)
        .bind(new_secret())
        .bind(m.run_due_at)
        .fetch_optional(&mut **self)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut upd = String::from(
            "UPDATE invitations SET delivery = CASE WHEN delivery IN ('pending', 'queued', 'outbox') THEN $1 ELSE delivery END",
        );
        if m.kind == MessageKind::Reminder {
            upd.push_str(", reminders_sent = reminders_sent + 1");
        }
        upd.push_str(" WHERE id = $2");
        sqlx::query(sqlx::AssertSqlSafe(upd))
            .bind(status)
            .bind(m.invitation_id)
            .execute(&mut **self)
            .await?;
        Ok(Some(int(&row, "id")?))
    }
}

/// How long a claimed message is left to its worker before another may
/// take it: far longer than a delivery can take (its timeout is 60 s).
pub const MESSAGE_LEASE_SECS: i64 = 300;

impl Store {
    /// Claims up to `limit` queued messages due at `t` for `worker`, within
    /// the hourly rate counted over every server: messages sent in the last
    /// hour and those other workers hold count against it. A claimed message
    /// is skipped by everyone else until its lease runs out.
    pub async fn claim_due_messages(
        &self,
        worker: &str,
        t: i64,
        limit: i64,
        rate_per_hour: i64,
    ) -> Result<Vec<Message>, StoreError> {
        let mut tx = self.begin_write().await?;
        // Taking this row first makes claims across servers wait for each
        // other, so two never count the same free share of the rate.
        sqlx::query("UPDATE mail_claims SET claimed_at = $1 WHERE id = 1")
            .bind(t)
            .execute(&mut *tx)
            .await?;
        let used = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM messages WHERE status = 'sent' AND sent_at > $1) \
             + (SELECT COUNT(*) FROM messages WHERE status = 'queued' AND lease_until > $2) AS n",
        )
        .bind(t - 3600)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        let budget = (rate_per_hour - int(&used, "n")?).min(limit);
        if budget <= 0 {
            tx.commit().await?;
            return Ok(vec![]);
        }
        let lock = match self.backend() {
            crate::Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            crate::Backend::Sqlite => "",
        };
        let columns = SELECT
            .trim_start_matches("SELECT ")
            .trim_end_matches(" FROM messages");
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE messages SET claimed_by = $1, lease_until = $2 WHERE id IN (\
             SELECT id FROM messages WHERE status = 'queued' AND next_attempt_at <= $3 \
             AND (lease_until IS NULL OR lease_until <= $3) ORDER BY next_attempt_at, id LIMIT $4{lock}) \
             RETURNING {columns}"
        )))
        .bind(worker.to_owned())
        .bind(t + MESSAGE_LEASE_SECS)
        .bind(t)
        .bind(budget)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut claimed: Vec<Message> = rows.iter().map(decode).collect::<Result<_, _>>()?;
        claimed.sort_by_key(|m| m.id);
        Ok(claimed)
    }

    /// Whether a queued message should still go: its invitation is in
    /// force, reminders only to those who have not completed, nobody who
    /// opted out. Cancels it otherwise.
    pub async fn still_wanted(&self, m: &Message) -> Result<bool, StoreError> {
        let wanted = match m.invitation_id {
            None => false,
            Some(inv) => {
                let row = sqlx::query(
                    "SELECT i.revoked_at, i.completed_at, c.status FROM invitations i \
                     JOIN campaigns c ON c.id = i.campaign_id WHERE i.id = $1",
                )
                .bind(inv)
                .read_optional(self.db())
                .await?;
                match row {
                    None => false,
                    Some(r) => {
                        opt_int(&r, "revoked_at")?.is_none()
                            && text(&r, "status")? == "open"
                            && (m.kind == MessageKind::Invitation
                                || opt_int(&r, "completed_at")?.is_none())
                            && !self.is_opted_out(&m.to_email).await?
                    }
                }
            }
        };
        if !wanted {
            self.write_one(
                sqlx::query("UPDATE messages SET status = 'cancelled', link = NULL, unsubscribe = NULL WHERE id = $1 AND status = 'queued'")
                    .bind(m.id),
            )
                .await?;
        }
        Ok(wanted)
    }

    /// Records a delivery: the message is `sent`, its copy loses the link,
    /// the invitation shows it, and the audit log has a line.
    pub async fn mark_sent(
        &self,
        m: &Message,
        provider_id: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = now();
        let redact = |s: &str| redacted(m, s);
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE messages SET status = 'sent', sent_at = $1, attempts = attempts + 1, body = $2, html_body = $3, \
             link = NULL, unsubscribe = NULL, last_error = NULL, lease_until = NULL WHERE id = $4",
        )
        .bind(now)
        .bind(redact(&m.body))
        .bind(m.html_body.as_deref().map(redact))
        .bind(m.id)
        .execute(&mut *tx)
        .await?;
        if let Some(inv) = m.invitation_id {
            sqlx::query(
                "UPDATE invitations SET delivery = 'sent', delivery_error = NULL WHERE id = $1 AND delivery <> 'opted_out'",
            )
            .bind(inv)
            .execute(&mut *tx)
            .await?;
        }
        tx.audit(
            None,
            "mail.sent",
            &format!(
                "message {} ({}) campaign {} invitation {}{}",
                m.id,
                m.kind.as_str(),
                m.campaign_id,
                m.invitation_id.map(|i| i.to_string()).unwrap_or_default(),
                provider_id.map(|p| format!(" id {p}")).unwrap_or_default()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A temporary failure: try again at `retry_at`, or give up after
    /// `max_attempts`.
    pub async fn mark_retry(
        &self,
        m: &Message,
        error: &str,
        retry_at: i64,
        max_attempts: i64,
    ) -> Result<(), StoreError> {
        if m.attempts + 1 >= max_attempts {
            return self.mark_failed(m, error, false).await;
        }
        self.write_one(
            sqlx::query("UPDATE messages SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, lease_until = NULL WHERE id = $3")
                .bind(error.to_owned())
                .bind(retry_at)
                .bind(m.id),
        )
            .await?;
        Ok(())
    }

    /// A permanent failure (`bounced` when the server refused the address).
    pub async fn mark_failed(
        &self,
        m: &Message,
        error: &str,
        bounced: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE messages SET status = 'failed', attempts = attempts + 1, last_error = $1, link = NULL, unsubscribe = NULL, lease_until = NULL WHERE id = $2",
        )
        .bind(error.to_owned())
        .bind(m.id)
        .execute(&mut *tx)
        .await?;
        if let Some(inv) = m.invitation_id {
            sqlx::query("UPDATE invitations SET delivery = $1, delivery_error = $2 WHERE id = $3")
                .bind(if bounced { "bounced" } else { "failed" })
                .bind(error.to_owned())
                .bind(inv)
                .execute(&mut *tx)
                .await?;
        }
        tx.audit(
            None,
            "mail.failed",
            &format!("message {} campaign {}: {error}", m.id, m.campaign_id),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A campaign's messages, newest first; `status` filters.
    pub async fn campaign_messages(
        &self,
        campaign_id: i64,
        status: Option<&str>,
    ) -> Result<Vec<Message>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE campaign_id = $1 AND ($2 = '' OR status = $2) ORDER BY id DESC"
        )))
        .bind(campaign_id)
        .bind(status.unwrap_or("").to_owned())
        .read_all(self.db())
        .await?;
        Ok(rows.iter().map(decode).collect::<Result<_, _>>()?)
    }

    /// Message counts per status for a campaign.
    pub async fn message_counts(&self, campaign_id: i64) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM messages WHERE campaign_id = $1 GROUP BY status ORDER BY status",
        )
        .bind(campaign_id)
        .read_all(self.db())
        .await?;
        Ok(rows
            .iter()
            .map(|r| Ok((text(r, "status")?, int(r, "n")?)))
            .collect::<Result<_, sqlx::Error>>()?)
    }
}

/// The mail queue of every campaign at one moment, for monitoring: what
/// every server sees, not one process's share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueStats {
    /// Messages by status (`queued`, `sent`, `failed`, `outbox`, …).
    pub by_status: Vec<(String, i64)>,
    /// Seconds the oldest message due to go has been waiting (0: none due).
    pub oldest_due_secs: i64,
    /// Reminder runs of open campaigns that are due and not done yet.
    pub reminder_runs_due: i64,
    /// Seconds the oldest of those has been due (0: none).
    pub oldest_reminder_run_secs: i64,
}

impl Store {
    /// Counts messages by status and measures how late the worker is.
    pub async fn queue_stats(&self, t: i64) -> Result<QueueStats, StoreError> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM messages GROUP BY status ORDER BY status",
        )
        .read_all(self.db())
        .await?;
        let by_status = rows
            .iter()
            .map(|r| Ok((text(r, "status")?, int(r, "n")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        let oldest = sqlx::query(
            "SELECT MIN(next_attempt_at) AS due FROM messages \
             WHERE status = 'queued' AND next_attempt_at <= $1",
        )
        .bind(t)
        .read_one(self.db())
        .await?;
        let oldest_due_secs = opt_int(&oldest, "due")?.map_or(0, |due| (t - due).max(0));
        // A run being worked on counts too: until it is done, its reminders
        // are not all queued.
        let runs = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(r.due_at) AS due FROM campaign_reminders r \
             JOIN campaigns c ON c.id = r.campaign_id \
             WHERE r.done_at IS NULL AND r.due_at <= $1 AND c.status = 'open'",
        )
        .bind(t)
        .read_one(self.db())
        .await?;
        Ok(QueueStats {
            by_status,
            oldest_due_secs,
            reminder_runs_due: int(&runs, "n")?,
            oldest_reminder_run_secs: opt_int(&runs, "due")?.map_or(0, |due| (t - due).max(0)),
        })
    }
}

/// A message handed over for a mail merge: what the coordinator's tool
/// needs to send it.
#[derive(Debug, Clone, Serialize)]
pub struct HandedOver {
    pub to_name: String,
    pub to_email: String,
    pub link: String,
    pub kind: MessageKind,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub opt_out_link: String,
}

/// The outbox leaving, inside a use case's transaction.
impl WriteTx {
    /// Takes every message waiting in a campaign's outbox, once: they count
    /// as sent from now on, their stored copies lose the personal links,
    /// and `by` is recorded as who took them.
    pub async fn hand_over_outbox(
        &mut self,
        campaign_id: i64,
        by: Option<i64>,
    ) -> Result<Vec<HandedOver>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE campaign_id = $1 AND status = 'outbox' ORDER BY id"
        )))
        .bind(campaign_id)
        .fetch_all(&mut **self)
        .await?;
        let messages: Vec<Message> = rows.iter().map(decode).collect::<Result<_, _>>()?;
        let t = now();
        for m in &messages {
            sqlx::query(
                "UPDATE messages SET status = 'sent', sent_at = $1, handed_over_by = $2, body = $3, \
                 html_body = $4, link = NULL, unsubscribe = NULL WHERE id = $5",
            )
            .bind(t)
            .bind(by)
            .bind(redacted(m, &m.body))
            .bind(m.html_body.as_deref().map(|h| redacted(m, h)))
            .bind(m.id)
            .execute(&mut **self)
            .await?;
        }
        sqlx::query(
            "UPDATE invitations SET delivery = 'sent' WHERE campaign_id = $1 AND delivery = 'outbox'",
        )
        .bind(campaign_id)
        .execute(&mut **self)
        .await?;
        Ok(messages
            .into_iter()
            .map(|m| HandedOver {
                to_name: m.to_name,
                to_email: m.to_email,
                link: m.link.unwrap_or_default(),
                kind: m.kind,
                lang: m.lang,
                subject: m.subject,
                body: m.body,
                opt_out_link: m.unsubscribe.unwrap_or_default(),
            })
            .collect())
    }
}

/// Who took a campaign's outbox, and when (newest first).
#[derive(Debug, Clone, Serialize)]
pub struct Handover {
    pub at: i64,
    pub by: Option<String>,
    pub messages: i64,
}

impl Store {
    pub async fn outbox_handovers(&self, campaign_id: i64) -> Result<Vec<Handover>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.sent_at AS at, u.email AS by_email, COUNT(*) AS n FROM messages m \
             LEFT JOIN users u ON u.id = m.handed_over_by \
             WHERE m.campaign_id = $1 AND m.status = 'sent' AND m.handed_over_by IS NOT NULL \
             GROUP BY m.sent_at, u.email ORDER BY m.sent_at DESC",
        )
        .bind(campaign_id)
        .read_all(self.db())
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(Handover {
                    at: int(r, "at")?,
                    by: opt_text(r, "by_email")?,
                    messages: int(r, "n")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }
}

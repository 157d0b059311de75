//! Reaching participants: invitations and reminders are rendered in the
//! person's language, each with a fresh personal link, and written to the
//! durable mail queue (or the outbox when no SMTP relay is configured). The
//! [`worker`] sends what is due inside the server: within the hourly rate,
//! retrying temporary failures, recording bounces, running scheduled
//! reminders and closing campaigns whose date has passed.

pub mod worker;

use trama_i18n::{Lang, long_date};
use trama_mail::{MessageKind as MailKind, MessageVars, render};
use trama_store::campaigns::invitations::{Audience, LinkPurpose, Recipient};
use trama_store::campaigns::lifecycle::{Campaign, CampaignStatus};
use trama_store::campaigns::mail_queue::{MessageKind, NewMessage};
use trama_store::{Store, StoreError, WriteTx};

pub use worker::{Worker, WorkerReport};

/// How messages are addressed and whether they can be sent.
#[derive(Debug, Clone)]
pub struct Outreach {
    /// Public address of the server, e.g. `https://trama.mineduc.cl`, used in links.
    pub base_url: String,
    /// False: messages wait in the outbox for a mail merge.
    pub smtp: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum OutreachError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the campaign is not open")]
    NotOpen,
}

/// The answering URL for a link secret.
pub fn answer_url(base: &str, token: &str) -> String {
    format!("{}/r/{token}", base.trim_end_matches('/'))
}

/// The opt-out URL for a link secret.
pub fn opt_out_url(base: &str, token: &str) -> String {
    format!("{}/r/{token}/opt-out", base.trim_end_matches('/'))
}

/// The close date as people read it (Chile's time zone).
pub fn closing_date(lang: Lang, closes_at: i64) -> String {
    // Closing at midnight means the day before is the last one to answer.
    match trama_stdx::time::date_at(closes_at - 1) {
        Some(d) => long_date(lang, i32::from(d.year()), d.month() as u8, d.day() as u8),
        None => String::new(),
    }
}

/// Messages written per transaction: few enough that a page save waiting
/// for SQLite's write lock never waits long, enough to be quick. Each batch
/// commits its messages with the state that says they were written, so a
/// round cut short anywhere is resumed where it stopped.
const BATCH: i64 = 100;

impl Outreach {
    async fn message_for(
        &self,
        tx: &mut WriteTx,
        campaign: &Campaign,
        r: &Recipient,
        kind: MessageKind,
        run_due_at: Option<i64>,
    ) -> Result<NewMessage, StoreError> {
        let lang = Lang::from_tag(&r.lang).unwrap_or(Lang::Es);
        let token = tx.issue_link(r.invitation_id, LinkPurpose::Answer).await?;
        let opt_token = tx.issue_link(r.invitation_id, LinkPurpose::OptOut).await?;
        let link = answer_url(&self.base_url, &token);
        let opt_out = opt_out_url(&self.base_url, &opt_token);
        let closes = closing_date(lang, campaign.closes_at);
        let vars = MessageVars {
            person_name: &r.person_name,
            network_name: &r.network_name,
            network_code: &r.network_code,
            campaign_name: &campaign.name,
            link: &link,
            opt_out_link: &opt_out,
            closes_on: &closes,
        };
        let mail_kind = match kind {
            MessageKind::Invitation => MailKind::Invitation,
            MessageKind::Reminder => MailKind::Reminder,
        };
        let envelope = render(mail_kind, lang, &r.email, &vars);
        Ok(NewMessage {
            campaign_id: campaign.id,
            invitation_id: r.invitation_id,
            kind,
            to_name: r.person_name.clone(),
            to_email: r.email.clone(),
            lang: lang.tag().to_owned(),
            subject: envelope.subject,
            body: envelope.text_body,
            html_body: envelope.html_body,
            link,
            unsubscribe: opt_out,
            send: self.smtp,
            run_due_at,
        })
    }

    /// Invites everyone on the list who has not had an invitation yet: at
    /// opening, for someone added to an open campaign, and from the worker
    /// for whatever an interrupted opening left.
    pub async fn send_invitations(
        &self,
        store: &Store,
        campaign: &Campaign,
    ) -> Result<usize, OutreachError> {
        self.write_to(store, campaign, Audience::Uninvited).await
    }

    /// Writes a reminder run's reminders: to everyone who has not completed
    /// (and has not opted out) and has no reminder of this run yet.
    pub async fn send_reminders(
        &self,
        store: &Store,
        campaign: &Campaign,
        run_due_at: i64,
    ) -> Result<usize, OutreachError> {
        self.write_to(store, campaign, Audience::Reminder { run_due_at })
            .await
    }

    async fn write_to(
        &self,
        store: &Store,
        campaign: &Campaign,
        audience: Audience,
    ) -> Result<usize, OutreachError> {
        if campaign.status != CampaignStatus::Open {
            return Err(OutreachError::NotOpen);
        }
        let (kind, run) = match audience {
            Audience::Reminder { run_due_at } => (MessageKind::Reminder, Some(run_due_at)),
            _ => (MessageKind::Invitation, None),
        };
        let mut written = 0;
        let mut previous = None;
        loop {
            let batch = store.recipients(campaign.id, audience, BATCH).await?;
            let first = batch.first().map(|r| r.invitation_id);
            // A committed batch leaves the audience; finding the same one
            // again means it could not be written, and trying forever helps
            // nobody.
            if first.is_none() || first == previous {
                break;
            }
            previous = first;
            written += store
                .write(async |tx| {
                    let mut queued = 0;
                    for r in &batch {
                        if r.opted_out {
                            tx.mark_opted_out(r.invitation_id).await?;
                            continue;
                        }
                        let m = self.message_for(tx, campaign, r, kind, run).await?;
                        if tx.enqueue_message(&m).await?.is_some() {
                            queued += 1;
                        }
                    }
                    Ok(queued)
                })
                .await?;
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_closing_at_chilean_midnight_ends_the_day_before() {
        let midnight = trama_stdx::time::day_start(jiff::civil::Date::constant(2026, 12, 16))
            .unwrap_or_default();
        let es = closing_date(Lang::Es, midnight);
        assert!(es.contains("15") && es.contains("2026"), "{es}");
        assert!(!es.contains("16"), "{es}");
        assert!(closing_date(Lang::Es, i64::MAX).is_empty());
    }
}

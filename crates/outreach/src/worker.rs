//! The server's background worker. Each tick: close campaigns whose date has
//! passed, write the invitations an interrupted opening still owes, run
//! reminder schedules that fell due, then send queued messages within the
//! hourly rate. Every step reads its work from the database and claims it
//! there, so a restart picks up exactly where the last run stopped and
//! several servers on one database share the work without doing any twice.
//!
//! Delivery is at least once at the edge: a worker that dies after the relay
//! accepted a message but before recording it leaves the message claimed;
//! once its lease runs out another worker sends it again, with the same
//! Message-ID, so the relay (or the reader's client) can drop the copy.

use std::sync::Arc;
use std::time::Duration;

use trama_mail::Mailer;
use trama_store::{Store, StoreError, now};

use trama_store::campaigns::mail_queue::Message;

use crate::{Outreach, OutreachError};

/// How many messages a round wrote; a campaign closed meanwhile wrote none.
fn written(r: Result<usize, OutreachError>) -> Result<usize, StoreError> {
    match r {
        Ok(n) => Ok(n),
        Err(OutreachError::NotOpen) => Ok(0),
        Err(OutreachError::Store(e)) => Err(e),
    }
}

/// Attempts before a temporary failure is recorded as a failure.
pub const MAX_ATTEMPTS: i64 = 6;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerReport {
    pub closed: usize,
    pub invitations_queued: usize,
    pub reminders_queued: usize,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub cancelled: usize,
}

pub struct Worker {
    pub store: Store,
    pub outreach: Outreach,
    /// `None`: no relay; queued messages wait (the outbox is used instead).
    pub mailer: Option<Arc<dyn Mailer>>,
    pub rate_per_hour: u32,
    /// Whose claims these are: unique to the running process.
    pub id: String,
}

/// Messages claimed at a time: a worker that dies holds few.
const CLAIM_BATCH: i64 = 20;

/// A name for this process's worker, unique across servers and restarts.
pub fn instance_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".to_owned());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{host}:{}:{nanos:08x}", std::process::id())
}

/// Backoff after the n-th failed attempt: 1, 5, 15, 60, 240 minutes.
pub fn retry_delay(attempt: i64) -> i64 {
    const MINUTES: [i64; 5] = [1, 5, 15, 60, 240];
    MINUTES[(attempt.max(1) as usize - 1).min(MINUTES.len() - 1)] * 60
}

impl Worker {
    /// One pass over everything that is due at `t`.
    pub async fn tick(&self, t: i64) -> Result<WorkerReport, StoreError> {
        let mut report = WorkerReport {
            closed: self.store.close_due_campaigns(t).await?.len(),
            ..Default::default()
        };
        for campaign_id in self.store.campaigns_owing_invitations().await? {
            if let Some(c) = self.store.campaign_by_id(campaign_id).await? {
                report.invitations_queued +=
                    written(self.outreach.send_invitations(&self.store, &c).await)?;
            }
        }
        for (campaign_id, due_at) in self.store.due_reminder_runs(t).await? {
            if !self
                .store
                .claim_reminder_run(campaign_id, due_at, t)
                .await?
            {
                continue;
            }
            if let Some(c) = self.store.campaign_by_id(campaign_id).await? {
                report.reminders_queued +=
                    written(self.outreach.send_reminders(&self.store, &c, due_at).await)?;
                self.store.finish_reminder_run(campaign_id, due_at).await?;
            }
        }
        let Some(mailer) = &self.mailer else {
            return Ok(report);
        };
        loop {
            let claimed = self
                .store
                .claim_due_messages(&self.id, t, CLAIM_BATCH, i64::from(self.rate_per_hour))
                .await?;
            // Fewer than asked for: the queue is empty or the hour's rate
            // used up (attempts that failed this tick count against it too).
            let last = (claimed.len() as i64) < CLAIM_BATCH;
            for m in claimed {
                self.deliver(mailer.as_ref(), &m, t, &mut report).await?;
            }
            if last {
                break;
            }
        }
        Ok(report)
    }

    async fn deliver(
        &self,
        mailer: &dyn Mailer,
        m: &Message,
        t: i64,
        report: &mut WorkerReport,
    ) -> Result<(), StoreError> {
        if !self.store.still_wanted(m).await? {
            report.cancelled += 1;
            return Ok(());
        }
        let envelope = trama_mail::Envelope {
            to_email: m.to_email.clone(),
            to_name: m.to_name.clone(),
            subject: m.subject.clone(),
            text_body: m.body.clone(),
            html_body: m.html_body.clone(),
            list_unsubscribe: m.unsubscribe.clone(),
            message_key: m.message_key.clone(),
        };
        match mailer.send(&envelope).await {
            Ok(sent) => {
                self.store.mark_sent(m, sent.message_id.as_deref()).await?;
                report.sent += 1;
            }
            Err(e) if e.is_temporary() => {
                let retry_at = now().max(t) + retry_delay(m.attempts + 1);
                self.store
                    .mark_retry(m, e.detail(), retry_at, MAX_ATTEMPTS)
                    .await?;
                if m.attempts + 1 >= MAX_ATTEMPTS {
                    report.failed += 1;
                } else {
                    report.retried += 1;
                }
            }
            Err(e) => {
                self.store.mark_failed(m, e.detail(), true).await?;
                report.failed += 1;
            }
        }
        Ok(())
    }

    /// Runs until `shutdown` resolves, one tick every `every`.
    pub async fn run(self, every: Duration, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                _ = interval.tick() => {
                    match self.tick(now()).await {
                        Ok(r) if r != WorkerReport::default() => tracing::info!(?r, "campaign worker"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "campaign worker"),
                    }
                }
            }
        }
    }
}

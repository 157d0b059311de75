//! The server's background worker. Each tick: close campaigns whose date has
//! passed, run reminder schedules that fell due, then send queued messages
//! within the hourly rate. Every step reads its work from the database, so
//! a restart picks up exactly where the last run stopped.

use std::sync::Arc;
use std::time::Duration;

use trama_mail::Mailer;
use trama_store::{Store, StoreError, now};

use crate::Outreach;

/// Attempts before a temporary failure is recorded as a failure.
pub const MAX_ATTEMPTS: i64 = 6;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerReport {
    pub closed: usize,
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
        for (campaign_id, due_at) in self.store.due_reminder_runs(t).await? {
            if !self.store.claim_reminder_run(campaign_id, due_at).await? {
                continue;
            }
            if let Some(c) = self.store.campaign_by_id(campaign_id).await? {
                match self.outreach.send_reminders(&self.store, &c).await {
                    Ok(n) => report.reminders_queued += n,
                    Err(crate::OutreachError::Store(e)) => return Err(e),
                    Err(crate::OutreachError::NotOpen) => {}
                }
            }
        }
        let Some(mailer) = &self.mailer else {
            return Ok(report);
        };
        let budget = i64::from(self.rate_per_hour) - self.store.sent_in_hour_before(t).await?;
        if budget <= 0 {
            return Ok(report);
        }
        for m in self.store.due_messages(t, budget.min(100)).await? {
            if !self.store.still_wanted(&m).await? {
                report.cancelled += 1;
                continue;
            }
            let envelope = trama_mail::Envelope {
                to_email: m.to_email.clone(),
                to_name: m.to_name.clone(),
                subject: m.subject.clone(),
                text_body: m.body.clone(),
                html_body: m.html_body.clone(),
                list_unsubscribe: m.unsubscribe.clone(),
            };
            match mailer.send(&envelope).await {
                Ok(sent) => {
                    self.store.mark_sent(&m, sent.message_id.as_deref()).await?;
                    report.sent += 1;
                }
                Err(e) if e.is_temporary() => {
                    let retry_at = now().max(t) + retry_delay(m.attempts + 1);
                    self.store
                        .mark_retry(&m, e.detail(), retry_at, MAX_ATTEMPTS)
                        .await?;
                    if m.attempts + 1 >= MAX_ATTEMPTS {
                        report.failed += 1;
                    } else {
                        report.retried += 1;
                    }
                }
                Err(e) => {
                    self.store.mark_failed(&m, e.detail(), true).await?;
                    report.failed += 1;
                }
            }
        }
        Ok(report)
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

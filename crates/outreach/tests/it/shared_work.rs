//! Work that must be done once however many workers run and wherever one
//! dies: an opening or a reminder run cut short is finished by the next
//! tick, a claimed message is left alone until its lease runs out and then
//! sent with the Message-ID it always had, and the hourly rate holds across
//! workers. (Two real servers on one PostgreSQL: `cli/tests/it/servers.rs`.)

use std::collections::BTreeMap;
use std::sync::Arc;

use trama_outreach::{Outreach, Worker};
use trama_store::campaigns::invitations::Audience;
use trama_store::campaigns::lifecycle::REMINDER_RUN_LEASE_SECS;
use trama_store::campaigns::mail_queue::{MESSAGE_LEASE_SECS, MessageKind, NewMessage};
use trama_store::{Store, now};

use crate::campaign::{DAY, Relay, demo, open_round};

fn smtp() -> Outreach {
    Outreach {
        base_url: "http://trama.test".into(),
        smtp: true,
    }
}

fn worker(s: &Store, relay: &Arc<Relay>, id: &str, rate_per_hour: u32) -> Worker {
    Worker {
        store: s.clone(),
        outreach: smtp(),
        mailer: Some(relay.clone()),
        rate_per_hour,
        id: id.into(),
    }
}

fn sent_to(relay: &Relay) -> BTreeMap<String, usize> {
    let mut by_address = BTreeMap::new();
    for e in relay.sent.lock().map(|v| v.clone()).unwrap_or_default() {
        *by_address.entry(e.to_email).or_insert(0) += 1;
    }
    by_address
}

async fn invited(s: &Store, campaign: i64) -> usize {
    s.count_invitations(campaign)
        .await
        .unwrap_or_else(|e| panic!("{e}")) as usize
}

#[tokio::test]
async fn an_opening_cut_short_is_finished_by_the_worker() {
    let (s, _g, version) = demo().await;
    // What a crash right after "Abrir campaña" committed leaves: the
    // campaign open, nobody written to yet.
    let c = open_round(&s, "cut", version, &["RME1", "RME2"]).await;
    let n = invited(&s, c.id).await;
    assert!(n >= 10, "{n}");
    let relay = Arc::new(Relay::default());
    let w = worker(&s, &relay, "w1", 10_000);
    let r = w.tick(now()).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.invitations_queued, n, "{r:?}");
    // Messages queued during a tick may be due only at the next one.
    let again = w.tick(now() + 60).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.invitations_queued, 0, "{again:?}");
    assert_eq!(r.sent + again.sent, n, "{r:?} {again:?}");
    let by_address = sent_to(&relay);
    assert_eq!(by_address.len(), n);
    assert!(by_address.values().all(|k| *k == 1), "{by_address:?}");
}

#[tokio::test]
async fn a_reminder_run_cut_short_is_resumed_once_its_lease_ends_and_reminds_nobody_twice() {
    let (s, _g, version) = demo().await;
    let c = open_round(&s, "resume", version, &["RME2"]).await;
    let n = invited(&s, c.id).await;
    let relay = Arc::new(Relay::default());
    let w = worker(&s, &relay, "w1", 10_000);
    let t = now();
    w.tick(t).await.unwrap_or_else(|e| panic!("{e}"));
    let t7 = t + 7 * DAY;
    let runs = s
        .due_reminder_runs(t7)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let &[(campaign, due)] = runs.as_slice() else {
        panic!("one run due at day 7: {runs:?}")
    };
    // Another worker takes the run and dies after writing one reminder.
    assert!(
        s.claim_reminder_run(campaign, due, t7)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    let first = s
        .recipients(campaign, Audience::Reminder { run_due_at: due }, 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let first = first.first().unwrap_or_else(|| panic!("someone to remind"));
    let partial = NewMessage {
        campaign_id: campaign,
        invitation_id: first.invitation_id,
        kind: MessageKind::Reminder,
        to_name: first.person_name.clone(),
        to_email: first.email.clone(),
        lang: "es".into(),
        subject: "Recordatorio".into(),
        body: "Recordatorio".into(),
        html_body: None,
        link: String::new(),
        unsubscribe: String::new(),
        send: true,
        run_due_at: Some(due),
    };
    s.write(async |tx| tx.enqueue_message(&partial).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // While its lease holds nobody else takes the run.
    let held = w.tick(t7 + 60).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(held.reminders_queued, 0, "{held:?}");
    // Once it has run out, the run is finished for everyone else.
    let later = t7 + REMINDER_RUN_LEASE_SECS + 1;
    let resumed = w.tick(later).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resumed.reminders_queued, n - 1, "{resumed:?}");
    let done = w.tick(later + 60).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.reminders_queued, 0, "the run is done: {done:?}");
    let reminders = s
        .campaign_messages(campaign, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut per_invitation = BTreeMap::new();
    for m in reminders.iter().filter(|m| m.kind == MessageKind::Reminder) {
        *per_invitation.entry(m.invitation_id).or_insert(0) += 1;
    }
    assert_eq!(per_invitation.len(), n);
    assert!(
        per_invitation.values().all(|k| *k == 1),
        "{per_invitation:?}"
    );
    // A second, overlapping attempt at the same run writes nobody twice.
    let twice = smtp()
        .send_reminders(&s, &c, due)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(twice, 0);
}

#[tokio::test]
async fn a_message_held_by_a_dead_worker_waits_for_its_lease_then_goes_with_the_same_message_id() {
    let (s, _g, version) = demo().await;
    let c = open_round(&s, "lease", version, &["RME2"]).await;
    let n = smtp()
        .send_invitations(&s, &c)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let t = now();
    let held = s
        .claim_due_messages("dead", t, 3, 10_000)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(held.len(), 3);
    let relay = Arc::new(Relay::default());
    let w = worker(&s, &relay, "alive", 10_000);
    let r = w.tick(t).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.sent, n - 3, "{r:?}");
    let first = sent_to(&relay);
    assert!(held.iter().all(|m| !first.contains_key(&m.to_email)));
    let r = w
        .tick(t + MESSAGE_LEASE_SECS + 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.sent, 3, "{r:?}");
    let envelopes = relay.sent.lock().map(|v| v.clone()).unwrap_or_default();
    for m in &held {
        let e = envelopes
            .iter()
            .find(|e| e.to_email == m.to_email)
            .unwrap_or_else(|| panic!("{} sent", m.to_email));
        assert!(m.message_key.is_some());
        assert_eq!(
            e.message_key, m.message_key,
            "the Message-ID it was queued with"
        );
    }
    assert!(sent_to(&relay).values().all(|k| *k == 1));
}

#[tokio::test]
async fn two_workers_on_one_database_send_each_message_once_within_one_shared_rate() {
    let (s, _g, version) = demo().await;
    let c = open_round(&s, "two", version, &["RME1", "RME2", "RME3"]).await;
    let n = smtp()
        .send_invitations(&s, &c)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let relay = Arc::new(Relay::default());
    // A rate below the queue: both together may send only that many.
    let rate = (n / 2) as u32;
    let (a, b) = (worker(&s, &relay, "a", rate), worker(&s, &relay, "b", rate));
    let t = now();
    let (ra, rb) = tokio::join!(a.tick(t), b.tick(t));
    let (ra, rb) = (
        ra.unwrap_or_else(|e| panic!("{e}")),
        rb.unwrap_or_else(|e| panic!("{e}")),
    );
    assert_eq!(ra.sent + rb.sent, rate as usize, "{ra:?} {rb:?}");
    // The next hour, the rest, once each.
    let (a, b) = (
        worker(&s, &relay, "a", 10_000),
        worker(&s, &relay, "b", 10_000),
    );
    let (ra, rb) = tokio::join!(a.tick(t + 7200), b.tick(t + 7200));
    assert_eq!(
        ra.map(|r| r.sent).unwrap_or(0) + rb.map(|r| r.sent).unwrap_or(0),
        n - rate as usize
    );
    let by_address = sent_to(&relay);
    assert_eq!(by_address.len(), n);
    assert!(by_address.values().all(|k| *k == 1), "{by_address:?}");
}

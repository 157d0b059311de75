//! A monitoring round end to end on a real database (SQLite, or PostgreSQL
//! when `TRAMA_TEST_DATABASE_URL` is set): instrument, campaign, invitations,
//! answering through links, reminders, the mail worker, the funnel and the
//! response file.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use trama_campaign::funnel::{Grouping, funnel};
use trama_campaign::{ReminderDays, ValidityRule};
use trama_instrument::default_rme;
use trama_mail::{Envelope, Mailer, SendError, SendFuture, Sent};
use trama_outreach::{Outreach, Worker};
use trama_store::campaigns::answering::{LinkState, Respondent};
use trama_store::campaigns::invitations::{InvitationFilter, LinkPurpose};
use trama_store::campaigns::lifecycle::{CampaignInput, CampaignScope, CampaignStatus};
use trama_store::testing::{TestGuard, test_store};
use trama_store::{Store, StoreError, now};

pub(crate) const DAY: i64 = 86_400;

pub(crate) async fn demo() -> (Store, TestGuard, i64) {
    let (s, g) = test_store()
        .await
        .unwrap_or_else(|e| panic!("test store: {e}"));
    s.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
    let version = s
        .instrument("rme", None)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("demo loads the RME instrument"));
    (s, g, version.version.id)
}

pub(crate) fn input(code: &str, version: i64, networks: &[&str]) -> CampaignInput {
    let t = now();
    CampaignInput {
        code: code.into(),
        name: format!("Monitoreo {code}"),
        year: trama_store::current_year(),
        instrument_version_id: version,
        scope: CampaignScope::Networks(networks.iter().map(|n| (*n).to_owned()).collect()),
        opens_at: t - DAY,
        closes_at: t + 30 * DAY,
        reminder_days: ReminderDays::parse("7,14").unwrap_or_default(),
        validity: ValidityRule::default(),
    }
}

/// A campaign on `networks`, its registry invitees added, opened.
pub(crate) async fn open_round(
    s: &Store,
    code: &str,
    version: i64,
    networks: &[&str],
) -> trama_store::campaigns::lifecycle::Campaign {
    let id = s
        .write(async |tx| {
            tx.create_campaign(&input(code, version, networks), None)
                .await
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.write(async |tx| tx.invite_from_registry(id).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.write(async |tx| tx.open_campaign(id).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.campaign_by_id(id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("campaign"))
}

pub(crate) fn outbox() -> Outreach {
    Outreach {
        base_url: "http://trama.test".into(),
        smtp: false,
    }
}

pub(crate) fn token_of(link: &str) -> &str {
    link.rsplit('/').next().unwrap_or_default()
}

pub(crate) async fn respondent(s: &Store, token: &str) -> Respondent {
    match s.open_link(token).await.unwrap_or_else(|e| panic!("{e}")) {
        LinkState::Active(r) => *r,
        other => panic!("link should be active, is {other:?}"),
    }
}

pub(crate) fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn instruments_are_versioned_by_content() {
    let (s, _g, v1) = demo().await;
    let mut rme = default_rme();
    let (again, new) = s
        .save_instrument(&rme)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!new, "same content, same version");
    assert_eq!(again.id, v1);
    rme.items[3].label_es.push_str(" (revisada)");
    let (v2, new) = s
        .save_instrument(&rme)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(new);
    assert_eq!(v2.number, 2);
    let latest = s
        .instrument("rme", None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(latest.map(|l| l.version.id), Some(v2.id));
    let first = s
        .instrument("rme", Some(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        first.map(|f| f.instrument),
        Some(default_rme()),
        "a pinned version reads back whole"
    );
}

#[tokio::test]
async fn a_round_from_invitation_to_export() {
    let (s, _g, version) = demo().await;
    let id = s
        .write(async |tx| {
            tx.create_campaign(&input("rme-2026", version, &["RME1", "RME2", "RME3"]), None)
                .await
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // A campaign with nobody invited cannot open.
    assert!(matches!(
        s.write(async |tx| tx.open_campaign(id).await).await,
        Err(StoreError::Invalid(_))
    ));
    let added = s
        .write(async |tx| tx.invite_from_registry(id).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        added >= 3 * 5 * 2,
        "duplas of at least five schools per network, got {added}"
    );
    let again = s
        .write(async |tx| tx.invite_from_registry(id).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, 0, "nobody is invited twice");
    s.write(async |tx| tx.open_campaign(id).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let c = s
        .campaign_by_id(id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("campaign"));
    assert_eq!(c.status, CampaignStatus::Open);

    let sent = outbox()
        .send_invitations(&s, &c)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sent as u64, added);
    assert_eq!(
        outbox().send_invitations(&s, &c).await.ok(),
        Some(0),
        "invited once"
    );
    let msgs = s
        .campaign_messages(id, Some("outbox"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(msgs.len() as u64, added);
    let first = &msgs[msgs.len() - 1];
    let link = first.link.clone().unwrap_or_default();
    assert!(link.starts_with("http://trama.test/r/"));
    assert!(first.body.contains(&link), "the body carries the link");

    // The link works, resumes, and the database holds only its hash.
    let token = token_of(&link).to_owned();
    let who = respondent(&s, &token).await;
    assert_eq!(who.page, 0);
    assert!(who.response_id.is_none(), "nothing started yet");
    let rme = default_rme();
    let saved = s
        .save_page(
            &who,
            &rme,
            &answers(&[("conf_1", "4"), ("conf_2", "NA")]),
            2,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(saved.rating_answered, 2, "No aplica counts as answered");
    // A second tab saving the same page again: same response, no duplicates.
    let saved2 = s
        .save_page(&who, &rme, &answers(&[("conf_1", "5")]), 2)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(saved2.response_id, saved.response_id);
    let who = respondent(&s, &token).await;
    assert_eq!(who.page, 2, "resumes where the person stopped");
    assert_eq!(who.response_id.as_deref(), Some(saved.response_id.as_str()));
    let stored = s
        .answers(&saved.response_id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stored, answers(&[("conf_1", "5"), ("conf_2", "NA")]));

    // Answer almost everything and submit.
    let all: Vec<(String, String)> = rme
        .rating_items()
        .iter()
        .enumerate()
        .map(|(i, it)| {
            (
                it.name.clone(),
                ["1", "2", "3", "4", "5", "NA"][i % 6].to_owned(),
            )
        })
        .collect();
    let all: BTreeMap<String, String> = all.into_iter().collect();
    s.save_page(&who, &rme, &all, 11)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let who = respondent(&s, &token).await;
    s.submit_response(&who, &rme)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.submit_response(&who, &rme)
        .await
        .unwrap_or_else(|e| panic!("double submit is harmless: {e}"));
    assert!(matches!(
        s.open_link(&token).await,
        Ok(LinkState::Completed(_))
    ));
    assert!(matches!(
        s.open_link("not-a-token").await,
        Ok(LinkState::Unknown)
    ));

    // A second person starts but does not finish.
    let link2 = msgs[msgs.len() - 2].link.clone().unwrap_or_default();
    let who2 = respondent(&s, token_of(&link2)).await;
    s.save_page(&who2, &rme, &answers(&[("conf_1", "2")]), 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // A third only opens the link.
    let link3 = msgs[msgs.len() - 3].link.clone().unwrap_or_default();
    respondent(&s, token_of(&link3)).await;

    let data = s.funnel_data(&c).await.unwrap_or_else(|e| panic!("{e}"));
    let total = &funnel(&data.facts, Grouping::Total)[0].counts;
    assert_eq!(
        (
            total.invited as u64,
            total.opened,
            total.started,
            total.complete,
            total.valid
        ),
        (added, 3, 2, 1, 1)
    );
    assert_eq!(data.coverage.networks_in_scope, 3);
    assert_eq!(data.coverage.networks_with_valid, 1);
    assert_eq!(data.coverage.cases, 1);
    let by_network = funnel(&data.facts, Grouping::Network);
    assert_eq!(by_network.len(), 3);

    // Reminders go only to those who have not completed.
    let reminded = outbox()
        .send_reminders(&s, &c, now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reminded as u64, added - 1);

    // The export has the answers and no identity.
    let records = s
        .response_records(id, false)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(records.len(), 1, "only submitted responses");
    assert_eq!(records[0].response_id, saved.response_id);
    assert_eq!(
        records[0].answers.get("conf_1").map(String::as_str),
        Some("1")
    );
    let mut csv = vec![];
    trama_campaign::write_csv(&rme, &records, &mut csv).unwrap_or_else(|e| panic!("{e}"));
    let csv = String::from_utf8(csv).unwrap_or_default();
    let (invitations, _) = s
        .list_invitations(
            id,
            &InvitationFilter {
                limit: 1000,
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for inv in &invitations {
        assert!(
            !csv.contains(&inv.email) && !csv.contains(&inv.person_name),
            "identity leaked"
        );
    }
    assert!(s.response_records(id, true).await.map(|r| r.len()).ok() == Some(2));
}

#[tokio::test]
async fn erasing_a_person_keeps_their_answers_anonymous() {
    let (s, _g, version) = demo().await;
    let c = open_round(&s, "erase", version, &["RME2"]).await;
    let id = c.id;
    outbox()
        .send_invitations(&s, &c)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let m = s
        .campaign_messages(id, Some("outbox"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let m = &m[0];
    let who = respondent(&s, token_of(m.link.as_deref().unwrap_or_default())).await;
    let rme = default_rme();
    s.save_page(&who, &rme, &answers(&[("conf_1", "3")]), 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.submit_response(
        &respondent(&s, token_of(m.link.as_deref().unwrap_or_default())).await,
        &rme,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let (invs, _) = s
        .list_invitations(
            id,
            &InvitationFilter {
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let person = invs
        .iter()
        .find(|i| Some(i.id) == m.invitation_id)
        .unwrap_or_else(|| panic!("inv"));
    s.write(async |tx| tx.erase_person(person.person_id).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let records = s
        .response_records(id, false)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(records.len(), 1, "the answers stay");
    assert_eq!(
        records[0].answers.get("conf_1").map(String::as_str),
        Some("3")
    );
    assert!(matches!(
        s.open_link(token_of(m.link.as_deref().unwrap_or_default()))
            .await,
        Ok(LinkState::Unknown)
    ));
    let left = s
        .campaign_messages(id, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        left.iter().all(|x| x.to_email != person.email),
        "no message keeps the address"
    );
}

/// A relay double: records envelopes, fails as told per address.
#[derive(Default)]
pub(crate) struct Relay {
    pub(crate) sent: Mutex<Vec<Envelope>>,
    pub(crate) temporary: Vec<String>,
    pub(crate) permanent: Vec<String>,
}

impl Mailer for Relay {
    fn send<'a>(&'a self, e: &'a Envelope) -> SendFuture<'a> {
        Box::pin(async move {
            if self.temporary.contains(&e.to_email) {
                return Err(SendError::Temporary("450 mailbox busy".into()));
            }
            if self.permanent.contains(&e.to_email) {
                return Err(SendError::Permanent("550 no such user".into()));
            }
            self.sent
                .lock()
                .map_err(|_| SendError::Temporary("poisoned".into()))?
                .push(e.clone());
            Ok(Sent {
                message_id: Some(format!("<{}@test>", e.to_email)),
            })
        })
    }
}

#[tokio::test]
async fn the_worker_sends_within_the_rate_retries_and_records_bounces() {
    let (s, _g, version) = demo().await;
    let c = open_round(&s, "mail", version, &["RME2"]).await;
    let id = c.id;
    let smtp = Outreach {
        base_url: "http://trama.test".into(),
        smtp: true,
    };
    let n = smtp
        .send_invitations(&s, &c)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(n >= 6, "{n}");
    let queued = s
        .campaign_messages(id, Some("queued"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let busy = queued[0].to_email.clone();
    let gone = queued[1].to_email.clone();
    let relay = Arc::new(Relay {
        temporary: vec![busy.clone()],
        permanent: vec![gone.clone()],
        ..Default::default()
    });
    let worker = Worker {
        store: s.clone(),
        outreach: smtp.clone(),
        mailer: Some(relay.clone()),
        rate_per_hour: 3,
        id: "test-worker".into(),
    };
    let t = now();
    let r = worker.tick(t).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.sent + r.retried + r.failed, 3, "three per hour: {r:?}");
    // Within the same hour nothing more leaves.
    let r2 = worker.tick(t + 60).await.unwrap_or_else(|e| panic!("{e}"));
    let sent_first = r.sent;
    assert_eq!(r2.sent, 0, "rate limit holds: {r2:?}");
    // Two hours later the rest goes (rate raised to drain the queue).
    let worker = Worker {
        rate_per_hour: 1000,
        ..worker
    };
    let r3 = worker
        .tick(t + 7200)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        sent_first + r3.sent,
        n - 2,
        "all but the busy and the gone address"
    );
    let all = s
        .campaign_messages(id, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let of = |email: &str| {
        all.iter()
            .find(|m| m.to_email == email)
            .cloned()
            .unwrap_or_else(|| panic!("msg"))
    };
    assert_eq!(of(&gone).status, "failed");
    assert_eq!(
        of(&busy).status,
        "queued",
        "temporary failure waits for a retry"
    );
    assert!(of(&busy).attempts >= 1 && of(&busy).last_error.is_some());
    let sent: Vec<_> = all.iter().filter(|m| m.status == "sent").collect();
    assert!(
        sent.iter()
            .all(|m| m.link.is_none() && !m.body.contains("http://trama.test/r/")),
        "links leave no copy"
    );
    assert_eq!(relay.sent.lock().map(|v| v.len()).unwrap_or(0), n - 2);
    let (invs, _) = s
        .list_invitations(
            id,
            &InvitationFilter {
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let inv = invs
        .iter()
        .find(|i| i.email == gone)
        .unwrap_or_else(|| panic!("inv"));
    assert_eq!(inv.delivery, "bounced");
    assert!(
        inv.delivery_error
            .as_deref()
            .unwrap_or_default()
            .contains("550")
    );
}

#[tokio::test]
async fn reminders_are_scheduled_cancelled_on_completion_and_opt_out_is_forever() {
    let (s, _g, version) = demo().await;
    let c = open_round(&s, "remind", version, &["RME2"]).await;
    let id = c.id;
    let smtp = Outreach {
        base_url: "http://trama.test".into(),
        smtp: true,
    };
    let invited = smtp
        .send_invitations(&s, &c)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let relay = Arc::new(Relay::default());
    let worker = Worker {
        store: s.clone(),
        outreach: smtp.clone(),
        mailer: Some(relay.clone()),
        rate_per_hour: 10_000,
        id: "test-worker".into(),
    };
    let t = now();
    worker.tick(t).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(relay.sent.lock().map(|v| v.len()).unwrap_or(0), invited);
    let envelopes = relay.sent.lock().map(|v| v.clone()).unwrap_or_default();
    // One person completes, another opts out.
    let link_of = |e: &Envelope| {
        e.text_body
            .lines()
            .find(|l| l.trim().starts_with("http://trama.test/r/") && !l.contains("opt-out"))
            .map(|l| l.trim().to_owned())
            .unwrap_or_else(|| panic!("link in {}", e.text_body))
    };
    let done = respondent(&s, token_of(&link_of(&envelopes[0]))).await;
    s.save_page(&done, &default_rme(), &answers(&[("conf_1", "5")]), 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.submit_response(
        &respondent(&s, token_of(&link_of(&envelopes[0]))).await,
        &default_rme(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let opt = envelopes[1].list_unsubscribe.clone().unwrap_or_default();
    let opt_token = opt
        .trim_end_matches("/opt-out")
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let inv = s
        .link_invitation(&opt_token, LinkPurpose::OptOut)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("opt-out link"));
    s.opt_out(inv).await.unwrap_or_else(|e| panic!("{e}"));
    // Nothing is due before day 7; at day 7 the reminder run queues and sends.
    let r = worker
        .tick(t + 6 * DAY)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.reminders_queued, 0);
    let r = worker
        .tick(t + 7 * DAY + 60)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.reminders_queued,
        invited - 2,
        "not the one who completed, not the one who opted out"
    );
    assert_eq!(r.sent, invited - 2);
    let r = worker
        .tick(t + 7 * DAY + 120)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.reminders_queued, 0, "each scheduled run happens once");
    let after = relay.sent.lock().map(|v| v.clone()).unwrap_or_default();
    assert!(
        after[invited..]
            .iter()
            .all(|e| e.to_email != envelopes[0].to_email && e.to_email != envelopes[1].to_email)
    );
    // The opted-out address is never written to again, in any later campaign.
    assert!(
        s.is_opted_out(&envelopes[1].to_email.to_uppercase())
            .await
            .unwrap_or(false)
    );
    let later = s
        .write(async |tx| {
            tx.create_campaign(&input("later", version, &["RME2"]), None)
                .await
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.write(async |tx| tx.invite_from_registry(later).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.write(async |tx| tx.open_campaign(later).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let lc = s
        .campaign_by_id(later)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("later"));
    let n = smtp
        .send_invitations(&s, &lc)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(n, invited - 1);
    // Past the close date the campaign closes and its links stop.
    let r = worker
        .tick(t + 31 * DAY)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(r.closed >= 1);
    let c = s
        .campaign_by_id(id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("campaign"));
    assert_eq!(c.status, CampaignStatus::Closed);
}

#[tokio::test]
async fn imported_responses_count_and_bad_rows_import_nothing() {
    let (s, _g, version) = demo().await;
    let id = s
        .write(async |tx| {
            tx.create_campaign(&input("papel", version, &["RME1"]), None)
                .await
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let c = s
        .campaign_by_id(id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("campaign"));
    let rme = default_rme();
    let names: Vec<String> = rme.rating_items().iter().map(|i| i.name.clone()).collect();
    let mut csv = format!(
        "response_id,region,deprov,network,role,submitted_at,{}\n",
        names.join(",")
    );
    csv.push_str(&format!(
        "p1,5,51,RME1,director,2026-11-20,{}\n",
        vec!["4"; names.len()].join(",")
    ));
    csv.push_str(&format!(
        "p2,5,51,RME99,docente,2026-11-20,{}\n",
        vec!["NA"; names.len()].join(",")
    ));
    let records = trama_campaign::read_responses("papel.csv", csv.as_bytes(), &rme)
        .unwrap_or_else(|e| panic!("{e:?}"));
    match s.import_responses(&c, &rme, &records).await {
        Err(StoreError::References(p)) => {
            assert_eq!(p.len(), 1);
            assert_eq!((p[0].line, p[0].column), (3, "network"));
        }
        other => panic!("unknown network must be refused: {other:?}"),
    }
    assert_eq!(
        s.response_records(id, true).await.map(|r| r.len()).ok(),
        Some(0),
        "nothing imported"
    );
    let ok: Vec<_> = records.into_iter().take(1).collect();
    assert_eq!(s.import_responses(&c, &rme, &ok).await.ok(), Some(1));
    let data = s.funnel_data(&c).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(data.coverage.cases, 1);
    assert_eq!(data.coverage.networks_with_valid, 1);
    assert!(
        matches!(
            s.import_responses(&c, &rme, &ok).await,
            Err(StoreError::References(_))
        ),
        "ids are unique"
    );
}

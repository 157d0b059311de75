//! The results counts a campaign keeps as its responses change equal a
//! recount from the answers, after every kind of change (saves, submits,
//! edits of a submitted response, imports, an erasure), all in the same
//! second, and when many people submit at once.

use std::collections::BTreeMap;

use trama_campaign::ResponseRecord;
use trama_campaign::tally::Tallies;
use trama_instrument::{Instrument, default_rme};
use trama_store::Store;
use trama_store::campaigns::invitations::InvitationFilter;
use trama_store::campaigns::lifecycle::Campaign;

use super::campaign::{demo, open_round, outbox, respondent, token_of};

/// Every rating item answered, the level turning with `seed`.
fn full(rme: &Instrument, seed: usize) -> BTreeMap<String, String> {
    rme.rating_items()
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let v = ["1", "2", "3", "4", "5", "NA"][(i + seed) % 6];
            (it.name.clone(), v.to_owned())
        })
        .collect()
}

/// The kept counts, and a recount that must find them exact and leave them
/// as they were.
async fn assert_exact(s: &Store, c: &Campaign, step: &str) -> Tallies {
    let kept = s
        .stored_tallies(c.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let rebuilt = s
        .rebuild_results(c.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        rebuilt.differing_atoms, 0,
        "after {step}: the kept counts differ from a recount"
    );
    let again = s
        .stored_tallies(c.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kept, again, "after {step}: the recount changed the counts");
    assert_eq!(rebuilt.respondents, kept.respondents(), "after {step}");
    kept
}

async fn links(s: &Store, c: &Campaign) -> Vec<String> {
    outbox()
        .send_invitations(s, c)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.campaign_messages(c.id, Some("outbox"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter_map(|m| m.link.map(|l| token_of(&l).to_owned()))
        .collect()
}

#[tokio::test]
async fn kept_counts_equal_a_recount_after_every_change() {
    let (s, _g, version) = demo().await;
    let c = open_round(&s, "counts", version, &["RME1", "RME2"]).await;
    let rme = default_rme();
    let tokens = links(&s, &c).await;
    assert!(tokens.len() >= 4, "the demo invites enough people");
    let empty = assert_exact(&s, &c, "opening").await;
    assert_eq!(empty.respondents(), 0);

    // Saves alone count nothing; a submit counts at once, in the same
    // second as the saves before it.
    for (n, token) in tokens.iter().take(3).enumerate() {
        let who = respondent(&s, token).await;
        s.save_page(&who, &rme, &full(&rme, n), 5)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(assert_exact(&s, &c, "saves").await.respondents(), 0);
    let mut submitted = vec![];
    for token in tokens.iter().take(3) {
        let who = respondent(&s, token).await;
        s.submit_response(&who, &rme)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // A second submit changes nothing.
        s.submit_response(&who, &rme)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        submitted.push(who);
    }
    let after_submits = assert_exact(&s, &c, "submits").await;
    assert_eq!(after_submits.respondents(), 3);

    // A thin response, submitted, is not valid and adds nothing.
    let who = respondent(&s, &tokens[3]).await;
    let one: BTreeMap<String, String> = full(&rme, 0).into_iter().take(2).collect();
    s.save_page(&who, &rme, &one, 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let who = respondent(&s, &tokens[3]).await;
    s.submit_response(&who, &rme)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        assert_exact(&s, &c, "an invalid submit").await,
        after_submits
    );

    // An edit of a counted response (as a second tab opened before the
    // submit would send) moves its counts: changed levels, then so many
    // answers cleared that it stops counting, then restored.
    let who = &submitted[0];
    s.save_page(who, &rme, &full(&rme, 3), 5)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let edited = assert_exact(&s, &c, "an edit").await;
    assert_ne!(edited, after_submits, "the edit moved the counts");
    assert_eq!(edited.respondents(), 3);
    let cleared: BTreeMap<String, String> = full(&rme, 0)
        .into_keys()
        .map(|k| (k, String::new()))
        .collect();
    s.save_page(who, &rme, &cleared, 5)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(assert_exact(&s, &c, "clearing").await.respondents(), 2);
    s.save_page(who, &rme, &full(&rme, 0), 5)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(assert_exact(&s, &c, "restoring").await, after_submits);

    // Imported answers, submitted or not.
    let imported: Vec<(u64, ResponseRecord)> = (0..5)
        .map(|i| {
            (
                i + 2,
                ResponseRecord {
                    response_id: format!("papel-{i}"),
                    region: "5".into(),
                    deprov: String::new(),
                    network: "RME1".into(),
                    role: "docente".into(),
                    submitted_at: if i < 4 {
                        "2026-05-01T10:00:00Z".into()
                    } else {
                        String::new()
                    },
                    answers: full(&rme, i as usize),
                },
            )
        })
        .collect();
    s.import_responses(&c, &rme, &imported)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(assert_exact(&s, &c, "an import").await.respondents(), 7);

    // Erasing a person keeps their answers, and so the counts.
    let (invitations, _) = s
        .list_invitations(
            c.id,
            &InvitationFilter {
                limit: 1000,
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let person = invitations
        .iter()
        .find(|i| i.completed_at.is_some())
        .map(|i| i.person_id)
        .unwrap_or_else(|| panic!("someone submitted"));
    s.write(async |tx| tx.erase_person(person).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(assert_exact(&s, &c, "an erasure").await.respondents(), 7);
}

#[tokio::test]
async fn many_submits_at_once_are_all_counted() {
    let (s, _g, version) = demo().await;
    let c = open_round(&s, "counts-many", version, &["RME1", "RME2", "RME3"]).await;
    let rme = default_rme();
    let tokens = links(&s, &c).await;
    for (n, token) in tokens.iter().enumerate() {
        let who = respondent(&s, token).await;
        s.save_page(&who, &rme, &full(&rme, n), 5)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    // Never counted before the submits race: the first one counts the
    // campaign whole while the others wait for its version row.
    let mut all = vec![];
    for token in &tokens {
        let s = s.clone();
        let rme = rme.clone();
        let token = token.clone();
        all.push(tokio::spawn(async move {
            let who = respondent(&s, &token).await;
            s.submit_response(&who, &rme).await
        }));
    }
    for h in all {
        h.await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let kept = assert_exact(&s, &c, "concurrent submits").await;
    assert_eq!(kept.respondents(), tokens.len() as i64);
}

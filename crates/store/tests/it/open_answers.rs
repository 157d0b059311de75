//! Open answers, codebooks and codings on a real database: SQLite by
//! default, PostgreSQL when `TRAMA_TEST_DATABASE_URL` is set.

use std::collections::BTreeMap;

use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::open_answers::{OpenFilter, ThemeFilter, ThemeInput, theme_counts};
use trama_store::testing::{TestGuard, test_store};
use trama_store::{Store, StoreError};

/// The demo with its rounds, and RME-2026.
pub(crate) async fn seeded() -> (Store, TestGuard, Campaign) {
    let (s, g) = test_store()
        .await
        .unwrap_or_else(|e| panic!("test store: {e}"));
    s.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(s.seed_demo_rounds().await.unwrap_or_else(|e| panic!("{e}")));
    let c = s
        .campaign("RME-2026")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("demo round"));
    (s, g, c)
}

fn theme(code: &str) -> ThemeInput {
    ThemeInput {
        code: code.into(),
        label_es: format!("Tema {code}"),
        label_en: format!("Theme {code}"),
        description: None,
    }
}

async fn all(
    s: &Store,
    c: &Campaign,
    item: &str,
) -> Vec<trama_store::campaigns::open_answers::OpenAnswer> {
    s.open_answers(c, item, &OpenFilter::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn answers_come_from_valid_responses_only_and_filter_by_place() {
    let (s, _g, c) = seeded().await;
    let respondents = s
        .open_respondents(&c)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let answers = all(&s, &c, "facilita").await;
    assert!(!answers.is_empty());
    assert!(answers.len() < respondents.len(), "not everyone writes");
    assert!(answers.iter().all(|a| !a.value.trim().is_empty()));
    // Ordered by text, never by arrival.
    let keys: Vec<String> = answers
        .iter()
        .map(|a| trama_domain::search_key(&a.value))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));

    let in_8 = s
        .open_answers(
            &c,
            "facilita",
            &OpenFilter {
                region: Some(8),
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!in_8.is_empty() && in_8.iter().all(|a| a.region == Some(8)));
    let rme1 = s
        .open_answers(
            &c,
            "facilita",
            &OpenFilter {
                networks: Some(vec!["RME1".into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(rme1.iter().all(|a| a.network.as_deref() == Some("RME1")));
    let none = s
        .open_answers(
            &c,
            "facilita",
            &OpenFilter {
                networks: Some(vec![]),
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(none.is_empty(), "an empty network list keeps nothing");

    // Of three imported responses that answer the question, only the valid
    // one (submitted, enough statements answered) is read.
    let stored = s
        .instrument("rme", None)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("demo instrument"));
    let record = |id: &str, submitted: bool, rated: bool, text: &str| {
        let mut answers = BTreeMap::new();
        if rated {
            for i in stored.instrument.rating_items() {
                answers.insert(i.name.clone(), "4".to_owned());
            }
        }
        answers.insert("facilita".to_owned(), text.to_owned());
        trama_campaign::ResponseRecord {
            response_id: id.into(),
            region: "8".into(),
            deprov: String::new(),
            network: "RME7".into(),
            role: "director".into(),
            submitted_at: if submitted {
                "2026-09-15T12:00:00Z".into()
            } else {
                String::new()
            },
            answers,
        }
    };
    s.import_responses(
        &c,
        &stored.instrument,
        &[
            (2, record("t-valid", true, true, "Marcador válido")),
            (
                3,
                record("t-invalid", true, false, "Marcador sin afirmaciones"),
            ),
            (4, record("t-open", false, true, "Marcador sin enviar")),
        ],
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let marked = s
        .open_answers(
            &c,
            "facilita",
            &OpenFilter {
                q: Some("marcador".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = marked.iter().map(|a| a.response_id.as_str()).collect();
    assert_eq!(ids, ["t-valid"]);
    let after = s
        .open_respondents(&c)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after.len(), respondents.len() + 1);
    for id in ["t-invalid", "t-open"] {
        assert!(
            s.open_answer(&c, "facilita", id)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_none()
        );
    }
}

#[tokio::test]
async fn search_ignores_case_and_accents() {
    let (s, _g, c) = seeded().await;
    let search = |q: &str| OpenFilter {
        q: Some(q.into()),
        ..Default::default()
    };
    let exact = s
        .open_answers(&c, "dificulta", &search("último momento"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!exact.is_empty());
    assert!(exact.iter().all(|a| a.value.contains("último momento")));
    let folded = s
        .open_answers(&c, "dificulta", &search("ULTIMO   Momento"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(folded, exact);
    let nothing = s
        .open_answers(&c, "dificulta", &search("zzz-no-such-text"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(nothing.is_empty());
    // Wildcards are text, not patterns.
    let percent = s
        .open_answers(&c, "dificulta", &search("%"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(percent.is_empty());
}

#[tokio::test]
async fn the_demo_has_a_codebook_and_codings() {
    let (s, _g, c) = seeded().await;
    for item in ["facilita", "dificulta", "apoyo", "practicas"] {
        let themes = s
            .open_themes(c.id, item)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(themes.len() >= 2, "{item}: {themes:?}");
        let answers = all(&s, &c, item).await;
        let coded = answers.iter().filter(|a| !a.themes.is_empty()).count();
        assert!(coded > 0, "{item}: some coded");
        assert!(coded < answers.len(), "{item}: 2026 is still being coded");
    }
    // Seeding again changes nothing.
    assert!(!s.seed_demo_rounds().await.unwrap_or_else(|e| panic!("{e}")));
    let themes = s
        .open_themes(c.id, "facilita")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(themes.len(), 4);
}

#[tokio::test]
async fn coding_round_trip_moves_the_counts() {
    let (s, _g, c) = seeded().await;
    let item = "apoyo";
    let id = s
        .write(async |tx| {
            tx.create_open_theme(c.id, item, &theme("nuevo"), None)
                .await
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let answers = all(&s, &c, item).await;
    let counts = theme_counts(&answers);
    assert_eq!(counts.overall.theme(id), 0);
    let a = &answers[0];
    let b = answers
        .iter()
        .find(|x| x.region != a.region)
        .unwrap_or_else(|| panic!("answers in two regions"));
    for x in [a, b] {
        assert!(
            s.write(async |tx| tx
                .assign_open_theme(&c, item, &x.response_id, id, None)
                .await)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        );
    }
    // A second submit of the same assignment changes nothing.
    assert!(
        !s.write(async |tx| tx
            .assign_open_theme(&c, item, &a.response_id, id, None)
            .await)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    let counts = theme_counts(&all(&s, &c, item).await);
    assert_eq!(counts.overall.theme(id), 2);
    assert_eq!(counts.by_region[&a.region].theme(id), 1);
    assert_eq!(counts.by_region[&b.region].theme(id), 1);
    let only = s
        .open_answers(
            &c,
            item,
            &OpenFilter {
                theme: ThemeFilter::Theme(id),
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(only.len(), 2);
    let uncoded = s
        .open_answers(
            &c,
            item,
            &OpenFilter {
                theme: ThemeFilter::Uncoded,
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(uncoded.iter().all(|x| x.themes.is_empty()));

    assert!(
        s.write(async |tx| tx.remove_open_theme(&c, item, &a.response_id, id).await)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    assert!(
        !s.write(async |tx| tx.remove_open_theme(&c, item, &a.response_id, id).await)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    let counts = theme_counts(&all(&s, &c, item).await);
    assert_eq!(counts.overall.theme(id), 1);

    // Deleting the theme takes its codings with it.
    s.write(async |tx| tx.delete_open_theme(c.id, item, id).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let after = all(&s, &c, item).await;
    assert!(after.iter().all(|x| !x.themes.contains(&id)));
    assert!(matches!(
        s.write(async |tx| tx.delete_open_theme(c.id, item, id).await)
            .await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn themes_belong_to_one_campaign_and_question() {
    let (s, _g, c) = seeded().await;
    let other = s
        .campaign("RME-2025")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("demo round"));
    let id = s
        .write(async |tx| {
            tx.create_open_theme(c.id, "facilita", &theme("propio"), None)
                .await
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // The same code again in the same codebook is refused on `code`…
    match s
        .write(async |tx| {
            tx.create_open_theme(c.id, "facilita", &theme("propio"), None)
                .await
        })
        .await
    {
        Err(StoreError::Invalid(p)) => assert_eq!(p[0].field, "code"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // …but is fine in another question or campaign.
    s.write(async |tx| {
        tx.create_open_theme(c.id, "apoyo", &theme("propio"), None)
            .await
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    s.write(async |tx| {
        tx.create_open_theme(other.id, "facilita", &theme("propio"), None)
            .await
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    // A theme is not found through another question or campaign.
    assert!(
        s.open_theme(c.id, "apoyo", id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none()
    );
    let apoyo = all(&s, &c, "apoyo").await;
    assert!(matches!(
        s.write(async |tx| tx
            .assign_open_theme(&c, "apoyo", &apoyo[0].response_id, id, None)
            .await)
            .await,
        Err(StoreError::NotFound)
    ));
    let theirs = all(&s, &other, "facilita").await;
    assert!(matches!(
        s.write(async |tx| tx
            .assign_open_theme(&c, "facilita", &theirs[0].response_id, id, None)
            .await)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.write(async |tx| tx
            .assign_open_theme(&c, "facilita", "no-such-response", id, None)
            .await)
            .await,
        Err(StoreError::NotFound)
    ));
    // Edits keep the id and are checked like creations.
    s.write(async |tx| {
        tx.update_open_theme(
            c.id,
            "facilita",
            id,
            &ThemeInput {
                description: Some("Con descripción".into()),
                ..theme("propio2")
            },
        )
        .await
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let t = s
        .open_theme(c.id, "facilita", id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("theme"));
    assert_eq!(
        (t.code.as_str(), t.description.as_deref()),
        ("propio2", Some("Con descripción"))
    );
    assert!(matches!(
        s.write(async |tx| tx.update_open_theme(c.id, "facilita", id, &theme("")).await)
            .await,
        Err(StoreError::Invalid(_))
    ));
}

#[tokio::test]
async fn respondents_count_the_valid_responses_of_each_group() {
    let (s, _g, c) = seeded().await;
    let respondents = s
        .open_respondents(&c)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut per_network: BTreeMap<String, usize> = BTreeMap::new();
    for r in &respondents {
        *per_network
            .entry(r.network.clone().unwrap_or_default())
            .or_default() += 1;
    }
    // The demo's RME13 answers little: below the anonymity threshold.
    let rme13 = per_network.get("RME13").copied().unwrap_or(0);
    assert!(rme13 < 5, "{per_network:?}");
    assert!(per_network.values().any(|n| *n >= 5));
    // Every answer comes from one of them.
    for item in ["facilita", "dificulta", "apoyo", "practicas"] {
        for a in all(&s, &c, item).await {
            assert!(
                respondents
                    .iter()
                    .any(|r| r.region == a.region && r.network == a.network)
            );
        }
    }
}

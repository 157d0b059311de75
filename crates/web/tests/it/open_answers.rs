//! Open answers on the demo rounds: groups below the anonymity threshold show
//! nothing, each role reads and codes only its part, the codebook and codings
//! round trip, search, the CSV export, and CSRF on every coding write.

use crate::common::*;
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::open_answers::{OpenAnswer, OpenFilter};

const BASE: &str = "/campaigns/RME-2026/results/open";

async fn campaign(app: &App) -> Campaign {
    app.store
        .campaign("RME-2026")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("demo round"))
}

async fn stored_answers(app: &App, item: &str, filter: OpenFilter) -> Vec<OpenAnswer> {
    let c = campaign(app).await;
    app.store
        .open_answers(&c, item, &filter)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The answers as pages know them: `response_id` holds the key a form
/// posts, private to the codebook, not the stored response id.
async fn answers(app: &App, item: &str, filter: OpenFilter) -> Vec<OpenAnswer> {
    let c = campaign(app).await;
    stored_answers(app, item, filter)
        .await
        .into_iter()
        .map(|mut a| {
            a.response_id = trama_app::open_answers::answer_key(&c, item, &a.response_id);
            a
        })
        .collect()
}

async fn respondents_in(app: &App, network: &str) -> usize {
    let c = campaign(app).await;
    app.store
        .open_respondents(&c)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .filter(|r| r.network.as_deref() == Some(network))
        .count()
}

/// The networks the campaign's decision hides, as the results API says.
async fn hidden_networks(app: &App) -> Vec<String> {
    let national = app.client(Some(NATIONAL)).await;
    let r = app
        .get(&national, "/api/v1/campaigns/RME-2026/results?by=network")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    v["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|g| g["by"] == "network" && g["suppressed"] == true)
        .filter_map(|g| g["value"].as_str().map(str::to_owned))
        .collect()
}

/// The answers table of a page ("" when the page has none).
fn table(body: &str) -> &str {
    body.split("<table id=\"answers\"")
        .nth(1)
        .and_then(|s| s.split("</table>").next())
        .unwrap_or("")
}

fn rows(body: &str) -> usize {
    table(body).matches("<td class=\"answer-text\">").count()
}

/// The overall count in the by-theme table for a theme code.
fn count_of(body: &str, code: &str) -> Option<u64> {
    let row = body.split(&format!("data-theme=\"{code}\"")).nth(1)?;
    let cell = row.split("<td class=\"num\">").nth(1)?;
    cell.split('<').next()?.trim().parse().ok()
}

fn csv_rows(body: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{e}"))
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn a_network_below_the_threshold_shows_no_answers() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let rme13 = respondents_in(&app, "RME13").await;
    assert!(rme13 > 0 && rme13 < 5, "the demo's RME13 answers little");
    let theirs = answers(
        &app,
        "facilita",
        OpenFilter {
            networks: Some(vec!["RME13".into()]),
            ..Default::default()
        },
    )
    .await;
    assert!(!theirs.is_empty(), "RME13 did write open answers");

    let page = app
        .get(&national, &format!("{BASE}/facilita?network=RME13"))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"too-small\""), "{}", page.body);
    assert!(page.body.contains("menos de 5 respuestas válidas"));
    assert_eq!(rows(&page.body), 0);
    assert!(!page.body.contains("id=\"counts\""), "no counts either");
    let csv = app
        .get(
            &national,
            &format!("{BASE}/facilita/export.csv?network=RME13"),
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv_rows(&csv.body).is_empty(), "{}", csv.body);

    // In Valparaíso RME13 is the only network below 5, so the campaign's
    // decision hides another with it (otherwise the region minus the others
    // would give RME13 away), and the open answers follow that decision.
    let hidden = hidden_networks(&app).await;
    let protecting: Vec<&String> = hidden.iter().filter(|n| *n != "RME13").collect();
    assert!(!protecting.is_empty(), "{hidden:?}");
    for n in protecting {
        assert!(respondents_in(&app, n).await >= 5);
        let page = app
            .get(&national, &format!("{BASE}/facilita?network={n}"))
            .await;
        assert!(page.body.contains("id=\"too-small\""), "{n}");
        assert_eq!(rows(&page.body), 0);
    }

    // In the national list their answers appear, but never named.
    let all = app.get(&national, &format!("{BASE}/facilita")).await;
    assert!(rows(&all.body) > 0);
    let t = table(&all.body);
    for n in &hidden {
        assert!(!t.contains(&format!(">{n}<")), "{n} named");
    }
    assert!(t.contains(">RME3<"), "large networks are named");
    assert!(t.contains("grupo pequeño"));

    // The supervisor of RME1 and RME2 reads those of the two the decision
    // shows, and a hidden one is too small whoever asks.
    let sup = app.client(Some(SUPERVISOR)).await;
    let own = app.get(&sup, &format!("{BASE}/facilita")).await;
    assert_eq!(own.status, 200);
    let (shown, gone): (Vec<String>, Vec<String>) = ["RME1", "RME2"]
        .iter()
        .map(|n| (*n).to_owned())
        .partition(|n| !hidden.contains(n));
    assert!(
        !gone.is_empty(),
        "the demo hides one of the supervisor's networks"
    );
    let theirs = answers(
        &app,
        "facilita",
        OpenFilter {
            networks: Some(shown.clone()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        rows(&own.body),
        if shown.is_empty() {
            0
        } else {
            theirs.len().min(50)
        }
    );
    let t = table(&own.body);
    assert!(!t.contains(">RME3<"));
    for n in &gone {
        assert!(!t.contains(&format!(">{n}<")));
        let page = app.get(&sup, &format!("{BASE}/facilita?network={n}")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("id=\"too-small\""));
    }
}

#[tokio::test]
async fn each_role_reads_its_part() {
    let app = seeded().await;
    let clients = [
        app.client(Some(NATIONAL)).await,
        app.client(Some(REGIONAL)).await,
        app.client(Some(SUPERVISOR)).await,
        app.client(Some(PARTICIPANT)).await,
        app.client(Some(RESEARCHER)).await,
    ];
    let expect: [(String, [u16; 5]); 12] = [
        (BASE.into(), [200, 200, 200, 403, 200]),
        (format!("{BASE}/facilita"), [200, 200, 200, 403, 200]),
        (
            format!("{BASE}/facilita?region=5"),
            [200, 403, 403, 403, 200],
        ),
        (
            format!("{BASE}/facilita?region=8"),
            [200, 200, 403, 403, 200],
        ),
        (
            format!("{BASE}/facilita?network=RME1"),
            [200, 403, 200, 403, 403],
        ),
        (
            format!("{BASE}/facilita?network=RME7"),
            [200, 200, 403, 403, 403],
        ),
        (
            format!("{BASE}/facilita?network=RME99"),
            [404, 404, 404, 403, 404],
        ),
        (format!("{BASE}/nope"), [404, 404, 404, 403, 404]),
        (format!("{BASE}/conf_1"), [404, 404, 404, 403, 404]),
        // A follow-up describing the respondent is not an open question.
        (format!("{BASE}/rol_otro"), [404, 404, 404, 403, 404]),
        (
            format!("{BASE}/facilita/export.csv"),
            [200, 200, 200, 403, 200],
        ),
        (
            "/campaigns/nope/results/open".into(),
            [404, 404, 404, 404, 404],
        ),
    ];
    let mut wrong = vec![];
    for (path, statuses) in &expect {
        for (c, want) in clients.iter().zip(statuses) {
            let got = app.get(c, path).await.status.as_u16();
            if got != *want {
                wrong.push(format!("{path} as {}: {got}, expected {want}", c.name));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let anon = app.client(None).await;
    assert_eq!(app.get(&anon, BASE).await.status, 303);

    let [national, regional, supervisor, _, researcher] = &clients;
    // The regional coordinator (Biobío) reads Biobío's answers only.
    let reg = app.get(regional, &format!("{BASE}/dificulta")).await;
    let in_8 = answers(
        &app,
        "dificulta",
        OpenFilter {
            region: Some(8),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(rows(&reg.body), in_8.len().min(50));
    assert!(!table(&reg.body).contains("Valparaíso"));
    assert!(table(&reg.body).contains("Biobío"));
    // They code (forms on the answers) but do not edit the codebook.
    assert!(reg.body.contains("/codings\""));
    assert!(!reg.body.contains("id=\"new-theme\""));
    // The national coordinator does both; supervisors and researchers neither.
    let nat = app.get(national, &format!("{BASE}/dificulta")).await;
    assert!(nat.body.contains("/codings\"") && nat.body.contains("id=\"new-theme\""));
    let hidden = hidden_networks(&app).await;
    for c in [supervisor, researcher] {
        let p = app.get(c, &format!("{BASE}/dificulta")).await;
        assert_eq!(p.status, 200);
        // The supervisor reads the answers of their shown networks.
        let networks = (c.name == supervisor.name).then(|| {
            ["RME1", "RME2"]
                .iter()
                .map(|n| (*n).to_owned())
                .filter(|n| !hidden.contains(n))
                .collect::<Vec<_>>()
        });
        let filter = OpenFilter {
            networks,
            ..Default::default()
        };
        let expect = answers(&app, "dificulta", filter).await.len().min(50);
        assert_eq!(rows(&p.body), expect, "{}", c.name);
        assert!(!p.body.contains("/codings") && !p.body.contains("id=\"new-theme\""));
    }
    // Counts by region only for a country-wide reader; the regional
    // coordinator's table has just the totals.
    assert!(nat.body.contains("Valparaíso</th>"));
    assert!(!reg.body.contains("Valparaíso</th>"));

    // Coding writes follow the same reach.
    let c = campaign(&app).await;
    let theme = app
        .store
        .open_themes(c.id, "dificulta")
        .await
        .unwrap_or_else(|e| panic!("{e}"))[0]
        .id;
    let in_5 = answers(
        &app,
        "dificulta",
        OpenFilter {
            region: Some(5),
            ..Default::default()
        },
    )
    .await;
    let form = |a: &OpenAnswer| format!("response={}&theme={theme}", a.response_id);
    let path = format!("{BASE}/dificulta/codings");
    let mine = app
        .send(regional, "POST", &path, Some(&form(&in_8[0])), &[])
        .await;
    assert_eq!(mine.status, 303, "{}", mine.body);
    let other = app
        .send(regional, "POST", &path, Some(&form(&in_5[0])), &[])
        .await;
    assert_eq!(other.status, 404, "another region's answer is not theirs");
    for c in [supervisor, researcher] {
        let r = app.send(c, "POST", &path, Some(&form(&in_8[0])), &[]).await;
        assert_eq!(r.status, 403, "{}", c.name);
    }
    let theme_form = "code=x&label_es=X&label_en=X";
    for c in [regional, supervisor, researcher] {
        let r = app
            .send(
                c,
                "POST",
                &format!("{BASE}/dificulta/themes"),
                Some(theme_form),
                &[],
            )
            .await;
        assert_eq!(r.status, 403, "{} edits no codebook", c.name);
    }
}

#[tokio::test]
async fn coding_round_trip() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let list = format!("{BASE}/apoyo");
    let created = app
        .send(
            &national,
            "POST",
            &format!("{list}/themes"),
            Some("code=redes-nuevas&label_es=Nuevas+redes&label_en=New+networks&description=Probando"),
            &[],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let c = campaign(&app).await;
    let theme = app
        .store
        .open_themes(c.id, "apoyo")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|t| t.code == "redes-nuevas")
        .unwrap_or_else(|| panic!("created theme"));
    assert_eq!(theme.label_en, "New networks");
    let page = app.get(&national, &list).await;
    assert!(page.body.contains("Nuevas redes"));
    assert_eq!(count_of(&page.body, "redes-nuevas"), Some(0));

    // The same code again is refused next to the field.
    let again = app
        .send(
            &national,
            "POST",
            &format!("{list}/themes"),
            Some("code=redes-nuevas&label_es=Otra&label_en=Other"),
            &[],
        )
        .await;
    assert_eq!(again.status, 422);

    let all = answers(&app, "apoyo", OpenFilter::default()).await;
    let back = format!("{list}?q=x");
    for a in &all[..2] {
        let r = app
            .send(
                &national,
                "POST",
                &format!("{list}/codings"),
                Some(&format!(
                    "response={}&theme={}&back={}",
                    a.response_id,
                    theme.id,
                    back.replace('?', "%3F").replace('=', "%3D")
                )),
                &[],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.location(), back, "back to the list it came from");
    }
    let page = app.get(&national, &list).await;
    assert_eq!(count_of(&page.body, "redes-nuevas"), Some(2));
    let filtered = app
        .get(&national, &format!("{list}?theme={}", theme.id))
        .await;
    assert_eq!(rows(&filtered.body), 2);
    assert!(table(&filtered.body).contains("Nuevas redes"));

    let removed = app
        .send(
            &national,
            "POST",
            &format!("{list}/codings/remove"),
            Some(&format!(
                "response={}&theme={}",
                all[0].response_id, theme.id
            )),
            &[],
        )
        .await;
    assert_eq!(removed.status, 303);
    assert_eq!(removed.location(), list);
    let page = app.get(&national, &list).await;
    assert_eq!(count_of(&page.body, "redes-nuevas"), Some(1));
    // Each change left its audit line, written with it: two codings, one
    // removal, the theme created.
    let logged = async |action: &str| {
        app.store
            .audit_entries(action, 10)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .len()
    };
    assert_eq!(logged("open_answers.assign").await, 2);
    assert_eq!(logged("open_answers.unassign").await, 1);
    assert_eq!(logged("open_answers.theme.create").await, 1);

    // A foreign back link is not followed.
    let r = app
        .send(
            &national,
            "POST",
            &format!("{list}/codings"),
            Some(&format!(
                "response={}&theme={}&back=https%3A%2F%2Fevil.example%2F",
                all[0].response_id, theme.id
            )),
            &[],
        )
        .await;
    assert_eq!(r.location(), list);

    // Edit, refuse an empty code, delete.
    let edit = app
        .get(&national, &format!("{list}/themes/{}/edit", theme.id))
        .await;
    assert_eq!(edit.status, 200);
    assert!(edit.body.contains("value=\"redes-nuevas\""));
    let bad = app
        .send(
            &national,
            "POST",
            &format!("{list}/themes/{}", theme.id),
            Some("code=&label_es=X&label_en=X"),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422);
    let ok = app
        .send(
            &national,
            "POST",
            &format!("{list}/themes/{}", theme.id),
            Some("code=redes-nuevas&label_es=Redes+renombradas&label_en=Renamed&description="),
            &[],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert!(
        app.get(&national, &list)
            .await
            .body
            .contains("Redes renombradas")
    );
    let deleted = app
        .send(
            &national,
            "POST",
            &format!("{list}/themes/{}/delete", theme.id),
            Some(""),
            &[],
        )
        .await;
    assert_eq!(deleted.status, 303);
    let page = app.get(&national, &list).await;
    assert!(!page.body.contains("redes-nuevas"));
    assert!(
        answers(&app, "apoyo", OpenFilter::default())
            .await
            .iter()
            .all(|a| !a.themes.contains(&theme.id))
    );
    let gone = app
        .get(&national, &format!("{list}/themes/{}/edit", theme.id))
        .await;
    assert_eq!(gone.status, 404);
}

#[tokio::test]
async fn search_ignores_case_and_accents() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let expected = answers(
        &app,
        "dificulta",
        OpenFilter {
            q: Some("último momento".into()),
            ..Default::default()
        },
    )
    .await;
    assert!(!expected.is_empty());
    let page = app
        .get(&national, &format!("{BASE}/dificulta?q=ULTIMO+Momento"))
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(rows(&page.body), expected.len());
    assert_eq!(
        table(&page.body).matches("último momento").count(),
        expected.len()
    );
    assert!(
        page.body.contains("value=\"ULTIMO Momento\""),
        "the search stays in the box"
    );
    let none = app
        .get(&national, &format!("{BASE}/dificulta?q=zzz-nada"))
        .await;
    assert_eq!(rows(&none.body), 0);
    assert!(none.body.contains("Ninguna respuesta coincide"));
    // Search narrows a region the same way.
    let in_8 = app
        .get(&national, &format!("{BASE}/dificulta?q=ultimo&region=8"))
        .await;
    let expected_8 = expected.iter().filter(|a| a.region == Some(8)).count();
    assert_eq!(rows(&in_8.body), expected_8);
}

#[tokio::test]
async fn csv_export_is_anonymous_and_carries_the_themes() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let r = app
        .get(&national, &format!("{BASE}/facilita/export.csv"))
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/csv"))
    );
    assert!(r.body.starts_with("n,region,network,answer,themes"));
    let rows = csv_rows(&r.body);
    let all = stored_answers(&app, "facilita", OpenFilter::default()).await;
    let hidden = hidden_networks(&app).await;
    assert_eq!(rows.len(), all.len());
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0], (i + 1).to_string(), "a sequence number per export");
        assert_eq!(row[3], all[i].value, "same order as the page");
        assert!(!hidden.contains(&row[2]), "hidden groups unnamed: {row:?}");
    }
    assert!(
        all.iter().all(|a| !r.body.contains(&a.response_id)),
        "no response ids"
    );
    let keys = answers(&app, "facilita", OpenFilter::default()).await;
    assert!(
        keys.iter().all(|a| !r.body.contains(&a.response_id)),
        "no answer keys either"
    );
    assert!(rows.iter().any(|r| r[2] == "RME3" && r[1] == "5"));
    assert!(rows.iter().any(|r| r[2].is_empty() && r[1] == "5"));
    // The demo codebook's codes, joined by ';' when several.
    assert!(rows.iter().any(|r| r[4] == "organizacion"));
    assert!(rows.iter().any(|r| r[4] == "confianza;supervision"));
    assert!(
        rows.iter().any(|r| r[4].is_empty()),
        "2026 is partly uncoded"
    );

    // Filters apply to the export as to the page.
    let filtered = app
        .get(
            &national,
            &format!("{BASE}/facilita/export.csv?q=calendario&region=8"),
        )
        .await;
    let rows = csv_rows(&filtered.body);
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r[1] == "8" && r[3].contains("calendario"))
    );

    // Researchers export too, with the same anonymity.
    let researcher = app.client(Some(RESEARCHER)).await;
    let theirs = app
        .get(&researcher, &format!("{BASE}/facilita/export.csv"))
        .await;
    assert_eq!(theirs.body, r.body);
}

#[tokio::test]
async fn coding_writes_need_the_csrf_token() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let c = campaign(&app).await;
    let list = format!("{BASE}/practicas");
    let theme = app
        .store
        .open_themes(c.id, "practicas")
        .await
        .unwrap_or_else(|e| panic!("{e}"))[0]
        .clone();
    let stored = stored_answers(
        &app,
        "practicas",
        OpenFilter {
            theme: trama_store::campaigns::open_answers::ThemeFilter::Uncoded,
            ..Default::default()
        },
    )
    .await
    .remove(0);
    let a = answers(
        &app,
        "practicas",
        OpenFilter {
            theme: trama_store::campaigns::open_answers::ThemeFilter::Uncoded,
            ..Default::default()
        },
    )
    .await
    .remove(0);
    let attempts = [
        (
            format!("{list}/themes"),
            "code=sin-token&label_es=X&label_en=X".to_owned(),
        ),
        (
            format!("{list}/codings"),
            format!("response={}&theme={}", a.response_id, theme.id),
        ),
        (
            format!("{list}/codings/remove"),
            format!("response={}&theme={}", a.response_id, theme.id),
        ),
        (
            format!("{list}/themes/{}", theme.id),
            "code=cambiado&label_es=X&label_en=X".to_owned(),
        ),
        (format!("{list}/themes/{}/delete", theme.id), String::new()),
    ];
    for (path, body) in &attempts {
        for token in ["_csrf=wrong&", ""] {
            // Without `_csrf=` the test client would add the right token;
            // an empty value stands for a missing one.
            let token = if token.is_empty() { "_csrf=&" } else { token };
            let r = app
                .send(
                    &national,
                    "POST",
                    path,
                    Some(&format!("{token}{body}")),
                    &[],
                )
                .await;
            assert_eq!(r.status, 403, "{path} with {token}");
        }
    }
    // Nothing changed.
    let themes = app
        .store
        .open_themes(c.id, "practicas")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        themes
            .iter()
            .any(|t| t.id == theme.id && t.code == theme.code)
    );
    assert!(!themes.iter().any(|t| t.code == "sin-token"));
    let after = app
        .store
        .open_answer(&c, "practicas", &stored.response_id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("answer"));
    assert!(after.themes.is_empty());
}

#[tokio::test]
async fn answers_go_by_keys_that_join_nothing() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let page = app.get(&national, &format!("{BASE}/facilita")).await;
    assert_eq!(page.status, 200);
    let stored = stored_answers(&app, "facilita", OpenFilter::default()).await;
    assert!(!stored.is_empty());
    assert!(
        stored.iter().all(|a| !page.body.contains(&a.response_id)),
        "a stored response id in the page"
    );
    let keys = answers(&app, "facilita", OpenFilter::default()).await;
    assert!(
        keys.iter().any(|a| page.body.contains(&a.response_id)),
        "the coding forms post the answers' keys"
    );
    // One person's answers to two questions carry unrelated keys.
    let c = campaign(&app).await;
    let id = &stored[0].response_id;
    assert_ne!(
        trama_app::open_answers::answer_key(&c, "facilita", id),
        trama_app::open_answers::answer_key(&c, "dificulta", id)
    );
}

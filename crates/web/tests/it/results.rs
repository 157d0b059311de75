//! Results pages on the demo rounds: who may read what, and that no page
//! shows a figure for a group below the anonymity threshold.

use crate::common::*;

#[tokio::test]
async fn results_pages_are_scoped_by_role() {
    let app = seeded().await;
    let expect = [
        ("/campaigns/RME-2026/results", [200, 200, 200, 403, 200]),
        // A supervisor reads the regions of their own networks only.
        (
            "/campaigns/RME-2026/results/regions/8",
            [200, 200, 403, 403, 200],
        ),
        (
            "/campaigns/RME-2026/results/regions/5",
            [200, 403, 200, 403, 200],
        ),
        (
            "/campaigns/RME-2026/results/networks/RME1",
            [200, 403, 200, 200, 403],
        ),
        (
            "/campaigns/RME-2026/results/networks/RME7",
            [200, 200, 403, 403, 403],
        ),
        (
            "/campaigns/RME-2026/results/items/conf_1",
            [200, 200, 200, 403, 200],
        ),
        (
            "/campaigns/RME-2026/results/items/nope",
            [404, 404, 404, 403, 404],
        ),
        ("/campaigns/nope/results", [404, 404, 404, 404, 404]),
        // The PDFs are read exactly as the pages they come from.
        (
            "/campaigns/RME-2026/results/report.pdf",
            [200, 200, 200, 403, 200],
        ),
        (
            "/campaigns/RME-2026/results/regions/5/report.pdf",
            [200, 403, 200, 403, 200],
        ),
        (
            "/campaigns/RME-2026/results/networks/RME1/report.pdf?lang=en",
            [200, 403, 200, 200, 403],
        ),
        (
            "/campaigns/RME-2026/results/networks/RME7/report.pdf",
            [200, 200, 403, 403, 403],
        ),
        (
            "/campaigns/nope/results/networks/RME1/report.pdf",
            [404, 404, 404, 404, 404],
        ),
    ];
    let clients = [
        app.client(Some(NATIONAL)).await,
        app.client(Some(REGIONAL)).await,
        app.client(Some(SUPERVISOR)).await,
        app.client(Some(PARTICIPANT)).await,
        app.client(Some(RESEARCHER)).await,
    ];
    let mut wrong = vec![];
    for (path, statuses) in expect {
        for (c, want) in clients.iter().zip(statuses) {
            let got = app.get(c, path).await.status.as_u16();
            if got != want {
                wrong.push(format!("{path} as {}: {got}, expected {want}", c.name));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let anon = app.client(None).await;
    let r = app.get(&anon, "/campaigns/RME-2026/results").await;
    assert_eq!(r.status, 303);
}

#[tokio::test]
async fn a_network_below_the_threshold_shows_no_figure_anywhere() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let counts = responses_per_network(&app, "RME-2026").await;
    let (small, n) = counts
        .iter()
        .find(|(_, n)| *n < 5)
        .cloned()
        .unwrap_or_else(|| panic!("the demo has a network below 5 responses: {counts:?}"));
    assert!(n > 0, "a network with some answers, but too few");
    let page = app
        .get(
            &national,
            &format!("/campaigns/RME-2026/results/networks/{small}"),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("menos de 5 respuestas válidas"));
    assert!(!page.body.contains("Hallazgos"));
    // Every row for the network in every chart's table is suppressed; the
    // region's and the nation's rows are not. The rate table names the
    // network and its invitations, but not how many answered: a hidden
    // group's size is hidden with it.
    let rates = page
        .body
        .split("aria-labelledby=\"rates-h\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or_default();
    let first = rates.split("<tbody><tr>").nth(1).unwrap_or_default();
    assert!(!first.is_empty(), "the network's rate row");
    let valid = first
        .split("<td class=\"num\">")
        .nth(2)
        .and_then(|c| c.split("</td>").next());
    assert_eq!(valid, Some("—"), "{}", &first[..120.min(first.len())]);
    let row = format!("<th scope=\"row\">{small}</th>");
    let rows: Vec<&str> = page.body.split(&row).skip(1).collect();
    assert!(!rows.is_empty());
    for r in &rows {
        assert!(
            r.trim_start()
                .starts_with("<td class=\"num\">—</td><td class=\"num\">—</td><td colspan=\"8\">"),
            "{}",
            &r[..200.min(r.len())]
        );
    }
    assert!(
        page.body
            .contains("<th scope=\"row\">Nacional</th><td class=\"num\">1")
    );
    // A network large enough shows its figures, unless it is hidden so
    // that a smaller one cannot be worked out — and then says so.
    let mut shown = 0;
    for (big, _) in counts.iter().filter(|(_, n)| *n >= 5) {
        let page = app
            .get(
                &national,
                &format!("/campaigns/RME-2026/results/networks/{big}"),
            )
            .await;
        let row = format!("<th scope=\"row\">{big}</th><td class=\"num\">");
        let first = page.body.split(&row).nth(1).unwrap_or_default();
        if page.body.contains("permitirían deducir") {
            assert!(
                first.starts_with('—'),
                "{big}: {}",
                &first[..50.min(first.len())]
            );
        } else {
            shown += 1;
            assert!(
                first.starts_with(char::is_numeric),
                "{big}: {}",
                &first[..50.min(first.len())]
            );
        }
    }
    assert!(shown > 0, "some network of 5 or more is shown");
}

#[tokio::test]
async fn researchers_download_spss_files_pspp_reads_and_xlsx_workbooks() {
    let app = seeded().await;
    let researcher = app.client(Some(RESEARCHER)).await;
    let c = app.campaign("RME-2026").await;
    let cases = app
        .store
        .response_records(c.id, false)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .len();
    let sav = app
        .get(&researcher, "/campaigns/RME-2026/responses.sav")
        .await;
    assert_eq!(sav.status, 200);
    assert!(sav.raw.starts_with(b"$FL2"), "an SPSS system file");
    let xlsx = app
        .get(&researcher, "/campaigns/RME-2026/responses.xlsx")
        .await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.raw.starts_with(b"PK"), "a zip (XLSX) file");
    if !pspp_found() {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("r.sav");
    std::fs::write(&file, &sav.raw).unwrap_or_else(|e| panic!("{e}"));
    let syntax = dir.path().join("c.sps");
    std::fs::write(
        &syntax,
        format!(
            "GET FILE='{}'.\nDISPLAY DICTIONARY.\nFREQUENCIES VARIABLES=conf_1.\n",
            file.display()
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new("pspp")
        .arg("-O")
        .arg("format=csv")
        .arg(&syntax)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("error:"), "{text}");
    // Labels in Spanish, NA declared missing, every case read.
    assert!(text.contains("Totalmente de acuerdo"), "{text}");
    assert!(text.contains("No aplica"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("Total,") && l.contains(&format!(",{cases},"))),
        "{cases} cases: {text}"
    );
}

#[tokio::test]
async fn years_side_by_side_each_suppressed_on_its_own() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let page = app
        .get(&national, "/campaigns/RME-2026/results/years")
        .await;
    assert_eq!(page.status, 200);
    // Both demo years appear as rows of every sub-dimension table.
    let rows_2025 = page.body.matches("<th scope=\"row\">2025</th>").count();
    let rows_2026 = page.body.matches("<th scope=\"row\">2026</th>").count();
    assert_eq!(rows_2025, 10, "one row per sub-dimension");
    assert_eq!(rows_2025, rows_2026);
    // A network too small is suppressed in every year it is too small.
    let net = app
        .get(&national, "/campaigns/RME-2026/results/networks/RME13")
        .await;
    assert_eq!(net.status, 200);
    assert!(net.body.contains("menos de 5 respuestas válidas"));
}

/// The figures of the first "Respuestas válidas: <strong>n</strong>".
fn respondents(body: &str) -> u64 {
    body.split("Respuestas válidas: <strong>")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {}", &body[..300.min(body.len())]))
}

#[tokio::test]
async fn pages_read_again_as_soon_as_responses_change() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let before = respondents(&app.get(&national, "/campaigns/RME-2026/results").await.body);
    // Served again from memory: same figures.
    let again = respondents(&app.get(&national, "/campaigns/RME-2026/results").await.body);
    assert_eq!(before, again);
    let c = app.campaign("RME-2026").await;
    let instrument = trama_instrument::default_rme();
    let answers = instrument
        .rating_items()
        .iter()
        .map(|i| (i.name.clone(), "4".to_owned()))
        .collect();
    let record = trama_campaign::ResponseRecord {
        response_id: String::new(),
        region: "5".into(),
        deprov: "51".into(),
        network: "RME1".into(),
        role: "docente".into(),
        submitted_at: "2026-09-10T12:00:00Z".into(),
        answers,
    };
    app.store
        .import_responses(&c, &instrument, &[(2, record)])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let after = respondents(&app.get(&national, "/campaigns/RME-2026/results").await.body);
    assert_eq!(after, before + 1);
}

/// One rating answer for every item, as a submitted paper response of RME1.
fn paper(instrument: &trama_instrument::Instrument, id: &str) -> trama_campaign::ResponseRecord {
    trama_campaign::ResponseRecord {
        response_id: id.into(),
        region: "5".into(),
        deprov: "51".into(),
        network: "RME1".into(),
        role: "docente".into(),
        submitted_at: "2026-09-10T12:00:00Z".into(),
        answers: instrument
            .rating_items()
            .iter()
            .map(|i| (i.name.clone(), "3".to_owned()))
            .collect(),
    }
}

#[tokio::test]
async fn saves_submits_and_imports_in_one_second_each_show_at_once() {
    let app = seeded().await;
    let (id, links) = open_campaign(&app, "RAPIDA", &["RME1", "RME2"]).await;
    let c = app
        .store
        .campaign_by_id(id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("campaign"));
    let instrument = trama_instrument::default_rme();
    let national = app.client(Some(NATIONAL)).await;
    let page = "/campaigns/RAPIDA/results";
    let first: Vec<(u64, trama_campaign::ResponseRecord)> = (0..5)
        .map(|i| (i + 2, paper(&instrument, &format!("papel-{i}"))))
        .collect();
    app.store
        .import_responses(&c, &instrument, &first)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(respondents(&app.get(&national, page).await.body), 5);
    let all = instrument
        .rating_items()
        .iter()
        .map(|i| (i.name.clone(), "5".to_owned()))
        .collect();
    for (n, path) in links.iter().take(2).enumerate() {
        let token = path.trim_start_matches("/r/");
        let who = match app.store.open_link(token).await {
            Ok(trama_store::campaigns::answering::LinkState::Active(who)) => who,
            other => panic!("an open link, not {other:?}"),
        };
        app.store
            .save_page(&who, &instrument, &all, 9)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // Saved, not sent: not counted yet.
        assert_eq!(
            respondents(&app.get(&national, page).await.body),
            5 + n as u64
        );
        let who = match app.store.open_link(token).await {
            Ok(trama_store::campaigns::answering::LinkState::Active(who)) => who,
            other => panic!("an open link, not {other:?}"),
        };
        app.store
            .submit_response(&who, &instrument)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            respondents(&app.get(&national, page).await.body),
            6 + n as u64
        );
    }
    app.store
        .import_responses(&c, &instrument, &[(2, paper(&instrument, "papel-x"))])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(respondents(&app.get(&national, page).await.body), 8);
}

//! A real round's frictions, over HTTP: what a coordinator is told when
//! opening, closing and sending; what a participant can and cannot lose;
//! figures that cannot be misread as the response rate.

use crate::common::*;

/// The rating statements of the RME form, page by page (1-based).
fn rating_pages() -> Vec<(usize, Vec<String>)> {
    let rme = trama_instrument::default_rme();
    rme.pages()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let names = p
                .items
                .iter()
                .filter(|it| it.is_rating())
                .map(|it| it.name.clone())
                .collect::<Vec<_>>();
            (i + 1, names)
        })
        .filter(|(_, names)| !names.is_empty())
        .collect()
}

async fn funnel_total(app: &App, campaign: &str) -> Vec<String> {
    let national = app.client(Some(NATIONAL)).await;
    let f = app
        .get(
            &national,
            &format!("/campaigns/{campaign}/funnel.csv?by=total"),
        )
        .await;
    funnel_counts(&f.body)
}

#[tokio::test]
async fn an_empty_questionnaire_cannot_be_sent_and_a_short_one_only_knowingly() {
    let app = app().await;
    let (_, links) = open_campaign(&app, "round-1", &["RME1"]).await;
    let anon = app.client(None).await;
    let link = &links[0];

    // Page 1's required questions stop "continue", at the field; saving to
    // finish later is always possible.
    let next = app
        .send(
            &anon,
            "POST",
            &format!("{link}/p/1"),
            Some("anos_red=3&_nav=next"),
            &[],
        )
        .await;
    assert_eq!(next.status, 422, "{}", next.body);
    assert!(next.body.contains("id=\"e-rol\""), "the error is at «rol»");
    assert!(next.body.contains("es obligatoria"), "{}", next.body);
    let stay = app
        .send(
            &anon,
            "POST",
            &format!("{link}/p/1"),
            Some("anos_red=3&_nav=stay"),
            &[],
        )
        .await;
    assert_eq!(stay.status, 200);
    assert!(
        !stay.body.contains("id=\"e-rol\""),
        "no error when saving to leave"
    );
    let profile = app
        .send(
            &anon,
            "POST",
            &format!("{link}/p/1"),
            Some("rol=docente&anos_red=3&_nav=next"),
            &[],
        )
        .await;
    assert_eq!(profile.location(), format!("{link}/p/2"));

    // Nothing rated: the review says so and there is no way to send it.
    let review = app.get(&anon, &format!("{link}/review")).await;
    assert!(
        review.body.contains("id=\"nothing-answered\""),
        "{}",
        review.body
    );
    assert!(!review.body.contains("id=\"submit-answers\""));
    let sent = app
        .send(&anon, "POST", &format!("{link}/submit"), Some(""), &[])
        .await;
    assert_eq!(sent.status, 422);
    assert!(!sent.body.contains("¡Gracias!"));
    assert_eq!(
        app.get(&anon, link).await.status,
        303,
        "the link still opens the questionnaire"
    );

    // Half rated (below the 80 % rule): sending asks for a confirmation
    // that names what is missing; with it, the response is complete but
    // not valid, as the person was told.
    let pages = rating_pages();
    let mut rated = 0;
    for (page, names) in pages.iter().take(pages.len() / 2) {
        let body: Vec<String> = names.iter().map(|n| format!("{n}=4")).collect();
        rated += names.len();
        let r = app
            .send(
                &anon,
                "POST",
                &format!("{link}/p/{page}"),
                Some(&body.join("&")),
                &[],
            )
            .await;
        assert_eq!(r.status, 303, "page {page}: {}", r.body);
    }
    let review = app.get(&anon, &format!("{link}/review")).await;
    assert!(
        review.body.contains(&format!("{rated} / 35")),
        "{}",
        review.body
    );
    assert!(review.body.contains("id=\"not-counting\""));
    assert!(
        review
            .body
            .contains("responda al menos 28 de las 35 afirmaciones"),
        "the rule in words: {}",
        review.body
    );
    assert!(review.body.contains(&format!("le faltan {}", 28 - rated)));
    let (last_page, _) = pages.last().cloned().unwrap_or_default();
    assert!(
        review.body.contains(&format!("{link}/p/{last_page}")),
        "links to a page still unanswered"
    );
    let unconfirmed = app
        .send(&anon, "POST", &format!("{link}/submit"), Some(""), &[])
        .await;
    assert_eq!(unconfirmed.status, 422);
    assert!(
        unconfirmed
            .body
            .contains("role=\"alert\" id=\"not-counting\"")
    );
    assert_eq!(funnel_total(&app, "round-1").await[3..], ["0", "0"]);
    let confirmed = app
        .send(
            &anon,
            "POST",
            &format!("{link}/submit"),
            Some("confirm=not-counting"),
            &[],
        )
        .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    assert_eq!(
        funnel_total(&app, "round-1").await[3..],
        ["1", "0"],
        "complete, not valid"
    );
}

#[tokio::test]
async fn switching_language_on_a_page_keeps_what_was_picked() {
    let app = app().await;
    let (_, links) = open_campaign(&app, "round-2", &["RME1"]).await;
    let anon = app.client(None).await;
    let link = &links[0];
    let page = app.get(&anon, &format!("{link}/p/2")).await;
    assert!(
        page.body
            .contains("form=\"answer-form\" name=\"_lang\" value=\"en\""),
        "the switch posts the page's form"
    );
    let switched = app
        .send(
            &anon,
            "POST",
            &format!("{link}/p/2"),
            Some("conf_1=4&_lang=en"),
            &[],
        )
        .await;
    assert_eq!(switched.location(), format!("{link}/p/2"));
    let cookie = switched
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cookie.starts_with("trama_lang=en"), "{cookie}");
    let again = app
        .send(
            &anon,
            "GET",
            &format!("{link}/p/2"),
            None,
            &[("cookie", "trama_lang=en")],
        )
        .await;
    assert!(again.body.contains("<html lang=\"en\">"));
    assert!(
        again.body.contains("name=\"conf_1\" value=\"4\" checked"),
        "the answer picked before switching is there"
    );
}

#[tokio::test]
async fn opening_and_closing_say_what_will_happen_and_what_was_sent() {
    let app = app().await;
    let national = app.client(Some(NATIONAL)).await;
    let created = app
        .send(
            &national,
            "POST",
            "/campaigns",
            Some("code=round-3&name=Ronda&year=2026&instrument=1&scope=networks&scope_codes=RME1&opens_on=2026-11-01&closes_on=2026-12-20&reminder_days=&valid_min_pct=80"),
            &[],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let draft = app.get(&national, "/campaigns/round-3").await;
    assert!(draft.body.contains("id=\"confirm-open\""));
    assert!(
        !draft.body.contains("/campaigns/round-3/results\""),
        "no results for a draft"
    );
    let invited: usize = draft
        .body
        .split("id=\"invited-count\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    assert!(invited > 0);
    assert!(
        draft.body.contains(&format!(
            "se preparan {invited} invitaciones. Este servidor no tiene correo"
        )),
        "the confirmation says nothing will be mailed: {}",
        draft.body
    );

    // A POST without the confirmation only shows it.
    let bare = app
        .send(&national, "POST", "/campaigns/round-3/open", Some(""), &[])
        .await;
    assert_eq!(bare.location(), "/campaigns/round-3?confirm=open");
    let shown = app.get(&national, bare.location()).await;
    assert!(shown.body.contains("id=\"confirm-open\" open"));
    assert!(shown.body.contains("Borrador"), "still a draft");

    let opened = app
        .send(
            &national,
            "POST",
            "/campaigns/round-3/open",
            Some("confirm=open"),
            &[],
        )
        .await;
    assert_eq!(opened.status, 303);
    let page = app.get(&national, opened.location()).await;
    assert!(
        page.body.contains("id=\"delivery-warning\""),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("{invited} invitaciones NO se han enviado todavía")),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("href=\"/campaigns/round-3/outbox\" id=\"to-outbox\"")
    );
    assert!(
        !page.body.contains("quedaron en cola"),
        "nothing claims the invitations are on their way"
    );
    assert!(page.body.contains("id=\"confirm-close\""));

    // The outbox previews the message as it will read, with no link in it.
    let outbox = app.get(&national, "/campaigns/round-3/outbox").await;
    assert!(
        outbox.body.contains("id=\"preview-invitation-es\""),
        "{}",
        outbox.body
    );
    assert!(outbox.body.contains("[enlace personal / personal link]"));
    assert!(!outbox.body.contains("/r/"), "no personal link on the page");
    assert!(outbox.body.contains("20 de diciembre de 2026"));

    // The mail merge carries the message itself; the warning goes.
    let csv = app
        .send(
            &national,
            "POST",
            "/campaigns/round-3/outbox.csv",
            Some(""),
            &[],
        )
        .await;
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let head: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_owned).collect())
        .unwrap_or_default();
    assert_eq!(
        head,
        [
            "name",
            "email",
            "link",
            "kind",
            "lang",
            "subject",
            "opt_out_link",
            "body"
        ]
    );
    let first = reader
        .records()
        .filter_map(Result::ok)
        .next()
        .unwrap_or_default();
    let (subject, body) = (first.get(5).unwrap_or(""), first.get(7).unwrap_or(""));
    assert!(!subject.contains("red Red"), "no doubled word: {subject}");
    assert!(subject.starts_with("Red "), "{subject}");
    assert!(
        body.contains(first.get(2).unwrap_or("-")),
        "the link is in the body"
    );
    assert!(
        body.contains("20 de diciembre de 2026"),
        "the closing day: {body}"
    );
    assert!(body.contains("confidenciales"), "{body}");
    let after = app.get(&national, "/campaigns/round-3").await;
    assert!(!after.body.contains("id=\"delivery-warning\""));
    assert!(after.body.contains("id=\"delivery-done\""));

    // Closing without the confirmation closes nothing.
    let bare = app
        .send(&national, "POST", "/campaigns/round-3/close", Some(""), &[])
        .await;
    assert_eq!(bare.location(), "/campaigns/round-3?confirm=close");
    let shown = app.get(&national, bare.location()).await;
    assert!(shown.body.contains("Abierta"));
    assert!(
        shown
            .body
            .contains(&format!("{invited} personas invitadas aún no envían")),
        "{}",
        shown.body
    );
}

#[tokio::test]
async fn networks_are_named_whatever_their_case_and_codes_differ_by_more_than_case() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let form = |code: &str, codes: &str| {
        format!(
            "code={code}&name=Ronda&year=2026&instrument=1&scope=networks&scope_codes={codes}&opens_on=2026-11-01&closes_on=2026-12-20&reminder_days=&valid_min_pct=80"
        )
    };
    let bad = app
        .send(
            &national,
            "POST",
            "/campaigns",
            Some(&form("round-4", "rme2%2C+RME+3")),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("código «RME»"), "{}", bad.body);
    assert!(bad.body.contains("código «3»"));
    assert!(!bad.body.contains("código «rme2»"), "rme2 is RME2");
    let new = app.get(&national, "/campaigns/new").await;
    assert!(
        new.body.contains("class=\"picker\""),
        "a picker of networks"
    );
    assert!(new.body.contains("value=\"RME14\""));

    let ok = app
        .send(
            &national,
            "POST",
            "/campaigns",
            Some(&form("round-4", "rme2%2C+rme3")),
            &[],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let page = app.get(&national, "/campaigns/round-4").await;
    assert!(
        page.body.contains("RME2, RME3"),
        "stored as the registry spells them"
    );

    let twin = app
        .send(
            &national,
            "POST",
            "/campaigns",
            Some(&form("rme-2026", "RME1")),
            &[],
        )
        .await;
    assert_eq!(twin.status, 422);
    assert!(twin.body.contains("ya existe «RME-2026»"), "{}", twin.body);
}

#[tokio::test]
async fn long_invitation_lists_page_and_rates_are_never_confused() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let total = funnel_total(&app, "RME-2026").await;
    let invited: usize = total[0].parse().unwrap_or(0);
    assert!(invited > 200, "a national round: {invited}");
    let rows = |body: &str| body.matches("<tr").count() - 1;
    let first = app.get(&national, "/campaigns/RME-2026").await;
    assert_eq!(rows(&first.body), 100, "a page of the list");
    assert!(
        first.body.contains(&format!("({invited})")),
        "the whole count shown"
    );
    assert!(first.body.contains("rel=\"next\""));
    let last_page = invited.div_ceil(100);
    let last = app
        .get(&national, &format!("/campaigns/RME-2026?page={last_page}"))
        .await;
    assert_eq!(rows(&last.body), invited - 100 * (last_page - 1));

    // The dashboard: the response rate is valid over invited, per region
    // and in total, beside the network coverage, each under its own name.
    let valid: usize = total[4].parse().unwrap_or(0);
    let rate = format!("{:.1}", 100.0 * valid as f64 / invited as f64).replace('.', ",");
    let results = app.get(&national, "/campaigns/RME-2026/results").await;
    assert!(
        results
            .body
            .contains("Tasa de respuesta (válidas / invitadas) %")
    );
    assert!(results.body.contains("Cobertura de redes"));
    let total_row = results
        .body
        .split("<th scope=\"row\">Total</th>")
        .nth(1)
        .and_then(|s| s.split("</tr>").next())
        .unwrap_or_default()
        .to_owned();
    let cells: Vec<&str> = total_row
        .split("<td class=\"num\">")
        .skip(1)
        .map(|c| c.split('<').next().unwrap_or_default())
        .collect();
    assert_eq!(
        cells.get(..3),
        Some(
            &[
                invited.to_string().as_str(),
                valid.to_string().as_str(),
                rate.as_str()
            ][..]
        ),
        "{total_row}"
    );
    assert_ne!(rate, "100,0");
    let funnel = app.get(&national, "/campaigns/RME-2026/funnel").await;
    assert!(
        funnel.body.contains(&format!(
            "{rate} % ({valid} respuestas válidas de {invited}"
        )),
        "one notation, a decimal comma: {}",
        funnel.body
    );
}

#[tokio::test]
async fn findings_rest_on_enough_answers_and_read_in_the_favourable_direction() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let page = app.get(&national, "/campaigns/RME-2026/results").await;
    let list = page
        .body
        .split("<ul class=\"findings\">")
        .nth(1)
        .and_then(|s| s.split("</ul>").next())
        .unwrap_or_default()
        .to_owned();
    let findings: Vec<&str> = list.split("<li>").skip(1).collect();
    assert!(!findings.is_empty(), "{}", page.body);
    let rme = trama_instrument::default_rme();
    for f in &findings {
        let n: u64 = f
            .split("(n = ")
            .nth(1)
            .and_then(|s| s.split(')').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        assert!(n >= 10, "a finding on {n} answers: {f}");
        for item in rme.items.iter().filter(|i| i.is_rating() && i.reverse) {
            let label = item.label(trama_i18n::Lang::Es);
            if f.contains(label) {
                assert!(
                    f.contains("no están de acuerdo"),
                    "a reverse-keyed statement reads as disagreement: {f}"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_network_report_leads_back_up_and_across() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let report = app
        .get(&national, "/campaigns/RME-2026/results/networks/RME1")
        .await;
    assert_eq!(report.status, 200);
    let crumbs = report
        .body
        .split("class=\"crumbs\">")
        .nth(1)
        .and_then(|s| s.split("</nav>").next())
        .unwrap_or_default()
        .to_owned();
    for href in [
        "/campaigns/RME-2026\"",
        "/campaigns/RME-2026/results\"",
        "/campaigns/RME-2026/results/regions/",
        "/networks/RME1\"",
    ] {
        assert!(crumbs.contains(href), "{href} in {crumbs}");
    }
    let h1 = report
        .body
        .split("<h1>")
        .nth(1)
        .and_then(|s| s.split("</h1>").next())
        .unwrap_or_default();
    assert!(
        h1.contains("(RME1)") && h1.len() > "RME1 · ".len() + 10,
        "named: {h1}"
    );
    let network = app.get(&national, "/networks/RME1").await;
    assert!(
        network.body.contains("id=\"network-results\""),
        "the network page links its results"
    );

    // A participant climbs only as far as they may, and finds their report
    // from home.
    let participant = app.client(Some(PARTICIPANT)).await;
    let theirs = app
        .get(&participant, "/campaigns/RME-2026/results/networks/RME1")
        .await;
    assert_eq!(theirs.status, 200);
    assert!(!theirs.body.contains("href=\"/campaigns/RME-2026\""));
    assert!(
        !theirs.body.contains("href=\"/networks/RME1\""),
        "no registry page for them"
    );
    let home = app.get(&participant, "/").await;
    assert!(
        home.body
            .contains("href=\"/campaigns/RME-2026/results/networks/RME1\" class=\"my-results\""),
        "{}",
        home.body
    );
}

//! Answering through personal links over HTTP, and what coordinators then
//! see: saves that survive leaving, double submits and errors; the funnel;
//! exports without identity; links that no longer work.

use crate::common::*;

#[tokio::test]
async fn a_participant_answers_leaves_comes_back_and_submits() {
    let app = app().await;
    let (_, links) = open_campaign(&app, "web-1", &["RME1", "RME2"]).await;
    let anon = app.client(None).await;
    let link = &links[0];
    let start = app.send(&anon, "GET", link, None, &[]).await;
    assert_eq!(
        (start.status.as_u16(), start.location().to_owned()),
        (303, format!("{link}/p/1"))
    );
    let p1 = app
        .send(&anon, "GET", &format!("{link}/p/1"), None, &[])
        .await;
    assert_eq!(p1.status, 200);
    assert!(p1.body.contains("<html lang=\"es\">"));

    // Page 2 has rating statements, each a fieldset with a legend and
    // "No aplica" as an answer of its own.
    let p2 = app
        .send(&anon, "GET", &format!("{link}/p/2"), None, &[])
        .await;
    assert!(
        p2.body.matches("<fieldset class=\"rating").count() >= 3,
        "{}",
        p2.body
    );
    assert!(p2.body.matches("<legend>").count() >= 3);
    assert!(p2.body.contains("value=\"NA\""));

    // One wrong value: the page comes back with the error at the field, and
    // the two valid answers are kept.
    let bad = app
        .send(
            &anon,
            "POST",
            &format!("{link}/p/2"),
            Some("conf_1=4&conf_2=NA&conf_3=9&_nav=next"),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("id=\"e-conf_3\""),
        "error next to the field"
    );
    assert!(
        bad.body.contains("value=\"4\" checked"),
        "the valid answer is shown as saved"
    );
    // Leave, come back: the link resumes on page 2 with the answers.
    let again = app.send(&anon, "GET", link, None, &[]).await;
    assert_eq!(
        again.location(),
        format!("{link}/p/2?back=1"),
        "page 2, told the answers are kept"
    );
    // Two tabs / double submit of the same page: the same answers, once.
    for _ in 0..2 {
        let ok = app
            .send(
                &anon,
                "POST",
                &format!("{link}/p/2"),
                Some("conf_3=2&conf_4=5&_nav=next"),
                &[],
            )
            .await;
        assert_eq!(
            (ok.status.as_u16(), ok.location().to_owned()),
            (303, format!("{link}/p/3"))
        );
    }
    let resumed = app.send(&anon, "GET", link, None, &[]).await;
    assert_eq!(resumed.location(), format!("{link}/p/3?back=1"));
    let back = app.send(&anon, "GET", resumed.location(), None, &[]).await;
    assert!(back.body.contains("id=\"welcome-back\""), "{}", back.body);

    // Submitting with the required profile question unanswered is refused.
    let early = app
        .send(&anon, "POST", &format!("{link}/submit"), Some(""), &[])
        .await;
    assert_eq!(early.status, 422);
    assert!(
        early.body.contains(&format!("{link}/p/1")),
        "links to the missing answer"
    );

    // The national coordinator watches the funnel move.
    let national = app.client(Some(NATIONAL)).await;
    let f = app
        .send(
            &national,
            "GET",
            "/campaigns/web-1/funnel.csv?by=total",
            None,
            &[],
        )
        .await;
    let before = funnel_counts(&f.body);
    assert_eq!(
        &before[1..],
        ["1", "1", "0", "0"],
        "opened, started, complete, valid: {}",
        f.body
    );

    // Answer the profile and every statement, then submit.
    let r = app
        .send(
            &anon,
            "POST",
            &format!("{link}/p/1"),
            Some("rol=director&anos_red=4&_nav=next"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    let pages = trama_instrument::default_rme();
    for (i, page) in pages.pages().iter().enumerate() {
        let body: Vec<String> = page
            .items
            .iter()
            .filter(|it| it.is_rating())
            .enumerate()
            .map(|(k, it)| format!("{}={}", it.name, if k == 0 { "NA" } else { "3" }))
            .collect();
        if body.is_empty() {
            continue;
        }
        let r = app
            .send(
                &anon,
                "POST",
                &format!("{link}/p/{}", i + 1),
                Some(&body.join("&")),
                &[],
            )
            .await;
        assert_eq!(r.status, 303, "page {}: {}", i + 1, r.body);
    }
    let review = app
        .send(&anon, "GET", &format!("{link}/review"), None, &[])
        .await;
    assert!(
        review.body.contains("35 / 35"),
        "every statement answered, No aplica included"
    );
    let done = app
        .send(&anon, "POST", &format!("{link}/submit"), Some(""), &[])
        .await;
    assert_eq!(done.status, 303);
    let thanks = app.send(&anon, "GET", link, None, &[]).await;
    assert_eq!(thanks.status, 200);
    assert!(thanks.body.contains("¡Gracias!"));
    let twice = app
        .send(&anon, "POST", &format!("{link}/submit"), Some(""), &[])
        .await;
    assert!(
        twice.body.contains("¡Gracias!"),
        "a second submit is harmless"
    );
    let later = app
        .send(&anon, "POST", &format!("{link}/p/2"), Some("conf_1=1"), &[])
        .await;
    assert!(
        later.body.contains("¡Gracias!"),
        "a submitted questionnaire is not changed"
    );

    let f = app
        .send(
            &national,
            "GET",
            "/campaigns/web-1/funnel.csv?by=total",
            None,
            &[],
        )
        .await;
    assert_eq!(&funnel_counts(&f.body)[1..], ["1", "1", "1", "1"]);
    let by_network = app
        .send(
            &national,
            "GET",
            "/campaigns/web-1/funnel.csv?by=network",
            None,
            &[],
        )
        .await;
    assert_eq!(
        by_network.body.lines().count(),
        3,
        "header and two networks: {}",
        by_network.body
    );

    // The researchers' export names nobody; one respondent is fewer than
    // K, so it holds the columns and no row.
    let researcher = app.client(Some(RESEARCHER)).await;
    let export = app
        .send(
            &researcher,
            "GET",
            "/campaigns/web-1/responses.csv",
            None,
            &[],
        )
        .await;
    assert_eq!(export.status, 200);
    let mut lines = export.body.lines();
    assert!(
        lines
            .next()
            .unwrap_or_default()
            .starts_with("response_id,region,deprov,network,role,submitted_at,")
    );
    assert!(!export.body.contains('@'), "no e-mail in an export");
    assert_eq!(lines.next(), None, "a round of one releases no row");
}

#[tokio::test]
async fn links_that_cannot_be_answered_say_why_in_the_readers_language() {
    let app = app().await;
    let (id, links) = open_campaign(&app, "web-2", &["RME2"]).await;
    let anon = app.client(None).await;
    let en = [("accept-language", "en-GB,en")];
    let unknown = app.send(&anon, "GET", "/r/0000", None, &en).await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("Invalid link"), "{}", unknown.body);

    // A revoked invitation.
    let national = app.client(Some(NATIONAL)).await;
    let (invs, _) = app
        .store
        .list_invitations(
            id,
            &trama_store::campaigns::invitations::InvitationFilter {
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let r = app
        .send(
            &national,
            "POST",
            &format!("/campaigns/web-2/invitations/{}/remove", invs[0].id),
            Some(""),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    let mut live = vec![];
    let mut revoked = 0;
    for l in &links {
        let r = app.send(&anon, "GET", l, None, &[]).await;
        if r.status == 410 {
            assert!(r.body.contains("Enlace anulado"), "{}", r.body);
            revoked += 1;
        } else {
            assert_eq!(r.status, 303);
            live.push(l.clone());
        }
    }
    assert_eq!(
        revoked, 1,
        "exactly the removed person's link stops working"
    );

    // Closing the campaign closes every link, with a page that says so.
    let r = app
        .send(
            &national,
            "POST",
            "/campaigns/web-2/close",
            Some("confirm=close"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    let closed = app.send(&anon, "GET", &live[0], None, &en).await;
    assert_eq!(closed.status, 410);
    assert!(closed.body.contains("The questionnaire is closed"));
    let closed_es = app
        .send(
            &anon,
            "POST",
            &format!("{}/p/2", live[0]),
            Some("conf_1=4"),
            &[],
        )
        .await;
    assert!(closed_es.body.contains("El cuestionario está cerrado"));
}

#[tokio::test]
async fn a_campaign_without_invitees_cannot_open_and_forms_name_their_fields() {
    let app = app().await;
    let national = app.client(Some(NATIONAL)).await;
    let bad = app
        .send(
            &national,
            "POST",
            "/campaigns",
            Some("code=x&name=&year=2026&instrument=1&scope=networks&scope_codes=RME99&opens_on=2026-12-01&closes_on=2026-11-01&reminder_days=7,x&valid_min_pct=120"),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422);
    for field in [
        "e-name",
        "e-closes_on",
        "e-reminder_days",
        "e-valid_min_pct",
    ] {
        assert!(
            bad.body.contains(&format!("id=\"{field}\"")),
            "{field} marked: {}",
            bad.body
        );
    }
    // Networks with nobody in the registry for the year give an empty list.
    let ok = app
        .send(
            &national,
            "POST",
            "/campaigns",
            Some("code=empty&name=Vacía&year=2001&instrument=1&scope=networks&scope_codes=RME1&opens_on=2026-11-01&closes_on=2026-12-01&reminder_days=&valid_min_pct=80"),
            &[],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let open = app
        .send(
            &national,
            "POST",
            "/campaigns/empty/open",
            Some("confirm=open"),
            &[],
        )
        .await;
    assert_eq!(
        open.location(),
        "/campaigns/empty?error=campaign-problem-no-invitees"
    );
    let page = app.send(&national, "GET", open.location(), None, &[]).await;
    assert!(page.body.contains("no se puede abrir"));
    assert!(page.body.contains("Borrador"), "still a draft");
}

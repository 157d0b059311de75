//! The access holes the application layer closed, each tried the way it
//! was found: across regions, through the outbox, through the log, through
//! a redirect, through a spreadsheet, through a cache.

use crate::common::*;

/// The RME1 (Valparaíso) school and its director: outside the Biobío
/// coordinator's region.
async fn valparaiso_school(app: &App) -> (i32, String) {
    let code =
        trama_domain::network::NetworkCode::parse("RME1").unwrap_or_else(|p| panic!("{p:?}"));
    let n = app
        .store
        .get_network(&code, None)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("RME1"));
    let school = n.schools_in_year[0].rbd;
    let director = n
        .people_in_year
        .iter()
        .find(|p| p.rbd == Some(school) && p.role == "director")
        .map(|p| p.name.clone())
        .unwrap_or_else(|| panic!("a director at {school}"));
    (school, director)
}

#[tokio::test]
async fn a_regional_coordinator_cannot_pull_another_regions_school_into_their_network() {
    let app = app().await;
    let regional = app.client(Some(REGIONAL)).await;
    let (school, director) = valparaiso_school(&app).await;
    let page = app
        .send(
            &regional,
            "POST",
            "/networks/RME7/schools",
            Some(&format!("rbd={school}&from_year=2026&to_year=2026")),
            &[],
        )
        .await;
    assert_eq!(page.status, 403, "{}", page.body);
    let api = app
        .send(
            &regional,
            "POST",
            "/api/v1/networks/RME7/schools",
            Some(&format!(
                r#"{{"rbd":{school},"from_year":2026,"to_year":2026}}"#
            )),
            &[],
        )
        .await;
    assert_eq!(api.status, 403, "{}", api.body);
    // And so the school's staff stay out of the coordinator's reach.
    let rme7 = app.get(&regional, "/api/v1/networks/RME7?year=2026").await;
    assert_eq!(rme7.status, 200);
    assert!(!rme7.body.contains(&director), "{}", rme7.body);
    // Their own region's schools still join.
    let own = app
        .store
        .get_network(
            &trama_domain::network::NetworkCode::parse("RME8").unwrap_or_else(|p| panic!("{p:?}")),
            None,
        )
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("RME8"));
    let ok = app
        .send(
            &regional,
            "POST",
            "/networks/RME7/schools",
            Some(&format!(
                "rbd={}&from_year=2031&to_year=2031",
                own.schools_in_year[0].rbd
            )),
            &[],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
}

/// A person's e-mail as the registry has it.
async fn email_of(app: &App, name: &str) -> String {
    let page = app
        .store
        .list_people(
            &trama_store::registry::people::PersonFilter {
                q: Some(name.to_owned()),
                role: None,
            },
            &trama_domain::policy::Scope::All,
            Default::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    page.items
        .first()
        .map(|p| p.email.clone())
        .unwrap_or_else(|| panic!("{name}"))
}

#[tokio::test]
async fn a_regional_campaign_invites_only_within_the_region_and_reveals_no_names() {
    let app = app().await;
    let regional = app.client(Some(REGIONAL)).await;
    let version = app
        .store
        .instrument("rme", None)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("demo instrument"))
        .version
        .id;
    let created = app
        .send(
            &regional,
            "POST",
            "/campaigns",
            Some(&format!(
                "code=bio-1&name=Biob%C3%ADo&year=2026&instrument={version}&scope=networks&scope_codes=RME7&opens_on=2026-11-01&closes_on=2026-12-20&reminder_days=7&valid_min_pct=80"
            )),
            &[],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let (_, director) = valparaiso_school(&app).await;
    let outsider = email_of(&app, &director).await;
    // Someone of another region, into the coordinator's own network: as
    // unknown as someone who does not exist.
    let r = app
        .send(
            &regional,
            "POST",
            "/campaigns/bio-1/invitations",
            Some(&format!(
                "email={}&network=RME7&role=director",
                outsider.replace('@', "%40")
            )),
            &[],
        )
        .await;
    assert_eq!(
        r.location(),
        "/campaigns/bio-1?error=campaign-unknown-person"
    );
    let page = app.get(&regional, "/campaigns/bio-1").await;
    assert!(!page.body.contains(&director), "no name leaks back");
    let nobody = app
        .send(
            &regional,
            "POST",
            "/campaigns/bio-1/invitations",
            Some("email=nadie%40ninguna.cl&network=RME7&role=director"),
            &[],
        )
        .await;
    assert_eq!(
        nobody.location(),
        r.location(),
        "the same answer for nobody"
    );
    // A network of another region is not the campaign's (nor the
    // coordinator's) to invite into.
    let rme7 = app
        .store
        .get_network(
            &trama_domain::network::NetworkCode::parse("RME7").unwrap_or_else(|p| panic!("{p:?}")),
            None,
        )
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("RME7"));
    let own = rme7.people_in_year[0].email.clone();
    let elsewhere = app
        .send(
            &regional,
            "POST",
            "/campaigns/bio-1/invitations",
            Some(&format!(
                "email={}&network=RME1&role=director",
                own.replace('@', "%40")
            )),
            &[],
        )
        .await;
    assert_eq!(
        elsewhere.location(),
        "/campaigns/bio-1?error=campaign-unknown-network"
    );
}

#[tokio::test]
async fn personal_links_leave_the_outbox_once_and_the_export_is_audited() {
    let app = app().await;
    let national = app.client(Some(NATIONAL)).await;
    let version = app
        .store
        .instrument("rme", None)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("demo instrument"))
        .version
        .id;
    let r = app
        .send(
            &national,
            "POST",
            "/campaigns",
            Some(&format!(
                "code=once&name=Una+vez&year=2026&instrument={version}&scope=networks&scope_codes=RME1&opens_on=2026-11-01&closes_on=2026-12-20&reminder_days=7&valid_min_pct=80"
            )),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let opened = app
        .send(
            &national,
            "POST",
            "/campaigns/once/open",
            Some("confirm=open"),
            &[],
        )
        .await;
    assert_eq!(opened.status, 303);
    let outbox = app.get(&national, "/campaigns/once/outbox").await;
    assert_eq!(outbox.status, 200);
    assert!(!outbox.body.contains("/r/"), "no link on the outbox page");
    let first = app
        .send(
            &national,
            "POST",
            "/campaigns/once/outbox.csv",
            Some(""),
            &[],
        )
        .await;
    assert_eq!(first.status, 200);
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(first.raw.as_slice())
        .records()
        .filter_map(Result::ok)
        .collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r.get(2).is_some_and(|l| l.contains("/r/")))
    );
    // Taken once: a second export has nothing, the page says who took them.
    let second = app
        .send(
            &national,
            "POST",
            "/campaigns/once/outbox.csv",
            Some(""),
            &[],
        )
        .await;
    assert_eq!(
        csv::Reader::from_reader(second.raw.as_slice())
            .records()
            .count(),
        0
    );
    let outbox = app.get(&national, "/campaigns/once/outbox").await;
    assert!(outbox.body.contains(NATIONAL), "who exported them");
    let audit = app
        .store
        .audit_entries("campaign.outbox_export", 5)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        audit
            .iter()
            .any(|(_, user, d)| user.is_some() && d.starts_with("once:")),
        "{audit:?}"
    );
    // The stored copies keep no link, in any field.
    let c = app
        .store
        .campaign("once")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("once"));
    for m in app
        .store
        .campaign_messages(c.id, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    {
        assert!(m.link.is_none() && m.unsubscribe.is_none());
        for link in rows.iter().filter_map(|r| r.get(2)) {
            assert!(!m.body.contains(link));
        }
    }
    // Researchers and others never get the links.
    for who in [REGIONAL, SUPERVISOR, RESEARCHER, PARTICIPANT] {
        let c = app.client(Some(who)).await;
        let r = app
            .send(&c, "POST", "/campaigns/once/outbox.csv", Some(""), &[])
            .await;
        assert_eq!(r.status, 403, "{who}");
    }
}

#[tokio::test]
async fn opening_a_questionnaire_for_review_is_logged_without_the_link() {
    let app = app().await;
    let (_, links) = open_campaign(&app, "revisar", &["RME1"]).await;
    let anon = app.client(None).await;
    let link = &links[0];
    assert_eq!(app.get(&anon, &format!("{link}/review")).await.status, 200);
    let audit = app
        .store
        .audit_entries("response.review", 5)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let token = link.trim_start_matches("/r/");
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert!(audit[0].2.starts_with("invitation "));
    assert!(!audit[0].2.contains(token));
}

/// A writer for the captured log.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_personal_link_reaches_the_log() {
    let app = app().await;
    let (_, links) = open_campaign(&app, "registro", &["RME1"]).await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Other tests' threads may have met the request callsites first, with
    // no subscriber of their own: ask every callsite again, so this
    // thread's subscriber is heard (the test once saw an empty log).
    tracing::callsite::rebuild_interest_cache();
    let anon = app.client(None).await;
    let link = &links[0];
    let token = link.trim_start_matches("/r/").to_owned();
    app.get(&anon, link).await;
    app.get(&anon, &format!("{link}/p/1")).await;
    // A roster row naming someone outside the network is refused and logged.
    app.send(
        &anon,
        "POST",
        &format!("{link}/p/12"),
        Some("vinculos_red.p999999.level=3&_nav=stay"),
        &[],
    )
    .await;
    app.get(&anon, &format!("{link}/review")).await;
    app.get(&anon, &format!("{link}/p/999")).await;
    let log = String::from_utf8_lossy(&captured.0.lock().map(|v| v.clone()).unwrap_or_default())
        .into_owned();
    assert!(log.contains("/r/…"), "requests are logged: {log}");
    assert!(
        !log.contains(&token),
        "the token leaked into the log:\n{log}"
    );
}

#[tokio::test]
async fn only_same_origin_paths_are_followed_after_sign_in() {
    let app = app().await;
    let anon = app.client(None).await;
    for (next, expected) in [
        ("/%09/evil.example", "/"),
        ("//evil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("https://evil.example", "/"),
        ("/%0d%0aSet-Cookie:x=1", "/"),
        ("/networks?region=8", "/networks?region=8"),
    ] {
        let form = app.get(&anon, &format!("/login?next={next}")).await;
        assert_eq!(form.status, 200, "{next}");
        let r = app
            .send(
                &anon,
                "POST",
                "/login",
                Some(&format!(
                    "email=nacional%40demo.trama.cl&password={}&next={}",
                    trama_store::demo::DEMO_PASSWORD,
                    next.replace('?', "%3F").replace('=', "%3D")
                )),
                &[],
            )
            .await;
        assert_eq!(r.status, 303, "{next}: {}", r.body);
        assert_eq!(r.location(), expected, "{next}");
    }
}

#[tokio::test]
async fn pages_and_files_with_personal_data_are_not_cached() {
    let app = app().await;
    let (_, _) = open_campaign(&app, "cache", &["RME1"]).await;
    let national = app.client(Some(NATIONAL)).await;
    for path in [
        "/",
        "/people",
        "/networks/RME1",
        "/campaigns/cache",
        "/campaigns/cache/funnel",
        "/campaigns/cache/funnel.csv",
        "/campaigns/cache/responses.csv",
        "/api/v1/people",
    ] {
        let r = app.get(&national, path).await;
        let cache = r
            .headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(cache.contains("no-store"), "{path}: {cache:?}");
    }
    let css = app.get(&national, "/static/style.css").await;
    assert!(
        css.headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.contains("public")),
        "static files stay cacheable"
    );
}

#[tokio::test]
async fn control_characters_are_refused_at_the_field() {
    let app = app().await;
    let national = app.client(Some(NATIONAL)).await;
    let page = app
        .send(
            &national,
            "POST",
            "/networks",
            Some("code=RMEZ&name=Red%00Nula&region_code=8&deprov_code=&year_formed="),
            &[],
        )
        .await;
    assert!(
        page.body.contains("carácter de control (U+0000)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("aria-invalid=\"true\""));
    let api = app
        .send(
            &national,
            "POST",
            "/api/v1/people",
            Some(r#"{"name":"Ana\u001b[2J","email":"ana.control@demo.cl"}"#),
            &[],
        )
        .await;
    assert_eq!(api.status, 422, "{}", api.body);
    let v: serde_json::Value = serde_json::from_str(&api.body).unwrap_or_default();
    assert_eq!(v["errors"][0]["field"], "name");
    assert_eq!(v["errors"][0]["problem"], "control_character");
}

#[tokio::test]
async fn spreadsheet_formulas_typed_by_people_reach_files_as_text() {
    let app = app().await;
    // A name typed as a formula, for a person invited to a campaign.
    let national = app.client(Some(NATIONAL)).await;
    let (school, _) = valparaiso_school(&app).await;
    let created = app
        .send(
            &national,
            "POST",
            "/api/v1/people",
            Some(
                r#"{"name":"=HYPERLINK(\"http://x.example\",\"Ver\")","email":"formula@demo.cl"}"#,
            ),
            &[],
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let v: serde_json::Value = serde_json::from_str(&created.body).unwrap_or_default();
    let id = v["id"].as_i64().unwrap_or_default();
    let r = app
        .send(
            &national,
            "POST",
            &format!("/people/{id}/affiliations"),
            Some(&format!(
                "role=docente&rbd={school}&network=&from_year=2020&to_year="
            )),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (_, _) = open_campaign(&app, "formulas", &["RME1"]).await;
    // The helper above took the outbox; invite again and export anew.
    let c = app
        .store
        .campaign("formulas")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("formulas"));
    let messages = app
        .store
        .campaign_messages(c.id, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(messages.iter().any(|m| m.to_name.starts_with("=HYPERLINK")));
    // Exported through the outbox helper: read what it wrote.
    let funnel = app
        .get(&national, "/campaigns/formulas/funnel.csv?by=network")
        .await;
    assert!(!funnel.body.lines().any(|l| l.starts_with('=')));
}

#[tokio::test]
async fn results_are_read_only_within_the_readers_reach_and_the_campaigns_scope() {
    let app = seeded().await;
    let regional = app.client(Some(REGIONAL)).await;
    // Biobío's coordinator reads the national round, but another region's
    // figures neither on its page nor through the year comparison.
    for (path, want) in [
        ("/campaigns/RME-2026/results/years?region=8", 200),
        ("/campaigns/RME-2026/results/years?region=13", 403),
        ("/campaigns/RME-2026/results/regions/13", 403),
        ("/campaigns/RME-2026/results/regions/13/report.pdf", 403),
    ] {
        let r = app.get(&regional, path).await;
        assert_eq!(r.status.as_u16(), want, "{path}");
    }
    // A campaign of Valparaíso's RME1 only: nothing of it for Biobío, and
    // no report of a network it never asked.
    open_campaign(&app, "solo-rme1", &["RME1"]).await;
    let r = app.get(&regional, "/campaigns/solo-rme1/results").await;
    assert_eq!(r.status, 403);
    let national = app.client(Some(NATIONAL)).await;
    let r = app
        .get(&national, "/campaigns/solo-rme1/results/networks/RME7")
        .await;
    assert_eq!(r.status, 404);
    // RME1 and RME2's supervisor reads Valparaíso's page, with links and
    // heat-map rows for their own networks only.
    let supervisor = app.client(Some(SUPERVISOR)).await;
    let r = app
        .get(&supervisor, "/campaigns/RME-2026/results/regions/5")
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("/results/networks/RME1\""), "own network");
    for other in ["RME3", "RME13"] {
        assert!(
            !r.body.contains(&format!("/results/networks/{other}\""))
                && !r.body.contains(&format!(">{other}<")),
            "{other} shown to RME1's supervisor"
        );
    }
}

/// A map compared with an earlier wave showed that wave at the later
/// campaign's privacy setting: a participant of a network whose 2026 round
/// shows people as numbers saw the 2025 round's people too, though 2025 was
/// set to show participants schools only. Both waves now go at the
/// stricter of the two settings.
#[tokio::test]
async fn a_map_comparison_keeps_the_earlier_rounds_privacy() {
    use trama_domain::policy::MapView;
    let app = seeded().await;
    for (c, view) in [
        ("RME-2025", MapView::Schools),
        ("RME-2026", MapView::Anonymous),
    ] {
        let id = app
            .store
            .campaign(c)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{c}"))
            .id;
        app.store
            .set_sna_view(id, view)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let participant = app.client(Some(PARTICIPANT)).await;
    // Alone, the 2026 round shows people as numbers.
    let alone = app
        .get(
            &participant,
            "/networks/RME1/map?campaign=RME-2026&compare=",
        )
        .await;
    assert_eq!(alone.status, 200);
    assert!(alone.body.contains(">#1<"), "{}", alone.body);
    // Compared with 2025 (the default), schools only, in both sociograms
    // and in the list of ties gained and lost.
    let compared = app
        .get(
            &participant,
            "/networks/RME1/map?campaign=RME-2026&view=anonymous",
        )
        .await;
    assert_eq!(compared.status, 200);
    assert!(compared.body.contains("Cambio entre rondas"));
    assert!(!compared.body.contains(">#1<"), "{}", compared.body);
    assert!(!compared.body.contains("#1 →"));
    let svg = app
        .get(
            &participant,
            "/networks/RME1/map/export/svg?campaign=RME-2026&view=anonymous",
        )
        .await;
    assert_eq!(svg.status, 200);
    assert!(!svg.body.contains(">#1<"));
    // A round closed to participants leaves nothing to compare with.
    let id = app
        .store
        .campaign("RME-2025")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("RME-2025"))
        .id;
    app.store
        .set_sna_view(id, MapView::Hidden)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let hidden = app
        .get(&participant, "/networks/RME1/map?campaign=RME-2026")
        .await;
    assert_eq!(hidden.status, 200);
    assert!(!hidden.body.contains("Cambio entre rondas"));
    assert!(hidden.body.contains(">#1<"));
}

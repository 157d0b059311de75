//! Characterising networks on the demo: the national table and the
//! study's pattern, a profile with its rules, a supervisor recording a
//! session from the phone form, who sees names, and the files.

use crate::common::*;

/// The national table as CSV rows (header first).
async fn table_rows(app: &App, client: &Client, query: &str) -> Vec<Vec<String>> {
    let csv = app
        .get(
            client,
            &format!("/campaigns/RME-2026/characterisation.csv{query}"),
        )
        .await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.body.as_bytes());
    rdr.records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_owned).collect())
                .unwrap_or_default()
        })
        .collect()
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[tokio::test]
async fn the_demo_shows_every_level_and_the_studys_pattern() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let rows = table_rows(&app, &national, "").await;
    let (header, rows) = rows.split_first().unwrap_or_else(|| panic!("empty"));
    eprintln!("{header:?}");
    for r in rows {
        eprintln!("{r:?}");
    }
    assert_eq!(rows.len(), 15);
    let level = col(header, "nivel");
    let levels: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[level].as_str()).collect();
    for l in [
        "Aislamiento",
        "Colaboración balcanizada",
        "Colaboración efectiva",
        "Simbiosis",
    ] {
        assert!(levels.contains(l), "{l} missing from {levels:?}");
    }
    let emphasis = |r: &Vec<String>, f: &str| r[col(header, &format!("{f}_enfasis"))] == "1";
    let row = |code: &str| {
        rows.iter()
            .find(|r| r[0] == code)
            .unwrap_or_else(|| panic!("{code}"))
    };
    for code in ["RME1", "RME4"] {
        let r = row(code);
        assert!(
            emphasis(r, "resources") && emphasis(r, "projects"),
            "{code} cooperative on both foci: {r:?}"
        );
    }
    // Filtered by region, sorted by reciprocity (highest first, none last).
    let biobio = table_rows(&app, &national, "?region=8&sort=reciprocity").await;
    let (_, biobio) = biobio.split_first().unwrap_or_else(|| panic!("empty"));
    assert!(biobio.iter().all(|r| r[col(header, "region")] == "8"));
    assert_eq!(biobio.len(), rows.iter().filter(|r| r[2] == "8").count());
    let recip: Vec<f64> = biobio
        .iter()
        .filter_map(|r| r[col(header, "reciprocidad")].parse().ok())
        .collect();
    assert!(recip.windows(2).all(|w| w[0] >= w[1]), "{recip:?}");
    // The regional coordinator reads only Biobío.
    let regional = app.client(Some(REGIONAL)).await;
    let theirs = table_rows(&app, &regional, "").await;
    assert_eq!(theirs.len() - 1, biobio.len());
    let page = app
        .get(&national, "/campaigns/RME-2026/characterisation")
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.body.matches("data-emphasis").count(),
        rows.iter()
            .map(|r| (0..6).filter(|i| r[17 + 2 * i] == "1").count())
            .sum::<usize>()
    );
    let xlsx = app
        .get(&national, "/campaigns/RME-2026/characterisation.xlsx")
        .await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.raw.starts_with(b"PK"), "a zip (XLSX) file");
    for code in ["RME7", "RME9"] {
        let r = row(code);
        assert!(emphasis(r, "information"), "{code}: {r:?}");
        for f in ["practices", "learnings", "resources", "projects"] {
            assert!(!emphasis(r, f), "{code} emphasises only information: {r:?}");
        }
    }
}

#[tokio::test]
async fn a_profile_explains_its_level_and_shows_people_only_to_those_who_may() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let p = app
        .get(&national, "/networks/RME14/profile?campaign=RME-2026")
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("data-level=\"simbiosis\""), "{}", p.body);
    // Every rule listed with its outcome; the symbiosis rules all held.
    assert!(
        p.body
            .contains("Casi todos los pares de establecimientos trabajan juntos.")
    );
    assert!(
        p.body.matches("<tr class=\"holds\">").count() >= 4,
        "{}",
        p.body
    );
    assert!(p.body.contains("class=\"tetraedro\""));
    // The level shows beside the network's registry page and its map.
    let page = app.get(&national, "/networks/RME14").await;
    assert!(
        page.body.contains("data-level=\"simbiosis\""),
        "{}",
        page.body
    );
    let map = app
        .get(&national, "/networks/RME14/map?campaign=RME-2026")
        .await;
    assert!(map.body.contains("data-level=\"simbiosis\""));
    assert!(p.body.contains("<desc id=\"tetra-desc\">"));
    assert!(p.body.contains("Líderes sistémicos"));
    // The previous campaign's level and the trajectory.
    assert!(p.body.contains("RME-2025 (2025)"), "{}", p.body);
    let en = app
        .send(
            &national,
            "GET",
            "/networks/RME7/profile",
            None,
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(en.status, 200);
    assert!(en.body.contains("data-level=\"aislamiento\""));
    assert!(en.body.contains(">Isolation<"), "{}", en.body);
    assert!(en.body.contains("Why this level"));

    // The participant (RME1) reads their network's profile at school level.
    let participant = app.client(Some(PARTICIPANT)).await;
    let mine = app.get(&participant, "/networks/RME1/profile").await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert!(!mine.body.contains("Líderes sistémicos"));
    assert_eq!(
        app.get(&participant, "/networks/RME7/profile").await.status,
        403
    );
    let year = app.get(&participant, "/networks/RME1/year?year=2026").await;
    assert_eq!(year.status, 200);
    assert!(year.body.contains("Asistencia por establecimiento"));
    assert!(
        !year.body.contains("Asistentes:"),
        "no names for participants"
    );
    assert!(!year.body.contains("Asistencia por rol"));
    // The supervisor sees who attended.
    let supervisor = app.client(Some(SUPERVISOR)).await;
    let sup = app.get(&supervisor, "/networks/RME1/year?year=2026").await;
    assert!(sup.body.contains("Asistentes:"));
    assert!(sup.body.contains("Asistencia por rol"));
    // The regional coordinator (Biobío) reads RME7's year without names.
    let regional = app.client(Some(REGIONAL)).await;
    let reg = app.get(&regional, "/networks/RME7/year?year=2026").await;
    assert_eq!(reg.status, 200);
    assert!(!reg.body.contains("Asistentes:"));
    let reg_profile = app.get(&regional, "/networks/RME7/profile").await;
    assert!(!reg_profile.body.contains("Líderes sistémicos"));
}

#[tokio::test]
async fn a_supervisor_records_a_session_and_a_bad_one_keeps_nothing() {
    let app = app().await;
    let supervisor = app.client(Some(SUPERVISOR)).await;
    let code =
        trama_domain::network::NetworkCode::parse("RME1").unwrap_or_else(|p| panic!("{p:?}"));
    let rme1 = app
        .store
        .get_network(&code, Some(2026))
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("RME1"));
    let director = rme1
        .people_in_year
        .iter()
        .find(|p| p.role == "director")
        .unwrap_or_else(|| panic!("director"));
    let form = app.get(&supervisor, "/networks/RME1/sessions/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains(&director.name), "the form lists members");
    let body = format!(
        "date=2026-04-15&duration_min=120&modality=in_person&place=Liceo&agenda=Plan+lector\
         &foci=practices&foci=projects&attendee={}&agreement_0_text=Compartir+planificaci%C3%B3n\
         &agreement_0_responsible={}&agreement_0_due=2026-05-15&agreement_0_status=pending",
        director.person_id, director.person_id
    );
    let saved = app
        .send(
            &supervisor,
            "POST",
            "/networks/RME1/sessions",
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(
        saved
            .location()
            .starts_with("/networks/RME1/year?year=2026#session-")
    );
    let year = app.get(&supervisor, "/networks/RME1/year?year=2026").await;
    assert!(year.body.contains("2026-04-15"), "{}", year.body);
    assert!(year.body.contains("Compartir planificación"));
    assert!(year.body.contains(&director.name));
    let school = &rme1
        .schools_in_year
        .iter()
        .find(|s| Some(s.rbd) == director.rbd)
        .unwrap_or_else(|| panic!("school"))
        .name;
    assert!(
        year.body.contains(school.as_str()),
        "schools follow the people ticked"
    );

    let stored = |app: &App| {
        let store = app.store.clone();
        async move {
            store
                .sessions_of(&[rme1.summary.id], 2026)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .len()
        }
    };
    assert_eq!(stored(&app).await, 1);
    // A date that does not exist, a stranger ticked: refused, in Spanish,
    // with what was typed kept; nothing written.
    let bad = app
        .send(
            &supervisor,
            "POST",
            "/networks/RME1/sessions",
            Some("date=2026-02-30&duration_min=90&modality=in_person&attendee=999999&agenda=Se+mantiene"),
            &[],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains("debe ser una fecha AAAA-MM-DD"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("no es integrante de la red"));
    assert!(bad.body.contains("Se mantiene"));
    assert_eq!(stored(&app).await, 1);
    // Nobody outside the network writes its log.
    let regional = app.client(Some(REGIONAL)).await;
    let refused = app
        .send(
            &regional,
            "POST",
            "/networks/RME1/sessions",
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(stored(&app).await, 1);
    // The session's follow-up: the agreement done at a later session.
    let sessions = app
        .store
        .sessions_of(&[rme1.summary.id], 2026)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let agreement = sessions[0].agreements[0].id;
    let later = app
        .send(
            &supervisor,
            "POST",
            "/networks/RME1/sessions",
            Some(&format!(
                "date=2026-05-20&duration_min=90&modality=online&school={}&followup_{agreement}=done",
                rme1.schools_in_year[0].rbd
            )),
            &[],
        )
        .await;
    assert_eq!(later.status, 303, "{}", later.body);
    let after = app
        .store
        .sessions_of(&[rme1.summary.id], 2026)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let a = &after[0].agreements[0];
    assert_eq!(a.agreement.status, trama_characterise::year::FollowUp::Done);
    assert_eq!(a.reviewed_in, Some(after[1].id));
    let summary = app.get(&supervisor, "/networks/RME1/year?year=2026").await;
    assert!(summary.body.contains("1 de 1"), "{}", summary.body);
}

#[tokio::test]
async fn a_new_answer_moves_its_network_in_the_table_as_a_cold_server_would() {
    let mut app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let before = table_rows(&app, &national, "").await;
    let c = app.campaign("RME-2026").await;
    let instrument = trama_instrument::default_rme();
    // Agreement everywhere in RME14: its questionnaire figures move.
    let records: Vec<(u64, trama_campaign::ResponseRecord)> = (0..8)
        .map(|i| {
            (
                i + 2,
                trama_campaign::ResponseRecord {
                    response_id: format!("acuerdo-{i}"),
                    region: "8".into(),
                    deprov: "81".into(),
                    network: "RME14".into(),
                    role: "docente".into(),
                    submitted_at: "2026-09-10T12:00:00Z".into(),
                    answers: instrument
                        .rating_items()
                        .iter()
                        .map(|it| (it.name.clone(), "5".to_owned()))
                        .collect(),
                },
            )
        })
        .collect();
    app.store
        .import_responses(&c, &instrument, &records)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // The server that measured every network before the answers…
    let warm = table_rows(&app, &national, "").await;
    // …and one that never measured anything.
    app.router = trama_web::router(trama_web::AppState::new(
        app.store.clone(),
        trama_web::Settings::default(),
    ));
    let cold = table_rows(&app, &national, "").await;
    assert_eq!(
        warm, cold,
        "measuring again only what moved is measuring all"
    );
    let row = |rows: &[Vec<String>]| {
        rows.iter()
            .find(|r| r.iter().any(|v| v == "RME14"))
            .cloned()
            .unwrap_or_else(|| panic!("RME14 in the table"))
    };
    assert_ne!(row(&before), row(&warm), "RME14's figures moved");
}

//! Collecting ties through the roster question, and who sees what of a
//! network's collaboration map: names only for the network's supervisor and
//! national coordinators, numbers for regional coordinators, schools (or
//! numbers, or nothing, per campaign) for participants; the files follow.

use crate::common::*;
use trama_domain::policy::MapView;

/// The page of the RME form that holds the roster question (1-based).
fn roster_page() -> usize {
    let rme = trama_instrument::default_rme();
    rme.pages()
        .iter()
        .position(|p| {
            p.items
                .iter()
                .any(|i| i.kind == trama_instrument::ItemKind::Roster)
        })
        .unwrap_or_else(|| panic!("the RME form has a roster"))
        + 1
}

#[tokio::test]
async fn roster_answers_are_saved_with_their_page_and_come_back() {
    let app = app().await;
    let (campaign_id, links) = open_campaign(&app, "lazos-1", &["RME1"]).await;
    let campaign = app
        .store
        .campaign_by_id(campaign_id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("campaign"));
    let network = app
        .store
        .campaign_networks(campaign_id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))[0]
        .id;
    let members = app
        .store
        .network_members(&campaign, network)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(members.len() >= 4);
    let anon = app.client(None).await;
    let link = &links[0];
    let page = roster_page();
    let shown = app
        .send(&anon, "GET", &format!("{link}/p/{page}"), None, &[])
        .await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("data-roster"), "{}", shown.body);
    assert!(shown.body.contains("/static/roster.js"));
    // Everyone but the respondent is on the roster.
    let listed: Vec<_> = members
        .iter()
        .filter(|m| {
            shown
                .body
                .contains(&format!("vinculos.p{}.level", m.person_id))
        })
        .collect();
    assert_eq!(listed.len(), members.len() - 1);
    let me = members
        .iter()
        .find(|m| !listed.iter().any(|l| l.person_id == m.person_id))
        .unwrap_or_else(|| panic!("the respondent"));
    let (a, b, c) = (
        listed[0].person_id,
        listed[1].person_id,
        listed[2].person_id,
    );
    let body = format!(
        "vinculos.p{a}.level=4&vinculos.p{a}.focus=practices&vinculos.p{a}.focus=information\
         &vinculos.p{b}.level=unknown&vinculos.p{c}.level=0&vinculos.p{c}.focus=\
         &vinculos.p999999.level=5&vinculos.u0.name=Rosa+Soto&vinculos.u0.level=2\
         &vinculos.u1.name=&vinculos.u1.level=&_nav=stay"
    );
    let saved = app
        .send(&anon, "POST", &format!("{link}/p/{page}"), Some(&body), &[])
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let map = app
        .store
        .network_map(&campaign, network)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ties: Vec<_> = map
        .ties
        .iter()
        .map(|t| (t.ego, t.alter, t.level, t.foci.join(" ")))
        .collect();
    ties.sort();
    let mut want = vec![
        (me.person_id, a, Some(4), "information practices".to_owned()),
        (me.person_id, b, None, String::new()),
        (me.person_id, c, Some(0), String::new()),
    ];
    want.sort();
    // The person outside the network (p999999) was refused.
    assert_eq!(ties, want);
    assert_eq!(map.unlisted.len(), 1);
    assert_eq!(map.unlisted[0].1, "Rosa Soto");
    // The page shows the answers again, and saving again replaces them.
    assert!(
        saved
            .body
            .contains(&format!("name=\"vinculos.p{a}.level\" value=\"4\" checked"))
    );
    let again = app
        .send(
            &anon,
            "POST",
            &format!("{link}/p/{page}"),
            Some(&format!("vinculos.p{a}.level=2&_nav=stay")),
            &[],
        )
        .await;
    assert_eq!(again.status, 200);
    let map = app
        .store
        .network_map(&campaign, network)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(map.ties.len(), 1);
    assert_eq!(map.ties[0].level, Some(2));
    let review = app
        .send(&anon, "GET", &format!("{link}/review"), None, &[])
        .await;
    assert!(
        review.body.contains("Describió su relación con 1 persona"),
        "{}",
        review.body
    );
}

#[tokio::test]
async fn each_role_sees_the_map_at_its_level_and_files_follow() {
    let app = app().await;
    assert!(
        app.store
            .seed_demo_rounds()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    let national = app.client(Some(NATIONAL)).await;
    let regional = app.client(Some(REGIONAL)).await;
    let supervisor = app.client(Some(SUPERVISOR)).await;
    let participant = app.client(Some(PARTICIPANT)).await;
    let researcher = app.client(Some(RESEARCHER)).await;
    let campaign = app
        .store
        .campaign("RME-2026")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("demo round"));
    let code =
        |s: &str| trama_domain::network::NetworkCode::parse(s).unwrap_or_else(|p| panic!("{p:?}"));
    let id_of = async |c: &str| {
        app.store
            .network_target(&code(c))
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{c}"))
            .networks[0]
    };
    let rme1 = app
        .store
        .network_members(&campaign, id_of("RME1").await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let rme7 = app
        .store
        .network_members(&campaign, id_of("RME7").await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let names_in = |body: &str, people: &[trama_store::campaigns::ties::RosterEntry]| {
        people.iter().filter(|p| body.contains(&p.name)).count()
    };

    let nat = app.get(&national, "/networks/RME1/map").await;
    assert_eq!(nat.status, 200);
    assert!(names_in(&nat.body, &rme1) >= rme1.len() / 2, "{}", nat.body);
    assert!(nat.body.contains("Promedio regional"));
    // The 2026 page compares with 2025 by default, with both sociograms.
    assert!(nat.body.contains("Cambio entre rondas"));
    assert_eq!(nat.body.matches("<svg").count(), 2);
    assert!(nat.body.contains("role=\"img\""));
    let svg = app.get(&national, "/networks/RME1/map/export/svg").await;
    assert_eq!(svg.status, 200);
    assert!(svg.body.starts_with("<svg"));
    // The drawing is deterministic, and the later wave keeps the places of
    // the people it shares with the earlier one.
    assert_eq!(
        svg.body,
        app.get(&national, "/networks/RME1/map/export/svg")
            .await
            .body
    );
    let png = app.get(&national, "/networks/RME1/map/export/png").await;
    assert_eq!(png.status, 200);
    assert_eq!(
        png.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );

    let sup = app.get(&supervisor, "/networks/RME1/map").await;
    assert_eq!(sup.status, 200);
    assert!(names_in(&sup.body, &rme1) > 0);
    assert_eq!(app.get(&supervisor, "/networks/RME7/map").await.status, 403);

    // The Biobío coordinator sees RME7 with people as numbers, never names.
    let reg = app.get(&regional, "/networks/RME7/map").await;
    assert_eq!(reg.status, 200);
    assert_eq!(names_in(&reg.body, &rme7), 0);
    assert!(reg.body.contains(">#1<"));
    let asked = app.get(&regional, "/networks/RME7/map?view=names").await;
    assert_eq!(names_in(&asked.body, &rme7), 0);
    assert_eq!(app.get(&regional, "/networks/RME1/map").await.status, 403);

    // The participant (a teacher in RME1) sees schools by default.
    let part = app.get(&participant, "/networks/RME1/map?view=names").await;
    assert_eq!(part.status, 200);
    assert_eq!(names_in(&part.body, &rme1), 0);
    assert!(!part.body.contains(">#1<"));
    assert_eq!(
        app.get(&participant, "/networks/RME7/map").await.status,
        403
    );
    assert_eq!(app.get(&researcher, "/networks/RME1/map").await.status, 403);

    // Files carry exactly what the page shows.
    let gexf = app
        .get(
            &national,
            "/networks/RME1/map/export/gexf?campaign=RME-2026",
        )
        .await;
    assert_eq!(gexf.status, 200);
    assert!(gexf.body.contains("<gexf"));
    assert!(names_in(&gexf.body, &rme1) >= rme1.len() / 2);
    let csv = app
        .get(&regional, "/networks/RME7/map/export/nodes.csv")
        .await;
    assert_eq!(csv.status, 200);
    assert_eq!(names_in(&csv.body, &rme7), 0);
    for m in &rme7 {
        assert!(!csv.body.contains(&format!("p{},", m.person_id)));
    }
    // Numbered people: no role-and-school pair held by one person (a
    // dupla's director would be a name), and nobody's answering shown.
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let head = reader.headers().cloned().unwrap_or_else(|e| panic!("{e}"));
    let col = |n: &str| head.iter().position(|h| h == n);
    let (role, school) = (col("role"), col("school"));
    let mut pairs = std::collections::BTreeMap::<(String, String), usize>::new();
    for row in reader.records() {
        let row = row.unwrap_or_else(|e| panic!("{e}"));
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or_default().to_owned();
        *pairs.entry((get(role), get(school))).or_default() += 1;
        assert_eq!(
            get(col("responded")),
            "",
            "responded shown by number: {row:?}"
        );
    }
    assert!(pairs.len() > 1, "some detail is kept: {pairs:?}");
    assert!(
        pairs.values().all(|&n| n >= 2),
        "a singled-out person: {pairs:?}"
    );
    let school = app
        .get(&participant, "/networks/RME1/map/export/edges.csv")
        .await;
    assert_eq!(school.status, 200);
    assert_eq!(names_in(&school.body, &rme1), 0);

    // A campaign set to show participants nothing closes the map to them.
    for c in ["RME-2025", "RME-2026"] {
        let id = app
            .store
            .campaign(c)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{c}"))
            .id;
        app.store
            .set_sna_view(id, MapView::Hidden)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(
        app.get(&participant, "/networks/RME1/map").await.status,
        403
    );
    assert_eq!(app.get(&supervisor, "/networks/RME1/map").await.status, 200);
}

//! Every route × every role: who is allowed, who is refused, and how.
//!
//! Columns: anonymous, national coordinator, regional coordinator (Biobío),
//! supervisor (RME1 and RME2, Valparaíso), participant, researcher.
//! `L` = redirected to the sign-in page; numbers are HTTP statuses.
//!
//! The rows are checked against the server's own route table
//! (`trama_web::route_table()`): a route without a row fails the test, so
//! no route can be added without deciding who may reach it.

use crate::common::*;

#[tokio::test]
async fn route_role_matrix() {
    let app = app().await;
    let clients = [
        app.client(None).await,
        app.client(Some(NATIONAL)).await,
        app.client(Some(REGIONAL)).await,
        app.client(Some(SUPERVISOR)).await,
        app.client(Some(PARTICIPANT)).await,
        app.client(Some(RESEARCHER)).await,
    ];
    let code =
        |s: &str| trama_domain::network::NetworkCode::parse(s).unwrap_or_else(|p| panic!("{p:?}"));
    let rme7 = app
        .store
        .get_network(&code("RME7"), None)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("RME7"));
    let rme1 = app
        .store
        .get_network(&code("RME1"), None)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("RME1"));
    let biobio_school = rme7.schools_in_year[0].rbd;
    let valpo_school = rme1.schools_in_year[0].rbd;
    let biobio_person = rme7
        .people_in_year
        .iter()
        .find(|p| p.role == "director")
        .map(|p| p.person_id)
        .unwrap_or_default();
    let valpo_person = rme1
        .people_in_year
        .iter()
        .find(|p| p.role == "director")
        .map(|p| p.person_id)
        .unwrap_or_default();

    // A campaign on RME1 (Valparaíso, supervised by the demo supervisor),
    // open, with its invitations in the outbox.
    let version = app
        .store
        .instrument("rme", None)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("demo instrument"))
        .version
        .id;
    let now = trama_store::now();
    let campaign = app
        .store
        .write(async |tx| {
            tx.create_campaign(
                &trama_store::campaigns::lifecycle::CampaignInput {
                    code: "mx-v".into(),
                    name: "Matriz V".into(),
                    year: trama_store::current_year(),
                    instrument_version_id: version,
                    scope: trama_store::campaigns::lifecycle::CampaignScope::Networks(vec![
                        "RME1".into(),
                    ]),
                    opens_at: now - 3600,
                    closes_at: now + 30 * 86_400,
                    reminder_days: Default::default(),
                    validity: Default::default(),
                },
                None,
            )
            .await
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    app.store
        .write(async |tx| tx.invite_from_registry(campaign).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    app.store
        .write(async |tx| tx.open_campaign(campaign).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let campaign_form = |code: &str, networks: &str| {
        format!(
            "code={code}{{i}}&name=C&year=2026&instrument={version}&scope=networks&scope_codes={networks}&opens_on=2026-11-01&closes_on=2026-12-20&reminder_days=7&valid_min_pct=80"
        )
    };

    // Two logged sessions of RME1: one to correct, one to delete.
    let session = |day: i8| trama_characterise::year::Session {
        date: jiff::civil::date(2026, 4, day),
        duration_min: 90,
        modality: trama_characterise::year::Modality::InPerson,
        place: String::new(),
        agenda: String::new(),
        foci: vec![],
        schools: vec![i64::from(valpo_school)],
        attendees: vec![],
    };
    let (kept, doomed) = app
        .store
        .write(async |tx| {
            Ok((
                tx.save_session(rme1.summary.id, None, &session(2), &[], None)
                    .await?,
                tx.save_session(rme1.summary.id, None, &session(9), &[], None)
                    .await?,
            ))
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let session_form = "date=2026-04-20&duration_min=60&modality=online";

    // (method, path, body, expected per client)
    let school_form = |rbd: i32, comuna: i32| {
        format!(
            "rbd={rbd}&name=Escuela+Nueva&comuna={comuna}&dependency=municipal&rural=0&status=open&latitude=&longitude=&enrolment="
        )
    };
    let cases: Vec<(&str, String, Option<String>, [&str; 6])> = vec![
        ("GET", "/health".into(), None, ["200", "200", "200", "200", "200", "200"]),
        ("GET", "/ready".into(), None, ["200", "200", "200", "200", "200", "200"]),
        // The operator's monitoring: no account reaches it (loopback or a token).
        ("GET", "/metrics".into(), None, ["403", "403", "403", "403", "403", "403"]),
        ("GET", "/static/style.css".into(), None, ["200", "200", "200", "200", "200", "200"]),
        ("GET", "/login".into(), None, ["200", "303", "303", "303", "303", "303"]),
        ("GET", "/".into(), None, ["L", "200", "200", "200", "200", "200"]),
        ("GET", "/regions".into(), None, ["L", "200", "200", "200", "403", "403"]),
        // A supervisor reads the regions of their networks (Valparaíso), not others.
        ("GET", "/regions/8".into(), None, ["L", "200", "200", "403", "403", "403"]),
        ("GET", "/regions/5".into(), None, ["L", "200", "403", "200", "403", "403"]),
        ("GET", "/networks".into(), None, ["L", "200", "200", "200", "403", "403"]),
        ("GET", "/networks/RME1".into(), None, ["L", "200", "403", "200", "403", "403"]),
        ("GET", "/networks/RME7?year=2022".into(), None, ["L", "200", "200", "403", "403", "403"]),
        ("GET", "/networks/RME99".into(), None, ["L", "404", "404", "404", "404", "404"]),
        ("GET", "/networks/new".into(), None, ["L", "200", "200", "403", "403", "403"]),
        ("GET", "/networks/RME7/edit".into(), None, ["L", "200", "200", "403", "403", "403"]),
        ("GET", "/networks/RME1/edit".into(), None, ["L", "200", "403", "403", "403", "403"]),
        ("POST", "/networks".into(), Some("code=RMEX{i}&name=Red+X&region_code=8&deprov_code=81&year_formed=2024".into()), ["L", "303", "303", "403", "403", "403"]),
        ("POST", "/networks".into(), Some("code=RMEY{i}&name=Red+Y&region_code=5&deprov_code=&year_formed=".into()), ["L", "303", "403", "403", "403", "403"]),
        ("POST", "/networks/RME7".into(), Some("code=RME7&name=Red+Concepci%C3%B3n&region_code=8&deprov_code=81&year_formed=2017".into()), ["L", "303", "303", "403", "403", "403"]),
        ("POST", "/networks/RME1".into(), Some("code=RME1&name=Red+Valpara%C3%ADso&region_code=5&deprov_code=51&year_formed=2017".into()), ["L", "303", "403", "403", "403", "403"]),
        // A Valparaíso school cannot be pulled into a Biobío network by Biobío's coordinator.
        ("POST", "/networks/RME7/schools".into(), Some(format!("rbd={valpo_school}&from_year=203{{i}}&to_year=203{{i}}")), ["L", "303", "403", "403", "403", "403"]),
        ("GET", "/schools".into(), None, ["L", "200", "200", "200", "403", "403"]),
        ("GET", format!("/schools/{valpo_school}"), None, ["L", "200", "403", "200", "403", "403"]),
        ("GET", format!("/schools/{biobio_school}"), None, ["L", "200", "200", "403", "403", "403"]),
        ("GET", "/schools/new".into(), None, ["L", "200", "200", "403", "403", "403"]),
        ("GET", format!("/schools/{biobio_school}/edit"), None, ["L", "200", "200", "403", "403", "403"]),
        ("POST", "/schools".into(), Some(school_form(990_000, 8101).replace("990000", "99000{i}")), ["L", "303", "303", "403", "403", "403"]),
        ("POST", "/schools".into(), Some(school_form(991_000, 5101).replace("991000", "99100{i}")), ["L", "303", "403", "403", "403", "403"]),
        ("POST", format!("/schools/{biobio_school}"), Some(school_form(0, 8101)), ["L", "303", "303", "403", "403", "403"]),
        // The Biobío schools just created (99000{i}) join a Biobío network.
        ("POST", "/networks/RME7/schools".into(), Some("rbd=99000{i}&from_year=2025&to_year=".into()), ["L", "303", "303", "403", "403", "403"]),
        ("GET", "/people".into(), None, ["L", "200", "200", "200", "403", "403"]),
        ("GET", format!("/people/{biobio_person}"), None, ["L", "200", "200", "403", "403", "403"]),
        ("GET", format!("/people/{valpo_person}"), None, ["L", "200", "403", "200", "403", "403"]),
        ("GET", "/people/new".into(), None, ["L", "200", "200", "403", "403", "403"]),
        ("GET", format!("/people/{biobio_person}/edit"), None, ["L", "200", "200", "403", "403", "403"]),
        ("POST", "/people".into(), Some("name=Ana+Nueva&email=ana{i}%40nueva.cl&national_id=".into()), ["L", "303", "303", "403", "403", "403"]),
        ("POST", format!("/people/{biobio_person}"), Some("name=Directora+Renombrada&email=renombrada%40demo.trama.cl&national_id=".into()), ["L", "303", "303", "403", "403", "403"]),
        ("POST", format!("/people/{biobio_person}/affiliations"), Some(format!("role=docente&rbd={biobio_school}&network=&from_year=202{{i}}&to_year=")), ["L", "303", "303", "403", "403", "403"]),
        ("GET", "/import".into(), None, ["L", "200", "403", "403", "403", "403"]),
        ("POST", "/lang".into(), Some("lang=en&next=/".into()), ["303", "303", "303", "303", "303", "303"]),
        ("GET", "/api/v1/openapi.json".into(), None, ["200", "200", "200", "200", "200", "200"]),
        ("GET", "/api/v1/docs/".into(), None, ["200", "200", "200", "200", "200", "200"]),
        ("GET", "/static/sociogram.js".into(), None, ["200", "200", "200", "200", "200", "200"]),
        ("GET", "/static/picker.js".into(), None, ["200", "200", "200", "200", "200", "200"]),
        ("GET", "/api/v1/regions".into(), None, ["401", "200", "200", "200", "403", "403"]),
        ("GET", "/api/v1/regions/8/deprovs".into(), None, ["401", "200", "200", "403", "403", "403"]),
        ("GET", "/api/v1/networks".into(), None, ["401", "200", "200", "200", "403", "403"]),
        ("GET", "/api/v1/networks/RME1".into(), None, ["401", "200", "403", "200", "403", "403"]),
        ("GET", "/api/v1/networks/RME7".into(), None, ["401", "200", "200", "403", "403", "403"]),
        ("POST", "/api/v1/networks".into(), Some(r#"{"code":"APIX{i}","name":"Red API","region_code":8,"deprov_code":83,"year_formed":2025}"#.into()), ["401", "201", "201", "403", "403", "403"]),
        ("PUT", "/api/v1/networks/RME7".into(), Some(r#"{"code":"RME7","name":"Red Concepción","region_code":8,"deprov_code":81,"year_formed":2017}"#.into()), ["401", "200", "200", "403", "403", "403"]),
        ("POST", "/api/v1/networks/RME7/schools".into(), Some(format!(r#"{{"rbd":{valpo_school},"from_year":204{{i}},"to_year":204{{i}}}}"#)), ["401", "201", "403", "403", "403", "403"]),
        ("GET", "/api/v1/schools".into(), None, ["401", "200", "200", "200", "403", "403"]),
        ("GET", format!("/api/v1/schools/{valpo_school}"), None, ["401", "200", "403", "200", "403", "403"]),
        ("POST", "/api/v1/schools".into(), Some(r#"{"rbd":99200{i},"name":"Escuela API","comuna_code":8101,"dependency":"slep","rural":false}"#.into()), ["401", "201", "201", "403", "403", "403"]),
        ("PUT", format!("/api/v1/schools/{biobio_school}"), Some(r#"{"name":"Escuela Editada","comuna_code":8101,"dependency":"municipal","rural":true}"#.into()), ["401", "200", "200", "403", "403", "403"]),
        ("GET", "/api/v1/people".into(), None, ["401", "200", "200", "200", "403", "403"]),
        ("GET", format!("/api/v1/people/{valpo_person}"), None, ["401", "200", "403", "200", "403", "403"]),
        ("POST", "/api/v1/people".into(), Some(r#"{"name":"Persona API","email":"api{i}@demo.cl"}"#.into()), ["401", "201", "201", "403", "403", "403"]),
        ("PUT", format!("/api/v1/people/{biobio_person}"), Some(r#"{"name":"Nombre API","email":"nombre.api@demo.cl"}"#.into()), ["401", "200", "200", "403", "403", "403"]),
        ("GET", "/campaigns".into(), None, ["L", "200", "200", "200", "403", "200"]),
        ("GET", "/campaigns/new".into(), None, ["L", "200", "200", "403", "403", "403"]),
        ("POST", "/campaigns".into(), Some(campaign_form("mx-b", "RME7")), ["L", "303", "303", "403", "403", "403"]),
        ("POST", "/campaigns".into(), Some(campaign_form("mx-w", "RME1")), ["L", "303", "403", "403", "403", "403"]),
        ("GET", "/campaigns/mx-v".into(), None, ["L", "200", "403", "200", "403", "403"]),
        ("GET", "/campaigns/nope".into(), None, ["L", "404", "404", "404", "404", "404"]),
        ("GET", "/campaigns/mx-v/funnel".into(), None, ["L", "200", "403", "200", "403", "403"]),
        ("GET", "/campaigns/mx-v/funnel.csv?by=role".into(), None, ["L", "200", "403", "200", "403", "403"]),
        ("GET", "/campaigns/mx-v/outbox".into(), None, ["L", "200", "403", "403", "403", "403"]),
        // Links leave once, by POST (a prefetch or a crawler cannot take them).
        ("POST", "/campaigns/mx-v/outbox.csv".into(), Some(String::new()), ["L", "200", "403", "403", "403", "403"]),
        ("GET", "/campaigns/mx-v/responses.csv".into(), None, ["L", "200", "403", "403", "403", "200"]),
        ("GET", "/campaigns/mx-v/responses.xlsx".into(), None, ["L", "200", "403", "403", "403", "200"]),
        ("GET", "/campaigns/mx-v/responses.sav".into(), None, ["L", "200", "403", "403", "403", "200"]),
        ("GET", "/campaigns/mx-v/responses-note.txt".into(), None, ["L", "200", "403", "403", "403", "200"]),
        ("POST", "/campaigns/mx-v/remind".into(), Some(String::new()), ["L", "303", "403", "403", "403", "403"]),
        ("POST", "/campaigns/mx-v/invitations".into(), Some("email=nacional%40demo.trama.cl&network=RME1&role=other".into()), ["L", "303", "403", "403", "403", "403"]),
        ("POST", "/campaigns/mx-v/open".into(), Some("confirm=open".into()), ["L", "303", "403", "403", "403", "403"]),
        ("POST", "/campaigns/mx-v/invitations/999999/remove".into(), Some(String::new()), ["L", "404", "403", "403", "403", "403"]),
        ("POST", "/import".into(), Some(String::new()), ["L", "400", "403", "403", "403", "403"]),
        ("POST", "/import/nope/confirm".into(), Some(String::new()), ["L", "404", "403", "403", "403", "403"]),
        ("GET", "/networks/RME1/map".into(), None, ["L", "200", "403", "200", "200", "403"]),
        ("GET", "/networks/RME1/map?campaign=mx-v&view=names".into(), None, ["L", "200", "403", "200", "200", "403"]),
        ("GET", "/networks/RME1/map/export/gexf".into(), None, ["L", "200", "403", "200", "200", "403"]),
        ("GET", "/networks/RME1/map/export/nope".into(), None, ["L", "404", "403", "404", "404", "403"]),
        // RME7 has a campaign by now: the draft created above.
        ("GET", "/networks/RME7/map".into(), None, ["L", "200", "200", "403", "403", "403"]),
        ("GET", "/networks/RME99/map".into(), None, ["L", "404", "404", "404", "404", "404"]),
        // Characterisation: the network's year is read by whoever reads the
        // network (its participants at school level) and written by its
        // supervisor and the coordinators over it.
        ("GET", "/networks/RME1/year".into(), None, ["L", "200", "403", "200", "200", "403"]),
        ("GET", "/networks/RME7/year?year=2026".into(), None, ["L", "200", "200", "403", "403", "403"]),
        ("POST", "/networks/RME1/year/plan".into(), Some("year=2026&purpose=Leer+juntos".into()), ["L", "303", "403", "303", "403", "403"]),
        ("POST", "/networks/RME7/year/plan".into(), Some("year=2026&purpose=Leer+juntos".into()), ["L", "303", "303", "403", "403", "403"]),
        ("GET", "/networks/RME1/sessions.csv?year=2026".into(), None, ["L", "200", "403", "200", "200", "403"]),
        ("GET", "/networks/RME1/sessions/new".into(), None, ["L", "200", "403", "200", "403", "403"]),
        ("GET", "/networks/RME7/sessions/new".into(), None, ["L", "200", "200", "403", "403", "403"]),
        ("POST", "/networks/RME1/sessions".into(), Some(session_form.into()), ["L", "303", "403", "303", "403", "403"]),
        ("GET", format!("/networks/RME1/sessions/{kept}/edit"), None, ["L", "200", "403", "200", "403", "403"]),
        // Another network's session is not found through this one.
        ("GET", format!("/networks/RME7/sessions/{kept}/edit"), None, ["L", "404", "404", "403", "403", "403"]),
        ("POST", format!("/networks/RME1/sessions/{kept}"), Some(session_form.into()), ["L", "303", "403", "303", "403", "403"]),
        // Deleted by the first who may; then it is gone.
        ("POST", format!("/networks/RME1/sessions/{doomed}/delete"), Some(String::new()), ["L", "303", "403", "404", "403", "403"]),
        ("GET", "/networks/RME1/profile".into(), None, ["L", "200", "403", "200", "200", "403"]),
        ("GET", "/networks/RME1/profile?campaign=nope".into(), None, ["L", "404", "403", "404", "404", "403"]),
        ("GET", "/networks/RME99/profile".into(), None, ["L", "404", "404", "404", "404", "404"]),
        ("GET", "/networks/RME1/profile/ficha.pdf?lang=en".into(), None, ["L", "200", "403", "200", "200", "403"]),
        // The national table of mx-v (RME1): cut to the reader's networks.
        ("GET", "/campaigns/mx-v/characterisation".into(), None, ["L", "200", "403", "200", "403", "403"]),
        ("GET", "/campaigns/mx-v/characterisation?region=8".into(), None, ["L", "404", "403", "404", "403", "403"]),
        ("GET", "/campaigns/mx-v/characterisation.csv".into(), None, ["L", "200", "403", "200", "403", "403"]),
        ("GET", "/campaigns/mx-v/characterisation.xlsx?region=5".into(), None, ["L", "200", "403", "200", "403", "403"]),
        ("GET", "/static/roster.js".into(), None, ["200", "200", "200", "200", "200", "200"]),
        ("GET", "/r/not-a-link".into(), None, ["404", "404", "404", "404", "404", "404"]),
        ("GET", "/r/not-a-link/p/1".into(), None, ["404", "404", "404", "404", "404", "404"]),
        ("POST", "/r/not-a-link/p/1".into(), Some("conf_1=4".into()), ["404", "404", "404", "404", "404", "404"]),
        ("POST", "/r/not-a-link/submit".into(), Some(String::new()), ["404", "404", "404", "404", "404", "404"]),
        ("GET", "/r/not-a-link/opt-out".into(), None, ["404", "404", "404", "404", "404", "404"]),
        ("POST", format!("/people/{biobio_person}/erase"), Some("confirm=no".into()), ["L", "422", "403", "403", "403", "403"]),
        ("POST", "/r/not-a-link/opt-out".into(), Some(String::new()), ["404", "404", "404", "404", "404", "404"]),
        ("GET", "/r/not-a-link/review".into(), None, ["404", "404", "404", "404", "404", "404"]),
        // Open answers: mx-v (RME1, Valparaíso) has no responses yet, so every
        // group is below the threshold; the rights are what is checked here.
        ("GET", "/campaigns/mx-v/results/open".into(), None, ["L", "200", "403", "200", "403", "200"]),
        ("GET", "/campaigns/mx-v/results/open/facilita".into(), None, ["L", "200", "403", "200", "403", "200"]),
        ("GET", "/campaigns/mx-v/results/open/facilita?region=8".into(), None, ["L", "200", "403", "403", "403", "200"]),
        ("GET", "/campaigns/mx-v/results/open/facilita?network=RME1".into(), None, ["L", "200", "403", "200", "403", "403"]),
        ("GET", "/campaigns/mx-v/results/open/facilita/export.csv".into(), None, ["L", "200", "403", "200", "403", "200"]),
        ("GET", "/campaigns/mx-v/results/open/nope".into(), None, ["L", "404", "403", "404", "403", "404"]),
        ("GET", "/campaigns/nope/results/open".into(), None, ["L", "404", "404", "404", "404", "404"]),
        ("POST", "/campaigns/mx-v/results/open/facilita/themes".into(), Some("code=t{i}&label_es=Tema&label_en=Theme".into()), ["L", "303", "403", "403", "403", "403"]),
        ("POST", "/campaigns/mx-v/results/open/facilita/codings".into(), Some("response=nope&theme=1".into()), ["L", "404", "403", "403", "403", "403"]),
        ("POST", "/campaigns/mx-v/results/open/facilita/codings/remove".into(), Some("response=nope&theme=1".into()), ["L", "404", "403", "403", "403", "403"]),
        ("GET", "/campaigns/mx-v/results/open/facilita/themes/999999/edit".into(), None, ["L", "404", "403", "403", "403", "403"]),
        ("POST", "/campaigns/mx-v/results/open/facilita/themes/999999".into(), Some("code=x&label_es=X&label_en=X".into()), ["L", "404", "403", "403", "403", "403"]),
        ("POST", "/campaigns/mx-v/results/open/facilita/themes/999999/delete".into(), Some(String::new()), ["L", "404", "403", "403", "403", "403"]),
        // Results of mx-v, a campaign of RME1 (Valparaíso): Biobío's
        // coordinator reads none of it; a region or network the campaign
        // does not cover is not found; RME1's participant reads only
        // their network's report.
        ("GET", "/campaigns/mx-v/results".into(), None, ["L", "200", "403", "200", "403", "200"]),
        ("GET", "/campaigns/mx-v/results/report.pdf".into(), None, ["L", "200", "403", "200", "403", "200"]),
        ("GET", "/campaigns/mx-v/results/items/conf_1".into(), None, ["L", "200", "403", "200", "403", "200"]),
        ("GET", "/campaigns/mx-v/results/items/nope".into(), None, ["L", "404", "403", "404", "403", "404"]),
        ("GET", "/campaigns/mx-v/results/years".into(), None, ["L", "200", "403", "200", "403", "200"]),
        ("GET", "/campaigns/mx-v/results/years?region=5".into(), None, ["L", "200", "403", "200", "403", "200"]),
        ("GET", "/campaigns/mx-v/results/years?region=8".into(), None, ["L", "404", "403", "404", "403", "404"]),
        ("GET", "/campaigns/mx-v/results/regions/5".into(), None, ["L", "200", "403", "200", "403", "200"]),
        ("GET", "/campaigns/mx-v/results/regions/5/report.pdf".into(), None, ["L", "200", "403", "200", "403", "200"]),
        ("GET", "/campaigns/mx-v/results/regions/8".into(), None, ["L", "404", "403", "404", "403", "404"]),
        ("GET", "/campaigns/mx-v/results/regions/99".into(), None, ["L", "404", "404", "404", "404", "404"]),
        ("GET", "/campaigns/mx-v/results/networks/RME1".into(), None, ["L", "200", "403", "200", "200", "403"]),
        ("GET", "/campaigns/mx-v/results/networks/RME1/report.pdf".into(), None, ["L", "200", "403", "200", "200", "403"]),
        ("GET", "/campaigns/mx-v/results/networks/RME7".into(), None, ["L", "404", "404", "403", "403", "403"]),
        ("GET", "/campaigns/nope/results".into(), None, ["L", "404", "404", "404", "404", "404"]),
        // The results API answers as the pages it mirrors.
        ("GET", "/api/v1/campaigns/mx-v/results?by=region&level=dimension".into(), None, ["401", "200", "403", "200", "403", "200"]),
        ("GET", "/api/v1/campaigns/mx-v/results?by=nope".into(), None, ["401", "400", "400", "400", "400", "400"]),
        ("GET", "/api/v1/campaigns/mx-v/results/regions/5?by=role".into(), None, ["401", "200", "403", "200", "403", "200"]),
        ("GET", "/api/v1/campaigns/mx-v/results/regions/8".into(), None, ["401", "404", "403", "404", "403", "404"]),
        ("GET", "/api/v1/campaigns/mx-v/results/networks/RME1?level=item".into(), None, ["401", "200", "403", "200", "200", "403"]),
        ("GET", "/api/v1/campaigns/mx-v/results/networks/RME7".into(), None, ["401", "404", "404", "403", "403", "403"]),
        ("POST", "/logout".into(), Some(String::new()), ["303", "303", "303", "303", "303", "303"]),
        ("POST", "/login".into(), Some("email=x%40y.cl&password=nope".into()), ["401", "401", "401", "401", "401", "401"]),
        // Closing last: the rows above need mx-v open.
        ("POST", "/campaigns/mx-v/close".into(), Some("confirm=close".into()), ["L", "303", "403", "403", "403", "403"]),
    ];
    let uncovered = uncovered_routes(&cases);
    assert!(
        uncovered.is_empty(),
        "routes without a row in the matrix:\n{}",
        uncovered.join("\n")
    );
    let mut failures = vec![];
    for (method, path, body, expected) in &cases {
        for (i, (client, want)) in clients.iter().zip(expected.iter()).enumerate() {
            // `{i}` makes created records unique per client.
            let body = body.as_ref().map(|b| b.replace("{i}", &i.to_string()));
            // Logging out ends the session; use a throwaway session for it.
            let client = if *path == "/logout" && client.session.is_some() {
                app.client(Some(client.name)).await
            } else {
                client.clone()
            };
            let r = app.send(&client, method, path, body.as_deref(), &[]).await;
            let ok = match *want {
                "L" => r.status == 303 && r.location().starts_with("/login?next="),
                n => r.status.as_u16().to_string() == n,
            };
            if !ok {
                failures.push(format!(
                    "{method} {path} as {}: expected {want}, got {} {} {}",
                    client.name,
                    r.status,
                    r.location(),
                    r.body
                        .split("<main")
                        .nth(1)
                        .unwrap_or(&r.body)
                        .chars()
                        .take(9000)
                        .collect::<String>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Whether `path` (a request path, maybe with a query) is an instance of
/// the table's `pattern` (`/networks/{network}/map`).
fn matches(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len()
        && p.iter()
            .zip(&q)
            .all(|(a, b)| (a.starts_with('{') && a.ends_with('}') && !b.is_empty()) || a == b)
}

/// The routes of the server's table that no case exercises.
fn uncovered_routes(cases: &[(&str, String, Option<String>, [&str; 6])]) -> Vec<String> {
    trama_web::route_table()
        .into_iter()
        .filter(|r| {
            !cases
                .iter()
                .any(|(m, path, _, _)| *m == r.method && matches(r.path, path))
        })
        .map(|r| format!("{} {} ({:?})", r.method, r.path, r.access))
        .collect()
}

#[test]
fn the_matcher_reads_patterns_as_the_router_does() {
    assert!(matches(
        "/networks/{network}/map",
        "/networks/RME1/map?campaign=x"
    ));
    assert!(!matches("/networks/{network}", "/networks/RME1/map"));
    assert!(!matches("/networks/{network}", "/networks/"));
    assert!(matches("/", "/"));
}

#[tokio::test]
async fn supervisor_lists_only_their_networks() {
    let app = app().await;
    let sup = app.client(Some(SUPERVISOR)).await;
    let r = app.get(&sup, "/api/v1/networks").await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    let codes: Vec<_> = v["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["code"].as_str())
        .collect();
    assert_eq!(codes, vec!["RME1", "RME2"]);
    let reg = app.client(Some(REGIONAL)).await;
    let r = app.get(&reg, "/api/v1/schools?per_page=200").await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    assert!(v["total"].as_i64().unwrap_or_default() > 0);
    assert!(
        v["items"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|s| s["region_code"] == 8)
    );
}

#[tokio::test]
async fn people_lists_never_carry_national_ids() {
    let app = app().await;
    let nat = app.client(Some(NATIONAL)).await;
    let created = app
        .send(
            &nat,
            "POST",
            "/api/v1/people",
            Some(r#"{"name":"Con RUN","email":"run@demo.cl","national_id":"12345678-5"}"#),
            &[],
        )
        .await;
    assert_eq!(created.status, 201);
    assert!(
        created.body.contains("12345678-5"),
        "editors see it on the record"
    );
    let list = app.get(&nat, "/api/v1/people?q=run@demo.cl").await;
    assert!(
        list.body.contains("run@demo.cl") && !list.body.contains("12345678"),
        "{}",
        list.body
    );
    let page = app.get(&nat, "/people?q=Con+RUN").await;
    assert!(page.body.contains("Con RUN") && !page.body.contains("12345678"));
}

//! The registry on a real database: SQLite by default, PostgreSQL when
//! `TRAMA_TEST_DATABASE_URL` is set (CI runs both).

use trama_domain::network::NetworkCode;
use trama_domain::policy::Scope;
use trama_domain::school::Rbd;
use trama_domain::territory::RegionCode;
use trama_store::registry::PageRequest;
use trama_store::registry::networks::{NetworkFilter, NetworkInput};
use trama_store::registry::schools::SchoolFilter;
use trama_store::testing::test_store;
use trama_store::{Store, StoreError};

fn code(s: &str) -> NetworkCode {
    NetworkCode::parse(s).unwrap_or_else(|p| panic!("{p:?}"))
}

async fn store() -> (Store, trama_store::testing::TestGuard) {
    test_store()
        .await
        .unwrap_or_else(|e| panic!("test store: {e}"))
}

#[tokio::test]
async fn demo_seed_is_idempotent_and_complete() {
    let (s, _g) = store().await;
    assert!(s.seed_demo().await.unwrap_or_else(|e| panic!("{e}")));
    assert!(!s.seed_demo().await.unwrap_or_else(|e| panic!("{e}")));
    let page = s
        .list_networks(
            &NetworkFilter::default(),
            &Scope::All,
            PageRequest::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.total, 15);
    let codes: Vec<_> = page.items.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(&codes[..3], &["RME1", "RME2", "RME3"]);
    assert_eq!(codes[9], "RME10", "natural order");
    let regions = s
        .list_regions(&Scope::All)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(regions.len(), 16);
    let biobio = regions.iter().find(|r| r.code == 8).map(|r| r.networks);
    assert_eq!(biobio, Some(6), "RME7, 8, 9, 11, 12 and 15");
    assert_eq!(s.count_users().await.unwrap_or_default(), 5);
}

#[tokio::test]
async fn which_schools_formed_a_network_in_a_given_year() {
    let (s, _g) = store().await;
    s.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
    // RME1 (index 0 → pattern "left in 2022"): 8 schools until 2022, 7 after.
    let in_2022 = s
        .get_network(&code("RME1"), Some(2022))
        .await
        .ok()
        .flatten()
        .map(|d| d.schools_in_year.len());
    let in_2023 = s
        .get_network(&code("RME1"), Some(2023))
        .await
        .ok()
        .flatten()
        .map(|d| d.schools_in_year.len());
    assert_eq!(in_2022, Some(8));
    assert_eq!(in_2023, Some(7));
    // RME2 (joined 2023): 5 schools in 2022, 6 in 2023.
    let d22 = s
        .get_network(&code("RME2"), Some(2022))
        .await
        .ok()
        .flatten();
    let d23 = s
        .get_network(&code("RME2"), Some(2023))
        .await
        .ok()
        .flatten();
    assert_eq!(d22.as_ref().map(|d| d.schools_in_year.len()), Some(5));
    assert_eq!(d23.as_ref().map(|d| d.schools_in_year.len()), Some(6));
    // People follow their schools: a dupla per school plus the supervisor.
    let d23 = d23.unwrap_or_else(|| panic!("RME2"));
    assert_eq!(d23.people_in_year.len(), 6 * 2 + 1);
    assert_eq!(d23.people_in_year[0].role, "supervisor");
    assert_eq!(
        d23.summary.supervisor.as_deref(),
        Some("Sofía Valenzuela Araya")
    );
    let y2023 = d23
        .composition_by_year
        .iter()
        .find(|c| c.year == 2023)
        .map(|c| c.schools);
    assert_eq!(y2023, Some(6));
}

#[tokio::test]
async fn scopes_filter_lists() {
    let (s, _g) = store().await;
    s.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
    let biobio = s
        .list_networks(
            &NetworkFilter::default(),
            &Scope::Region(RegionCode(8)),
            PageRequest::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(biobio.total, 6);
    assert!(biobio.items.iter().all(|n| n.region_code == 8));
    let id = s
        .network_id(&code("RME3"))
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let one = s
        .list_schools(
            &SchoolFilter::default(),
            &Scope::Networks(vec![id]),
            PageRequest::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(one.total, 12);
    let none = s
        .list_schools(
            &SchoolFilter::default(),
            &Scope::Networks(vec![]),
            PageRequest::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(none.total, 0);
}

#[tokio::test]
async fn search_ignores_case_and_accents() {
    let (s, _g) = store().await;
    s.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
    let f = NetworkFilter {
        q: Some("PENALOLEN".into()),
        ..Default::default()
    };
    let page = s
        .list_networks(&f, &Scope::All, PageRequest::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(page.total >= 1, "Peñalolén network found");
    assert!(page.items.iter().all(|n| n.name.contains("Peñalolén")));
    let f = SchoolFilter {
        q: Some("900001".into()),
        ..Default::default()
    };
    let page = s
        .list_schools(&f, &Scope::All, PageRequest::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        page.items.iter().map(|s| s.rbd).collect::<Vec<_>>(),
        vec![900001]
    );
}

#[tokio::test]
async fn imports_report_unknown_references_and_write_nothing() {
    let (s, _g) = store().await;
    s.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
    let rows = trama_import::memberships::parse(
        "r.csv",
        b"network,rbd,from_year\nRME99,900001,2024\nRME99,123,2024\n",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    match s.import_memberships(&rows, false, None).await {
        Err(StoreError::References(p)) => {
            assert_eq!(p.len(), 1);
            assert_eq!(
                (p[0].line, p[0].column, p[0].value.as_str()),
                (3, "rbd", "123")
            );
        }
        other => panic!("expected reference problems, got {other:?}"),
    }
    assert_eq!(
        s.network_id(&code("RME99")).await.ok().flatten(),
        None,
        "nothing written"
    );
}

#[tokio::test]
async fn directorio_upsert_counts_and_dry_run() {
    let (s, _g) = store().await;
    let file = "RBD;NOM_RBD;COD_REG_RBD;COD_COM_RBD;NOM_COM_RBD;COD_DEPE2;RURAL_RBD;LATITUD\n\
                10;Escuela A;5;5101;VALPARAÍSO;1;0;-33,05\n11;Escuela B;5;5101;VALPARAÍSO;2;1;\n";
    let rows = trama_import::directorio::parse("d.csv", file.as_bytes())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let dry = s
        .import_directorio(&rows, true, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((dry.inserted, dry.dry_run), (2, true));
    assert!(
        s.get_school(Rbd(10)).await.ok().flatten().is_none(),
        "dry run wrote nothing"
    );
    let first = s
        .import_directorio(&rows, false, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((first.inserted, first.updated, first.unchanged), (2, 0, 0));
    let again = s
        .import_directorio(&rows, false, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 2));
    let changed = file.replace("Escuela B", "Escuela B Renombrada");
    let rows = trama_import::directorio::parse("d.csv", changed.as_bytes())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let third = s
        .import_directorio(&rows, false, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((third.inserted, third.updated, third.unchanged), (0, 1, 1));
    let a = s
        .get_school(Rbd(10))
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("school 10"));
    assert_eq!(a.latitude, Some(-33.05));
    assert_eq!(a.summary.region_code, 5);
}

#[tokio::test]
async fn network_create_validates_and_refuses_duplicates() {
    let (s, _g) = store().await;
    s.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
    let input = NetworkInput {
        code: "rme1".into(),
        name: "Otra".into(),
        region_code: 5,
        deprov_code: None,
        year_formed: Some(2024),
    };
    let valid = input.validate().unwrap_or_else(|e| panic!("{e:?}"));
    match s.write(async |tx| tx.create_network(&valid).await).await {
        Err(StoreError::Invalid(p)) => assert_eq!(p[0].field, "code"),
        other => panic!("expected duplicate code, got {other:?}"),
    }
    let bad = NetworkInput {
        code: "R 1".into(),
        name: "".into(),
        region_code: 40,
        deprov_code: None,
        year_formed: Some(1200),
    };
    let fields: Vec<_> = bad
        .validate()
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|p| p.field)
        .collect();
    assert_eq!(fields, vec!["code", "name", "region_code", "year_formed"]);
    // A DEPROV of another region is refused.
    let wrong_deprov = NetworkInput {
        code: "RME40".into(),
        name: "X".into(),
        region_code: 13,
        deprov_code: Some(81),
        year_formed: None,
    };
    let v = wrong_deprov.validate().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(matches!(
        s.write(async |tx| tx.create_network(&v).await).await,
        Err(StoreError::Invalid(_))
    ));
}

#[tokio::test]
async fn sessions_and_tokens() {
    let (s, _g) = store().await;
    s.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
    let user = s
        .authenticate("NACIONAL@demo.trama.cl", trama_store::demo::DEMO_PASSWORD)
        .await
        .ok()
        .flatten();
    let user = user.unwrap_or_else(|| panic!("demo login"));
    assert!(
        s.authenticate("nacional@demo.trama.cl", "wrong-password")
            .await
            .ok()
            .flatten()
            .is_none()
    );
    assert!(
        s.authenticate("nobody@demo.trama.cl", "x")
            .await
            .ok()
            .flatten()
            .is_none()
    );
    let (token, csrf) = s
        .create_session(user.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let session = s
        .session(&token)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("session"));
    assert_eq!(session.csrf_token, csrf);
    s.delete_session(&token)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(s.session(&token).await.ok().flatten().is_none());
    let api = s
        .write(async |tx| tx.create_api_token(user.id, "test").await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.user_by_api_token(&api).await.ok().flatten().map(|u| u.id),
        Some(user.id)
    );
    assert!(
        s.user_by_api_token("trama_nope")
            .await
            .ok()
            .flatten()
            .is_none()
    );
    // The supervisor's scope comes from the registry: RME1 and RME2.
    let sup = s
        .user_by_email("supervisor@demo.trama.cl")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("sup"));
    let actor = s.actor(&sup).await.unwrap_or_else(|e| panic!("{e}"));
    let ids = vec![
        s.network_id(&code("RME1"))
            .await
            .ok()
            .flatten()
            .unwrap_or_default(),
        s.network_id(&code("RME2"))
            .await
            .ok()
            .flatten()
            .unwrap_or_default(),
    ];
    assert_eq!(actor.networks, ids);
}

//! The demo arrives whole: built aside and copied in one transaction, it
//! holds exactly what loading it step by step holds, its ids continue
//! where the copy left them, and a second load adds nothing.

use trama_domain::account::AccountRole;
use trama_domain::person::Email;

use trama_store::maintenance::check;
use trama_store::testing::test_store;

#[tokio::test]
async fn the_demo_loaded_aside_equals_the_demo_loaded_step_by_step() {
    let (stepwise, _g1) = test_store().await.unwrap_or_else(|e| panic!("{e}"));
    stepwise.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
    stepwise
        .seed_demo_rounds()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (whole, _g2) = test_store().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(whole.load_demo().await.unwrap_or_else(|e| panic!("{e}")));

    let want = check(stepwise.connection_url())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let got = check(whole.connection_url())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(got.healthy(), "{got:?}");
    let differ: Vec<_> = want
        .tables
        .iter()
        .filter(|(t, n)| t.as_str() != "readiness" && got.tables.get(*t) != Some(n))
        .map(|(t, n)| format!("{t}: {n} step by step, {:?} copied", got.tables.get(t)))
        .collect();
    assert!(differ.is_empty(), "{differ:?}");
    assert!(got.tables["answers"] > 1000, "{:?}", got.tables);
    assert!(whole.campaign("RME-2026").await.ok().flatten().is_some());

    // New rows get fresh ids after the copied ones.
    let email = Email::parse("nueva@demo.trama.cl").unwrap_or_else(|p| panic!("{p:?}"));
    whole
        .write(async |tx| {
            tx.upsert_user(
                &email,
                AccountRole::Researcher,
                None,
                &[],
                Some("una-clave-larga-2026"),
            )
            .await
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // Loaded once: a second start adds nothing.
    assert!(!whole.load_demo().await.unwrap_or_else(|e| panic!("{e}")));
    let again = check(whole.connection_url())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.tables["answers"], got.tables["answers"]);
    assert_eq!(again.tables["users"], got.tables["users"] + 1);
}

//! End to end in a real headless Chromium: the `trama` binary serves the demo,
//! a coordinator signs in, opens a network, switches to English, and the page
//! is captured as a screenshot (`target/screenshots/`).

use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_browses_a_network_in_spanish_and_english() {
    let Some(session) =
        super::Session::start(serde_json::json!({"args": ["--window-size=1280,1000"]})).await
    else {
        return;
    };
    let (base, b) = (session.base.clone(), session.client.clone());

    let step = async {
        // Anonymous visitors are sent to the sign-in page, in Spanish.
        b.goto(&format!("{base}/networks/RME1")).await?;
        let h1 = b.find(Locator::Css("h1")).await?.text().await?;
        assert_eq!(h1, "Iniciar sesión");
        b.find(Locator::Id("email"))
            .await?
            .send_keys("nacional@demo.trama.cl")
            .await?;
        b.find(Locator::Id("password"))
            .await?
            .send_keys(trama_store::demo::DEMO_PASSWORD)
            .await?;
        b.find(Locator::Css("form.stack button[type=submit]"))
            .await?
            .click()
            .await?;
        // Back where the visitor wanted to go. Clicks return before the next
        // page has loaded, so every step waits for what it expects to see.
        let h1 = b
            .wait()
            .for_element(Locator::XPath("//main//h1[starts-with(., 'RME1')]"))
            .await?
            .text()
            .await?;
        assert!(h1.starts_with("RME1 ·"), "network page, got {h1:?}");
        let source = b.source().await?;
        assert!(source.contains("<html lang=\"es\">"));
        assert!(source.contains("Establecimientos en"), "Spanish headings");
        // Switch language with the header button.
        b.find(Locator::Css("form[action='/lang'] button"))
            .await?
            .click()
            .await?;
        b.wait()
            .for_element(Locator::Css("html[lang='en']"))
            .await?;
        let source = b.source().await?;
        assert!(source.contains("<html lang=\"en\">"), "page is now English");
        assert!(source.contains("Schools in"), "English headings");
        let url = b.current_url().await?;
        assert!(
            url.path().ends_with("/networks/RME1"),
            "stayed on the page: {url}"
        );
        // Navigate to a school from the table, still in English.
        b.find(Locator::Css("#schools + .table-wrap tbody th a"))
            .await?
            .click()
            .await?;
        let dl = b
            .wait()
            .for_element(Locator::Css("dl.facts"))
            .await?
            .text()
            .await?;
        assert!(dl.contains("Comuna") && dl.contains("Dependency"), "{dl}");
        b.back().await?;
        // The network's collaboration map (demo rounds): the sociogram by
        // role, its metrics explained, and the script that lights one
        // member's ties.
        b.wait()
            .for_element(Locator::Css("a[href='/networks/RME1/map']"))
            .await?
            .click()
            .await?;
        let figure = b
            .wait()
            .for_element(Locator::Css("figure.sociogram svg circle.node"))
            .await?;
        assert!(figure.attr("data-id").await?.is_some());
        let source = b.source().await?;
        assert!(source.contains("Density") && source.contains("Change between rounds"));
        let lit = b
            .execute(
                "const n = document.querySelector('figure.sociogram circle.node');\
                 n.dispatchEvent(new Event('mouseenter'));\
                 return n.closest('svg').classList.contains('focused');",
                vec![],
            )
            .await?;
        assert_eq!(
            lit,
            serde_json::Value::Bool(true),
            "the sociogram script runs"
        );
        let map = b.screenshot().await?;
        super::save_screenshot("map-en.png", &map);
        b.back().await?;
        let png = b.screenshot().await?;
        super::save_screenshot("network-en.png", &png);
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "a real screenshot"
        );
        Ok::<(), fantoccini::error::CmdError>(())
    }
    .await;
    session.finish(step).await;
}

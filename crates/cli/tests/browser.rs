//! End to end in a real headless Chromium: the `trama` binary serves the demo,
//! a coordinator signs in, opens a network, switches to English, and the page
//! is captured as a screenshot (`target/screenshots/`).
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the test is
//! skipped locally and fails under CI (`CI=true`), where `.ci/run` installs them.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

fn wait_for(url: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let addr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(&addr).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{url} did not come up");
}

fn chromedriver() -> Option<PathBuf> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_browses_a_network_in_spanish_and_english() {
    let Some(driver_bin) = chromedriver() else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install chromium-driver"
        );
        eprintln!("skipped: chromium-driver not installed");
        return;
    };
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let server_log_path = data.path().join("server.log");
    let server_log = std::fs::File::create(&server_log_path).unwrap_or_else(|e| panic!("{e}"));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = Killed(
        Command::new(env!("CARGO_BIN_EXE_trama"))
            .args([
                "serve",
                "--demo",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(data.path())
            .env("TRAMA_LOG", "info,sqlx=warn,tower_http=debug")
            .stdout(Stdio::null())
            .stderr(server_log)
            .spawn()
            .unwrap_or_else(|e| panic!("trama serve: {e}")),
    );
    let driver_port = free_port();
    let _driver = Killed(
        Command::new(driver_bin)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("chromedriver: {e}")),
    );
    wait_for(&base);
    wait_for(&format!("http://127.0.0.1:{driver_port}"));

    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            // A Chilean user's browser: Spanish is asked for first.
            "prefs": {"intl.accept_languages": "es-CL,es"},
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,1000", "--lang=es-CL",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }),
    );
    let b = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .unwrap_or_else(|e| panic!("webdriver session: {e}"));

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
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        std::fs::create_dir_all(&dir).ok();
        std::fs::write(dir.join("map-en.png"), &map).ok();
        b.back().await?;
        let png = b.screenshot().await?;
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        std::fs::create_dir_all(&dir).ok();
        std::fs::write(dir.join("network-en.png"), &png).ok();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "a real screenshot"
        );
        Ok::<(), fantoccini::error::CmdError>(())
    }
    .await;
    if step.is_err() {
        let url = b
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let source = b.source().await.unwrap_or_default();
        eprintln!("browser left on {url}:\n{source}");
        let log = std::fs::read_to_string(&server_log_path).unwrap_or_default();
        eprintln!("server log:\n{log}");
    }
    let _ = b.close().await;
    step.unwrap_or_else(|e| panic!("browser step failed: {e}"));
}

//! End to end in a real headless Chromium: the `trama` binary serves the
//! demo on a fresh database and a WebDriver session drives it.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the tests
//! are skipped locally and fail under CI (`CI=true`), where `.ci/run`
//! installs them.

mod campaign;
mod network;
mod network_year;
mod phone;
mod phone_pages;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use fantoccini::{Client, ClientBuilder};

use crate::processes::{Killed, free_port, wait_for};

/// One browser at a time: two Chromiums on a small CI machine make each
/// other's waits time out.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn chromedriver() -> Option<PathBuf> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// A server on the demo, a driver and a signed-out browser session.
pub struct Session {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    pub client: Client,
    server_log: PathBuf,
    _server: Killed,
    _driver: Killed,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl Session {
    /// Starts a session whose Chromium gets `options` (window size, device
    /// emulation) on top of the headless flags; `None` when chromium-driver
    /// is not installed outside CI.
    pub async fn start(mut options: serde_json::Value) -> Option<Session> {
        let Some(driver_bin) = chromedriver() else {
            assert!(
                std::env::var("CI").is_err(),
                "CI must install chromium-driver"
            );
            eprintln!("skipped: chromium-driver not installed");
            return None;
        };
        let turn = ONE_AT_A_TIME.lock().await;
        let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let server_log = data.path().join("server.log");
        let log = std::fs::File::create(&server_log).unwrap_or_else(|e| panic!("{e}"));
        let port = free_port();
        let server = Killed(
            Command::new(env!("CARGO_BIN_EXE_trama"))
                .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
                .arg("--data-dir")
                .arg(data.path())
                .env("TRAMA_LOG", "info,sqlx=warn,tower_http=debug")
                // A fresh database; links in the outbox point at this
                // server; no SMTP, so invitations wait in the outbox.
                .env_remove("TRAMA_DATABASE_URL")
                .env_remove("TRAMA_PUBLIC_URL")
                .env_remove("TRAMA_SMTP_HOST")
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("trama serve: {e}")),
        );
        let driver_port = free_port();
        let driver = Killed(
            Command::new(driver_bin)
                .arg(format!("--port={driver_port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("chromedriver: {e}")),
        );
        wait_for(&format!("127.0.0.1:{port}"));
        wait_for(&format!("127.0.0.1:{driver_port}"));
        let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--lang=es-CL".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if let Some(extra) = options.get("args").and_then(|a| a.as_array()) {
            args.extend(extra.iter().filter_map(|a| a.as_str().map(str::to_owned)));
        }
        options["args"] = serde_json::json!(args);
        options["binary"] = "/usr/bin/chromium".into();
        // A Chilean user's browser: Spanish is asked for first.
        options["prefs"] = serde_json::json!({"intl.accept_languages": "es-CL,es"});
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
            .unwrap_or_else(|e| panic!("webdriver session: {e}"));
        Some(Session {
            base: format!("http://127.0.0.1:{port}"),
            client,
            server_log,
            _server: server,
            _driver: driver,
            _dirs: (data, profile),
            _turn: turn,
        })
    }

    /// Ends the session; when `step` failed, first prints where the browser
    /// was left, the page and the server's log, then fails the test.
    pub async fn finish<E: std::fmt::Display>(self, step: Result<(), E>) {
        if step.is_err() {
            let url = self
                .client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let source = self.client.source().await.unwrap_or_default();
            eprintln!("browser left on {url}:\n{source}");
            let log = std::fs::read_to_string(&self.server_log).unwrap_or_default();
            eprintln!("server log:\n{log}");
        }
        let _ = self.client.clone().close().await;
        step.unwrap_or_else(|e| panic!("browser step failed: {e}"));
    }
}

/// Where screenshots are kept for a reader to look at (`target/screenshots/`).
pub fn save_screenshot(name: &str, png: &[u8]) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).ok();
    std::fs::write(dir.join(name), png).ok();
}

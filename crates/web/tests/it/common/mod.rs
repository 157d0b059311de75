//! A demo-seeded server in memory, and signed-in clients for each demo role.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use trama_store::Store;
use trama_store::testing::{TestGuard, test_store};
use trama_web::{AppState, Settings};

pub struct App {
    pub router: Router,
    pub store: Store,
    _guard: TestGuard,
}

/// Who makes a request: nobody, or a demo account with its session.
#[derive(Clone, Debug)]
pub struct Client {
    pub name: &'static str,
    pub session: Option<(String, String)>,
}

pub const ANON_CSRF: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

pub async fn app() -> App {
    app_with(Settings::default()).await
}

/// The demo app with these server settings.
pub async fn app_with(settings: Settings) -> App {
    let (store, guard) = test_store().await.unwrap_or_else(|e| panic!("store: {e}"));
    store
        .seed_demo()
        .await
        .unwrap_or_else(|e| panic!("seed: {e}"));
    let router = trama_web::router(AppState::new(store.clone(), settings));
    App {
        router,
        store,
        _guard: guard,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent, for binary downloads.
    pub raw: Vec<u8>,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

async fn reply(res: Response<Body>) -> Reply {
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        raw: bytes.to_vec(),
    }
}

impl App {
    pub async fn client(&self, email: Option<&'static str>) -> Client {
        let session = match email {
            None => None,
            Some(e) => {
                let user = self
                    .store
                    .user_by_email(e)
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| panic!("demo user {e}"));
                Some(
                    self.store
                        .create_session(user.id)
                        .await
                        .unwrap_or_else(|e| panic!("session: {e}")),
                )
            }
        };
        Client {
            name: email.unwrap_or("anonymous"),
            session,
        }
    }

    /// Sends a request as `client`. Form bodies get the right CSRF token
    /// unless `csrf` is given; JSON writes get the `X-CSRF-Token` header.
    pub async fn send(
        &self,
        client: &Client,
        method: &str,
        path: &str,
        body: Option<&str>,
        extra: &[(&str, &str)],
    ) -> Reply {
        let csrf = client
            .session
            .as_ref()
            .map(|s| s.1.clone())
            .unwrap_or_else(|| ANON_CSRF.into());
        let mut cookie = format!("trama_csrf={ANON_CSRF}");
        if let Some((token, _)) = &client.session {
            cookie.push_str(&format!("; trama_session={token}"));
        }
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("cookie", cookie);
        let is_json = body.is_some_and(|b| b.trim_start().starts_with('{'));
        let payload = match body {
            Some(b) if is_json => {
                req = req
                    .header("content-type", "application/json")
                    .header("x-csrf-token", csrf.clone());
                b.to_owned()
            }
            Some(b) => {
                req = req.header("content-type", "application/x-www-form-urlencoded");
                if b.contains("_csrf=") {
                    b.to_owned()
                } else if b.is_empty() {
                    format!("_csrf={csrf}")
                } else {
                    format!("_csrf={csrf}&{b}")
                }
            }
            None => String::new(),
        };
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let req = req
            .body(Body::from(payload))
            .unwrap_or_else(|e| panic!("request: {e}"));
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .unwrap_or_else(|e| panic!("router: {e}"));
        reply(res).await
    }

    pub async fn get(&self, client: &Client, path: &str) -> Reply {
        self.send(client, "GET", path, None, &[]).await
    }
}

pub const NATIONAL: &str = "nacional@demo.trama.cl";
pub const REGIONAL: &str = "regional@demo.trama.cl";
pub const SUPERVISOR: &str = "supervisor@demo.trama.cl";
pub const PARTICIPANT: &str = "participante@demo.trama.cl";
pub const RESEARCHER: &str = "investigador@demo.trama.cl";

/// Opens a campaign on `networks` this year, invites from the registry and
/// returns its id and the personal answering links (paths) from the outbox.
pub async fn open_campaign(app: &App, code: &str, networks: &[&str]) -> (i64, Vec<String>) {
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
    let id = app
        .store
        .write(async |tx| {
            tx.create_campaign(
                &trama_store::campaigns::lifecycle::CampaignInput {
                    code: code.into(),
                    name: format!("Campaña {code}"),
                    year: trama_store::current_year(),
                    instrument_version_id: version,
                    scope: trama_store::campaigns::lifecycle::CampaignScope::Networks(
                        networks.iter().map(|n| (*n).to_owned()).collect(),
                    ),
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
        .write(async |tx| tx.invite_from_registry(id).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let national = app.client(Some(NATIONAL)).await;
    let r = app
        .send(
            &national,
            "POST",
            &format!("/campaigns/{code}/open"),
            Some("confirm=open"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let csv = app
        .send(
            &national,
            "POST",
            &format!("/campaigns/{code}/outbox.csv"),
            Some(""),
            &[],
        )
        .await;
    assert_eq!(csv.status, 200);
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let links = reader
        .records()
        .filter_map(Result::ok)
        .map(|r| r.get(2).unwrap_or_default().to_owned())
        .collect::<Vec<_>>();
    assert!(!links.is_empty());
    // Links are absolute URLs; the router takes the path.
    let paths = links
        .iter()
        .map(|l| {
            l.split_once("/r/")
                .map(|(_, t)| format!("/r/{t}"))
                .unwrap_or_default()
        })
        .collect();
    (id, paths)
}

impl App {
    /// A campaign of the database, which the test expects to be there.
    pub async fn campaign(&self, code: &str) -> trama_store::campaigns::lifecycle::Campaign {
        self.store
            .campaign(code)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no campaign {code}"))
    }
}

/// The demo app with its two closed rounds (RME-2025, RME-2026).
pub async fn seeded() -> App {
    let app = app().await;
    assert!(
        app.store
            .seed_demo_rounds()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    app
}

/// Submitted responses per network in a campaign.
pub async fn responses_per_network(app: &App, campaign: &str) -> Vec<(String, usize)> {
    let c = app
        .store
        .campaign(campaign)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("{campaign}"));
    let records = app
        .store
        .response_records(c.id, false)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for r in records {
        *counts.entry(r.network).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// The stage counts (invited, opened, started, complete, valid) of the
/// first row of a `funnel.csv`.
pub fn funnel_counts(csv: &str) -> Vec<String> {
    csv.lines()
        .nth(1)
        .unwrap_or_default()
        .split(',')
        .skip(2)
        .take(5)
        .map(str::to_owned)
        .collect()
}

/// Whether PSPP is installed to read SPSS files back; CI must have it.
pub fn pspp_found() -> bool {
    let found = std::process::Command::new("pspp")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "CI must install pspp");
        eprintln!("skipped the PSPP check: pspp is not installed");
    }
    found
}

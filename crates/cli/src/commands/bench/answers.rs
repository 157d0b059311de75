//! `trama bench answers`: many respondents saving questionnaire pages at once
//! through their personal links, over real HTTP/1.1 connections to the server
//! on loopback; then checks that every accepted save is in the database.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use trama_campaign::{ReminderDays, ValidityRule};
use trama_i18n::Lang;
use trama_instrument::ACUERDO5_VALUES;
use trama_stdx::rng::SplitMix64;
use trama_store::campaigns::answering::LinkState;
use trama_store::campaigns::invitations::{Audience, LinkPurpose};
use trama_store::campaigns::lifecycle::{CampaignInput, CampaignScope};
use trama_store::{Backend, Store, StoreError};
use trama_web::{AppState, Settings};

use super::scratch::{Scratch, cleanup, scratch_database};
use crate::exit::{CliResult, Failure};

/// The issues' targets on a 2-core machine: one server, and two servers on
/// one PostgreSQL (servers, database and clients sharing the cores).
const TARGET_PER_SECOND: f64 = 1000.0;
const TARGET_PER_SECOND_SHARED: f64 = 1500.0;
const TARGET_P99_MS: f64 = 100.0;

#[derive(clap::Args, Debug, Clone)]
pub struct AnswersArgs {
    /// Concurrent clients, each with its own invitation and keep-alive connection.
    #[arg(long, default_value_t = 100)]
    pub clients: usize,
    /// How long the clients keep saving pages.
    #[arg(long, default_value_t = 20)]
    pub seconds: u64,
    /// Servers answering: 1 runs inside the benchmark; 2 or more are
    /// `trama serve` processes on the same database (PostgreSQL: give
    /// --database-url), with the clients spread over them.
    #[arg(long, default_value_t = 1)]
    pub servers: usize,
    /// Directory for the SQLite database (default: a temporary directory, removed afterwards).
    #[arg(long, value_name = "DIR", conflicts_with = "database_url")]
    pub data_dir: Option<PathBuf>,
    /// Database URL; a PostgreSQL database gets a fresh schema for the run, dropped afterwards.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Output: text or json.
    #[arg(long, default_value = "text")]
    pub format: String,
}

/// What a run measured and found.
#[derive(Debug, serde::Serialize)]
pub struct Report {
    pub backend: String,
    pub database: String,
    pub servers: usize,
    pub clients: usize,
    pub seconds: f64,
    pub saves: u64,
    pub saves_per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub errors: u64,
    /// A few of the errors, for the reader.
    pub error_samples: Vec<String>,
    /// (client, item) answers found as last saved.
    pub verified: u64,
    /// Answers missing or different from the client's last accepted save.
    pub mismatched: u64,
    /// The first few of them.
    pub mismatches: Vec<String>,
    pub target_met: bool,
}

async fn open_database(args: &AnswersArgs) -> Result<(Store, String, Scratch), Failure> {
    scratch_database(&args.database_url, &args.data_dir).await
}

/// What one client should find in the database for one item.
#[derive(Debug, Default)]
struct Expected {
    /// The value of the last save the server accepted.
    value: Option<String>,
    /// Values sent since in saves whose outcome is unknown (an error
    /// status or a broken connection): the database may hold any of them.
    maybe: Vec<String>,
}

#[derive(Debug, Default)]
struct ClientRun {
    latencies: Vec<Duration>,
    saves: u64,
    errors: u64,
    error_samples: Vec<String>,
    expected: BTreeMap<String, Expected>,
}

impl ClientRun {
    fn error(&mut self, what: String) {
        self.errors += 1;
        if self.error_samples.len() < 3 {
            self.error_samples.push(what);
        }
    }
}

struct HttpConn {
    addr: SocketAddr,
    sender: SendRequest<String>,
    cookie: Option<String>,
}

impl HttpConn {
    async fn open(addr: SocketAddr) -> Result<HttpConn, String> {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("handshake: {e}"))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(HttpConn {
            addr,
            sender,
            cookie: None,
        })
    }

    /// Sends one request and reads the whole response.
    async fn send(&mut self, method: &str, path: &str, body: String) -> Result<StatusCode, String> {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, self.addr.to_string())
            .header(header::ACCEPT_LANGUAGE, "es");
        if !body.is_empty() {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c.as_str());
        }
        let req = req.body(body).map_err(|e| e.to_string())?;
        self.sender.ready().await.map_err(|e| e.to_string())?;
        let res = self
            .sender
            .send_request(req)
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status();
        // Keep the anonymous CSRF cookie, as a browser would.
        if self.cookie.is_none() {
            self.cookie = res
                .headers()
                .get(header::SET_COOKIE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').next())
                .map(str::to_owned);
        }
        axum::body::to_bytes(Body::new(res.into_body()), usize::MAX)
            .await
            .map_err(|e| e.to_string())?;
        Ok(status)
    }
}

async fn client(
    n: usize,
    addr: SocketAddr,
    token: String,
    pages: Arc<Vec<(usize, Vec<String>)>>,
    start: Arc<tokio::sync::Barrier>,
    run_for: Duration,
) -> ClientRun {
    let mut run = ClientRun::default();
    // Connect and open the link (not timed), then start all together.
    let mut conn = match HttpConn::open(addr).await {
        Ok(mut c) => match c.send("GET", &format!("/r/{token}"), String::new()).await {
            Ok(StatusCode::SEE_OTHER) => Some(c),
            Ok(s) => {
                run.error(format!("opening the link: HTTP {s}"));
                None
            }
            Err(e) => {
                run.error(format!("opening the link: {e}"));
                None
            }
        },
        Err(e) => {
            run.error(e);
            None
        }
    };
    start.wait().await;
    let deadline = Instant::now() + run_for;
    // Seeded per client: answers differ between clients and saves.
    let mut rng = SplitMix64::new(0x5EED ^ ((n as u64) << 20));
    let mut next_page = n % pages.len().max(1);
    while Instant::now() < deadline {
        let Some(c) = conn.as_mut() else {
            break;
        };
        let (page, items) = &pages[next_page];
        next_page = (next_page + 1) % pages.len();
        let values: Vec<(&String, &str)> = items
            .iter()
            .map(|i| (i, *rng.pick(&ACUERDO5_VALUES)))
            .collect();
        let mut body = String::with_capacity(16 * values.len() + 10);
        for (item, value) in &values {
            body.push_str(item);
            body.push('=');
            body.push_str(value);
            body.push('&');
        }
        body.push_str("_nav=next");
        let started = Instant::now();
        let result = c.send("POST", &format!("/r/{token}/p/{page}"), body).await;
        let took = started.elapsed();
        match result {
            Ok(StatusCode::SEE_OTHER) => {
                run.latencies.push(took);
                run.saves += 1;
                for (item, value) in values {
                    let e = run.expected.entry(item.clone()).or_default();
                    e.value = Some(value.to_owned());
                    e.maybe.clear();
                }
            }
            other => {
                for (item, value) in values {
                    let e = run.expected.entry(item.clone()).or_default();
                    e.maybe.push(value.to_owned());
                }
                match other {
                    Ok(status) => {
                        run.latencies.push(took);
                        run.error(format!("POST page {page}: HTTP {status}"));
                    }
                    Err(e) => {
                        run.error(format!("POST page {page}: {e}"));
                        // One new connection; a client that cannot reconnect stops.
                        conn = HttpConn::open(addr).await.ok();
                    }
                }
            }
        }
    }
    run
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// The servers the clients talk to: one in this process, or `trama serve`
/// children on the same database.
struct Servers {
    addrs: Vec<SocketAddr>,
    in_process: Option<(
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<std::io::Result<()>>,
    )>,
    children: Vec<std::process::Child>,
}

impl Servers {
    async fn start(store: &Store, n: usize) -> Result<Servers, String> {
        if n <= 1 {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(|e| e.to_string())?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            let app = trama_web::router(AppState::new(store.clone(), Settings::default()))
                .into_make_service_with_connect_info::<SocketAddr>();
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let server = tokio::spawn(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
            });
            return Ok(Servers {
                addrs: vec![addr],
                in_process: Some((stop, server)),
                children: vec![],
            });
        }
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut servers = Servers {
            addrs: vec![],
            in_process: None,
            children: vec![],
        };
        for _ in 0..n {
            let addr = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map_err(|e| e.to_string())?;
            let child = std::process::Command::new(&exe)
                .args(["serve", "--addr", &addr.to_string()])
                .args(["--database-url", store.connection_url()])
                .args(["--worker-interval", "3600"])
                .env("TRAMA_LOG", "warn")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .map_err(|e| format!("trama serve: {e}"))?;
            servers.children.push(child);
            servers.addrs.push(addr);
        }
        for addr in servers.addrs.clone() {
            let deadline = Instant::now() + Duration::from_secs(30);
            while tokio::net::TcpStream::connect(addr).await.is_err() {
                if Instant::now() > deadline {
                    // Dropping `servers` stops those already started.
                    return Err(format!("the server at {addr} did not start"));
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        Ok(servers)
    }

    async fn stop(mut self) {
        self.stop_children();
        if let Some((stop, server)) = self.in_process.take() {
            let _ = stop.send(());
            let _ = server.await;
        }
    }

    fn stop_children(&mut self) {
        for mut c in self.children.drain(..) {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A run that fails half-way leaves no server behind.
impl Drop for Servers {
    fn drop(&mut self) {
        self.stop_children();
    }
}

/// Sets up a campaign with one invitation per client, runs the clients
/// against the server on loopback and checks the database afterwards.
async fn measure(store: &Store, database: String, args: &AnswersArgs) -> Result<Report, String> {
    let store_err = |e: StoreError| e.to_string();
    store.seed_demo().await.map_err(store_err)?;
    let version = store
        .instrument("rme", None)
        .await
        .map_err(store_err)?
        .ok_or("the demo data should include the RME questionnaire")?;
    let pages = version.instrument.plain_rating_pages();
    if pages.is_empty() {
        return Err("the RME questionnaire has no rating pages".into());
    }
    let t = trama_store::now();
    let code = format!("bench-answers-{t}");
    let campaign = store
        .write(async |tx| {
            tx.create_campaign(
                &CampaignInput {
                    code: code.clone(),
                    name: format!("Bench {code}"),
                    year: trama_stdx::time::current_year(),
                    instrument_version_id: version.version.id,
                    scope: CampaignScope::National,
                    opens_at: t - 86_400,
                    closes_at: t + 30 * 86_400,
                    reminder_days: ReminderDays::default(),
                    validity: ValidityRule::default(),
                },
                None,
            )
            .await
        })
        .await
        .map_err(store_err)?;
    store
        .write(async |tx| tx.invite_from_registry(campaign).await)
        .await
        .map_err(store_err)?;
    store
        .write(async |tx| tx.open_campaign(campaign).await)
        .await
        .map_err(store_err)?;
    let invited = store
        .recipients(campaign, Audience::Everyone, i64::MAX)
        .await
        .map_err(store_err)?;
    if invited.len() < args.clients {
        return Err(format!(
            "{} clients asked for, but the campaign has only {} invitations",
            args.clients,
            invited.len()
        ));
    }
    let mut tokens = Vec::with_capacity(args.clients);
    for r in invited.iter().take(args.clients) {
        tokens.push(
            store
                .issue_link(r.invitation_id, LinkPurpose::Answer)
                .await
                .map_err(store_err)?,
        );
    }

    let servers = Servers::start(store, args.servers).await?;
    let pages = Arc::new(pages);
    let start = Arc::new(tokio::sync::Barrier::new(args.clients + 1));
    let run_for = Duration::from_secs(args.seconds);
    let handles: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(n, token)| {
            tokio::spawn(client(
                n,
                servers.addrs[n % servers.addrs.len()],
                token.clone(),
                pages.clone(),
                start.clone(),
                run_for,
            ))
        })
        .collect();
    start.wait().await;
    let started = Instant::now();
    let mut runs = Vec::with_capacity(handles.len());
    for h in handles {
        runs.push(h.await.map_err(|e| e.to_string())?);
    }
    let elapsed = started.elapsed();
    servers.stop().await;

    // Every accepted save must be in the database.
    let mut verified = 0;
    let mut mismatched = 0;
    let mut mismatches = vec![];
    for (n, (token, run)) in tokens.iter().zip(&runs).enumerate() {
        if run.expected.is_empty() {
            continue;
        }
        let stored = match store.open_link(token).await.map_err(store_err)? {
            LinkState::Active(r) => match &r.response_id {
                Some(id) => store.answers(id).await.map_err(store_err)?,
                None => BTreeMap::new(),
            },
            other => {
                mismatched += run.expected.len() as u64;
                mismatches.push(format!("client {n}: link is {other:?}"));
                continue;
            }
        };
        for (item, want) in &run.expected {
            let found = stored.get(item);
            let ok = match (found, &want.value) {
                (Some(v), Some(w)) if v == w => true,
                (None, None) => true,
                (Some(v), _) => want.maybe.contains(v),
                (None, Some(_)) => false,
            };
            if ok {
                verified += 1;
                continue;
            }
            mismatched += 1;
            if mismatches.len() < 20 {
                mismatches.push(format!(
                    "client {n}, item {item}: saved {:?}, found {found:?}",
                    want.value
                ));
            }
        }
    }

    let mut latencies: Vec<Duration> = runs
        .iter()
        .flat_map(|r| r.latencies.iter().copied())
        .collect();
    latencies.sort();
    let saves: u64 = runs.iter().map(|r| r.saves).sum();
    let seconds = elapsed.as_secs_f64();
    let saves_per_second = if seconds > 0.0 {
        saves as f64 / seconds
    } else {
        0.0
    };
    let p99_ms = percentile(&latencies, 0.99);
    let errors: u64 = runs.iter().map(|r| r.errors).sum();
    Ok(Report {
        backend: match store.backend() {
            Backend::Sqlite => "sqlite".into(),
            Backend::Postgres => "postgres".into(),
        },
        database,
        servers: args.servers.max(1),
        clients: args.clients,
        seconds,
        saves,
        saves_per_second,
        p50_ms: percentile(&latencies, 0.5),
        p95_ms: percentile(&latencies, 0.95),
        p99_ms,
        max_ms: percentile(&latencies, 1.0),
        errors,
        error_samples: runs
            .iter()
            .flat_map(|r| r.error_samples.iter().cloned())
            .take(5)
            .collect(),
        verified,
        target_met: saves_per_second >= target(args.servers)
            && p99_ms < TARGET_P99_MS
            && errors == 0
            && mismatched == 0,
        mismatched,
        mismatches,
    })
}

fn target(servers: usize) -> f64 {
    if servers > 1 {
        TARGET_PER_SECOND_SHARED
    } else {
        TARGET_PER_SECOND
    }
}

/// Opens the database, measures, cleans up.
pub async fn report(args: &AnswersArgs) -> Result<Report, Failure> {
    if args.clients == 0 || args.seconds == 0 {
        return Err(Failure::input(vec![
            "--clients and --seconds must be at least 1".into(),
        ]));
    }
    let (store, database, scratch) = open_database(args).await?;
    let result = measure(&store, database, args).await;
    store.close().await;
    cleanup(scratch).await;
    result.map_err(Failure::env)
}

pub async fn run(args: AnswersArgs, _lang: Lang) -> CliResult {
    // The server's own log (e.g. the cause of a 500) with TRAMA_LOG=error.
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("TRAMA_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .try_init();
    }
    let r = report(&args).await?;
    if args.format == "json" {
        println!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
    } else {
        println!(
            "Questionnaire page saves through personal links on {}, {} server(s)",
            r.database, r.servers
        );
        println!(
            "{:<9} {:>7} {:>8} {:>8} {:>9} {:>8} {:>8} {:>8} {:>8} {:>7} {:>9}",
            "backend",
            "clients",
            "seconds",
            "saves",
            "saves/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "errors",
            "verified"
        );
        println!(
            "{:<9} {:>7} {:>8.1} {:>8} {:>9.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>7} {:>9}",
            r.backend,
            r.clients,
            r.seconds,
            r.saves,
            r.saves_per_second,
            r.p50_ms,
            r.p95_ms,
            r.p99_ms,
            r.max_ms,
            r.errors,
            r.verified
        );
        for e in &r.error_samples {
            println!("error: {e}");
        }
        println!(
            "target ≥ {:.0} saves/s, p99 < {TARGET_P99_MS:.0} ms, no errors, every save found: {}",
            target(r.servers),
            if r.target_met { "met" } else { "not met" }
        );
    }
    if r.mismatched > 0 {
        let mut failure = Failure::env(format!(
            "{} accepted answers missing or different in the database",
            r.mismatched
        ));
        failure.lines.extend(r.mismatches.iter().cloned());
        return Err(failure);
    }
    if r.saves == 0 {
        return Err(Failure::env("no page save was accepted".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_short_run_saves_pages_and_finds_them_all() {
        let args = AnswersArgs {
            clients: 4,
            seconds: 1,
            servers: 1,
            data_dir: None,
            database_url: None,
            format: "text".into(),
        };
        let r = report(&args)
            .await
            .unwrap_or_else(|f| panic!("{:?}", f.lines));
        assert!(r.saves > 0, "{r:?}");
        assert_eq!(r.mismatched, 0, "{r:?}");
        assert!(r.verified > 0, "{r:?}");
    }
}

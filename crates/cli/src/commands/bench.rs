//! `trama bench registry`: builds a country-sized registry through the real
//! import path, then times registry pages and API lists inside the server
//! (the handler, policy, queries and templates; no network), and reports
//! percentiles.
//!
//! `trama bench answers`: many respondents saving questionnaire pages at once
//! through their personal links, over real HTTP/1.1 connections to the server
//! on loopback; then checks that every accepted save is in the database.
//!
//! `trama bench sna`: `trama sna metrics` (JSON) on a seeded random directed
//! graph, on one thread and on all cores, with wall time and peak memory.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;
use trama_domain::account::AccountRole;
use trama_domain::person::Email;
use trama_i18n::{Lang, t};
use trama_store::synth::{SynthSize, generate};
use trama_web::{AppState, Settings};

use super::db::DbArgs;
use crate::exit::{CliResult, Failure};

#[derive(clap::Subcommand, Debug)]
pub enum Bench {
    /// Registry import and page/API latency on a synthetic registry.
    #[command(
        after_help = "Example:\n  trama bench registry --data-dir /tmp/trama-bench\n  trama bench registry --database-url postgres://postgres@127.0.0.1/test"
    )]
    Registry(RegistryArgs),
    /// `report likert` on a generated responses file (default 1,000,000 × 50).
    #[command(after_help = "Example:\n  trama bench likert --rows 1000000 --items 50")]
    Likert(LikertArgs),
    /// Questionnaire page saves through personal links, with concurrent clients.
    #[command(
        after_help = "Runs on a fresh database: a temporary SQLite directory by default, or a new\nschema (dropped afterwards) in the PostgreSQL database given.\n\nExample:\n  cargo run --release -p trama -- bench answers --clients 100 --seconds 20\n  trama bench answers --database-url postgres://postgres@127.0.0.1/test"
    )]
    Answers(answers::AnswersArgs),
    /// `sna metrics` to JSON on a random directed graph, on one thread and on all cores.
    #[command(
        after_help = "Times what `trama sna metrics --format json` does (read the CSV files, every metric,\nthe JSON) and reports the peak resident memory of each run. Compare with python-igraph\non the same edges: crates/sna/benches/README.md.\n\nExample:\n  cargo run --release -p trama -- bench sna --write-edges /tmp/azar.csv\n  trama bench sna --nodes 1000 --arcs 5000 --repeat 3"
    )]
    Sna(sna::SnaArgs),
    /// Results pages (national dashboard, network report) on a generated national round.
    #[command(
        after_help = "Loads the demo registry and a closed national round with N generated responses\n(answers of every rating item, seeded), then times the pages warm, as the server\nanswers them (no network). Runs on a fresh database, as `bench answers` does.\n\nExample:\n  cargo run --release -p trama -- bench results --responses 4000\n  trama bench results --database-url postgres://postgres@127.0.0.1/test"
    )]
    Results(results::ResultsArgs),
}

#[derive(clap::Args, Debug)]
pub struct LikertArgs {
    #[arg(long, default_value_t = 1_000_000)]
    rows: usize,
    #[arg(long, default_value_t = 50)]
    items: usize,
    /// Where to write the generated file (kept for reuse when it exists).
    #[arg(long, default_value = "/tmp/trama-bench-responses.csv")]
    file: std::path::PathBuf,
}

async fn likert(args: LikertArgs, lang: Lang) -> CliResult {
    use trama_results::{likert, synth};
    let design = synth::design(args.items);
    let expected_size = args.rows as u64 * (40 + 2 * args.items as u64);
    let reuse = std::fs::metadata(&args.file)
        .map(|m| m.len() > expected_size / 2)
        .unwrap_or(false);
    if !reuse {
        let mut f = std::fs::File::create(&args.file).map_err(|e| Failure::env(e.to_string()))?;
        synth::write_responses(&design, args.rows, 7, &mut f)
            .map_err(|e| Failure::env(e.to_string()))?;
    }
    let started = Instant::now();
    let f = std::fs::File::open(&args.file).map_err(|e| Failure::env(e.to_string()))?;
    let table = trama_results::ResponseTable::read(
        "responses.csv",
        std::io::BufReader::with_capacity(1 << 20, f),
        &design,
        &Default::default(),
    )
    .map_err(|e| Failure::input(e.iter().take(5).map(|c| c.render(lang)).collect()))?;
    let read = started.elapsed();
    let opts = likert::Options {
        by: Some(trama_results::responses::GroupBy::Region),
        lang,
        ..Default::default()
    };
    let report = likert::report(&design, &table, &opts);
    let json = serde_json::to_vec(&report).map_err(|e| Failure::env(e.to_string()))?;
    let total = started.elapsed();
    println!(
        "{} rows × {} items: read {:.2} s, report (by region) + JSON {:.2} s, total {:.2} s; {} groups, {} bytes of JSON",
        table.len(),
        table.k,
        read.as_secs_f64(),
        (total - read).as_secs_f64(),
        total.as_secs_f64(),
        report.groups.len(),
        json.len()
    );
    Ok(())
}

#[derive(clap::Args, Debug)]
pub struct RegistryArgs {
    #[command(flatten)]
    db: DbArgs,
    #[arg(long, default_value_t = 12_000)]
    schools: u64,
    #[arg(long, default_value_t = 500)]
    networks: u64,
    #[arg(long, default_value_t = 25_000)]
    people: u64,
    /// Timed requests per endpoint (after 3 warm-up requests).
    #[arg(long, default_value_t = 30)]
    requests: usize,
    /// Output: text or json.
    #[arg(long, default_value = "text")]
    format: String,
}

#[derive(serde::Serialize)]
struct Timing {
    what: String,
    n: usize,
    p50_ms: f64,
    p95_ms: f64,
    max_ms: f64,
}

fn summarise(what: &str, mut samples: Vec<Duration>) -> Timing {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    Timing {
        what: what.to_owned(),
        n: samples.len(),
        p50_ms: ms(at(0.5)),
        p95_ms: ms(at(0.95)),
        max_ms: ms(samples[samples.len() - 1]),
    }
}

/// Server time of `requests` GETs of `path` through the router (no network),
/// after three warm-up requests; any status but success fails the run.
async fn time_page(
    router: &axum::Router,
    token: &str,
    path: &str,
    requests: usize,
) -> Result<Timing, Failure> {
    let mut samples = vec![];
    for i in 0..requests + 3 {
        let req = Request::get(path)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .map_err(|e| Failure::env(e.to_string()))?;
        let started = Instant::now();
        let res = router
            .clone()
            .oneshot(req)
            .await
            .map_err(|e| Failure::env(e.to_string()))?;
        let status = res.status();
        let _ = axum::body::to_bytes(res.into_body(), usize::MAX).await;
        let took = started.elapsed();
        if !status.is_success() {
            return Err(Failure::env(format!("{path}: HTTP {status}")));
        }
        if i >= 3 {
            samples.push(took);
        }
    }
    Ok(summarise(path, samples))
}

/// The timings as a table, the first column as wide as the longest path.
fn print_timings(timings: &[Timing]) {
    let w = timings.iter().map(|t| t.what.len()).max().unwrap_or(0);
    println!(
        "{:<w$} {:>5} {:>9} {:>9} {:>9}",
        "", "n", "p50 ms", "p95 ms", "max ms"
    );
    for t in timings {
        println!(
            "{:<w$} {:>5} {:>9.2} {:>9.2} {:>9.2}",
            t.what, t.n, t.p50_ms, t.p95_ms, t.max_ms
        );
    }
}

pub async fn run(cmd: Bench, lang: Lang) -> CliResult {
    let args = match cmd {
        Bench::Registry(a) => a,
        Bench::Likert(a) => return likert(a, lang).await,
        Bench::Answers(a) => return answers::run(a, lang).await,
        Bench::Sna(a) => return sna::run(a, lang),
        Bench::Results(a) => return results::run(a, lang).await,
    };
    let store = args.db.open(lang).await?;
    let env = |e: trama_store::StoreError| Failure::store(lang, e);
    let files = generate(SynthSize {
        schools: args.schools,
        networks: args.networks,
        people: args.people,
        seed: 42,
    });
    let mut timings = vec![];
    let parse_fail = |_| Failure::env("synthetic file does not parse".into());

    let started = Instant::now();
    let rows = trama_import::directorio::parse("directorio.csv", files.directorio.as_bytes())
        .map_err(parse_fail)?;
    let summary = store.import_directorio(&rows, false).await.map_err(env)?;
    timings.push(summarise(
        &format!(
            "import schools ({} rows, {} new)",
            rows.len(),
            summary.inserted
        ),
        vec![started.elapsed()],
    ));
    let started = Instant::now();
    let rows = trama_import::memberships::parse("redes.csv", files.networks.as_bytes())
        .map_err(parse_fail)?;
    store.import_memberships(&rows, false).await.map_err(env)?;
    timings.push(summarise(
        &format!("import networks ({} rows)", rows.len()),
        vec![started.elapsed()],
    ));
    let started = Instant::now();
    let rows =
        trama_import::people::parse("personas.csv", files.people.as_bytes()).map_err(parse_fail)?;
    store.import_people(&rows, false).await.map_err(env)?;
    timings.push(summarise(
        &format!("import people ({} rows)", rows.len()),
        vec![started.elapsed()],
    ));

    let email =
        Email::parse("bench@trama.invalid").map_err(|p| Failure::input(vec![p.render(lang)]))?;
    let user = store
        .upsert_user(&email, AccountRole::NationalCoordinator, None, &[], None)
        .await
        .map_err(env)?;
    let token = store.create_api_token(user, "bench").await.map_err(env)?;
    let router = trama_web::router(AppState::new(store.clone(), Settings::default()));
    let endpoints = [
        "/regions",
        "/regions/8",
        "/networks",
        "/networks?q=RME1",
        "/networks/RME10",
        "/schools",
        "/schools?q=liceo&region=8",
        "/schools/100005",
        "/people",
        "/people?q=gonzalez",
        "/api/v1/regions",
        "/api/v1/networks?per_page=200",
        "/api/v1/networks/RME10",
        "/api/v1/schools?region=13&per_page=200",
        "/api/v1/people?per_page=200",
    ];
    for path in endpoints {
        timings.push(time_page(&router, &token, path, args.requests).await?);
    }
    if args.format == "json" {
        println!(
            "{}",
            serde_json::to_string_pretty(&timings).unwrap_or_default()
        );
    } else {
        println!(
            "{}",
            t!(lang, "cli-bench-header", backend = args.db.describe())
        );
        print_timings(&timings);
    }
    store.close().await;
    Ok(())
}

/// `trama bench sna`.
mod sna {
    use std::num::NonZeroUsize;
    use std::path::PathBuf;
    use std::time::Instant;

    use trama_i18n::Lang;
    use trama_sna::{LoadOptions, MetricOptions, Network, edge_list_csv, random_network};

    use crate::commands::sna::{Format, all_cores, analyse};
    use crate::exit::{CliResult, Failure};

    #[derive(clap::Args, Debug)]
    pub struct SnaArgs {
        #[arg(long, default_value_t = 10_000)]
        nodes: usize,
        /// Distinct arcs, without self-loops, uniformly at random.
        #[arg(long, default_value_t = 50_000)]
        arcs: usize,
        #[arg(long, default_value_t = 2024)]
        seed: u64,
        /// Threads of the parallel run (default: all cores).
        #[arg(long, value_name = "N")]
        threads: Option<NonZeroUsize>,
        /// Runs per thread count; the best is reported, since on a shared
        /// machine the slower runs measure the neighbours.
        #[arg(long, value_name = "N", default_value = "1")]
        repeat: NonZeroUsize,
        /// Also write the graph as `source,target,weight`, for comparing with
        /// igraph and NetworkX (crates/sna/benches/igraph_betweenness.py).
        #[arg(long, value_name = "FILE")]
        write_edges: Option<PathBuf>,
    }

    /// The attributes as a node list, so that the timed run reads both files
    /// and computes the E-I indices as `sna metrics` would.
    fn nodes_csv(net: &Network) -> Result<Vec<u8>, Failure> {
        let mut w = csv::Writer::from_writer(vec![]);
        let fail = |e: csv::Error| Failure::env(e.to_string());
        let attributes = net.attributes();
        w.write_record(std::iter::once("id").chain(attributes.iter().map(|a| a.name.as_str())))
            .map_err(fail)?;
        for (v, id) in net.ids().iter().enumerate() {
            w.write_record(
                std::iter::once(id.as_str()).chain(
                    attributes
                        .iter()
                        .map(|a| a.values[v].as_deref().unwrap_or("")),
                ),
            )
            .map_err(fail)?;
        }
        w.into_inner().map_err(|e| Failure::env(e.to_string()))
    }

    /// Starts a new peak-memory measurement (Linux: writing 5 to
    /// `clear_refs` resets VmHWM). False where the kernel does not allow it,
    /// and the peak then counts from the start of the process.
    fn reset_peak_rss() -> bool {
        std::fs::write("/proc/self/clear_refs", "5").is_ok()
    }

    /// Peak resident memory in MiB (VmHWM), if the system reports it.
    fn peak_rss_mib() -> Option<f64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }

    pub fn run(args: SnaArgs, lang: Lang) -> CliResult {
        let net = random_network(args.nodes, args.arcs, args.seed);
        let edges = edge_list_csv(&net);
        let nodes = nodes_csv(&net)?;
        if let Some(path) = &args.write_edges {
            std::fs::write(path, &edges)
                .map_err(|e| Failure::env(format!("{}: {e}", path.display())))?;
        }
        println!(
            "sna metrics --format json on a random directed graph: {} nodes, {} arcs, seed {}",
            net.node_count(),
            net.arcs().len(),
            args.seed
        );
        drop(net);
        let all = args.threads.map_or_else(all_cores, NonZeroUsize::get);
        let mut runs = vec![1];
        if all > 1 {
            runs.push(all);
        }
        let mut first: Option<Vec<u8>> = None;
        // Best wall time per thread count.
        let mut best: Vec<(usize, f64)> = vec![];
        for threads in runs {
            let mut fastest = f64::INFINITY;
            for _ in 0..args.repeat.get() {
                let fresh_peak = reset_peak_rss();
                let started = Instant::now();
                let json = analyse(
                    lang,
                    ("edges.csv", edges.as_bytes()),
                    Some(("nodes.csv", &nodes)),
                    &LoadOptions::default(),
                    &MetricOptions {
                        threads,
                        ..MetricOptions::default()
                    },
                    Format::Json,
                )?;
                let wall = started.elapsed().as_secs_f64();
                fastest = fastest.min(wall);
                let peak = peak_rss_mib().map_or_else(
                    || "peak RSS unknown".to_owned(),
                    |mib| {
                        let since = if fresh_peak { "" } else { " since start" };
                        format!("peak RSS {mib:.0} MiB{since}")
                    },
                );
                println!(
                    "  {threads} thread{}: {wall:.2} s wall, {peak}, {} bytes of JSON",
                    if threads == 1 { "" } else { "s" },
                    json.len()
                );
                // Parallel sums are taken in a fixed order: any difference is a bug.
                match &first {
                    None => first = Some(json),
                    Some(one) if *one != json => {
                        return Err(Failure::env(format!(
                            "the JSON on {threads} threads differs from the JSON on one thread"
                        )));
                    }
                    Some(_) => {}
                }
            }
            best.push((threads, fastest));
        }
        if let [(_, one), .., (threads, many)] = best[..] {
            println!(
                "  best: {one:.2} s on 1 thread, {many:.2} s on {threads} ({:.2}x); same JSON",
                one / many
            );
        } else if let [(_, one)] = best[..] {
            println!("  best: {one:.2} s on 1 thread");
        }
        Ok(())
    }
}

/// `trama bench results`.
mod results {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use trama_campaign::ResponseRecord;
    use trama_i18n::Lang;
    use trama_store::campaigns::lifecycle::{CampaignInput, CampaignScope};
    use trama_web::{AppState, Settings};

    use super::answers::{cleanup, scratch_database};
    use crate::exit::{CliResult, Failure};

    /// The issue's target, server time, warm.
    const TARGET_MS: f64 = 200.0;

    #[derive(clap::Args, Debug)]
    pub struct ResultsArgs {
        /// Generated valid responses in the round (the seed's round had 306; a
        /// full national round about 4,000).
        #[arg(long, default_value_t = 4000)]
        responses: usize,
        /// Timed requests per page (after three warm-up requests).
        #[arg(long, default_value_t = 20)]
        requests: usize,
        #[arg(long, value_name = "DIR", conflicts_with = "database_url")]
        data_dir: Option<PathBuf>,
        #[arg(long, value_name = "URL")]
        database_url: Option<String>,
    }

    /// SplitMix64, so every run answers the same way.
    fn next(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub async fn run(args: ResultsArgs, lang: Lang) -> CliResult {
        let (store, database, scratch) =
            scratch_database(&args.database_url, &args.data_dir).await?;
        let outcome = measure(&store, &args, lang).await;
        store.close().await;
        cleanup(scratch).await;
        let rows = outcome?;
        println!(
            "results pages, {} responses, {database} (server time, warm, target < {TARGET_MS} ms)",
            args.responses
        );
        super::print_timings(&rows);
        Ok(())
    }

    async fn measure(
        store: &trama_store::Store,
        args: &ResultsArgs,
        lang: Lang,
    ) -> Result<Vec<super::Timing>, Failure> {
        let env = |e: trama_store::StoreError| Failure::store(lang, e);
        store.seed_demo().await.map_err(env)?;
        let stored = store.instrument("rme", None).await.map_err(env)?;
        let stored = stored.ok_or_else(|| Failure::env("the demo instrument is missing".into()))?;
        let now = trama_store::now();
        let id = store
            .create_campaign(
                &CampaignInput {
                    code: "bench-results".into(),
                    name: "Bench".into(),
                    year: 2026,
                    instrument_version_id: stored.version.id,
                    scope: CampaignScope::National,
                    opens_at: now - 86_400,
                    closes_at: now + 86_400,
                    reminder_days: Default::default(),
                    validity: Default::default(),
                },
                None,
            )
            .await
            .map_err(env)?;
        let campaign = store
            .campaign_by_id(id)
            .await
            .map_err(env)?
            .ok_or_else(|| Failure::env("campaign".into()))?;
        let networks: Vec<(String, String, String)> = (1..=15)
            .map(|i| {
                let (region, deprov) = match i {
                    1..=6 => ("5", "51"),
                    7..=11 => ("8", "81"),
                    _ => ("13", "131"),
                };
                (format!("RME{i}"), region.to_owned(), deprov.to_owned())
            })
            .collect();
        let items: Vec<String> = stored
            .instrument
            .rating_items()
            .iter()
            .map(|i| i.name.clone())
            .collect();
        let mut seed = 2026u64;
        let records: Vec<(u64, ResponseRecord)> = (0..args.responses)
            .map(|r| {
                let (network, region, deprov) = &networks[r % networks.len()];
                let answers: BTreeMap<String, String> = items
                    .iter()
                    .map(|i| {
                        let v = match next(&mut seed) % 20 {
                            0 => "NA".to_owned(),
                            x => (1 + x % 5).to_string(),
                        };
                        (i.clone(), v)
                    })
                    .collect();
                let record = ResponseRecord {
                    response_id: String::new(),
                    region: region.clone(),
                    deprov: deprov.clone(),
                    network: network.clone(),
                    role: "director".into(),
                    submitted_at: "2026-09-10T12:00:00Z".into(),
                    answers,
                };
                (r as u64 + 2, record)
            })
            .collect();
        store
            .import_responses(&campaign, &stored.instrument, &records)
            .await
            .map_err(env)?;
        let email = trama_domain::person::Email::parse("bench-results@trama.invalid")
            .map_err(|p| Failure::input(vec![p.render(lang)]))?;
        let user = store
            .upsert_user(
                &email,
                trama_domain::account::AccountRole::NationalCoordinator,
                None,
                &[],
                None,
            )
            .await
            .map_err(env)?;
        let token = store.create_api_token(user, "bench").await.map_err(env)?;
        let router = trama_web::router(AppState::new(store.clone(), Settings::default()));
        let mut rows = vec![];
        for path in [
            "/campaigns/bench-results/results",
            "/campaigns/bench-results/results/regions/8",
            "/campaigns/bench-results/results/networks/RME7",
            "/campaigns/bench-results/results/items/conf_1",
            // The PDFs: the same figures, typeset.
            "/campaigns/bench-results/results/report.pdf?lang=es",
            "/campaigns/bench-results/results/networks/RME7/report.pdf?lang=es",
        ] {
            rows.push(super::time_page(&router, &token, path, args.requests).await?);
        }
        Ok(rows)
    }
}

/// `trama bench answers`.
mod answers {
    use std::collections::BTreeMap;
    use std::net::SocketAddr;
    use std::path::PathBuf;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use hyper::client::conn::http1::SendRequest;
    use hyper_util::rt::TokioIo;
    use sqlx::Connection;
    use trama_campaign::{ReminderDays, ValidityRule};
    use trama_i18n::Lang;
    use trama_instrument::{ACUERDO5_VALUES, Instrument};
    use trama_store::campaigns::answering::LinkState;
    use trama_store::campaigns::invitations::LinkPurpose;
    use trama_store::campaigns::lifecycle::{CampaignInput, CampaignScope};
    use trama_store::{Backend, Store, StoreError};
    use trama_web::{AppState, Settings};

    use crate::exit::{CliResult, Failure};

    /// The issue's target on a 2-core machine.
    const TARGET_PER_SECOND: f64 = 1000.0;
    const TARGET_P99_MS: f64 = 100.0;

    #[derive(clap::Args, Debug, Clone)]
    pub struct AnswersArgs {
        /// Concurrent clients, each with its own invitation and keep-alive connection.
        #[arg(long, default_value_t = 100)]
        pub clients: usize,
        /// How long the clients keep saving pages.
        #[arg(long, default_value_t = 20)]
        pub seconds: u64,
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

    /// The database the run writes to, and how to clean it up afterwards.
    pub(super) enum Scratch {
        Kept,
        Dir(PathBuf),
        Schema { url: String, schema: String },
    }

    async fn open_database(args: &AnswersArgs) -> Result<(Store, String, Scratch), Failure> {
        scratch_database(&args.database_url, &args.data_dir).await
    }

    /// A database for a benchmark run: the PostgreSQL database given (in a
    /// fresh schema), the SQLite directory given, or a temporary one.
    pub(super) async fn scratch_database(
        database_url: &Option<String>,
        data_dir: &Option<PathBuf>,
    ) -> Result<(Store, String, Scratch), Failure> {
        let unreachable = |e: String| Failure::env(format!("database: {e}"));
        match (database_url, data_dir) {
            (Some(url), _) if url.starts_with("postgres") => {
                sqlx::any::install_default_drivers();
                let schema = format!("trama_bench_{}_{}", trama_store::now(), std::process::id());
                let mut conn = sqlx::AnyConnection::connect(url)
                    .await
                    .map_err(|e| unreachable(format!("{}: {e}", trama_store::redact(url))))?;
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(&mut conn)
                    .await
                    .map_err(|e| unreachable(e.to_string()))?;
                conn.close().await.ok();
                let sep = if url.contains('?') { '&' } else { '?' };
                let scoped = format!("{url}{sep}options=-c%20search_path%3D{schema}");
                let described = format!("{} (schema {schema})", trama_store::redact(url));
                let scratch = Scratch::Schema {
                    url: url.clone(),
                    schema,
                };
                match Store::open(&scoped).await {
                    Ok(store) => Ok((store, described, scratch)),
                    Err(e) => {
                        cleanup(scratch).await;
                        Err(unreachable(e.to_string()))
                    }
                }
            }
            (Some(url), _) => Store::open(url)
                .await
                .map(|s| (s, trama_store::redact(url), Scratch::Kept))
                .map_err(|e| unreachable(e.to_string())),
            (None, Some(dir)) => Store::open_dir(dir)
                .await
                .map(|s| (s, trama_store::sqlite_url_for_dir(dir), Scratch::Kept))
                .map_err(|e| unreachable(e.to_string())),
            (None, None) => {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or_default();
                let dir = std::env::temp_dir().join(format!(
                    "trama-bench-answers-{}-{nanos}",
                    std::process::id()
                ));
                let described = trama_store::sqlite_url_for_dir(&dir);
                match Store::open_dir(&dir).await {
                    Ok(s) => Ok((s, described, Scratch::Dir(dir))),
                    Err(e) => {
                        cleanup(Scratch::Dir(dir)).await;
                        Err(unreachable(e.to_string()))
                    }
                }
            }
        }
    }

    pub(super) async fn cleanup(scratch: Scratch) {
        match scratch {
            Scratch::Kept => {}
            Scratch::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Scratch::Schema { url, schema } => {
                if let Ok(mut conn) = sqlx::AnyConnection::connect(&url).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP SCHEMA IF EXISTS {schema} CASCADE"
                    )))
                    .execute(&mut conn)
                    .await;
                    conn.close().await.ok();
                }
            }
        }
    }

    /// Questionnaire pages made only of rating statements that are always
    /// shown: (page number, item names).
    fn rating_pages(instrument: &Instrument) -> Vec<(usize, Vec<String>)> {
        instrument
            .pages()
            .iter()
            .enumerate()
            .filter_map(|(i, page)| {
                let questions: Vec<_> = page.items.iter().filter(|i| i.is_question()).collect();
                let plain = !questions.is_empty()
                    && questions
                        .iter()
                        .all(|q| q.is_rating() && q.relevant.is_none() && q.constraint.is_none());
                let names = questions.iter().map(|q| q.name.clone()).collect();
                plain.then_some((i + 1, names))
            })
            .collect()
    }

    /// A small deterministic generator (SplitMix64): answers differ between
    /// clients and saves without another dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
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
        async fn send(
            &mut self,
            method: &str,
            path: &str,
            body: String,
        ) -> Result<StatusCode, String> {
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
        let mut rng = Rng(0x5EED ^ ((n as u64) << 20));
        let mut next_page = n % pages.len().max(1);
        while Instant::now() < deadline {
            let Some(c) = conn.as_mut() else {
                break;
            };
            let (page, items) = &pages[next_page];
            next_page = (next_page + 1) % pages.len();
            let values: Vec<(&String, &str)> = items
                .iter()
                .map(|i| (i, ACUERDO5_VALUES[rng.below(ACUERDO5_VALUES.len())]))
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

    /// Sets up a campaign with one invitation per client, runs the clients
    /// against the server on loopback and checks the database afterwards.
    async fn measure(
        store: &Store,
        database: String,
        args: &AnswersArgs,
    ) -> Result<Report, String> {
        let store_err = |e: StoreError| e.to_string();
        store.seed_demo().await.map_err(store_err)?;
        let version = store
            .instrument("rme", None)
            .await
            .map_err(store_err)?
            .ok_or("the demo data should include the RME questionnaire")?;
        let pages = rating_pages(&version.instrument);
        if pages.is_empty() {
            return Err("the RME questionnaire has no rating pages".into());
        }
        let t = trama_store::now();
        let code = format!("bench-answers-{t}");
        let campaign = store
            .create_campaign(
                &CampaignInput {
                    code: code.clone(),
                    name: format!("Bench {code}"),
                    year: trama_store::current_year(),
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
            .map_err(store_err)?;
        store
            .invite_from_registry(campaign)
            .await
            .map_err(store_err)?;
        store.open_campaign(campaign).await.map_err(store_err)?;
        let invited = store
            .recipients(campaign, false, false)
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

        let pages = Arc::new(pages);
        let start = Arc::new(tokio::sync::Barrier::new(args.clients + 1));
        let run_for = Duration::from_secs(args.seconds);
        let handles: Vec<_> = tokens
            .iter()
            .enumerate()
            .map(|(n, token)| {
                tokio::spawn(client(
                    n,
                    addr,
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
        let _ = stop.send(());
        let _ = server.await;

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
            target_met: saves_per_second >= TARGET_PER_SECOND
                && p99_ms < TARGET_P99_MS
                && errors == 0
                && mismatched == 0,
            mismatched,
            mismatches,
        })
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
                "Questionnaire page saves through personal links on {}",
                r.database
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
                "target ≥ {TARGET_PER_SECOND:.0} saves/s, p99 < {TARGET_P99_MS:.0} ms, no errors, every save found: {}",
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
}

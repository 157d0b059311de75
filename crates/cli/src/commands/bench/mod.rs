//! `trama bench …`: timings of the real code paths on generated data, one
//! module per benchmark (registry pages, `report likert`, results pages,
//! page saves through personal links, `sna metrics`); here the subcommands
//! and the timing table the in-server benchmarks share.

mod answers;
mod characterisation;
mod disclosure;
mod likert;
mod registry;
mod results;
mod scratch;
mod sna;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;
use trama_i18n::Lang;

use crate::exit::{CliResult, Failure};

#[derive(clap::Subcommand, Debug)]
pub enum Bench {
    /// Registry import and page/API latency on a synthetic registry.
    #[command(
        after_help = "Example:\n  trama bench registry --data-dir /tmp/trama-bench\n  trama bench registry --database-url postgres://postgres@127.0.0.1/test"
    )]
    Registry(registry::RegistryArgs),
    /// `report likert` on a generated responses file (default 1,000,000 × 50).
    #[command(after_help = "Example:\n  trama bench likert --rows 1000000 --items 50")]
    Likert(likert::LikertArgs),
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
    /// The national characterisation table and a network's profile on a
    /// synthetic country (500 networks by default).
    #[command(
        after_help = "Builds a synthetic registry (as `bench registry`), a national campaign with roster\nanswers and a year of sessions per network, then times the pages cold (first request)\nand warm, on a fresh database.\n\nExample:\n  cargo run --release -p trama -- bench characterisation\n  trama bench characterisation --database-url postgres://postgres@127.0.0.1/test"
    )]
    Characterisation(characterisation::CharacterisationArgs),
    /// Results pages, maps and PDFs on generated national rounds: warm, after a new answer, memory.
    #[command(
        after_help = "Loads a synthetic registry (--networks, 24 schools and 50 people each) and a national\nround of N generated responses (every rating item answered, seeded, written in batches),\nthen times each page inside the server: warm, and the first view after one new answer\n(each timed request preceded by one), with the server's resident memory. A list of sizes\nruns each on a fresh database and prints the growth.\n\nExample:\n  cargo run --release -p trama -- bench results --responses 4000,40000,400000\n  trama bench results --responses 40000 --database-url postgres://postgres@127.0.0.1/test"
    )]
    Results(results::ResultsArgs),
    /// The disclosure decision, the attack audit and the researchers'
    /// anonymisation on a generated national round (no database).
    #[command(
        after_help = "Example:\n  cargo run --release -p trama -- bench disclosure --networks 500 --responses 40000"
    )]
    Disclosure(disclosure::DisclosureArgs),
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
        let took = request(router, token, path).await?;
        if i >= 3 {
            samples.push(took);
        }
    }
    Ok(summarise(path, samples))
}

/// The server time of one GET of `path`; any status but success fails.
async fn request(router: &axum::Router, token: &str, path: &str) -> Result<Duration, Failure> {
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
    Ok(took)
}

/// An API token of a national coordinator named `email`, for timing pages
/// as the one who may read them all.
async fn national_token(
    store: &trama_store::Store,
    email: &str,
    lang: Lang,
) -> Result<String, Failure> {
    let env = |e: trama_store::StoreError| Failure::store(lang, e);
    let email = trama_domain::person::Email::parse(email)
        .map_err(|p| Failure::input(vec![p.render(lang)]))?;
    let user = store
        .write(async |tx| {
            tx.upsert_user(
                &email,
                trama_domain::account::AccountRole::NationalCoordinator,
                None,
                &[],
                None,
            )
            .await
        })
        .await
        .map_err(env)?;
    store
        .write(async |tx| tx.create_api_token(user, "bench").await)
        .await
        .map_err(env)
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
    match cmd {
        Bench::Registry(a) => registry::run(a, lang).await,
        Bench::Likert(a) => likert::run(a, lang).await,
        Bench::Answers(a) => answers::run(a, lang).await,
        Bench::Sna(a) => sna::run(a, lang),
        Bench::Results(a) => results::run(a, lang).await,
        Bench::Characterisation(a) => characterisation::run(a, lang).await,
        Bench::Disclosure(a) => disclosure::run(a, lang),
    }
}

//! `trama bench registry`: builds a country-sized registry through the real
//! import path, then times registry pages and API lists inside the server
//! (the handler, policy, queries and templates; no network), and reports
//! percentiles.

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

pub async fn run(cmd: Bench, lang: Lang) -> CliResult {
    let args = match cmd {
        Bench::Registry(a) => a,
        Bench::Likert(a) => return likert(a, lang).await,
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
        let mut samples = vec![];
        for i in 0..args.requests + 3 {
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
        timings.push(summarise(path, samples));
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
        println!(
            "{:<52} {:>5} {:>9} {:>9} {:>9}",
            "", "n", "p50 ms", "p95 ms", "max ms"
        );
        for t in &timings {
            println!(
                "{:<52} {:>5} {:>9.2} {:>9.2} {:>9.2}",
                t.what, t.n, t.p50_ms, t.p95_ms, t.max_ms
            );
        }
    }
    store.close().await;
    Ok(())
}

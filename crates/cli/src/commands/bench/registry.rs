//! `trama bench registry`: builds a country-sized registry through the real
//! import path, then times registry pages and API lists inside the server
//! (the handler, policy, queries and templates; no network), and reports
//! percentiles.

use std::time::Instant;

use trama_i18n::{Lang, t};
use trama_store::synth::{SynthSize, generate};
use trama_web::{AppState, Settings};

use super::{print_timings, summarise, time_page};
use crate::commands::db::DbArgs;
use crate::exit::{CliResult, Failure};

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

pub async fn run(args: RegistryArgs, lang: Lang) -> CliResult {
    let store = args.db.open(lang).await?;
    let mut timings = load_registry(
        &store,
        SynthSize {
            schools: args.schools,
            networks: args.networks,
            people: args.people,
            seed: 42,
        },
        lang,
    )
    .await?;
    let token = super::national_token(&store, "bench@trama.invalid", lang).await?;
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

/// Imports a synthetic registry of `size` through the real import path,
/// timing each file.
pub(super) async fn load_registry(
    store: &trama_store::Store,
    size: SynthSize,
    lang: Lang,
) -> Result<Vec<super::Timing>, Failure> {
    let env = |e: trama_store::StoreError| Failure::store(lang, e);
    let files = generate(size);
    let mut timings = vec![];
    let parse_fail = |_| Failure::env("synthetic file does not parse".into());

    let started = Instant::now();
    let rows = trama_import::directorio::parse("directorio.csv", files.directorio.as_bytes())
        .map_err(parse_fail)?;
    let summary = store
        .import_directorio(&rows, false, None)
        .await
        .map_err(env)?;
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
    store
        .import_memberships(&rows, false, None)
        .await
        .map_err(env)?;
    timings.push(summarise(
        &format!("import networks ({} rows)", rows.len()),
        vec![started.elapsed()],
    ));
    let started = Instant::now();
    let rows =
        trama_import::people::parse("personas.csv", files.people.as_bytes()).map_err(parse_fail)?;
    store.import_people(&rows, false, None).await.map_err(env)?;
    timings.push(summarise(
        &format!("import people ({} rows)", rows.len()),
        vec![started.elapsed()],
    ));

    Ok(timings)
}

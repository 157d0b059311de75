//! `trama bench characterisation`: the national characterisation table
//! and a network's profile on a synthetic country, timed cold (the first
//! request measures every network) and warm, inside the server.

use std::path::PathBuf;
use trama_i18n::Lang;
use trama_store::campaigns::lifecycle::{CampaignInput, CampaignScope};
use trama_store::synth::SynthSize;
use trama_web::{AppState, Settings};

use super::scratch::{cleanup, scratch_database};
use crate::exit::{CliResult, Failure};

/// The target, server time, warm.
const TARGET_MS: f64 = 200.0;

#[derive(clap::Args, Debug)]
pub struct CharacterisationArgs {
    #[arg(long, default_value_t = 500)]
    networks: u64,
    #[arg(long, default_value_t = 12_000)]
    schools: u64,
    #[arg(long, default_value_t = 25_000)]
    people: u64,
    /// Share of invitees who answer the roster (%).
    #[arg(long, default_value_t = 60)]
    respond: u64,
    /// Sessions logged per network.
    #[arg(long, default_value_t = 8)]
    sessions: u32,
    /// Timed requests per page (after three warm-up requests).
    #[arg(long, default_value_t = 20)]
    requests: usize,
    #[arg(long, value_name = "DIR", conflicts_with = "database_url")]
    data_dir: Option<PathBuf>,
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

pub async fn run(args: CharacterisationArgs, lang: Lang) -> CliResult {
    let (store, database, scratch) = scratch_database(&args.database_url, &args.data_dir).await?;
    let outcome = measure(&store, &args, lang).await;
    store.close().await;
    cleanup(scratch).await;
    let (facts, rows) = outcome?;
    println!(
        "characterisation, {} networks, {database}; {facts} (server time; warm target < {TARGET_MS} ms)",
        args.networks
    );
    super::print_timings(&rows);
    Ok(())
}

/// One request's server time, the first (cold) one.
async fn once(router: &axum::Router, token: &str, path: &str) -> Result<super::Timing, Failure> {
    let took = super::request(router, token, path).await?;
    Ok(super::summarise(&format!("{path} (cold)"), vec![took]))
}

async fn measure(
    store: &trama_store::Store,
    args: &CharacterisationArgs,
    lang: Lang,
) -> Result<(String, Vec<super::Timing>), Failure> {
    let env = |e: trama_store::StoreError| Failure::store(lang, e);
    super::registry::load_registry(
        store,
        SynthSize {
            schools: args.schools,
            networks: args.networks,
            people: args.people,
            seed: 42,
        },
        lang,
    )
    .await?;
    store.seed_demo().await.map_err(env)?;
    let stored = store
        .instrument("rme", None)
        .await
        .map_err(env)?
        .ok_or_else(|| Failure::env("the demo instrument is missing".into()))?;
    let now = trama_store::now();
    let year = trama_store::current_year();
    let id = store
        .write(async |tx| {
            let id = tx
                .create_campaign(
                    &CampaignInput {
                        code: "bench-char".into(),
                        name: "Bench".into(),
                        year,
                        instrument_version_id: stored.version.id,
                        scope: CampaignScope::National,
                        opens_at: now - 86_400,
                        closes_at: now + 86_400,
                        reminder_days: Default::default(),
                        validity: Default::default(),
                    },
                    None,
                )
                .await?;
            tx.invite_from_registry(id).await?;
            Ok(id)
        })
        .await
        .map_err(env)?;
    let round = store
        .seed_synthetic_round(id, args.respond, args.sessions, 7)
        .await
        .map_err(env)?;
    let facts = format!(
        "{} respondents, {} ties, {} sessions",
        round.respondents, round.ties, round.sessions
    );
    let token = super::national_token(store, "bench-char@trama.invalid", lang).await?;
    let router = trama_web::router(AppState::new(store.clone(), Settings::default()));
    let table = "/campaigns/bench-char/characterisation";
    let profile = "/networks/RME10/profile?campaign=bench-char";
    let mut rows = vec![once(&router, &token, table).await?];
    rows.push(super::time_page(&router, &token, table, args.requests).await?);
    rows.push(
        super::time_page(
            &router,
            &token,
            "/campaigns/bench-char/characterisation?region=8&sort=density",
            args.requests,
        )
        .await?,
    );
    rows.push(super::time_page(&router, &token, profile, args.requests).await?);
    Ok((facts, rows))
}

//! `trama bench results`: the results pages (national dashboard, network
//! report, their PDFs) on a generated national round, timed warm inside the
//! server.

use std::collections::BTreeMap;
use std::path::PathBuf;

use trama_campaign::ResponseRecord;
use trama_i18n::Lang;
use trama_stdx::rng::SplitMix64;
use trama_store::campaigns::lifecycle::{CampaignInput, CampaignScope};
use trama_web::{AppState, Settings};

use super::scratch::{cleanup, scratch_database};
use crate::exit::{CliResult, Failure};

/// The target, server time, warm.
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

pub async fn run(args: ResultsArgs, lang: Lang) -> CliResult {
    let (store, database, scratch) = scratch_database(&args.database_url, &args.data_dir).await?;
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
        .write(async |tx| {
            tx.create_campaign(
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
        })
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
    // Seeded, so every run answers the same way.
    let mut rng = SplitMix64::new(2026);
    let records: Vec<(u64, ResponseRecord)> = (0..args.responses)
        .map(|r| {
            let (network, region, deprov) = &networks[r % networks.len()];
            let answers: BTreeMap<String, String> = items
                .iter()
                .map(|i| {
                    let v = match rng.next_u64() % 20 {
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
    let token = super::national_token(store, "bench-results@trama.invalid", lang).await?;
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

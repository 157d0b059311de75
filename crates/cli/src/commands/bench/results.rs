//! `trama bench results`: the results pages (national dashboard, a region,
//! a network's report and map, an item, the PDFs) on generated national
//! rounds over a synthetic registry, timed inside the server warm and on
//! the first view after a new answer, with the server's resident memory;
//! several sizes in one run print the growth between them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use trama_campaign::ResponseRecord;
use trama_domain::policy::Scope;
use trama_i18n::Lang;
use trama_stdx::rng::SplitMix64;
use trama_store::campaigns::lifecycle::{Campaign, CampaignInput, CampaignScope};
use trama_store::registry::PageRequest;
use trama_store::synth::SynthSize;
use trama_web::{AppState, Settings};

use super::scratch::{Scratch, cleanup, scratch_database};
use crate::exit::{CliResult, Failure};

/// The targets at 40,000 responses, server time: warm, and the
/// first view after an answer.
const TARGET_WARM_MS: f64 = 50.0;
const TARGET_AFTER_MS: f64 = 100.0;
/// Responses generated and written per transaction.
const BATCH: usize = 10_000;
const ROLES: [&str; 3] = ["director", "jefe_utp", "docente"];

#[derive(clap::Args, Debug)]
pub struct ResultsArgs {
    /// Generated valid responses in the round; a list (4000,40000,400000)
    /// runs each size on a fresh database and prints the growth.
    #[arg(long, default_value = "4000", value_delimiter = ',')]
    responses: Vec<usize>,
    /// Networks of the synthetic registry the responses come from.
    #[arg(long, default_value_t = 500)]
    networks: u64,
    /// Timed requests per page, warm (after three warm-up requests) and
    /// after a new answer (each preceded by one).
    #[arg(long, default_value_t = 20)]
    requests: usize,
    #[arg(long, value_name = "DIR", conflicts_with = "database_url")]
    data_dir: Option<PathBuf>,
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

/// One size's figures.
struct Run {
    responses: usize,
    generated: Duration,
    rows: Vec<super::Timing>,
    rss_mb: f64,
    /// (what, seconds, peak resident MB) of each file command.
    files: Vec<(String, f64, f64)>,
}

/// Rows of the generated file `trama responses import` is timed on.
const IMPORT_ROWS: usize = 100_000;

pub async fn run(args: ResultsArgs, lang: Lang) -> CliResult {
    let mut runs = vec![];
    for &n in &args.responses {
        let (store, database, scratch) =
            scratch_database(&args.database_url, &args.data_dir).await?;
        let url = scratch_url(&args, &scratch);
        let outcome = measure(&store, &args, n, &url, lang).await;
        store.close().await;
        cleanup(scratch).await;
        let run = outcome?;
        println!(
            "results pages, {} responses over {} networks, {database} (generated in {:.1} s; \
             server time; targets at 40,000: warm < {TARGET_WARM_MS} ms, after an answer < {TARGET_AFTER_MS} ms)",
            run.responses,
            args.networks,
            run.generated.as_secs_f64()
        );
        super::print_timings(&run.rows);
        println!(
            "server resident memory {:.0} MB (peak so far {:.0} MB)",
            run.rss_mb,
            peak_rss_mb()
        );
        let w = run.files.iter().map(|f| f.0.len()).max().unwrap_or(0);
        println!("{:<w$} {:>9} {:>9}", "", "s", "peak MB");
        for (what, secs, mb) in &run.files {
            println!("{what:<w$} {secs:>9.2} {mb:>9.0}");
        }
        println!();
        runs.push(run);
    }
    if runs.len() > 1 {
        print_growth(&runs);
    }
    Ok(())
}

/// Each page's p50 at every size, and how many times the first size's.
fn print_growth(runs: &[Run]) {
    let w = runs[0].rows.iter().map(|t| t.what.len()).max().unwrap_or(0);
    print!("{:<w$}", "p50 ms (× first size)");
    for r in runs {
        print!(" {:>18}", r.responses);
    }
    println!();
    for (i, first) in runs[0].rows.iter().enumerate() {
        print!("{:<w$}", first.what);
        for r in runs {
            let t = &r.rows[i];
            print!(
                " {:>9.2} ({:>5.1}×)",
                t.p50_ms,
                t.p50_ms / first.p50_ms.max(1e-9)
            );
        }
        println!();
    }
    print!("{:<w$}", "resident MB");
    for r in runs {
        print!(" {:>18.0}", r.rss_mb);
    }
    println!();
}

/// The process's resident memory now, in MB (Linux; 0 elsewhere).
pub(super) fn rss_mb() -> f64 {
    status_kb("VmRSS:") / 1024.0
}

/// The process's peak resident memory, in MB (Linux; 0 elsewhere).
pub(super) fn peak_rss_mb() -> f64 {
    status_kb("VmHWM:") / 1024.0
}

fn status_kb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0.0)
}

/// (code, region, DEPROV) of every network of the registry.
async fn networks(
    store: &trama_store::Store,
    lang: Lang,
) -> Result<Vec<(String, String, String)>, Failure> {
    let mut out = vec![];
    for page in 1.. {
        let got = store
            .list_networks(
                &Default::default(),
                &Scope::All,
                PageRequest {
                    page: Some(page),
                    per_page: Some(200),
                },
            )
            .await
            .map_err(|e| Failure::store(lang, e))?;
        let done = got.items.len() < 200;
        out.extend(got.items.into_iter().map(|n| {
            (
                n.code,
                n.region_code.to_string(),
                n.deprov_code.map(|d| d.to_string()).unwrap_or_default(),
            )
        }));
        if done {
            break;
        }
    }
    Ok(out)
}

/// Seeded responses: every rating item answered, spread over the networks
/// and roles.
struct Generator {
    rng: SplitMix64,
    items: Vec<String>,
    networks: Vec<(String, String, String)>,
    made: usize,
}

impl Generator {
    fn record(&mut self) -> (u64, ResponseRecord) {
        let n = self.made;
        self.made += 1;
        let (network, region, deprov) =
            &self.networks[(self.rng.next_u64() % self.networks.len() as u64) as usize];
        let rng = &mut self.rng;
        let answers: BTreeMap<String, String> = self
            .items
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
            response_id: format!("b{n:07}"),
            region: region.clone(),
            deprov: deprov.clone(),
            network: network.clone(),
            role: ROLES[n % ROLES.len()].to_owned(),
            submitted_at: "2026-09-10T12:00:00Z".into(),
            answers,
        };
        (n as u64 + 2, record)
    }
}

/// The scratch database as a URL another process can open.
fn scratch_url(args: &ResultsArgs, scratch: &Scratch) -> String {
    match scratch {
        Scratch::Schema { url, schema } => trama_store::schema::scoped_url(url, schema),
        Scratch::Dir(dir) => trama_store::sqlite_url_for_dir(dir),
        Scratch::Kept => match (&args.database_url, &args.data_dir) {
            (Some(url), _) => url.clone(),
            (None, Some(dir)) => trama_store::sqlite_url_for_dir(dir),
            (None, None) => String::new(),
        },
    }
}

/// Runs this binary with `args` and returns its wall time and peak
/// resident memory (its high-water mark, read while it runs).
fn timed_child(args: &[&str]) -> Result<(f64, f64), Failure> {
    let exe = std::env::current_exe().map_err(|e| Failure::env(e.to_string()))?;
    let started = Instant::now();
    let mut child = std::process::Command::new(exe)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| Failure::env(e.to_string()))?;
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kb: f64 = 0.0;
    let done = loop {
        if let Some(kb) = std::fs::read_to_string(&status).ok().and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        }) {
            peak_kb = peak_kb.max(kb);
        }
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(Failure::env(e.to_string())),
        }
    };
    let took = started.elapsed().as_secs_f64();
    if !done.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        return Err(Failure::env(format!("trama {}: {err}", args.join(" "))));
    }
    Ok((took, peak_kb / 1024.0))
}

/// Export in every format and an import of a generated file, each as its
/// own `trama` process, timed, with its peak memory.
fn file_commands(
    generator: &mut Generator,
    instrument: &trama_instrument::Instrument,
    campaign: &str,
    url: &str,
    responses: usize,
) -> Result<Vec<(String, f64, f64)>, Failure> {
    let dir = tempfile::tempdir().map_err(|e| Failure::env(e.to_string()))?;
    let mut out = vec![];
    for format in ["csv", "xlsx", "sav"] {
        let file = dir.path().join(format!("out.{format}"));
        let file = file.to_string_lossy();
        let (secs, mb) = timed_child(&[
            "responses",
            "export",
            campaign,
            "--format",
            format,
            "-o",
            &file,
            "--database-url",
            url,
        ])?;
        out.push((
            format!("responses export --format {format} ({responses} rows)"),
            secs,
            mb,
        ));
    }
    let rows = IMPORT_ROWS.min(responses);
    let path = dir.path().join("import.csv");
    let fail = |e: trama_export::ExportError| Failure::env(e.to_string());
    let codebook = trama_campaign::codebook(instrument, Lang::Es).map_err(fail)?;
    let sink = std::fs::File::create(&path).map_err(|e| Failure::env(e.to_string()))?;
    let mut w =
        trama_export::CsvWriter::new(std::io::BufWriter::new(sink), &codebook).map_err(fail)?;
    for _ in 0..rows {
        let (_, r) = generator.record();
        w.write_row(&codebook.row_by(|name| r.value(name)))
            .map_err(fail)?;
    }
    w.finish().map_err(fail)?;
    let file = path.to_string_lossy();
    let (secs, mb) = timed_child(&[
        "responses",
        "import",
        campaign,
        &file,
        "--database-url",
        url,
    ])?;
    out.push((format!("responses import ({rows} rows)"), secs, mb));
    Ok(out)
}

async fn measure(
    store: &trama_store::Store,
    args: &ResultsArgs,
    responses: usize,
    url: &str,
    lang: Lang,
) -> Result<Run, Failure> {
    let env = |e: trama_store::StoreError| Failure::store(lang, e);
    super::registry::load_registry(
        store,
        SynthSize {
            schools: args.networks * 24,
            networks: args.networks,
            people: args.networks * 50,
            seed: 42,
        },
        lang,
    )
    .await?;
    store.seed_demo().await.map_err(env)?;
    let stored = store.instrument("rme", None).await.map_err(env)?;
    let stored = stored.ok_or_else(|| Failure::env("the demo instrument is missing".into()))?;
    let campaign = campaign(store, stored.version.id, lang).await?;
    // Who works with whom, for the map: the registry's people invited,
    // and most of them answering the roster.
    store
        .write(async |tx| tx.invite_from_registry(campaign.id).await)
        .await
        .map_err(env)?;
    store
        .seed_synthetic_round(campaign.id, 60, 0, 7)
        .await
        .map_err(env)?;
    let mut generator = Generator {
        rng: SplitMix64::new(2026),
        items: stored
            .instrument
            .rating_items()
            .iter()
            .map(|i| i.name.clone())
            .collect(),
        networks: networks(store, lang).await?,
        made: 0,
    };
    if generator.networks.is_empty() {
        return Err(Failure::env("the registry has no networks".into()));
    }
    let started = Instant::now();
    while generator.made < responses {
        let batch: Vec<(u64, ResponseRecord)> = (0..BATCH.min(responses - generator.made))
            .map(|_| generator.record())
            .collect();
        store
            .import_responses(&campaign, &stored.instrument, &batch)
            .await
            .map_err(env)?;
    }
    let generated = started.elapsed();
    let token = super::national_token(store, "bench-results@trama.invalid", lang).await?;
    let router = trama_web::router(AppState::new(store.clone(), Settings::default()));
    let (network, region, _) = generator.networks[0].clone();
    let c = &campaign.code;
    let pages = [
        format!("/campaigns/{c}/results"),
        format!("/campaigns/{c}/results/regions/{region}"),
        format!("/campaigns/{c}/results/networks/{network}"),
        format!("/campaigns/{c}/results/items/conf_1"),
        format!("/networks/{network}/map?campaign={c}"),
        // The PDFs: the same figures, typeset.
        format!("/campaigns/{c}/results/report.pdf?lang=es"),
        format!("/campaigns/{c}/results/networks/{network}/report.pdf?lang=es"),
    ];
    let mut rows = vec![];
    for path in &pages {
        rows.push(super::time_page(&router, &token, path, args.requests).await?);
        let mut after = vec![];
        for _ in 0..args.requests {
            let one = [generator.record()];
            store
                .import_responses(&campaign, &stored.instrument, &one)
                .await
                .map_err(env)?;
            after.push(super::request(&router, &token, path).await?);
        }
        rows.push(super::summarise(
            &format!("{path} (after an answer)"),
            after,
        ));
    }
    let rss_mb = rss_mb();
    let files = file_commands(&mut generator, &stored.instrument, c, url, responses)?;
    Ok(Run {
        responses,
        generated,
        rows,
        rss_mb,
        files,
    })
}

/// The national round the responses are imported into.
async fn campaign(
    store: &trama_store::Store,
    instrument_version_id: i64,
    lang: Lang,
) -> Result<Campaign, Failure> {
    let env = |e: trama_store::StoreError| Failure::store(lang, e);
    let now = trama_store::now();
    let id = store
        .write(async |tx| {
            tx.create_campaign(
                &CampaignInput {
                    code: "bench-results".into(),
                    name: "Bench".into(),
                    year: trama_store::current_year(),
                    instrument_version_id,
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
    store
        .campaign_by_id(id)
        .await
        .map_err(env)?
        .ok_or_else(|| Failure::env("campaign".into()))
}

//! `trama bench likert`: `report likert` on a generated responses file
//! (default 1,000,000 rows × 50 items): reading, the report by region, JSON.

use std::time::Instant;

use trama_i18n::Lang;

use crate::exit::{CliResult, Failure};

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

pub async fn run(args: LikertArgs, lang: Lang) -> CliResult {
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

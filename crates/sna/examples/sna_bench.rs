//! One timed run of the whole report on `random_network(N, M, SEED)`, for
//! comparing with python-igraph on the same graph and for measuring peak
//! memory (`/usr/bin/time -v`). Optionally writes the edge list (`source
//! target` per line, igraph's `Read_Edgelist` format) and the JSON report.
//!
//! `cargo run --release -p trama-sna --example sna_bench -- THREADS [EDGELIST.txt] [REPORT.json]`
//! (N = 10000, M = 50000, SEED = 2024, as in `benches/metrics.rs`; set
//! `SNA_BENCH_WEIGHTED=1` for weighted shortest paths).

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use trama_sna::{MetricOptions, metrics, random_network, write_json};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let threads: usize = args.first().and_then(|t| t.parse().ok()).unwrap_or(1);
    let net = random_network(10_000, 50_000, 2024);
    if let Some(path) = args.get(1) {
        let mut text = String::new();
        for a in net.arcs() {
            text.push_str(&format!("{} {}\n", a.source, a.target));
        }
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("{path}: {e}");
            return ExitCode::from(1);
        }
    }
    let start = Instant::now();
    let report = metrics(
        &net,
        &MetricOptions {
            threads,
            weighted: std::env::var_os("SNA_BENCH_WEIGHTED").is_some(),
            ..MetricOptions::default()
        },
    );
    let mut json = vec![];
    if let Err(e) = write_json(&report, &mut json) {
        eprintln!("{e}");
        return ExitCode::from(1);
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "threads={threads} whole report incl. JSON: {elapsed:.3} s ({} bytes)",
        json.len()
    );
    if let Some(path) = args.get(2)
        && let Err(e) = std::fs::File::create(path).and_then(|mut f| f.write_all(&json))
    {
        eprintln!("{path}: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

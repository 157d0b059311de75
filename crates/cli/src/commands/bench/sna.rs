//! `trama bench sna`: `trama sna metrics` (JSON) on a seeded random directed
//! graph, on one thread and on all cores, with wall time and peak memory.

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

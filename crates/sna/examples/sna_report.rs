//! Prints the JSON report of an edge list (and optional node list): the
//! quickest way to look at what the engine computes.
//!
//! `cargo run -p trama-sna --example sna_report -- EDGES.csv [NODES.csv] [--weighted] [--graphml|--gexf]`

use std::process::ExitCode;

use trama_i18n::Lang;
use trama_sna::{LoadOptions, MetricOptions, load, metrics, write_gexf, write_graphml, write_json};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let weighted = args.iter().any(|a| a == "--weighted");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(edges_path) = files.first() else {
        eprintln!("usage: sna_report EDGES.csv [NODES.csv] [--weighted]");
        return ExitCode::from(2);
    };
    let read = |p: &str| std::fs::read(p).map_err(|e| eprintln!("{p}: {e}"));
    let Ok(edges) = read(edges_path) else {
        return ExitCode::from(1);
    };
    let nodes = match files.get(1) {
        Some(p) => match read(p) {
            Ok(b) => Some(((*p).clone(), b)),
            Err(()) => return ExitCode::from(1),
        },
        None => None,
    };
    let net = match load(
        edges_path,
        &edges,
        nodes.as_ref().map(|(p, b)| (p.as_str(), b.as_slice())),
        &LoadOptions::default(),
    ) {
        Ok(n) => n,
        Err(errors) => {
            for e in errors {
                eprintln!("{}", e.render(Lang::En));
            }
            return ExitCode::from(1);
        }
    };
    let opts = MetricOptions {
        weighted,
        ..MetricOptions::default()
    };
    let report = metrics(&net, &opts);
    let out = &mut std::io::stdout().lock();
    let written = if args.iter().any(|a| a == "--graphml") {
        write_graphml(&net, &report, out)
    } else if args.iter().any(|a| a == "--gexf") {
        write_gexf(&net, &report, out)
    } else {
        write_json(&report, out)
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

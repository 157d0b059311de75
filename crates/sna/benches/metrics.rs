//! The whole metrics report on a seeded random directed graph of 10,000
//! nodes and 50,000 arcs (the speed target), on one and two threads.
//!
//! `cargo bench -p trama-sna --bench metrics`. For the comparison with
//! python-igraph's betweenness and peak memory, see `examples/sna_bench.rs`.

use std::sync::LazyLock;

use trama_sna::{MetricOptions, Network, metrics, random_network};

static NETWORK: LazyLock<Network> = LazyLock::new(|| random_network(10_000, 50_000, 2024));

fn main() {
    divan::main();
}

#[divan::bench(args = [1, 2], sample_count = 3, sample_size = 1)]
fn whole_report(bencher: divan::Bencher, threads: usize) {
    let net = &*NETWORK;
    let opts = MetricOptions {
        threads,
        ..MetricOptions::default()
    };
    bencher.bench(|| metrics(divan::black_box(net), &opts));
}

#[divan::bench(args = [1, 2], sample_count = 3, sample_size = 1)]
fn whole_report_weighted_paths(bencher: divan::Bencher, threads: usize) {
    let net = &*NETWORK;
    let opts = MetricOptions {
        threads,
        weighted: true,
        ..MetricOptions::default()
    };
    bencher.bench(|| metrics(divan::black_box(net), &opts));
}

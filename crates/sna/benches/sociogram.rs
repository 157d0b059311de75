//! Drawing a sociogram of 150 people and 1,500 ties, well above the ≤ 60
//! people of a school network, so that a page never waits on the layout.
//!
//! `cargo bench -p trama-sna --bench sociogram` (add `--features png` for the
//! rasteriser).

use std::sync::LazyLock;

use trama_sna::sociogram::{self, Hulls, Layout, LayoutOptions, Legend, SvgOptions};
use trama_sna::{MetricOptions, Network, Report, metrics, random_network};

static NETWORK: LazyLock<Network> = LazyLock::new(|| random_network(150, 1_500, 2024));
static REPORT: LazyLock<Report> = LazyLock::new(|| metrics(&NETWORK, &MetricOptions::default()));

fn main() {
    divan::main();
}

fn svg_options() -> SvgOptions {
    let mut o = SvgOptions::new("Bench", "150 people, 1,500 ties", Legend::keys());
    o.labels = NETWORK
        .ids()
        .iter()
        .map(|id| (id.clone(), format!("P{id}")))
        .collect();
    o.hulls = Hulls::Communities;
    o
}

fn layout(group_by: Option<&str>) -> Layout {
    let opts = LayoutOptions {
        group_by: group_by.map(str::to_owned),
        ..LayoutOptions::default()
    };
    sociogram::layout(divan::black_box(&NETWORK), &opts).unwrap_or_else(|e| panic!("{e}"))
}

#[divan::bench(sample_count = 20)]
fn layout_only() -> Layout {
    layout(None)
}

#[divan::bench(sample_count = 20)]
fn layout_grouped_by_school() -> Layout {
    layout(Some("school"))
}

#[divan::bench(sample_count = 20)]
fn layout_and_svg(bencher: divan::Bencher) {
    let opts = svg_options();
    bencher.bench(|| {
        let l = layout(None);
        sociogram::render_svg(&NETWORK, &REPORT, &l, &opts).unwrap_or_else(|e| panic!("{e}"))
    });
}

/// A second wave: the first 120 people keep their places, 30 are new.
#[divan::bench(sample_count = 20)]
fn next_wave_layout(bencher: divan::Bencher) {
    let first = layout(None);
    let previous = first
        .positions
        .into_iter()
        .filter(|(id, _)| id.parse::<usize>().is_ok_and(|n| n < 120))
        .collect();
    let opts = LayoutOptions {
        previous,
        ..LayoutOptions::default()
    };
    bencher.bench(|| sociogram::layout(&NETWORK, &opts).unwrap_or_else(|e| panic!("{e}")));
}

#[divan::bench(sample_count = 20)]
fn svg_only(bencher: divan::Bencher) {
    let l = layout(None);
    let opts = svg_options();
    bencher.bench(|| {
        sociogram::render_svg(&NETWORK, &REPORT, &l, &opts).unwrap_or_else(|e| panic!("{e}"))
    });
}

/// PNG 1,200 pixels wide of a school-sized network (60 people, 300 ties)
/// and of the bench network.
#[cfg(feature = "png")]
#[divan::bench(args = [60, 150], sample_count = 5)]
fn png_1200_wide(bencher: divan::Bencher, people: usize) {
    let net = if people == 150 {
        NETWORK.clone()
    } else {
        random_network(people, 5 * people, 2024)
    };
    let report = metrics(&net, &MetricOptions::default());
    let l = sociogram::layout(&net, &LayoutOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut opts = svg_options();
    opts.labels.retain(|id, _| net.index_of(id).is_some());
    let svg = sociogram::render_svg(&net, &report, &l, &opts).unwrap_or_else(|e| panic!("{e}"));
    bencher.bench(|| sociogram::svg_to_png(&svg, 1200).unwrap_or_else(|e| panic!("{e}")));
}

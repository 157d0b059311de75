//! `trama sna metrics`: the social network analysis of an edge list (and an
//! optional node list) as JSON, GraphML or GEXF. Files only, no database.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use trama_i18n::Lang;
use trama_sna::{LoadOptions, Merge, MetricOptions, Symmetrize};

use super::report::{read_file, write_output};
use crate::exit::{CliResult, Failure};

#[derive(clap::Subcommand, Debug)]
pub enum Sna {
    /// Network metrics as NetworkX defines them: density, reciprocity,
    /// components, centralities, E-I index per attribute, Louvain communities.
    #[command(
        after_help = "Edge list: `source,target[,weight]` (weight 1 when absent). Node list: `id` plus\nattribute columns; a node only in the node list is an isolate.\n\nExamples:\n  trama sna metrics --edges lazos.csv --nodes personas.csv --format json -o red.json\n  trama sna metrics --edges lazos.csv --min-weight 3 --symmetrize mutual --format gexf -o red.gexf"
    )]
    Metrics(MetricsArgs),
}

#[derive(clap::Args, Debug)]
pub struct MetricsArgs {
    /// Edge list: `source,target[,weight]`.
    #[arg(long, value_name = "E.csv")]
    edges: PathBuf,
    /// Node list: `id` plus categorical attribute columns.
    #[arg(long, value_name = "N.csv")]
    nodes: Option<PathBuf>,
    /// Keep only ties with weight >= W (after merging duplicates).
    #[arg(long, value_name = "W", value_parser = finite)]
    min_weight: Option<f64>,
    /// `json`: the report (graph, communities, node metrics); `graphml` or
    /// `gexf` (opens in Gephi): the network with its attributes, tie weights
    /// and every node metric.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write here instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Make ties symmetric: `mutual` keeps ties named both ways (weaker weight),
    /// `any` keeps ties named either way (stronger weight).
    #[arg(long, value_enum)]
    symmetrize: Option<SymmetrizeArg>,
    /// Combine rows that repeat an arc instead of refusing them.
    #[arg(long, value_enum)]
    merge_duplicates: Option<MergeArg>,
    /// Drop rows whose source is their target instead of refusing them.
    #[arg(long)]
    drop_self_loops: bool,
    /// Shortest paths with length 1/weight, so strong ties are short
    /// (betweenness, closeness, harmonic, mean distance, diameter).
    #[arg(long)]
    weighted: bool,
    /// Seed of the community detection: the same seed, the same partition.
    #[arg(long, default_value_t = MetricOptions::default().seed)]
    seed: u64,
    /// Threads for shortest paths (default: all cores); results do not depend on it.
    #[arg(long, value_name = "N")]
    threads: Option<NonZeroUsize>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Graphml,
    Gexf,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum SymmetrizeArg {
    Mutual,
    Any,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum MergeArg {
    Sum,
    Max,
}

/// A NaN or infinite threshold would silently keep or drop every tie.
fn finite(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(w) if w.is_finite() => Ok(w),
        _ => Err(format!("{s:?} is not a finite number")),
    }
}

/// Every core the machine offers, for commands whose default is "all".
pub(crate) fn all_cores() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Everything `trama sna metrics` computes, from the files' bytes to the
/// output's: `trama bench sna` times this same function.
/// Problems in the files are rendered in `lang`, one line each.
pub(crate) fn analyse(
    lang: Lang,
    edges: (&str, &[u8]),
    nodes: Option<(&str, &[u8])>,
    load: &LoadOptions,
    metrics: &MetricOptions,
    format: Format,
) -> Result<Vec<u8>, Failure> {
    let net = trama_sna::load(edges.0, edges.1, nodes, load)
        .map_err(|errors| Failure::input(trama_tabular::report::lines(&errors, lang)))?;
    let report = trama_sna::metrics(&net, metrics);
    let mut out = vec![];
    match format {
        Format::Json => trama_sna::write_json(&report, &mut out),
        Format::Graphml => trama_sna::write_graphml(&net, &report, &mut out),
        Format::Gexf => trama_sna::write_gexf(&net, &report, &mut out),
    }
    .map_err(|e| Failure::env(e.to_string()))?;
    Ok(out)
}

pub fn run(cmd: Sna, lang: Lang) -> CliResult {
    let Sna::Metrics(args) = cmd;
    let edges = read_file(lang, &args.edges)?;
    let nodes = args
        .nodes
        .as_ref()
        .map(|p| read_file(lang, p))
        .transpose()?;
    let load = LoadOptions {
        min_weight: args.min_weight,
        merge_duplicates: args.merge_duplicates.map(|m| match m {
            MergeArg::Sum => Merge::Sum,
            MergeArg::Max => Merge::Max,
        }),
        drop_self_loops: args.drop_self_loops,
        symmetrize: args.symmetrize.map(|s| match s {
            SymmetrizeArg::Mutual => Symmetrize::Mutual,
            SymmetrizeArg::Any => Symmetrize::Any,
        }),
    };
    let metrics = MetricOptions {
        weighted: args.weighted,
        seed: args.seed,
        threads: args.threads.map_or_else(all_cores, NonZeroUsize::get),
        ..MetricOptions::default()
    };
    let out = analyse(
        lang,
        (&edges.0, &edges.1),
        nodes.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
        &load,
        &metrics,
        args.format,
    )?;
    write_output(&args.output, &out)
}

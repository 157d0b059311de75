//! The metrics report. Every definition is NetworkX's (named on each field),
//! so a researcher can check any number with a few lines of Python.

mod community;
mod components;
mod ei;
mod heap;
mod pagerank;
mod paths;
mod structure;

use serde::Serialize;

use crate::graph::Graph;
use crate::network::Network;
use crate::ordered::OrderedMap;

/// Options for [`metrics`].
#[derive(Debug, Clone, PartialEq)]
pub struct MetricOptions {
    /// Shortest paths (betweenness, closeness, harmonic, mean distance,
    /// diameter) use length `1 / weight` instead of one hop per arc, so
    /// strong ties are short. Zero-weight arcs then carry no path.
    /// PageRank and communities always use the weights.
    pub weighted: bool,
    /// Seed of the community detection; the same seed gives the same partition.
    pub seed: u64,
    /// Threads for the shortest-path pass; results do not depend on it.
    pub threads: usize,
    /// Louvain resolution γ (1 is standard modularity).
    pub resolution: f64,
    /// PageRank damping factor α.
    pub damping: f64,
}

impl Default for MetricOptions {
    fn default() -> Self {
        Self {
            weighted: false,
            seed: 42,
            threads: 1,
            resolution: 1.0,
            damping: 0.85,
        }
    }
}

/// Per-node metrics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeMetrics {
    pub in_degree: usize,
    pub out_degree: usize,
    /// Sum of incoming weights (`G.in_degree(weight="weight")`).
    pub in_strength: f64,
    pub out_strength: f64,
    /// `nx.betweenness_centrality(G, normalized=True)`, directed.
    pub betweenness: f64,
    /// `nx.closeness_centrality(G)`: incoming distances, Wasserman–Faust.
    pub closeness: f64,
    /// `nx.harmonic_centrality(G)`: Σ 1/d(u, v) over the nodes u reaching v.
    pub harmonic: f64,
    /// `nx.pagerank(G, alpha, weight="weight")`, solved to machine precision.
    pub pagerank: f64,
    /// Index of the node's community in [`Communities`].
    pub community: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Communities {
    pub algorithm: &'static str,
    pub seed: u64,
    pub resolution: f64,
    pub count: usize,
    /// `nx.community.modularity` of this partition on the undirected view
    /// (reciprocal weights summed); `null` when there is no tie weight at all.
    pub modularity: Option<f64>,
    /// Node id → community, communities numbered 0.. by first member.
    pub membership: OrderedMap<usize>,
}

/// Who answered, when the nodes file has a `responded` column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Respondents {
    pub count: usize,
    /// Respondents over all nodes.
    pub response_rate: Option<f64>,
    /// `nx.overall_reciprocity` of the subgraph induced by respondents: a tie
    /// between two respondents had both chances to be reciprocated.
    pub reciprocity: Option<f64>,
}

/// Holland and Leinhardt's dyad census.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dyads {
    pub mutual: usize,
    pub asymmetric: usize,
    pub null: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub nodes: usize,
    /// Arcs.
    pub edges: usize,
    /// `nx.density`: m / (n(n−1)).
    pub density: f64,
    /// `nx.overall_reciprocity`: share of arcs whose reverse exists; `null`
    /// without arcs.
    pub reciprocity: Option<f64>,
    /// Mutual pairs over connected pairs.
    pub dyadic_reciprocity: Option<f64>,
    pub dyads: Dyads,
    /// `nx.transitivity` of the undirected view.
    pub transitivity: f64,
    pub weak_components: usize,
    pub strong_components: usize,
    /// Nodes in the largest weak component.
    pub largest_component: usize,
    /// Ids of nodes with no arc, sorted.
    pub isolates: Vec<String>,
    /// Freeman's, on the undirected view; `null` below three nodes.
    pub degree_centralization: Option<f64>,
    /// Mean directed distance over the ordered pairs (u, v) of the largest
    /// weak component where v is reachable from u; equals
    /// `nx.average_shortest_path_length` when that component is strongly
    /// connected.
    pub mean_distance: Option<f64>,
    /// Longest such distance (`nx.diameter` when strongly connected).
    pub diameter: Option<f64>,
    pub weighted: bool,
    /// Present when the nodes carry a `responded` attribute. Betweenness and
    /// centralization are fragile when many did not answer; in-degree and
    /// closeness hold up better.
    pub respondents: Option<Respondents>,
    /// E-I index per attribute, in column order; `null` when no arc joins two
    /// nodes that both have a value.
    pub ei_index: OrderedMap<Option<f64>>,
    pub communities: Communities,
    pub node_metrics: OrderedMap<NodeMetrics>,
}

/// Computes every metric of `net`. Cost is dominated by one shortest-path
/// search per node: O(n·m) unweighted, O(n·m·log n) weighted.
pub fn metrics(net: &Network, opts: &MetricOptions) -> Report {
    let g = Graph::new(net);
    let n = g.n;
    let m = net.arcs().len();

    let (mutual, asymmetric) = structure::dyads(&g);
    let all_pairs = (n as u64) * (n as u64).saturating_sub(1) / 2;
    let comps = components::components(&g);
    let lengths: Option<Vec<f64>> = opts.weighted.then(|| {
        g.out
            .weights
            .iter()
            .map(|&w| if w > 0.0 { 1.0 / w } else { f64::INFINITY })
            .collect()
    });
    let paths = paths::path_metrics(&g, lengths.as_deref(), &comps.in_largest, opts.threads);
    let pagerank = pagerank::pagerank(&g, opts.damping);
    let partition = community::louvain(&g.und, n, opts.seed, opts.resolution);

    let ids = net.ids();
    let mut isolates: Vec<String> = (0..n)
        .filter(|&v| g.out.degree(v) + g.inc.degree(v) == 0)
        .map(|v| ids[v].clone())
        .collect();
    isolates.sort_unstable();

    let node_metrics = (0..n)
        .map(|v| {
            (
                ids[v].clone(),
                NodeMetrics {
                    in_degree: g.inc.degree(v),
                    out_degree: g.out.degree(v),
                    in_strength: g.inc.weights(v).iter().sum(),
                    out_strength: g.out.weights(v).iter().sum(),
                    betweenness: paths.betweenness[v],
                    closeness: paths.closeness[v],
                    harmonic: paths.harmonic[v],
                    pagerank: pagerank[v],
                    community: partition.membership[v],
                },
            )
        })
        .collect();

    Report {
        nodes: n,
        edges: m,
        density: structure::density(n, m),
        reciprocity: structure::reciprocity(mutual, m),
        dyadic_reciprocity: structure::dyadic_reciprocity(mutual, asymmetric),
        dyads: Dyads {
            mutual,
            asymmetric,
            null: all_pairs - (mutual + asymmetric) as u64,
        },
        transitivity: structure::transitivity(&g),
        weak_components: comps.weak,
        strong_components: comps.strong,
        largest_component: comps.in_largest.iter().filter(|&&b| b).count(),
        isolates,
        degree_centralization: structure::degree_centralization(&g),
        mean_distance: paths.mean_distance,
        diameter: paths.diameter,
        weighted: opts.weighted,
        respondents: respondents(net),
        ei_index: OrderedMap(
            net.attributes()
                .iter()
                .map(|a| (a.name.clone(), ei::ei_index(net, a)))
                .collect(),
        ),
        communities: Communities {
            algorithm: "louvain",
            seed: opts.seed,
            resolution: opts.resolution,
            count: partition.count,
            modularity: partition.modularity,
            membership: OrderedMap(
                (0..n)
                    .map(|v| (ids[v].clone(), partition.membership[v]))
                    .collect(),
            ),
        },
        node_metrics: OrderedMap(node_metrics),
    }
}

fn respondents(net: &Network) -> Option<Respondents> {
    let attr = net
        .attributes()
        .iter()
        .find(|a| a.name == crate::RESPONDED)?;
    let answered: Vec<bool> = attr
        .values
        .iter()
        .map(|v| v.as_deref() == Some("1"))
        .collect();
    let count = answered.iter().filter(|&&a| a).count();
    let n = net.node_count();
    let among: std::collections::HashSet<(usize, usize)> = net
        .arcs()
        .iter()
        .filter(|a| answered[a.source] && answered[a.target])
        .map(|a| (a.source, a.target))
        .collect();
    let mutual_arcs = among
        .iter()
        .filter(|(s, t)| among.contains(&(*t, *s)))
        .count();
    Some(Respondents {
        count,
        response_rate: (n > 0).then(|| count as f64 / n as f64),
        reciprocity: (!among.is_empty()).then(|| mutual_arcs as f64 / among.len() as f64),
    })
}

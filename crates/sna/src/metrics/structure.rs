//! Whole-graph descriptors that need no shortest paths: density,
//! reciprocity, transitivity and degree centralization, each computed as
//! NetworkX defines it.

use crate::graph::Graph;

/// `nx.density` of a directed graph: m / (n(n−1)), 0 for fewer than two nodes.
pub(crate) fn density(n: usize, m: usize) -> f64 {
    if n <= 1 {
        return 0.0;
    }
    m as f64 / (n as f64 * (n as f64 - 1.0))
}

/// Dyad census: (mutual pairs, asymmetric pairs).
pub(crate) fn dyads(g: &Graph) -> (usize, usize) {
    let reciprocated_arcs = (0..g.n)
        .map(|v| {
            g.out
                .neighbors(v)
                .iter()
                .filter(|&&w| g.out.has_edge(w as usize, v))
                .count()
        })
        .sum::<usize>();
    let m = g.out.targets.len();
    (reciprocated_arcs / 2, m - reciprocated_arcs)
}

/// `nx.overall_reciprocity`: the share of arcs whose reverse is present.
/// NetworkX raises on an empty graph; here that is `None`.
pub(crate) fn reciprocity(mutual: usize, m: usize) -> Option<f64> {
    (m > 0).then(|| (2 * mutual) as f64 / m as f64)
}

/// Mutual pairs over connected pairs (igraph's `mode="ratio"`).
pub(crate) fn dyadic_reciprocity(mutual: usize, asymmetric: usize) -> Option<f64> {
    let connected = mutual + asymmetric;
    (connected > 0).then(|| mutual as f64 / connected as f64)
}

/// `nx.transitivity(G.to_undirected())`: 3 × triangles / connected triples.
pub(crate) fn transitivity(g: &Graph) -> f64 {
    let mut mark = vec![false; g.n];
    // Each triangle is counted 6 times, each triple (centre + ordered pair) twice.
    let mut closed: u64 = 0;
    let mut triples: u64 = 0;
    for v in 0..g.n {
        let nv = g.und.neighbors(v);
        let d = nv.len() as u64;
        triples += d * d.saturating_sub(1);
        for &w in nv {
            mark[w as usize] = true;
        }
        for &w in nv {
            closed += g
                .und
                .neighbors(w as usize)
                .iter()
                .filter(|&&x| mark[x as usize])
                .count() as u64;
        }
        for &w in nv {
            mark[w as usize] = false;
        }
    }
    if closed == 0 {
        0.0
    } else {
        closed as f64 / triples as f64
    }
}

/// Freeman's degree centralization of the undirected view:
/// Σ (max deg − deg) / ((n−1)(n−2)); undefined below three nodes.
pub(crate) fn degree_centralization(g: &Graph) -> Option<f64> {
    if g.n < 3 {
        return None;
    }
    let degrees: Vec<usize> = (0..g.n).map(|v| g.und.degree(v)).collect();
    let max = degrees.iter().copied().max().unwrap_or(0);
    let total: usize = degrees.iter().map(|d| max - d).sum();
    Some(total as f64 / ((g.n as f64 - 1.0) * (g.n as f64 - 2.0)))
}

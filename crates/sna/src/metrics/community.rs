//! Louvain communities on the undirected view, and modularity computed as
//! `nx.community.modularity` computes it.
//!
//! The undirected view sums the weights of reciprocal arcs. NetworkX's
//! `DiGraph.to_undirected()` instead keeps the attributes of whichever arc it
//! meets last, so a 5-strength tie answered with 1 could weigh 1 or 5
//! depending on file order; the sum is order-free and counts both answers.
//!
//! Node visiting order is shuffled with the seed at every level, as NetworkX
//! does, so a given seed always gives the same partition.

use trama_stdx::rng::SplitMix64;

use crate::graph::Csr;

/// NetworkX's default: a level must raise modularity by more than this.
const THRESHOLD: f64 = 1e-7;
/// Bounds the local-moving passes in case rounding makes two moves undo
/// each other forever.
const MAX_PASSES: usize = 1_000;

pub(crate) struct Partition {
    /// Community of each node, numbered by first appearance in node order.
    pub(crate) membership: Vec<usize>,
    pub(crate) count: usize,
    /// `None` when the graph has no weight at all (modularity undefined).
    pub(crate) modularity: Option<f64>,
}

/// A level of the aggregation: symmetric weighted adjacency without
/// self-loops, plus each node's self-loop weight (its internal weight).
struct Level {
    adj: Vec<Vec<(usize, f64)>>,
    internal: Vec<f64>,
}

impl Level {
    fn degree(&self, v: usize) -> f64 {
        self.adj[v].iter().map(|&(_, w)| w).sum::<f64>() + 2.0 * self.internal[v]
    }
}

pub(crate) fn louvain(und: &Csr, n: usize, seed: u64, resolution: f64) -> Partition {
    let mut level = Level {
        adj: (0..n)
            .map(|v| {
                und.neighbors(v)
                    .iter()
                    .zip(und.weights(v))
                    .map(|(&w, &wt)| (w as usize, wt))
                    .collect()
            })
            .collect(),
        internal: vec![0.0; n],
    };
    let two_m: f64 = (0..n).map(|v| level.degree(v)).sum();
    let mut membership: Vec<usize> = (0..n).collect();
    if two_m <= 0.0 {
        return Partition {
            count: n,
            membership,
            modularity: None,
        };
    }
    let mut rng = SplitMix64::new(seed);
    let mut current = modularity(und, &membership, resolution);
    loop {
        let (local, moved) = move_nodes(&level, two_m, resolution, &mut rng);
        if !moved {
            break;
        }
        let (renumbered, count) = renumber(&local);
        // Level node v joined community `local[v]`, now numbered `renumbered[..]`.
        let level_community: Vec<usize> = local.iter().map(|&c| renumbered[c]).collect();
        let candidate: Vec<usize> = membership.iter().map(|&v| level_community[v]).collect();
        let q = modularity(und, &candidate, resolution);
        if q - current <= THRESHOLD {
            // NetworkX returns this last level too; only a level that rounding
            // made worse is dropped.
            if q > current {
                membership = candidate;
            }
            break;
        }
        membership = candidate;
        current = q;
        level = aggregate(&level, &level_community, count);
    }
    let (renumbered, count) = renumber(&membership);
    let membership: Vec<usize> = membership.iter().map(|&c| renumbered[c]).collect();
    let modularity = Some(modularity(und, &membership, resolution));
    Partition {
        membership,
        count,
        modularity,
    }
}

/// One round of local moving until no node wants to move. Returns each
/// level node's community and whether anything moved.
fn move_nodes(
    level: &Level,
    two_m: f64,
    resolution: f64,
    rng: &mut SplitMix64,
) -> (Vec<usize>, bool) {
    let n = level.adj.len();
    let degree: Vec<f64> = (0..n).map(|v| level.degree(v)).collect();
    let mut community: Vec<usize> = (0..n).collect();
    let mut total = degree.clone();
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut link = vec![0.0f64; n];
    let mut is_touched = vec![false; n];
    let mut touched: Vec<usize> = vec![];
    let mut moved_any = false;
    for _ in 0..MAX_PASSES {
        let mut moved = false;
        for &v in &order {
            let own = community[v];
            for &(w, wt) in &level.adj[v] {
                let c = community[w];
                if !is_touched[c] {
                    is_touched[c] = true;
                    touched.push(c);
                }
                link[c] += wt;
            }
            total[own] -= degree[v];
            // Gain of joining c, up to terms common to every choice:
            // k_v,in(c) − γ Σtot(c) k_v / 2m.
            let gain = |c: usize| link[c] - resolution * total[c] * degree[v] / two_m;
            let mut best = own;
            let mut best_gain = gain(own);
            for &c in &touched {
                let g = gain(c);
                if g > best_gain {
                    best = c;
                    best_gain = g;
                }
            }
            total[best] += degree[v];
            community[v] = best;
            if best != own {
                moved = true;
            }
            for &c in &touched {
                link[c] = 0.0;
                is_touched[c] = false;
            }
            touched.clear();
        }
        if !moved {
            break;
        }
        moved_any = true;
    }
    (community, moved_any)
}

/// Maps labels to 0.. in order of first appearance.
fn renumber(labels: &[usize]) -> (Vec<usize>, usize) {
    let size = labels.iter().copied().max().map_or(0, |m| m + 1);
    let mut map = vec![usize::MAX; size];
    let mut next = 0;
    for &l in labels {
        if map[l] == usize::MAX {
            map[l] = next;
            next += 1;
        }
    }
    (map, next)
}

fn aggregate(level: &Level, community: &[usize], count: usize) -> Level {
    let mut members: Vec<Vec<usize>> = vec![vec![]; count];
    for (v, &c) in community.iter().enumerate() {
        members[c].push(v);
    }
    let mut internal = vec![0.0; count];
    let mut adj = vec![vec![]; count];
    let mut link = vec![0.0f64; count];
    let mut is_touched = vec![false; count];
    let mut touched: Vec<usize> = vec![];
    for (c, nodes) in members.iter().enumerate() {
        for &v in nodes {
            internal[c] += level.internal[v];
            for &(w, wt) in &level.adj[v] {
                let d = community[w];
                if d == c {
                    // Each internal edge is met from both ends; count it once.
                    if v < w {
                        internal[c] += wt;
                    }
                } else {
                    if !is_touched[d] {
                        is_touched[d] = true;
                        touched.push(d);
                    }
                    link[d] += wt;
                }
            }
        }
        touched.sort_unstable();
        adj[c] = touched.iter().map(|&d| (d, link[d])).collect();
        for &d in &touched {
            link[d] = 0.0;
            is_touched[d] = false;
        }
        touched.clear();
    }
    Level { adj, internal }
}

/// `nx.community.modularity(G, communities, weight="weight", resolution)` on
/// the undirected view: Σ_c L_c / m − γ (Σ_{v∈c} k_v)² / (2m)².
pub(crate) fn modularity(und: &Csr, membership: &[usize], resolution: f64) -> f64 {
    let n = membership.len();
    let count = membership.iter().copied().max().map_or(0, |m| m + 1);
    let mut inside = vec![0.0f64; count];
    let mut degree_sum = vec![0.0f64; count];
    let mut total_degree = 0.0;
    for v in 0..n {
        let c = membership[v];
        for (&w, &wt) in und.neighbors(v).iter().zip(und.weights(v)) {
            degree_sum[c] += wt;
            total_degree += wt;
            if (w as usize) > v && membership[w as usize] == c {
                inside[c] += wt;
            }
        }
    }
    let m = total_degree / 2.0;
    let norm = 1.0 / (total_degree * total_degree);
    (0..count)
        .map(|c| inside[c] / m - resolution * degree_sum[c] * degree_sum[c] * norm)
        .sum()
}

//! Everything that needs all shortest paths, from one Brandes pass per source:
//! betweenness (`nx.betweenness_centrality`, normalised), closeness
//! (`nx.closeness_centrality`, incoming distances, Wasserman–Faust) and
//! harmonic centrality (`nx.harmonic_centrality`, incoming distances), plus
//! the mean distance and diameter of the largest weak component.
//!
//! A search from `s` gives d(s, t) for every `t`: that is an *incoming*
//! distance of `t`, so closeness and harmonic come for free.
//!
//! Sources are dealt round-robin into a fixed number of chunks, whatever the
//! thread count, and chunk results are added in chunk order: the numbers are
//! bit-for-bit the same with one thread or many.
//!
//! This is where the time goes (n searches over m arcs), so the layout is
//! chosen for the cache: the adjacency is flat (CSR), each thread allocates
//! its scratch space once and resets only what a search touched, and what
//! one node needs at one moment sits in one struct rather than in parallel
//! vectors.

use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

use super::heap::IndexedHeap;
use crate::graph::Graph;

const CHUNKS: usize = 16;

pub(crate) struct PathMetrics {
    pub(crate) betweenness: Vec<f64>,
    pub(crate) closeness: Vec<f64>,
    pub(crate) harmonic: Vec<f64>,
    pub(crate) mean_distance: Option<f64>,
    pub(crate) diameter: Option<f64>,
}

/// What the searches of one chunk add up for one node as a target. Side by
/// side because every reached node receives all four updates at once.
#[derive(Debug, Clone, Copy, Default)]
struct TargetSums {
    betweenness: f64,
    distance_sum: f64,
    harmonic: f64,
    reached_from: u64,
}

/// Sums over the sources of one chunk.
struct Acc {
    nodes: Vec<TargetSums>,
    largest_sum: f64,
    largest_pairs: u64,
    diameter: f64,
}

impl Acc {
    fn new(n: usize) -> Self {
        Self {
            nodes: vec![TargetSums::default(); n],
            largest_sum: 0.0,
            largest_pairs: 0,
            diameter: 0.0,
        }
    }
}

/// A node's path count and dependency, side by side because the backward
/// pass reads and writes both for the same node.
#[derive(Debug, Clone, Copy)]
struct NodeState {
    /// Number of shortest paths from the source.
    sigma: f64,
    /// (1 + δ(v)) / σ(v): what each shortest-path predecessor of v gains
    /// per path through it. One division per node instead of one per arc.
    coef: f64,
}

const UNSEEN: u32 = u32::MAX;

const FRESH: NodeState = NodeState {
    sigma: 0.0,
    coef: 0.0,
};

/// Per-thread scratch space, reset after each source by walking `order`.
struct Workspace {
    /// Hop distances (BFS); `UNSEEN` when not reached. Apart from the rest
    /// of a node's state because the search reads it for every arc and, as
    /// 4 bytes a node, it stays in the first-level cache.
    hops: Vec<u32>,
    state: Vec<NodeState>,
    /// Float distances (Dijkstra); infinite when not reached.
    dist: Vec<f64>,
    settled: Vec<bool>,
    /// Nodes in non-decreasing distance; one spare slot for branch-free pushes.
    order: Vec<u32>,
    /// Shortest-path successors of `order[i]` are `dag[dag_start[i]..dag_start[i + 1]]`.
    dag: Vec<u32>,
    dag_start: Vec<u32>,
    heap: IndexedHeap,
}

impl Workspace {
    fn new(n: usize, m: usize, weighted: bool) -> Self {
        // Each kind of search leaves the other's vectors empty.
        let dijkstra = if weighted { n } else { 0 };
        let bfs = if weighted { 0 } else { n };
        Self {
            hops: vec![UNSEEN; bfs],
            state: vec![FRESH; n],
            dist: vec![f64::INFINITY; dijkstra],
            settled: vec![false; dijkstra],
            order: vec![0; n + 1],
            dag: vec![0; m + 1],
            dag_start: vec![0; n + 1],
            heap: IndexedHeap::new(dijkstra),
        }
    }
}

/// `lengths` is `None` for hop counts, or one length per arc of `g.out`
/// (`1 / weight`; infinite for zero-weight arcs, which are then unusable).
pub(crate) fn path_metrics(
    g: &Graph,
    lengths: Option<&[f64]>,
    in_largest: &[bool],
    threads: usize,
) -> PathMetrics {
    let n = g.n;
    let m = g.out.targets.len();
    let chunks = CHUNKS.min(n).max(1);
    // 1/d for every hop count, so that harmonic sums cost a lookup rather
    // than a division per pair; the same quotient, so the same bits.
    let inverse: Vec<f64> = (0..n).map(|d| 1.0 / d as f64).collect();
    let run_chunk = |c: usize, ws: &mut Workspace| -> Acc {
        let mut acc = Acc::new(n);
        for s in (c..n).step_by(chunks) {
            match lengths {
                None => brandes_hops(g, s, in_largest[s], &inverse, ws, &mut acc),
                Some(len) => brandes_weighted(g, len, s, in_largest[s], ws, &mut acc),
            }
        }
        acc
    };
    let weighted = lengths.is_some();
    let mut results: Vec<(usize, Acc)> = if threads <= 1 {
        let mut ws = Workspace::new(n, m, weighted);
        (0..chunks).map(|c| (c, run_chunk(c, &mut ws))).collect()
    } else {
        // Chunks are handed out as threads free up, so a slow chunk does not
        // leave a core idle; where a chunk ran does not change its sums.
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads.min(chunks))
                .map(|_| {
                    scope.spawn(|| {
                        let mut ws = Workspace::new(n, m, weighted);
                        let mut done = vec![];
                        loop {
                            let c = next.fetch_add(1, AtomicOrdering::Relaxed);
                            if c >= chunks {
                                break done;
                            }
                            done.push((c, run_chunk(c, &mut ws)));
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    results.sort_by_key(|(c, _)| *c);

    let mut total = Acc::new(n);
    for (_, acc) in &results {
        for (t, a) in total.nodes.iter_mut().zip(&acc.nodes) {
            t.betweenness += a.betweenness;
            t.distance_sum += a.distance_sum;
            t.reached_from += a.reached_from;
            t.harmonic += a.harmonic;
        }
        total.largest_sum += acc.largest_sum;
        total.largest_pairs += acc.largest_pairs;
        total.diameter = total.diameter.max(acc.diameter);
    }
    drop(results);

    // NetworkX's `_rescale` for directed, normalised, without endpoints.
    let scale = if n > 2 {
        1.0 / ((n as f64 - 1.0) * (n as f64 - 2.0))
    } else {
        1.0
    };
    let betweenness = total.nodes.iter().map(|t| t.betweenness * scale).collect();
    let closeness = total
        .nodes
        .iter()
        .map(|t| {
            let reached = t.reached_from as f64;
            let sum = t.distance_sum;
            if sum > 0.0 && n > 1 {
                (reached / sum) * (reached / (n as f64 - 1.0))
            } else {
                0.0
            }
        })
        .collect();
    let harmonic = total.nodes.iter().map(|t| t.harmonic).collect();
    let pairs = total.largest_pairs;
    PathMetrics {
        betweenness,
        closeness,
        harmonic,
        mean_distance: (pairs > 0).then(|| total.largest_sum / pairs as f64),
        diameter: (pairs > 0).then_some(total.diameter),
    }
}

/// Breadth-first search and accumulation for hop distances. The inner loop
/// is written without data-dependent branches (conditional moves and
/// additions of 0 or 1): on random graphs whether a neighbour is new, or on a
/// shortest path, is unpredictable, and mispredictions otherwise dominate
/// the run time. Path counts are pushed along a node's shortest-path arcs
/// right after its scan, while they are still in cache: a node's count is
/// final when it is dequeued, since its predecessors all sit one level up.
fn brandes_hops(
    g: &Graph,
    s: usize,
    s_in_largest: bool,
    inverse: &[f64],
    ws: &mut Workspace,
    acc: &mut Acc,
) {
    let Workspace {
        hops,
        state,
        order,
        dag,
        dag_start,
        ..
    } = ws;
    hops[s] = 0;
    state[s].sigma = 1.0;
    order[0] = s as u32;
    let mut len = 1;
    let mut head = 0;
    let mut dag_len = 0;
    while head < len {
        let v = order[head] as usize;
        let first = dag_len;
        dag_start[head] = first as u32;
        head += 1;
        let next = hops[v] + 1;
        for &w in g.out.neighbors(v) {
            let seen = hops[w as usize];
            let new = seen == UNSEEN;
            order[len] = w;
            len += usize::from(new);
            let hw = if new { next } else { seen };
            hops[w as usize] = hw;
            let on_path = hw == next;
            dag[dag_len] = w;
            dag_len += usize::from(on_path);
        }
        let sv = state[v].sigma;
        for &w in &dag[first..dag_len] {
            state[w as usize].sigma += sv;
        }
    }
    dag_start[len] = dag_len as u32;
    // Dependencies flow back up the recorded DAG, deepest nodes first; the
    // source (position 0) has no predecessor to pass anything to.
    let mut distance_sum: u64 = 0;
    for i in (1..len).rev() {
        let v = order[i] as usize;
        let through: f64 = dag[dag_start[i] as usize..dag_start[i + 1] as usize]
            .iter()
            .map(|&w| state[w as usize].coef)
            .sum();
        let st = &mut state[v];
        let sv = st.sigma;
        let dependency = sv * through;
        st.coef = (1.0 + dependency) / sv;
        let d = hops[v];
        distance_sum += u64::from(d);
        let t = &mut acc.nodes[v];
        t.betweenness += dependency;
        t.distance_sum += f64::from(d);
        t.reached_from += 1;
        t.harmonic += inverse[d as usize];
    }
    if s_in_largest && len > 1 {
        // Whole hop counts: the per-source total is exact, as a sum pair by
        // pair would be.
        acc.largest_sum += distance_sum as f64;
        acc.largest_pairs += len as u64 - 1;
        let deepest = hops[order[len - 1] as usize];
        acc.diameter = acc.diameter.max(f64::from(deepest));
    }
    for &v in &order[..len] {
        hops[v as usize] = UNSEEN;
        state[v as usize] = FRESH;
    }
}

/// Dijkstra and accumulation for lengths `1 / weight`. Path counts follow
/// NetworkX's `_single_source_dijkstra_path_basic`: two paths tie when their
/// float sums are exactly equal.
fn brandes_weighted(
    g: &Graph,
    lengths: &[f64],
    s: usize,
    s_in_largest: bool,
    ws: &mut Workspace,
    acc: &mut Acc,
) {
    let Workspace {
        state,
        dist,
        settled,
        order,
        heap,
        ..
    } = ws;
    dist[s] = 0.0;
    state[s].sigma = 1.0;
    heap.push_or_decrease(s, dist);
    let mut len = 0;
    while let Some(v) = heap.pop(dist) {
        settled[v] = true;
        order[len] = v as u32;
        len += 1;
        let d = dist[v];
        let sv = state[v].sigma;
        let start = g.out.offsets[v];
        for (i, &w) in g.out.neighbors(v).iter().enumerate() {
            let l = lengths[start + i];
            let w = w as usize;
            if l == f64::INFINITY || settled[w] {
                continue;
            }
            let candidate = d + l;
            if candidate < dist[w] {
                dist[w] = candidate;
                state[w].sigma = sv;
                heap.push_or_decrease(w, dist);
            } else if candidate == dist[w] {
                state[w].sigma += sv;
            }
        }
    }
    // Successors on shortest paths are recognised by the same float sum that
    // made them so. The source is settled first, at position 0.
    for i in (1..len).rev() {
        let v = order[i] as usize;
        let dv = dist[v];
        let start = g.out.offsets[v];
        let mut through = 0.0;
        for (k, &w) in g.out.neighbors(v).iter().enumerate() {
            let l = lengths[start + k];
            if l != f64::INFINITY && dist[w as usize] == dv + l {
                through += state[w as usize].coef;
            }
        }
        let st = &mut state[v];
        let sv = st.sigma;
        let dependency = sv * through;
        st.coef = (1.0 + dependency) / sv;
        let t = &mut acc.nodes[v];
        t.betweenness += dependency;
        t.distance_sum += dv;
        t.reached_from += 1;
        t.harmonic += 1.0 / dv;
        if s_in_largest {
            acc.largest_sum += dv;
            acc.largest_pairs += 1;
            acc.diameter = acc.diameter.max(dv);
        }
    }
    for &v in &order[..len] {
        let v = v as usize;
        dist[v] = f64::INFINITY;
        state[v] = FRESH;
        settled[v] = false;
    }
}

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

/// Sums over the sources of one chunk.
struct Acc {
    betweenness: Vec<f64>,
    distance_sum: Vec<f64>,
    reached_from: Vec<u32>,
    harmonic: Vec<f64>,
    largest_sum: f64,
    largest_pairs: u64,
    diameter: f64,
}

impl Acc {
    fn new(n: usize) -> Self {
        Self {
            betweenness: vec![0.0; n],
            distance_sum: vec![0.0; n],
            reached_from: vec![0; n],
            harmonic: vec![0.0; n],
            largest_sum: 0.0,
            largest_pairs: 0,
            diameter: 0.0,
        }
    }
}

/// Per-thread scratch space, reset after each source by walking `order`.
struct Workspace {
    /// Hop distances (BFS); `UNSEEN` when not reached.
    hops: Vec<u32>,
    /// Float distances (Dijkstra); infinite when not reached.
    dist: Vec<f64>,
    sigma: Vec<f64>,
    /// (1 + δ(v)) / σ(v): what each shortest-path predecessor of v gains
    /// per path through it. One division per node instead of one per arc.
    coef: Vec<f64>,
    settled: Vec<bool>,
    /// Nodes in non-decreasing distance; one spare slot for branch-free pushes.
    order: Vec<u32>,
    /// Shortest-path successors of `order[i]` are `dag[dag_start[i]..dag_start[i + 1]]`.
    dag: Vec<u32>,
    dag_start: Vec<u32>,
    heap: IndexedHeap,
}

const UNSEEN: u32 = u32::MAX;

impl Workspace {
    fn new(n: usize, m: usize) -> Self {
        Self {
            hops: vec![UNSEEN; n],
            dist: vec![f64::INFINITY; n],
            sigma: vec![0.0; n],
            coef: vec![0.0; n],
            settled: vec![false; n],
            order: vec![0; n + 1],
            dag: vec![0; m + 1],
            dag_start: vec![0; n + 1],
            heap: IndexedHeap::new(n),
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
    let chunks = CHUNKS.min(n).max(1);
    let run_chunk = |c: usize, ws: &mut Workspace| -> Acc {
        let mut acc = Acc::new(n);
        for s in (c..n).step_by(chunks) {
            match lengths {
                None => brandes_hops(g, s, in_largest[s], ws, &mut acc),
                Some(len) => brandes_weighted(g, len, s, in_largest[s], ws, &mut acc),
            }
        }
        acc
    };
    let mut results: Vec<(usize, Acc)> = if threads <= 1 {
        let mut ws = Workspace::new(n, g.out.targets.len());
        (0..chunks).map(|c| (c, run_chunk(c, &mut ws))).collect()
    } else {
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads.min(chunks))
                .map(|_| {
                    scope.spawn(|| {
                        let mut ws = Workspace::new(n, g.out.targets.len());
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
        for v in 0..n {
            total.betweenness[v] += acc.betweenness[v];
            total.distance_sum[v] += acc.distance_sum[v];
            total.reached_from[v] += acc.reached_from[v];
            total.harmonic[v] += acc.harmonic[v];
        }
        total.largest_sum += acc.largest_sum;
        total.largest_pairs += acc.largest_pairs;
        total.diameter = total.diameter.max(acc.diameter);
    }
    drop(results);

    // NetworkX's `_rescale` for directed, normalised, without endpoints.
    if n > 2 {
        let scale = 1.0 / ((n as f64 - 1.0) * (n as f64 - 2.0));
        for b in &mut total.betweenness {
            *b *= scale;
        }
    }
    let closeness = (0..n)
        .map(|v| {
            let reached = f64::from(total.reached_from[v]);
            let sum = total.distance_sum[v];
            if sum > 0.0 && n > 1 {
                (reached / sum) * (reached / (n as f64 - 1.0))
            } else {
                0.0
            }
        })
        .collect();
    let pairs = total.largest_pairs;
    PathMetrics {
        betweenness: total.betweenness,
        closeness,
        harmonic: total.harmonic,
        mean_distance: (pairs > 0).then(|| total.largest_sum / pairs as f64),
        diameter: (pairs > 0).then_some(total.diameter),
    }
}

/// Breadth-first search and accumulation for hop distances. The inner loop
/// is written without data-dependent branches (conditional moves and
/// multiplications by 0 or 1): on random graphs whether a neighbour is new,
/// or on a shortest path, is unpredictable, and mispredictions otherwise
/// dominate the run time.
fn brandes_hops(g: &Graph, s: usize, s_in_largest: bool, ws: &mut Workspace, acc: &mut Acc) {
    let Workspace {
        hops,
        sigma,
        coef,
        order,
        dag,
        dag_start,
        ..
    } = ws;
    hops[s] = 0;
    sigma[s] = 1.0;
    order[0] = s as u32;
    let mut len = 1;
    let mut head = 0;
    let mut dag_len = 0;
    while head < len {
        let v = order[head] as usize;
        dag_start[head] = dag_len as u32;
        head += 1;
        let next = hops[v] + 1;
        for &w in g.out.neighbors(v) {
            let w = w as usize;
            let seen = hops[w];
            let new = seen == UNSEEN;
            order[len] = w as u32;
            len += usize::from(new);
            let hw = if new { next } else { seen };
            hops[w] = hw;
            dag[dag_len] = w as u32;
            dag_len += usize::from(hw == next);
        }
    }
    dag_start[len] = dag_len as u32;
    // Path counts flow down the recorded DAG; every predecessor of a node
    // precedes it in `order`, so its count is final when read.
    for i in 0..len {
        let sv = sigma[order[i] as usize];
        for &w in &dag[dag_start[i] as usize..dag_start[i + 1] as usize] {
            sigma[w as usize] += sv;
        }
    }
    for i in (0..len).rev() {
        let v = order[i] as usize;
        let through: f64 = dag[dag_start[i] as usize..dag_start[i + 1] as usize]
            .iter()
            .map(|&w| coef[w as usize])
            .sum();
        let sv = sigma[v];
        let dependency = sv * through;
        coef[v] = (1.0 + dependency) / sv;
        if v != s {
            record(acc, v, dependency, f64::from(hops[v]), s_in_largest);
        }
    }
    for &v in &order[..len] {
        hops[v as usize] = UNSEEN;
        sigma[v as usize] = 0.0;
    }
}

fn record(acc: &mut Acc, v: usize, dependency: f64, d: f64, s_in_largest: bool) {
    acc.betweenness[v] += dependency;
    acc.distance_sum[v] += d;
    acc.reached_from[v] += 1;
    acc.harmonic[v] += 1.0 / d;
    if s_in_largest {
        acc.largest_sum += d;
        acc.largest_pairs += 1;
        acc.diameter = acc.diameter.max(d);
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
        dist,
        sigma,
        coef,
        settled,
        order,
        heap,
        ..
    } = ws;
    dist[s] = 0.0;
    sigma[s] = 1.0;
    heap.push_or_decrease(s, dist);
    let mut len = 0;
    while let Some(v) = heap.pop(dist) {
        settled[v] = true;
        order[len] = v as u32;
        len += 1;
        let d = dist[v];
        let sv = sigma[v];
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
                sigma[w] = sv;
                heap.push_or_decrease(w, dist);
            } else if candidate == dist[w] {
                sigma[w] += sv;
            }
        }
    }
    // Successors on shortest paths are recognised by the same float sum that
    // made them so.
    for i in (0..len).rev() {
        let v = order[i] as usize;
        let dv = dist[v];
        let start = g.out.offsets[v];
        let mut through = 0.0;
        for (k, &w) in g.out.neighbors(v).iter().enumerate() {
            let l = lengths[start + k];
            if l != f64::INFINITY && dist[w as usize] == dv + l {
                through += coef[w as usize];
            }
        }
        let sv = sigma[v];
        let dependency = sv * through;
        coef[v] = (1.0 + dependency) / sv;
        if v != s {
            record(acc, v, dependency, dv, s_in_largest);
        }
    }
    for &v in &order[..len] {
        let v = v as usize;
        dist[v] = f64::INFINITY;
        sigma[v] = 0.0;
        settled[v] = false;
    }
}

//! `nx.pagerank(G, alpha, weight="weight")` solved to machine precision.
//!
//! Same model as NetworkX: each arc's share is its weight over the source's
//! out-strength; nodes with out-strength 0 (no arcs, or only zero-weight
//! arcs) are dangling and spread their score uniformly, as is the
//! teleportation term. NetworkX stops at an L1 change below `n × 1e-6`; we
//! iterate until the change stops shrinking, so the result is the fixed point
//! to rounding error rather than an approximation of it.

use crate::graph::Graph;

const MAX_ITERATIONS: usize = 10_000;

pub(crate) fn pagerank(g: &Graph, alpha: f64) -> Vec<f64> {
    let n = g.n;
    if n == 0 {
        return vec![];
    }
    let out_strength: Vec<f64> = (0..n).map(|v| g.out.weights(v).iter().sum()).collect();
    let dangling: Vec<usize> = (0..n).filter(|&v| out_strength[v] == 0.0).collect();
    let nf = n as f64;
    let mut x = vec![1.0 / nf; n];
    let mut next = vec![0.0; n];
    let mut best_err = f64::INFINITY;
    let mut stalled = 0;
    for _ in 0..MAX_ITERATIONS {
        let dangling_sum: f64 = dangling.iter().map(|&v| x[v]).sum();
        let base = (1.0 - alpha) / nf + alpha * dangling_sum / nf;
        next.fill(base);
        for v in 0..n {
            if out_strength[v] == 0.0 {
                continue;
            }
            let share = alpha * x[v] / out_strength[v];
            for (&w, &wt) in g.out.neighbors(v).iter().zip(g.out.weights(v)) {
                next[w as usize] += share * wt;
            }
        }
        let err: f64 = x.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if err == 0.0 {
            break;
        }
        // The update contracts the L1 change by `alpha` each pass, so a change
        // that stops shrinking is rounding noise: the fixed point is reached.
        if err < best_err {
            best_err = err;
            stalled = 0;
        } else {
            stalled += 1;
            if stalled >= 3 {
                break;
            }
        }
    }
    let total: f64 = x.iter().sum();
    x.iter().map(|v| v / total).collect()
}

//! Weak and strong components (petgraph's union-find and Tarjan).

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::unionfind::UnionFind;

use crate::graph::Graph;

pub(crate) struct Components {
    pub(crate) weak: usize,
    pub(crate) strong: usize,
    /// Membership of the largest weak component; on ties in size, the one
    /// holding the earliest node.
    pub(crate) in_largest: Vec<bool>,
}

pub(crate) fn components(g: &Graph) -> Components {
    let mut uf = UnionFind::<usize>::new(g.n);
    for v in 0..g.n {
        for &w in g.out.neighbors(v) {
            uf.union(v, w as usize);
        }
    }
    let labels = uf.into_labeling();
    let mut size = vec![0usize; g.n];
    for &l in &labels {
        size[l] += 1;
    }
    let weak = size.iter().filter(|&&s| s > 0).count();
    // Scanning nodes in order makes the first-met root win ties.
    let mut best: Option<usize> = None;
    for &l in &labels {
        if best.is_none_or(|b| size[l] > size[b]) {
            best = Some(l);
        }
    }
    let in_largest = labels.iter().map(|&l| Some(l) == best).collect();

    let mut dg = DiGraph::<(), ()>::with_capacity(g.n, g.out.targets.len());
    for _ in 0..g.n {
        dg.add_node(());
    }
    for v in 0..g.n {
        for &w in g.out.neighbors(v) {
            dg.add_edge(NodeIndex::new(v), NodeIndex::new(w as usize), ());
        }
    }
    let strong = petgraph::algo::tarjan_scc(&dg).len();
    Components {
        weak,
        strong,
        in_largest,
    }
}

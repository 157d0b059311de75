//! Compressed adjacency built once per [`crate::metrics`] call: the directed
//! arcs both ways and the undirected simple view that NetworkX's
//! `to_undirected()` gives, with the weights of reciprocal arcs summed.

use crate::network::Network;

/// Compressed sparse rows: the neighbours of `v` are
/// `targets[offsets[v]..offsets[v + 1]]`, sorted by index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    pub(crate) offsets: Vec<usize>,
    pub(crate) targets: Vec<u32>,
    pub(crate) weights: Vec<f64>,
}

impl Csr {
    /// Builds from `(from, to, weight)` triples; pairs must be unique.
    pub(crate) fn new(n: usize, mut edges: Vec<(u32, u32, f64)>) -> Self {
        edges.sort_unstable_by_key(|&(a, b, _)| (a, b));
        let mut offsets = vec![0usize; n + 1];
        for &(a, _, _) in &edges {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let targets = edges.iter().map(|e| e.1).collect();
        let weights = edges.iter().map(|e| e.2).collect();
        Self {
            offsets,
            targets,
            weights,
        }
    }

    pub(crate) fn neighbors(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v]..self.offsets[v + 1]]
    }

    pub(crate) fn weights(&self, v: usize) -> &[f64] {
        &self.weights[self.offsets[v]..self.offsets[v + 1]]
    }

    pub(crate) fn degree(&self, v: usize) -> usize {
        self.offsets[v + 1] - self.offsets[v]
    }

    pub(crate) fn has_edge(&self, a: usize, b: usize) -> bool {
        self.neighbors(a).binary_search(&(b as u32)).is_ok()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Graph {
    pub(crate) n: usize,
    /// Arcs by source.
    pub(crate) out: Csr,
    /// Arcs by target (weights of the same arcs).
    pub(crate) inc: Csr,
    /// One edge per connected pair, in both rows; weight = sum of the arcs.
    pub(crate) und: Csr,
}

impl Graph {
    pub(crate) fn new(net: &Network) -> Self {
        let n = net.node_count();
        let arcs: Vec<(u32, u32, f64)> = net
            .arcs()
            .iter()
            .map(|a| (a.source as u32, a.target as u32, a.weight))
            .collect();
        let reversed = arcs.iter().map(|&(a, b, w)| (b, a, w)).collect();
        let mut both: Vec<(u32, u32, f64)> = arcs
            .iter()
            .flat_map(|&(a, b, w)| [(a, b, w), (b, a, w)])
            .collect();
        both.sort_unstable_by_key(|&(a, b, _)| (a, b));
        // A reciprocated pair appears twice per row: merge into one edge.
        let mut und: Vec<(u32, u32, f64)> = Vec::with_capacity(both.len());
        for e in both {
            match und.last_mut() {
                Some(last) if (last.0, last.1) == (e.0, e.1) => last.2 += e.2,
                _ => und.push(e),
            }
        }
        Self {
            n,
            out: Csr::new(n, arcs),
            inc: Csr::new(n, reversed),
            und: Csr::new(n, und),
        }
    }
}

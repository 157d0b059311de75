//! An indexed 4-ary min-heap of nodes keyed by their tentative distance,
//! with decrease-key. Dijkstra with `std`'s `BinaryHeap` pushes a new entry
//! for every improvement and spends most of its time popping stale ones;
//! here each node is in the heap at most once.

const ABSENT: u32 = u32::MAX;

pub(crate) struct IndexedHeap {
    nodes: Vec<u32>,
    /// Position of each node in `nodes`, or `ABSENT`.
    pos: Vec<u32>,
}

impl IndexedHeap {
    pub(crate) fn new(n: usize) -> Self {
        Self {
            nodes: Vec::with_capacity(n),
            pos: vec![ABSENT; n],
        }
    }

    /// Inserts `v`, or moves it up after its key in `dist` decreased.
    pub(crate) fn push_or_decrease(&mut self, v: usize, dist: &[f64]) {
        let at = match self.pos[v] {
            ABSENT => {
                self.nodes.push(v as u32);
                self.nodes.len() - 1
            }
            p => p as usize,
        };
        self.sift_up(at, v, dist);
    }

    /// Removes and returns the node with the smallest key.
    pub(crate) fn pop(&mut self, dist: &[f64]) -> Option<usize> {
        let top = *self.nodes.first()? as usize;
        self.pos[top] = ABSENT;
        let last = self.nodes.pop()? as usize;
        if !self.nodes.is_empty() {
            self.sift_down(last, dist);
        }
        Some(top)
    }

    fn sift_up(&mut self, mut at: usize, v: usize, dist: &[f64]) {
        let key = dist[v];
        while at > 0 {
            let parent = (at - 1) / 4;
            let p = self.nodes[parent] as usize;
            if dist[p] <= key {
                break;
            }
            self.nodes[at] = p as u32;
            self.pos[p] = at as u32;
            at = parent;
        }
        self.nodes[at] = v as u32;
        self.pos[v] = at as u32;
    }

    /// Places `v` from the root down.
    fn sift_down(&mut self, v: usize, dist: &[f64]) {
        let key = dist[v];
        let len = self.nodes.len();
        let mut at = 0;
        loop {
            let first = 4 * at + 1;
            if first >= len {
                break;
            }
            let mut best = first;
            let mut best_key = dist[self.nodes[first] as usize];
            for c in first + 1..(first + 4).min(len) {
                let k = dist[self.nodes[c] as usize];
                if k < best_key {
                    best = c;
                    best_key = k;
                }
            }
            if best_key >= key {
                break;
            }
            let child = self.nodes[best] as usize;
            self.nodes[at] = child as u32;
            self.pos[child] = at as u32;
            at = best;
        }
        self.nodes[at] = v as u32;
        self.pos[v] = at as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_key_order_with_decreases() {
        let mut dist = vec![5.0, 3.0, 8.0, 1.0, 9.0, 2.0, 7.0];
        let mut h = IndexedHeap::new(dist.len());
        for v in 0..dist.len() {
            h.push_or_decrease(v, &dist);
        }
        dist[4] = 0.5;
        h.push_or_decrease(4, &dist);
        dist[2] = 2.5;
        h.push_or_decrease(2, &dist);
        let mut order = vec![];
        while let Some(v) = h.pop(&dist) {
            order.push(v);
        }
        assert_eq!(order, [4, 3, 5, 2, 1, 0, 6]);
    }
}

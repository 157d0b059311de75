//! The ties as the drawing sees them: one entry per connected pair, so a
//! reciprocated pair is one line with two heads rather than two lines on top
//! of each other.

use crate::network::Network;

/// The arcs between nodes `a < b`: `ab` is `a -> b`, `ba` is `b -> a`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Tie {
    pub(crate) a: usize,
    pub(crate) b: usize,
    pub(crate) ab: Option<f64>,
    pub(crate) ba: Option<f64>,
}

impl Tie {
    pub(crate) fn is_mutual(&self) -> bool {
        self.ab.is_some() && self.ba.is_some()
    }

    /// Number of arcs in the pair (1 or 2).
    pub(crate) fn arcs(&self) -> usize {
        usize::from(self.ab.is_some()) + usize::from(self.ba.is_some())
    }

    /// Sum of the weights of the pair's arcs.
    pub(crate) fn total_weight(&self) -> f64 {
        self.ab.unwrap_or(0.0) + self.ba.unwrap_or(0.0)
    }

    /// Mean weight of the pair's arcs: the line's width, so that a mutual
    /// tie of strength 3 both ways looks as strong as a one-way tie of 3.
    pub(crate) fn mean_weight(&self) -> f64 {
        self.total_weight() / self.arcs() as f64
    }
}

/// The pairs sorted by `(a, b)`, independent of the order of the arcs.
/// `rank` renumbers the nodes (node index → position in the drawing's own
/// order), so that the pairs do not depend on the order of the ids either.
pub(crate) fn ties(net: &Network, rank: &[usize]) -> Vec<Tie> {
    let mut arcs: Vec<(usize, usize, bool, f64)> = net
        .arcs()
        .iter()
        .map(|a| {
            let (s, t) = (rank[a.source], rank[a.target]);
            let forward = s < t;
            let (lo, hi) = if forward { (s, t) } else { (t, s) };
            (lo, hi, forward, a.weight)
        })
        .collect();
    arcs.sort_unstable_by_key(|&(a, b, forward, _)| (a, b, forward));
    let mut out: Vec<Tie> = Vec::with_capacity(arcs.len());
    for (a, b, forward, w) in arcs {
        let tie = match out.last_mut() {
            Some(last) if (last.a, last.b) == (a, b) => last,
            _ => {
                out.push(Tie {
                    a,
                    b,
                    ab: None,
                    ba: None,
                });
                let i = out.len() - 1;
                &mut out[i]
            }
        };
        if forward {
            tie.ab = Some(w);
        } else {
            tie.ba = Some(w);
        }
    }
    out
}

/// Whether each node has at least one arc.
pub(crate) fn connected(n: usize, ties: &[Tie]) -> Vec<bool> {
    let mut has = vec![false; n];
    for t in ties {
        has[t.a] = true;
        has[t.b] = true;
    }
    has
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reciprocated_arcs_become_one_pair() -> Result<(), crate::NetworkError> {
        let mut b = Network::builder();
        b.arc("c", "a", 2.0)?;
        b.arc("a", "b", 1.0)?;
        b.arc("a", "c", 4.0)?;
        b.node("d");
        let net = b.build();
        let t = ties(&net, &[0, 1, 2, 3]);
        assert_eq!(t.len(), 2);
        // Ids: c=0, a=1, b=2.
        assert_eq!(
            (t[0].a, t[0].b, t[0].ab, t[0].ba),
            (0, 1, Some(2.0), Some(4.0))
        );
        assert!(t[0].is_mutual());
        assert_eq!(t[0].mean_weight(), 3.0);
        assert_eq!((t[1].a, t[1].b, t[1].ab, t[1].ba), (1, 2, Some(1.0), None));
        assert_eq!(connected(4, &t), vec![true, true, true, false]);
        // Ranked by id (a=0, b=1, c=2, d=3): c -> a becomes the reverse arc.
        let t = ties(&net, &[2, 0, 1, 3]);
        assert_eq!((t[0].a, t[0].b, t[0].ab, t[0].ba), (0, 1, Some(1.0), None));
        assert_eq!(
            (t[1].a, t[1].b, t[1].ab, t[1].ba),
            (0, 2, Some(4.0), Some(2.0))
        );
        Ok(())
    }
}

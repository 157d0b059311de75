//! Krackhardt and Stern's E-I index per categorical attribute, over arcs:
//! (external − internal) / (external + internal). Arcs with an endpoint
//! lacking the attribute are left out; `None` when no arc remains.

use crate::network::{Attribute, Network};

pub(crate) fn ei_index(net: &Network, attribute: &Attribute) -> Option<f64> {
    let (mut external, mut internal) = (0u64, 0u64);
    for a in net.arcs() {
        if let (Some(x), Some(y)) = (&attribute.values[a.source], &attribute.values[a.target]) {
            if x == y {
                internal += 1;
            } else {
                external += 1;
            }
        }
    }
    let total = external + internal;
    (total > 0).then(|| (external as f64 - internal as f64) / total as f64)
}

//! Seeded random networks for benchmarks and demos.

use std::collections::HashSet;

use trama_stdx::rng::SplitMix64;

use crate::network::{Arc, Network};

const ROLES: [&str; 4] = ["director", "utp", "docente", "supervisor"];

/// A uniform random directed graph G(n, m): `m` distinct arcs without
/// self-loops (capped at n(n−1)), weights 1–5 (the collaboration scale),
/// ids `"0"`..`"n-1"` (so they equal igraph's vertex indices), and two
/// categorical attributes, `role` (4 values) and `school` (about 10 people
/// per school). Same arguments, same network.
pub fn random_network(n: usize, m: usize, seed: u64) -> Network {
    let mut rng = SplitMix64::new(seed);
    let mut b = Network::builder();
    b.declare_attribute("role");
    b.declare_attribute("school");
    let schools = (n / 10).max(1) as u64;
    for v in 0..n {
        let id = v.to_string();
        let role = ROLES[rng.below(ROLES.len() as u64) as usize];
        let school = format!("s{}", rng.below(schools));
        b.attribute(&id, "role", Some(role.to_owned()));
        b.attribute(&id, "school", Some(school));
    }
    let mut net = b.build();
    let max = n.saturating_mul(n.saturating_sub(1));
    let m = m.min(max);
    let mut seen = HashSet::with_capacity(m);
    let mut arcs = Vec::with_capacity(m);
    while arcs.len() < m {
        let s = rng.below(n as u64) as usize;
        let t = rng.below(n as u64) as usize;
        if s != t && seen.insert((s, t)) {
            arcs.push(Arc {
                source: s,
                target: t,
                weight: (1 + rng.below(5)) as f64,
            });
        }
    }
    net.set_arcs(arcs);
    net
}

/// The arcs as `source,target,weight` lines with a header, the format
/// `load` reads (and that igraph's `Graph.Read_Ncol` can be fed after
/// dropping the header).
pub fn edge_list_csv(net: &Network) -> String {
    let mut s = String::from("source,target,weight\n");
    for a in net.arcs() {
        s.push_str(&format!(
            "{},{},{}\n",
            net.ids()[a.source],
            net.ids()[a.target],
            a.weight
        ));
    }
    s
}

//! Files for Gephi, yEd, Cytoscape, NetworkX or a spreadsheet: the network with its node
//! attributes, tie weights and every node metric of a [`Report`].

mod csv;
mod gexf;
mod graphml;

pub use csv::{write_edges_csv, write_nodes_csv};
pub use gexf::write_gexf;
pub use graphml::write_graphml;

use std::io;

use crate::metrics::{NodeMetrics, Report};
use crate::network::Network;

/// The node metrics in file order, with their XML types.
pub(crate) const NODE_METRICS: [(&str, Kind); 9] = [
    ("in_degree", Kind::Int),
    ("out_degree", Kind::Int),
    ("in_strength", Kind::Double),
    ("out_strength", Kind::Double),
    ("betweenness", Kind::Double),
    ("closeness", Kind::Double),
    ("harmonic", Kind::Double),
    ("pagerank", Kind::Double),
    ("community", Kind::Int),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Double,
}

pub(crate) fn metric_values(m: &NodeMetrics) -> [String; 9] {
    [
        m.in_degree.to_string(),
        m.out_degree.to_string(),
        m.in_strength.to_string(),
        m.out_strength.to_string(),
        m.betweenness.to_string(),
        m.closeness.to_string(),
        m.harmonic.to_string(),
        m.pagerank.to_string(),
        m.community.to_string(),
    ]
}

/// A metric's name in the file: suffixed when a node attribute of the user's
/// already has that name, since attribute names are the user's identifiers.
pub(crate) fn metric_title(net: &Network, name: &str) -> String {
    if net.attributes().iter().any(|a| a.name == name) {
        format!("{name}_sna")
    } else {
        name.to_owned()
    }
}

/// Refuses a report computed from another network: values would be
/// attached to the wrong people.
pub(crate) fn check_matches(net: &Network, report: &Report) -> io::Result<()> {
    let same = report.node_metrics.len() == net.node_count()
        && report
            .node_metrics
            .iter()
            .zip(net.ids())
            .all(|((a, _), b)| a == b);
    if same {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the report was computed from another network",
        ))
    }
}

/// Whether each arc's reverse is also present.
pub(crate) fn reciprocated(net: &Network) -> Vec<bool> {
    let pairs: std::collections::HashSet<(usize, usize)> =
        net.arcs().iter().map(|a| (a.source, a.target)).collect();
    net.arcs()
        .iter()
        .map(|a| pairs.contains(&(a.target, a.source)))
        .collect()
}

//! Social network analysis for Trama: who collaborates with whom inside a
//! school improvement network, and what that structure looks like.
//!
//! Pure: no files, no database. Callers pass bytes in ([`load`]) and writers
//! out ([`write_graphml`], [`write_gexf`]; JSON is `serde_json` on
//! [`Report`]). Every metric equals NetworkX's definition (see
//! [`metrics::Report`]'s fields); the test suite checks them to 1e-9 against
//! values computed with NetworkX.
//!
//! Choices where NetworkX leaves room, each documented where it is made:
//! - The undirected view (transitivity, centralization, communities) sums
//!   the weights of reciprocal arcs; `DiGraph.to_undirected()` keeps one of
//!   the two arbitrarily. Modularity is NetworkX's formula on that view.
//! - Mean distance and diameter are taken over the ordered pairs of the
//!   largest weak component joined by a directed path (NetworkX's
//!   `average_shortest_path_length` when that component is strongly
//!   connected; it raises otherwise).
//! - Weighted paths use length `1 / weight`; zero-weight arcs carry no path.
//! - PageRank is the exact fixed point, not NetworkX's 1e-6 approximation.
//! - Where NetworkX raises (reciprocity without arcs, modularity without
//!   weight), the report says `null`.
//!
//! ```
//! use trama_sna::{load, metrics, LoadOptions, MetricOptions};
//! let net = load("e.csv", b"source,target,weight\nA,B,3\nB,A,1\nB,C,2\n", None, &LoadOptions::default())
//!     .expect("valid input");
//! let report = metrics(&net, &MetricOptions::default());
//! assert_eq!(report.edges, 3);
//! assert_eq!(report.reciprocity, Some(2.0 / 3.0));
//! ```

mod export;
mod graph;
mod input;
pub mod metrics;
mod network;
mod ordered;
mod random;
pub mod sociogram;

pub use export::{write_edges_csv, write_gexf, write_graphml, write_nodes_csv};
pub use input::{LoadOptions, Merge, Symmetrize, load};
pub use metrics::{Communities, Dyads, MetricOptions, NodeMetrics, Report, Respondents, metrics};
pub use network::{Arc, Attribute, Network, NetworkBuilder, NetworkError};
pub use ordered::OrderedMap;
pub use random::{edge_list_csv, random_network};
pub use sociogram::{Layout, LayoutOptions, SociogramError, SvgOptions, layout, render_svg};
pub use trama_tabular::CellError;

/// The node attribute that says who answered the questionnaire (`1`/`0`).
/// With non-respondents, ties they would have named are missing, so the
/// report adds the response rate and reciprocity among respondents.
pub const RESPONDED: &str = "responded";

/// The report as pretty-printed JSON (numbers at full precision).
pub fn write_json(report: &Report, out: &mut impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

//! Sociograms: the network drawn as people see it in a report, coloured by
//! role, sized by degree, with one-way and reciprocated ties told apart.
//!
//! Two steps, so that a caller can keep the first one between waves:
//! [`layout`] places the nodes (deterministic for a seed, whatever the order
//! of the input), [`render_svg`] draws them with the caller's labels and
//! legend wording. With the `png` feature, [`svg_to_png`] rasterises the
//! drawing for downloads and documents.
//!
//! The drawing never decides what is private: node labels, legend texts and
//! the keys a page script sees come from the caller (see [`NodeKeys`]).
//!
//! ```
//! use trama_sna::sociogram::{self, Legend, LayoutOptions, SvgOptions};
//! use trama_sna::{MetricOptions, Network, metrics};
//! let mut b = Network::builder();
//! b.arc("ana", "beto", 3.0).expect("valid arc");
//! b.arc("beto", "ana", 2.0).expect("valid arc");
//! b.attribute("ana", "role", Some("director".into()));
//! let net = b.build();
//! let report = metrics(&net, &MetricOptions::default());
//! let layout = sociogram::layout(&net, &LayoutOptions::default()).expect("valid options");
//! let svg = sociogram::render_svg(
//!     &net,
//!     &report,
//!     &layout,
//!     &SvgOptions::new("Red Norte", "Two people who collaborate", Legend::keys()),
//! )
//! .expect("the layout is of this network");
//! assert!(svg.starts_with("<svg"));
//! ```

mod hull;
mod layout;
#[cfg(feature = "png")]
mod png;
mod svg;
mod ties;

pub use layout::{Layout, LayoutOptions, Point, layout};
#[cfg(feature = "png")]
pub use png::{MAX_PNG_WIDTH, svg_to_png};
pub use svg::{
    Hulls, Legend, NodeKeys, ROLE_COLOURS, RoleNames, SvgOptions, UNKNOWN_COLOUR, render_svg,
    role_colour,
};

use crate::network::Network;

/// Why a sociogram could not be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SociogramError {
    /// A layout option is out of range (a non-positive box, margins that
    /// leave no room, a non-finite number).
    #[error("invalid sociogram option: {0}")]
    Options(&'static str),
    /// The layout was made for another network: this node has no position.
    #[error("the layout has no position for node {0}")]
    MissingPosition(String),
    /// The SVG given to the rasteriser could not be read.
    #[error("the SVG could not be read: {0}")]
    Svg(String),
    /// The requested PNG width is zero or too large.
    #[error("PNG width {0} is out of range")]
    PngWidth(u32),
    #[error("the PNG could not be encoded: {0}")]
    Png(String),
}

/// The drawing's own node order: by id. Layout, element order and ordinal
/// keys all follow it, so that the picture depends on the network and not on
/// the order in which its rows were read.
pub(crate) struct Canon {
    /// Rank → node index.
    pub(crate) order: Vec<usize>,
    /// Node index → rank.
    pub(crate) rank: Vec<usize>,
}

impl Canon {
    pub(crate) fn new(net: &Network) -> Self {
        let ids = net.ids();
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_unstable_by(|&a, &b| ids[a].cmp(&ids[b]));
        let mut rank = vec![0; order.len()];
        for (r, &v) in order.iter().enumerate() {
            rank[v] = r;
        }
        Self { order, rank }
    }
}

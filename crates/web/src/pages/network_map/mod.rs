//! A network's collaboration map per campaign (wave): the sociogram, the
//! metrics explained and set against the region and the nation, brokers and
//! peripheral members, cross-school and cross-role collaboration, sub-groups,
//! what ties carry, the response rate with its caveats, and the change from
//! an earlier wave; with the network as GEXF, GraphML, CSV, SVG and PNG.
//! What the viewer may see is settled in `trama_app::maps`.

mod compare;
mod export;
mod show;
mod sociogram;

pub use export::export;
pub use show::show;

use serde::Deserialize;
use trama_domain::policy::MapView;

#[derive(Deserialize, Default)]
pub struct MapQuery {
    campaign: Option<String>,
    compare: Option<String>,
    /// Weakest collaboration level counted as a tie (1–5).
    level: Option<u8>,
    /// `names`, `anonymous` or `school`; never more than the viewer may see.
    view: Option<String>,
}

impl MapQuery {
    fn query(&self) -> trama_app::maps::MapQuery {
        trama_app::maps::MapQuery {
            campaign: self.campaign.clone(),
            compare: self.compare.clone(),
            level: self.level,
            view: match self.view.as_deref() {
                Some("names") => Some(MapView::Names),
                Some("anonymous") => Some(MapView::Anonymous),
                Some("school") => Some(MapView::Schools),
                _ => None,
            },
        }
    }
}

pub(super) use super::{decimal as num, percent as pct};

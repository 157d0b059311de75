//! The questionnaire's agreement with chosen sub-dimensions per network,
//! per region and for the nation — for what characterises a network, not
//! for a report of its own.
//!
//! Every group is shown as the campaign's one disclosure decision says, the
//! decision every results page, PDF and API response follows, so nothing
//! here shows what those do not.

use std::collections::BTreeMap;

use trama_i18n::Lang;
use trama_results::Level;
use trama_results::disclosure::{Cell, Place};
use trama_results::likert::Group;
use trama_store::campaigns::lifecycle::Campaign;

use super::data::Data;
use crate::{App, Result};

/// One group's agreement (%) per sub-dimension code, or why there is none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupAgreement {
    pub respondents: u64,
    /// Below K, or hidden with a smaller group.
    pub suppressed: bool,
    pub by_subdimension: BTreeMap<String, f64>,
}

impl GroupAgreement {
    fn of(g: &Group) -> Self {
        GroupAgreement {
            respondents: g.n_respondents,
            suppressed: g.suppressed,
            by_subdimension: if g.suppressed {
                BTreeMap::new()
            } else {
                g.rows
                    .iter()
                    .filter(|r| r.level == Level::Subdimension && !r.suppressed)
                    .filter_map(|r| Some((r.code.clone(), r.agree?)))
                    .collect()
            },
        }
    }

    pub fn get(&self, subdimension: &str) -> Option<f64> {
        self.by_subdimension.get(subdimension).copied()
    }
}

/// A campaign's agreement by network (code), by region (code) and nation.
#[derive(Debug, Clone, Default)]
pub struct CampaignAgreement {
    pub networks: BTreeMap<String, GroupAgreement>,
    pub regions: BTreeMap<String, GroupAgreement>,
    pub nation: GroupAgreement,
}

/// The campaign's agreement, read once for all its networks.
pub async fn campaign_agreement(app: &App, campaign: Campaign) -> Result<CampaignAgreement> {
    let data = Data::load(app, campaign).await?;
    let lang = Lang::Es;
    let level = Some(Level::Subdimension);
    let of = |cell: Cell| GroupAgreement::of(&data.cell(&cell, level, lang));
    let mut out = CampaignAgreement {
        nation: of(Cell::nation()),
        ..CampaignAgreement::default()
    };
    for region in data.regions() {
        out.regions
            .insert(region.clone(), of(Cell::at(Place::Region(region.clone()))));
    }
    for atom in &data.atoms().atoms {
        if !out.networks.contains_key(&atom.network) {
            let cell = Cell::at(Place::Network(atom.network.clone()));
            out.networks.insert(atom.network.clone(), of(cell));
        }
    }
    Ok(out)
}

//! The questionnaire's agreement with chosen sub-dimensions per network,
//! per region and for the nation — for what characterises a network, not
//! for a report of its own.
//!
//! Suppression is decided exactly as the region pages decide it: each
//! region broken down by all its networks (groups below K hidden, and the
//! next smallest with them), so a network hidden on its region's page is
//! hidden here too, and nothing here shows what those pages do not.

use std::collections::BTreeMap;

use trama_i18n::Lang;
use trama_results::Level;
use trama_results::likert::Group;
use trama_results::responses::GroupBy;
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
    let all = data.table(|_| true);
    let mut out = CampaignAgreement {
        nation: data
            .report(&all, None, Level::Subdimension, lang)
            .groups
            .first()
            .map(GroupAgreement::of)
            .unwrap_or_default(),
        ..CampaignAgreement::default()
    };
    for region in data.regions() {
        let mine = data.table(|r| r.region == region);
        let report = data.report(&mine, Some(GroupBy::Network), Level::Subdimension, lang);
        let mut groups = report.groups.iter();
        if let Some(total) = groups.next() {
            out.regions
                .insert(region.clone(), GroupAgreement::of(total));
        }
        for g in groups {
            if let Some(code) = &g.value {
                out.networks.insert(code.clone(), GroupAgreement::of(g));
            }
        }
    }
    Ok(out)
}

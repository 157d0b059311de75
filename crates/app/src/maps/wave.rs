//! One wave of a map at the viewer's level of detail, and the benchmarks
//! it is set against.

use std::collections::BTreeMap;

use trama_campaign::network_map::{MapSummary, summarise};
use trama_campaign::roster::{
    Member, anonymous_ids, node_id, numbered_network, person_network, school_network,
    school_node_id,
};
use trama_domain::policy::MapView;
use trama_i18n::Lang;
use trama_sna::Network;
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::ties::{NetworkMap, RosterEntry};

use super::Resolved;
use crate::{App, Result};

/// The fewest people a numbered person's visible role and school must be
/// shared with.
const NUMBERED_MIN: usize = 2;

/// One wave of the map at the viewer's level of detail.
pub struct Wave {
    pub campaign: Campaign,
    pub net: Network,
    pub summary: MapSummary,
    /// Node id → what the page shows for it.
    pub labels: BTreeMap<String, String>,
    /// Node id → person id, for person-level views.
    pub people: BTreeMap<String, i64>,
    /// School attribute value → school name.
    pub schools: BTreeMap<String, String>,
    pub map: NetworkMap,
}

/// A member's school as the page names it; members without one sit at the
/// network's level.
fn school_name(m: &RosterEntry, lang: Lang) -> String {
    m.school
        .clone()
        .unwrap_or_else(|| trama_i18n::message(lang, "sna-network-level", None))
}

/// The network at `view`, with what each node is called on the page.
pub(super) fn build(map: &NetworkMap, view: MapView, level: u8, lang: Lang) -> (Network, Labels) {
    let mut members = map.member_facts();
    match view {
        MapView::Schools => {
            let net = school_network(&members, &map.ties, level);
            let mut labels = BTreeMap::new();
            for m in &map.members {
                labels.insert(school_node_id(m.rbd), school_name(m, lang));
            }
            (
                net,
                Labels {
                    labels,
                    people: BTreeMap::new(),
                },
            )
        }
        MapView::Anonymous | MapView::Names | MapView::Hidden => {
            let numbers = anonymous_ids(&members);
            let named = view == MapView::Names;
            if named {
                for (m, e) in members.iter_mut().zip(&map.members) {
                    m.name = Some(e.name.clone());
                }
            }
            let id_of = |m: &Member| {
                if named {
                    node_id(m.person_id)
                } else {
                    numbers.get(&m.person_id).cloned().unwrap_or_default()
                }
            };
            // Numbered people carry only what keeps each of them among two
            // or more alike, and not whether they answered.
            let net = if named {
                person_network(&members, &map.ties, level, id_of)
            } else {
                numbered_network(&members, &map.ties, level, id_of, NUMBERED_MIN)
            };
            let mut labels = BTreeMap::new();
            let mut people = BTreeMap::new();
            for (m, e) in members.iter().zip(&map.members) {
                let id = id_of(m);
                let shown = if named {
                    e.name.clone()
                } else {
                    format!("#{id}")
                };
                labels.insert(id.clone(), shown);
                people.insert(id, m.person_id);
            }
            (net, Labels { labels, people })
        }
    }
}

pub(super) struct Labels {
    labels: BTreeMap<String, String>,
    people: BTreeMap<String, i64>,
}

pub(super) async fn wave(app: &App, r: &Resolved, campaign: &Campaign, lang: Lang) -> Result<Wave> {
    let map = app.store.network_map(campaign, r.network_id).await?;
    let (net, l) = build(&map, r.view, r.level, lang);
    let summary = summarise(&net, &map.member_facts(), &map.ties, r.level);
    let schools = map
        .members
        .iter()
        .map(|m| (school_node_id(m.rbd), school_name(m, lang)))
        .collect();
    Ok(Wave {
        campaign: campaign.clone(),
        net,
        summary,
        labels: l.labels,
        people: l.people,
        schools,
        map,
    })
}

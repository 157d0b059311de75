//! The regional and national means a map is set against, from each
//! network's summary computed once and kept until that network's members or
//! ties change: a map page at 500 networks reads one stamp per network, and
//! summarises again only the networks whose stamp moved.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use trama_campaign::network_map::{Benchmark, MapSummary, benchmark, summarise};
use trama_domain::policy::MapView;
use trama_i18n::Lang;
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::ties::{MapStamps, NetworkMap};

use super::Resolved;
use super::wave::build;
use crate::{App, Result};

/// Above this many networks to summarise again, every map is read in one
/// go rather than one network at a time.
const READ_ALL_ABOVE: usize = 20;

/// Summaries of one campaign at one level of detail and tie level.
struct Summaries {
    registry: [i64; 2],
    /// Network id → (stamp, region, summary; `None` for a network without ties).
    networks: BTreeMap<i64, ([i64; 3], i64, Option<MapSummary>)>,
}

type Key = (i64, &'static str, u8, Lang);

/// Kept summaries by campaign, detail, tie level and language.
#[derive(Default)]
pub(crate) struct SummaryCache(Mutex<HashMap<Key, Arc<Summaries>>>);

fn summary_of(map: &NetworkMap, view: MapView, level: u8, lang: Lang) -> Option<MapSummary> {
    if map.ties.is_empty() {
        return None;
    }
    let (net, _) = build(map, view, level, lang);
    Some(summarise(&net, &map.member_facts(), &map.ties, level))
}

/// Means over the region's networks and over all networks of the campaign,
/// at the same level of detail (never finer than numbered people), so like
/// is compared with like.
pub(super) async fn benchmarks(
    app: &App,
    r: &Resolved,
    lang: Lang,
) -> Result<(Benchmark, Benchmark)> {
    let view = r.view.min(MapView::Anonymous);
    let key: Key = (r.campaign.id, view.as_str(), r.level, lang);
    let stamps = app.store.map_stamps(r.campaign.id).await?;
    let held = app
        .map_summaries()
        .0
        .lock()
        .ok()
        .and_then(|c| c.get(&key).cloned());
    let summaries = refreshed(
        app,
        &r.campaign,
        held.as_deref(),
        &stamps,
        view,
        r.level,
        lang,
    )
    .await?;
    let mut region = vec![];
    let mut nation = vec![];
    for (_, reg, s) in summaries.networks.values() {
        if let Some(s) = s {
            if *reg == r.region {
                region.push(s);
            }
            nation.push(s);
        }
    }
    let out = (benchmark(&region), benchmark(&nation));
    if let Ok(mut c) = app.map_summaries().0.lock() {
        c.insert(key, summaries);
    }
    Ok(out)
}

/// `held` brought up to `stamps`: kept summaries whose network did not
/// move, the others summarised again.
async fn refreshed(
    app: &App,
    campaign: &Campaign,
    held: Option<&Summaries>,
    stamps: &MapStamps,
    view: MapView,
    level: u8,
    lang: Lang,
) -> Result<Arc<Summaries>> {
    let held = held.filter(|h| h.registry == stamps.registry);
    let mut networks = BTreeMap::new();
    let mut stale = vec![];
    for &(id, region, stamp) in &stamps.networks {
        match held.and_then(|h| h.networks.get(&id)) {
            Some((s, _, summary)) if *s == stamp => {
                networks.insert(id, (stamp, region, summary.clone()));
            }
            _ => stale.push((id, region, stamp)),
        }
    }
    if stale.len() > READ_ALL_ABOVE {
        let mut maps = app.store.campaign_maps(campaign).await?;
        for (id, region, stamp) in stale {
            let map = maps.remove(&id).unwrap_or_default();
            networks.insert(id, (stamp, region, summary_of(&map, view, level, lang)));
        }
    } else {
        for (id, region, stamp) in stale {
            let map = app.store.network_map(campaign, id).await?;
            networks.insert(id, (stamp, region, summary_of(&map, view, level, lang)));
        }
    }
    Ok(Arc::new(Summaries {
        registry: stamps.registry,
        networks,
    }))
}

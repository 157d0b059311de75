//! A network's collaboration map per campaign (wave): which wave, at what
//! level of detail, set against the region and the nation, and compared
//! with an earlier wave; with the network as files.
//!
//! Privacy: who named whom is personal data. [`policy::map_view`] decides,
//! per viewer and campaign, whether people appear by name, as numbers, or
//! only schools; the network handed to the drawing, the tables and every
//! file is built at that level, so nothing finer ever leaves the server.
//! A comparison shows both waves at one level: the stricter of what each
//! campaign allows.

mod benchmarks;
pub mod export;
mod wave;

use trama_campaign::network_map::Benchmark;
use trama_domain::network::NetworkCode;
use trama_domain::policy::{self, Actor, MapView};
use trama_i18n::Lang;
use trama_store::campaigns::lifecycle::Campaign;

use crate::{App, Error, Result};
pub(crate) use benchmarks::SummaryCache;
pub use wave::Wave;

/// What a request about a map asks for.
#[derive(Debug, Clone, Default)]
pub struct MapQuery {
    /// The wave's campaign code; the latest when absent.
    pub campaign: Option<String>,
    /// The campaign to compare with; the latest earlier year when absent,
    /// none when empty.
    pub compare: Option<String>,
    /// Weakest collaboration level counted as a tie (1–5).
    pub level: Option<u8>,
    /// The detail asked for; never more than the viewer may see.
    pub view: Option<MapView>,
}

/// Everything a request about one network's map settles first.
pub struct Resolved {
    pub code: NetworkCode,
    pub network_id: i64,
    pub network_name: String,
    pub region: i64,
    /// The network's campaigns, newest first.
    pub campaigns: Vec<Campaign>,
    pub campaign: Campaign,
    /// The wave compared with, if any the viewer may see.
    pub earlier: Option<Campaign>,
    /// The most the viewer may see of every wave on the page.
    pub allowed: MapView,
    /// The level shown: what was asked for, within `allowed`.
    pub view: MapView,
    pub level: u8,
}

/// The network and its waves as `actor` may see them, or a refusal.
pub async fn resolve(app: &App, actor: &Actor, code: &str, q: &MapQuery) -> Result<Resolved> {
    let code = NetworkCode::parse(code).map_err(|_| Error::NotFound)?;
    let target = app
        .store
        .network_target(&code)
        .await?
        .ok_or(Error::NotFound)?;
    let network_id = *target.networks.first().ok_or(Error::NotFound)?;
    let campaigns = app.store.network_campaigns(network_id).await?;
    let campaign = match &q.campaign {
        Some(c) => campaigns.iter().find(|x| &x.code == c),
        None => default_campaign(&campaigns),
    }
    .cloned()
    .ok_or(Error::NotFound)?;
    let mut allowed = policy::map_view(actor, &target, campaign.sna_view);
    if allowed == MapView::Hidden {
        return Err(Error::Forbidden);
    }
    // The earlier wave is drawn, tabled and diffed at the page's one level,
    // so that level must be one its own campaign allows; a wave the viewer
    // may not see at all is not compared with.
    let earlier = earlier_campaign(&campaigns, &campaign, q).and_then(|e| {
        let theirs = policy::map_view(actor, &target, e.sna_view);
        (theirs != MapView::Hidden).then(|| {
            allowed = allowed.min(theirs);
            e.clone()
        })
    });
    let view = q.view.map_or(allowed, |v| v.min(allowed));
    let detail = app
        .store
        .get_network(&code, Some(campaign.year))
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Resolved {
        network_name: detail.summary.name.clone(),
        region: i64::from(detail.summary.region_code),
        code,
        network_id,
        campaigns,
        campaign,
        earlier,
        allowed,
        view,
        level: q.level.unwrap_or(1).clamp(1, 5),
    })
}

/// The round a network's map and results open on when none is asked for:
/// the newest closed one (its answers are all in), else the newest open one,
/// else the newest. An open round with a handful of answers so far would
/// otherwise greet every reader with an almost empty picture.
pub fn default_campaign(campaigns: &[Campaign]) -> Option<&Campaign> {
    use trama_store::campaigns::lifecycle::CampaignStatus;
    let newest = |status: CampaignStatus| campaigns.iter().find(|c| c.status == status);
    newest(CampaignStatus::Closed)
        .or_else(|| newest(CampaignStatus::Open))
        .or_else(|| campaigns.first())
}

/// The wave to compare with: the one asked for, or else the latest earlier
/// year; `compare=` (empty) asks for none.
fn earlier_campaign<'a>(
    campaigns: &'a [Campaign],
    now: &Campaign,
    q: &MapQuery,
) -> Option<&'a Campaign> {
    match &q.compare {
        Some(c) if c.is_empty() => None,
        Some(c) => campaigns.iter().find(|x| &x.code == c && x.id != now.id),
        None => campaigns.iter().find(|x| x.year < now.year),
    }
}

/// A map page's data: the wave, the earlier one, and the benchmarks.
pub struct Map {
    pub resolved: Resolved,
    pub now: Wave,
    pub before: Option<Wave>,
    pub region: Benchmark,
    pub nation: Benchmark,
}

pub async fn show(app: &App, actor: &Actor, code: &str, q: &MapQuery, lang: Lang) -> Result<Map> {
    let r = resolve(app, actor, code, q).await?;
    let (now, before) = waves(app, &r, lang).await?;
    let (region, nation) = benchmarks::benchmarks(app, &r, lang).await?;
    Ok(Map {
        resolved: r,
        now,
        before,
        region,
        nation,
    })
}

/// The wave asked for and the earlier one, at the resolved level.
pub async fn waves(app: &App, r: &Resolved, lang: Lang) -> Result<(Wave, Option<Wave>)> {
    let now = wave::wave(app, r, &r.campaign, lang).await?;
    let before = match &r.earlier {
        Some(e) => Some(wave::wave(app, r, e, lang).await?),
        None => None,
    };
    Ok((now, before))
}

//! Results of a campaign: the national report, a region's, a network's, an
//! item's and the year comparison, as [`ReportView`]s the pages draw and
//! the PDFs typeset from the same suppressed figures.
//!
//! Who reads which report is the policy's
//! [`Action::ReadResults`](trama_domain::policy::Action::ReadResults), asked
//! with the campaign's real scope and the region's or network's real place;
//! a region or network the campaign does not cover is not found.
//!
//! Anonymity is enforced on the data, before anything is drawn: every figure
//! comes from `trama_results::likert::report`, which suppresses groups below
//! K respondents and, when one group of a breakdown is suppressed, the next
//! smallest too. A breakdown is always computed over exactly the respondents
//! the report covers (a region breaks its own region down), so its total
//! minus what is shown never isolates one small group.

pub(crate) mod agreement;
pub mod api;
pub mod audit;
mod data;
pub(crate) mod pdf;
mod reports;
mod view;

use trama_domain::network::NetworkCode;
use trama_domain::policy::{Action, Actor, Results, Target};
use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_store::campaigns::lifecycle::Campaign;

use crate::access::{allow, may};
use crate::campaigns::{CampaignRef, find};
use crate::{App, Error, Result};
pub(crate) use data::{Data, ResultsCache};
pub use view::{Figure, FigureRow, ReportView};

/// What a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportScope {
    National,
    Region(RegionCode),
    Network(NetworkCode),
}

/// The national report, with where to go from it.
pub struct National {
    pub campaign: Campaign,
    pub view: ReportView,
    /// Regions with respondents, by code (`"8"`), for their own pages.
    pub regions: Vec<String>,
    /// Statements with a page of their own: (item name, label).
    pub items: Vec<(String, String)>,
}

/// A region's report, with the networks the reader may open.
pub struct Regional {
    pub campaign: Campaign,
    pub view: ReportView,
    pub region: RegionCode,
    /// (code, name) of the networks the reader may open.
    pub networks: Vec<(String, String)>,
}

/// A report with nothing to navigate to (a network's, an item's, the years).
pub struct Report {
    pub campaign: Campaign,
    pub view: ReportView,
}

/// A network's report with what its reader may climb back to.
pub struct Networked {
    pub campaign: Campaign,
    pub view: ReportView,
    pub region: RegionCode,
    pub network_name: String,
    /// Whether the reader may open the campaign's results and the region's.
    pub may_campaign: bool,
    pub may_region: bool,
    /// Whether the reader may open the network's registry page and its
    /// profile (its map they may, having its report).
    pub may_registry: bool,
    pub may_profile: bool,
}

/// The name of a network's place, for headings and links.
async fn network_name(app: &App, place: &Target) -> Result<Option<String>> {
    Ok(match place.networks.first() {
        Some(id) => app.store.network_by_id(*id).await?.map(|(_, name)| name),
        None => None,
    })
}

/// The campaign if `actor` may read its results at campaign level.
async fn campaign_for(app: &App, actor: &Actor, code: &str) -> Result<CampaignRef> {
    let c = find(app, code).await?;
    allow(actor, Action::ReadResults(Results::Campaign), &c.target)?;
    Ok(c)
}

/// The region's place if the campaign covers it and `actor` may read it.
async fn region_for(app: &App, actor: &Actor, c: &CampaignRef, region: RegionCode) -> Result<()> {
    if !(c.target.national || c.target.regions.contains(&region)) {
        return Err(Error::NotFound);
    }
    let place = app.store.region_target(region).await?;
    allow(actor, Action::ReadResults(Results::Region), &place)
}

/// The network's place if the campaign covers it and `actor` may read its
/// report (its own participants may, without reading the campaign's).
async fn network_for(
    app: &App,
    actor: &Actor,
    c: &CampaignRef,
    code: &NetworkCode,
) -> Result<Target> {
    let place = app
        .store
        .network_target(code)
        .await?
        .ok_or(Error::NotFound)?;
    allow(actor, Action::ReadResults(Results::Network), &place)?;
    let covered = c.target.national
        || place
            .networks
            .iter()
            .any(|id| c.target.networks.contains(id));
    if covered {
        Ok(place)
    } else {
        Err(Error::NotFound)
    }
}

pub async fn national(app: &App, actor: &Actor, campaign: &str, lang: Lang) -> Result<National> {
    let c = campaign_for(app, actor, campaign).await?;
    let data = Data::load(app, c.campaign).await?;
    let view = reports::national(app, &data, lang).await?;
    Ok(National {
        regions: data.regions(),
        items: data
            .design()
            .items
            .iter()
            .map(|i| (i.name.clone(), i.label(lang).to_owned()))
            .collect(),
        view,
        campaign: data.campaign,
    })
}

pub async fn region(
    app: &App,
    actor: &Actor,
    campaign: &str,
    region: RegionCode,
    lang: Lang,
) -> Result<Regional> {
    let c = campaign_for(app, actor, campaign).await?;
    region_for(app, actor, &c, region).await?;
    let data = Data::load(app, c.campaign).await?;
    // Every network of the region is in the breakdown (so suppression is
    // decided on all of them); the reader is shown those they may open.
    let mut readable = vec![];
    let mut named = vec![];
    for code in data.networks_in(region) {
        let Ok(parsed) = NetworkCode::parse(&code) else {
            continue;
        };
        if let Some(t) = app.store.network_target(&parsed).await?
            && may(actor, Action::ReadResults(Results::Network), &t)
        {
            let name = network_name(app, &t).await?.unwrap_or_else(|| code.clone());
            named.push((code.clone(), name));
            readable.push(code);
        }
    }
    let view = reports::region(&data, region, &readable, lang);
    Ok(Regional {
        view,
        region,
        networks: named,
        campaign: data.campaign,
    })
}

pub async fn network(
    app: &App,
    actor: &Actor,
    campaign: &str,
    network: &NetworkCode,
    lang: Lang,
) -> Result<Networked> {
    let c = find(app, campaign).await?;
    let place = network_for(app, actor, &c, network).await?;
    let may_campaign = may(actor, Action::ReadResults(Results::Campaign), &c.target);
    let data = Data::load(app, c.campaign).await?;
    let region = place.single_region().ok_or(Error::NotFound)?;
    let may_region = may_campaign
        && may(
            actor,
            Action::ReadResults(Results::Region),
            &app.store.region_target(region).await?,
        );
    let network_name = network_name(app, &place)
        .await?
        .unwrap_or_else(|| network.to_string());
    let view = reports::network(app, &data, network, &network_name, region, lang).await?;
    Ok(Networked {
        view,
        campaign: data.campaign,
        region,
        network_name,
        may_campaign,
        may_region,
        may_registry: may(actor, Action::ViewRegistry, &place),
        may_profile: may(actor, Action::ReadCharacterisation, &place),
    })
}

pub async fn item(
    app: &App,
    actor: &Actor,
    campaign: &str,
    item: &str,
    lang: Lang,
) -> Result<Report> {
    let c = campaign_for(app, actor, campaign).await?;
    let data = Data::load(app, c.campaign).await?;
    let view = reports::item(&data, item, lang).ok_or(Error::NotFound)?;
    Ok(Report {
        view,
        campaign: data.campaign,
    })
}

/// Year over year: the nation, or one region, in every campaign of the
/// same questionnaire the reader may read.
pub async fn years(
    app: &App,
    actor: &Actor,
    campaign: &str,
    region: Option<RegionCode>,
    lang: Lang,
) -> Result<Report> {
    let c = campaign_for(app, actor, campaign).await?;
    if let Some(r) = region {
        region_for(app, actor, &c, r).await?;
    }
    let data = Data::load(app, c.campaign).await?;
    let mut others = vec![];
    for other in app.store.list_campaigns().await? {
        if other.instrument_code != data.campaign.instrument_code || other.id == data.campaign.id {
            continue;
        }
        let target = app.store.campaign_target(&other).await?;
        let readable = may(actor, Action::ReadResults(Results::Campaign), &target)
            && match region {
                Some(r) => {
                    (target.national || target.regions.contains(&r))
                        && may(
                            actor,
                            Action::ReadResults(Results::Region),
                            &app.store.region_target(r).await?,
                        )
                }
                None => true,
            };
        if readable {
            others.push(Data::load(app, other).await?);
        }
    }
    let view = reports::years(&data, &others, region, lang);
    Ok(Report {
        view,
        campaign: data.campaign,
    })
}

/// A campaign's report for `scope` as PDF bytes, for whoever may read that
/// report (the command line's operator reads them all).
pub async fn pdf(
    app: &App,
    actor: &Actor,
    campaign: &str,
    scope: &ReportScope,
    lang: Lang,
    date: jiff::civil::Date,
) -> Result<Vec<u8>> {
    let (campaign, view, extra) = match scope {
        ReportScope::National => {
            let r = national(app, actor, campaign, lang).await?;
            let table = typology_section(app, actor, &r.campaign.code, None, lang).await?;
            (r.campaign, r.view, table)
        }
        ReportScope::Region(code) => {
            let r = region(app, actor, campaign, *code, lang).await?;
            let table = typology_section(app, actor, &r.campaign.code, Some(*code), lang).await?;
            (r.campaign, r.view, table)
        }
        ReportScope::Network(code) => {
            let r = network(app, actor, campaign, code, lang).await?;
            let profile = profile_sections(app, actor, code, &r.campaign.code, lang).await?;
            (r.campaign, r.view, profile)
        }
    };
    pdf::render(view, &campaign.name, lang, date, extra).await
}

/// The study's table of the campaign's networks (level, dominant type, the
/// foci each emphasises), for a reader who may read it.
async fn typology_section(
    app: &App,
    actor: &Actor,
    campaign: &str,
    region: Option<RegionCode>,
    lang: Lang,
) -> Result<Vec<trama_pdf::Section>> {
    use crate::characterisation::table;
    match table::table(app, actor, campaign, region, table::Sort::Network).await {
        Ok(t) if !t.rows.is_empty() => Ok(vec![table::pdf_section(&t, lang)]),
        Ok(_) | Err(Error::Forbidden | Error::NotFound) => Ok(vec![]),
        Err(e) => Err(e),
    }
}

/// The network's profile in the campaign, as sections of its report, for
/// a reader who may read it (the same rule as the report's own, so in
/// practice every reader of the report).
async fn profile_sections(
    app: &App,
    actor: &Actor,
    code: &NetworkCode,
    campaign: &str,
    lang: Lang,
) -> Result<Vec<trama_pdf::Section>> {
    use crate::characterisation::{ficha, profile, view};
    let n = crate::registry::networks::find(app, code.as_str()).await?;
    match profile::profile(app, actor, &n, Some(campaign)).await {
        Ok(p) => {
            let v = view::view(&p, lang, app.min_group(), &app.settings().characterising);
            Ok(ficha::sections(&v, lang))
        }
        Err(Error::Forbidden | Error::NotFound) => Ok(vec![]),
        Err(e) => Err(e),
    }
}

/// The date printed on a report: today in Chile, where the campaigns run.
pub fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(trama_stdx::time::chile())
        .date()
}

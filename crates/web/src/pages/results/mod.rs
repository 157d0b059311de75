//! Results pages: the national dashboard, a region's page, a network's
//! report, an item's detail and the year comparison, drawn from the
//! application layer's [`ReportView`]s (see `trama_app::results`, where
//! who may read what and what is suppressed are decided).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use trama_app::results::{self, ReportView};
use trama_domain::network::NetworkCode;
use trama_domain::territory::RegionCode;
use trama_store::campaigns::lifecycle::Campaign;

use super::{Chrome, region_name, render};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

mod pdf;
pub use pdf::{national_pdf, network_pdf, region_pdf};

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
    c: Chrome,
    crumbs: Vec<(String, String)>,
    campaign_code: String,
    /// What the page reports; everything else here is navigation.
    view: ReportView,
    links_title: String,
    links: Vec<(String, String)>,
    /// Statements with a page of their own: (item name, label).
    item_links: Vec<(String, String)>,
    scale_head: Vec<String>,
    /// Where the page's PDF is downloaded from; empty for pages without one.
    pdf: String,
}

impl ResultsPage {
    /// A page showing `view` with no navigation yet; handlers add theirs.
    fn new(ctx: &Ctx, campaign: &Campaign, view: ReportView) -> Self {
        ResultsPage {
            c: Chrome::new(ctx, "campaigns"),
            crumbs: vec![],
            campaign_code: campaign.code.clone(),
            view,
            links_title: String::new(),
            links: vec![],
            item_links: vec![],
            scale_head: [
                "scale-na", "scale-1", "scale-2", "scale-3", "scale-4", "scale-5",
            ]
            .iter()
            .map(|k| ctx.t(k))
            .collect(),
            pdf: String::new(),
        }
    }
}

/// A region in a path: its code (`8`); anything else is not a page.
pub(super) fn region_segment(s: &str) -> Result<RegionCode, AppError> {
    s.parse::<i16>()
        .ok()
        .and_then(|c| RegionCode(c).region().map(|_| RegionCode(c)))
        .ok_or(AppError::NotFound)
}

pub(super) fn network_segment(s: &str) -> Result<NetworkCode, AppError> {
    NetworkCode::parse(s).map_err(|_| AppError::NotFound)
}

fn region_label(code: &str) -> String {
    code.parse::<i32>()
        .map_or_else(|_| code.to_owned(), region_name)
}

pub async fn national(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(campaign): Path<String>,
) -> Result<Response, AppError> {
    let r = results::national(&state.app, ctx.actor()?, &campaign, ctx.lang).await?;
    let code = &r.campaign.code;
    render(&ResultsPage {
        crumbs: vec![(format!("/campaigns/{code}"), r.campaign.name.clone())],
        pdf: format!("/campaigns/{code}/results/report.pdf"),
        links_title: ctx.t("results-by-region"),
        links: std::iter::once((
            format!("/campaigns/{code}/results/years"),
            ctx.t("results-years-title"),
        ))
        .chain(r.regions.iter().map(|g| {
            (
                format!("/campaigns/{code}/results/regions/{g}"),
                region_label(g),
            )
        }))
        .collect(),
        item_links: r.items,
        ..ResultsPage::new(&ctx, &r.campaign, r.view)
    })
}

pub async fn region(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((campaign, region)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let region = region_segment(&region)?;
    let r = results::region(&state.app, actor, &campaign, region, ctx.lang).await?;
    let code = &r.campaign.code;
    render(&ResultsPage {
        crumbs: vec![
            (format!("/campaigns/{code}"), r.campaign.name.clone()),
            (format!("/campaigns/{code}/results"), ctx.t("results-title")),
        ],
        pdf: format!("/campaigns/{code}/results/regions/{}/report.pdf", region.0),
        links_title: ctx.t("results-by-network"),
        links: r
            .networks
            .iter()
            .map(|(n, name)| {
                (
                    format!("/campaigns/{code}/results/networks/{n}"),
                    format!("{name} ({n})"),
                )
            })
            .collect(),
        ..ResultsPage::new(&ctx, &r.campaign, r.view)
    })
}

pub async fn network(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((campaign, network)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let net = network_segment(&network)?;
    let r = results::network(&state.app, actor, &campaign, &net, ctx.lang).await?;
    let code = &r.campaign.code;
    // Back up to the campaign, its results and the region, as far as the
    // reader may go; across to the network's own pages.
    let mut crumbs = vec![];
    if r.may_campaign {
        crumbs.push((format!("/campaigns/{code}"), r.campaign.name.clone()));
        crumbs.push((format!("/campaigns/{code}/results"), ctx.t("results-title")));
    }
    if r.may_region {
        crumbs.push((
            format!("/campaigns/{code}/results/regions/{}", r.region.0),
            region_name(i32::from(r.region.0)),
        ));
    }
    let mut links = vec![];
    if r.may_registry {
        crumbs.push((format!("/networks/{net}"), r.network_name.clone()));
        links.push((format!("/networks/{net}"), r.network_name.clone()));
    }
    links.push((
        format!("/networks/{net}/map?campaign={code}"),
        ctx.t("sna-map-link"),
    ));
    if r.may_profile {
        links.push((
            format!("/networks/{net}/profile"),
            ctx.t("results-network-profile"),
        ));
    }
    render(&ResultsPage {
        crumbs,
        pdf: format!("/campaigns/{code}/results/networks/{net}/report.pdf"),
        links_title: ctx.t("results-network-pages"),
        links,
        ..ResultsPage::new(&ctx, &r.campaign, r.view)
    })
}

pub async fn item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((campaign, item)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let r = results::item(&state.app, ctx.actor()?, &campaign, &item, ctx.lang).await?;
    render(&ResultsPage {
        crumbs: vec![(
            format!("/campaigns/{}/results", r.campaign.code),
            ctx.t("results-title"),
        )],
        ..ResultsPage::new(&ctx, &r.campaign, r.view)
    })
}

#[derive(Deserialize)]
pub struct YearsQuery {
    region: Option<String>,
}

/// Year over year: the nation, or a region with `?region=`.
pub async fn years(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(campaign): Path<String>,
    Query(q): Query<YearsQuery>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let region = match q.region.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => Some(region_segment(r)?),
        None => None,
    };
    let r = results::years(&state.app, actor, &campaign, region, ctx.lang).await?;
    render(&ResultsPage {
        crumbs: vec![(
            format!("/campaigns/{}/results", r.campaign.code),
            r.campaign.name.clone(),
        )],
        ..ResultsPage::new(&ctx, &r.campaign, r.view)
    })
}

//! Regions and a region's page: its DEPROVs and the networks in it the
//! reader may read.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use trama_app::registry::territory;
use trama_store::registry::Page;
use trama_store::registry::networks::NetworkSummary;
use trama_store::registry::territory::{Deprov, RegionSummary};

use super::{Chrome, Pager, region_name, render};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "regions.html")]
struct RegionsPage {
    c: Chrome,
    regions: Vec<RegionSummary>,
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let regions = territory::list_regions(&state.app, ctx.actor()?).await?;
    render(&RegionsPage {
        c: Chrome::new(&ctx, "regions"),
        regions,
    })
}

#[derive(Template)]
#[template(path = "region.html")]
struct RegionPage {
    c: Chrome,
    region_code: i32,
    region_name: String,
    deprovs: Vec<Deprov>,
    networks: Page<NetworkSummary>,
    pager: Pager,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let region = territory::parse_region(&code)?;
    let territory::RegionView {
        deprovs, networks, ..
    } = territory::region(&state.app, actor, region).await?;
    let pager = Pager::new(&ctx, &networks, &format!("/regions/{}", region.0), &[]);
    render(&RegionPage {
        c: Chrome::new(&ctx, "regions"),
        region_code: i32::from(region.0),
        region_name: region_name(i32::from(region.0)),
        deprovs,
        networks,
        pager,
    })
}

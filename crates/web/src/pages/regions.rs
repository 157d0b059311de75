use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use trama_domain::policy::{Action, Scope, Target, registry_scope};
use trama_domain::territory::RegionCode;
use trama_store::registry::networks::{NetworkFilter, NetworkSummary};
use trama_store::registry::territory::{Deprov, RegionSummary};
use trama_store::registry::{Page, PageRequest};

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
    let actor = ctx.allow(Action::ViewRegistry, &Target::global())?;
    let scope = registry_scope(actor).ok_or(AppError::Forbidden)?;
    let regions = state.store.list_regions(&scope).await?;
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
    ctx.actor()?;
    let region = RegionCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let actor = ctx.actor()?;
    let scope = registry_scope(actor).ok_or(AppError::Forbidden)?;
    // A supervisor may open a region page, which then lists only their networks.
    if let Scope::Region(r) = scope
        && r != region
    {
        return Err(AppError::Forbidden);
    }
    let filter = NetworkFilter {
        region: Some(i32::from(region.0)),
        ..Default::default()
    };
    let networks = state
        .store
        .list_networks(
            &filter,
            &scope,
            PageRequest {
                page: Some(1),
                per_page: Some(200),
            },
        )
        .await?;
    let deprovs = match scope {
        Scope::Networks(_) => vec![],
        _ => state.store.list_deprovs(region).await?,
    };
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

//! Regions and their DEPROVs, as far as the actor may read them.

use trama_domain::policy::{Action, Actor, Scope};
use trama_domain::territory::RegionCode;
use trama_store::registry::networks::{NetworkFilter, NetworkSummary};
use trama_store::registry::territory::{Deprov, RegionSummary};
use trama_store::registry::{Page, PageRequest};

use crate::access::{allow, registry_scope};
use crate::{App, Error, Result};

pub async fn list_regions(app: &App, actor: &Actor) -> Result<Vec<RegionSummary>> {
    let scope = registry_scope(actor)?;
    Ok(app.store.list_regions(&scope).await?)
}

/// A region's page: its DEPROVs (for those who read the region) and the
/// networks in it the actor may read.
pub struct RegionView {
    pub region: RegionCode,
    pub deprovs: Vec<Deprov>,
    pub networks: Page<NetworkSummary>,
}

/// A region code as typed in a path or a flag (`8`, `VIII`), or not found.
pub fn parse_region(code: &str) -> Result<RegionCode> {
    RegionCode::parse(code).map_err(|_| Error::NotFound)
}

pub async fn region(app: &App, actor: &Actor, region: RegionCode) -> Result<RegionView> {
    let target = app.store.region_target(region).await?;
    allow(actor, Action::ViewRegistry, &target)?;
    let scope = registry_scope(actor)?;
    let networks = app
        .store
        .list_networks(
            &NetworkFilter {
                region: Some(i32::from(region.0)),
                ..Default::default()
            },
            &scope,
            PageRequest {
                page: Some(1),
                per_page: Some(200),
            },
        )
        .await?;
    // A supervisor reads their networks in the region, not its DEPROVs.
    let deprovs = match scope {
        Scope::Networks(_) => vec![],
        _ => app.store.list_deprovs(region).await?,
    };
    Ok(RegionView {
        region,
        deprovs,
        networks,
    })
}

/// The DEPROVs of a region, for those who read the whole region.
pub async fn deprovs(app: &App, actor: &Actor, region: RegionCode) -> Result<Vec<Deprov>> {
    allow(
        actor,
        Action::ViewRegistry,
        &trama_domain::policy::Target::region(region),
    )?;
    Ok(app.store.list_deprovs(region).await?)
}

/// What the home page counts: regions with networks or schools, networks
/// and schools within the actor's scope (zeros for those who read none).
pub async fn overview(app: &App, actor: &Actor) -> Result<(usize, i64, i64)> {
    let Some(scope) = trama_domain::policy::registry_scope(actor) else {
        return Ok((0, 0, 0));
    };
    let regions = app.store.list_regions(&scope).await?;
    let with_data = regions
        .iter()
        .filter(|r| r.networks > 0 || r.schools > 0)
        .count();
    let networks = app
        .store
        .list_networks(&Default::default(), &scope, Default::default())
        .await?
        .total;
    let schools = app
        .store
        .list_schools(&Default::default(), &scope, Default::default())
        .await?
        .total;
    Ok((with_data, networks, schools))
}

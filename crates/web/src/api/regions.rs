use axum::Json;
use axum::extract::{Path, State};
use trama_domain::policy::{Action, Scope, Target, registry_scope};
use trama_domain::territory::RegionCode;
use trama_store::registry::territory::{Deprov, RegionSummary};

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

/// Regions with their network and school counts, within the caller's scope.
#[utoipa::path(get, path = "/api/v1/regions", tag = "registry",
    responses((status = 200, body = Vec<RegionSummary>), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<RegionSummary>>, AppError> {
    let actor = ctx.allow(Action::ViewRegistry, &Target::global())?;
    let scope = registry_scope(actor).ok_or(AppError::Forbidden)?;
    Ok(Json(state.store.list_regions(&scope).await?))
}

/// The DEPROVs of a region.
#[utoipa::path(get, path = "/api/v1/regions/{code}/deprovs", tag = "registry",
    params(("code" = String, Path, description = "Region code (5) or numeral (V, RM)")),
    responses((status = 200, body = Vec<Deprov>), (status = 404, body = crate::error::Problem)))]
pub async fn deprovs(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Json<Vec<Deprov>>, AppError> {
    ctx.actor()?;
    let region = RegionCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let actor = ctx.actor()?;
    match registry_scope(actor) {
        Some(Scope::All) => {}
        Some(Scope::Region(r)) if r == region => {}
        _ => return Err(AppError::Forbidden),
    }
    Ok(Json(state.store.list_deprovs(region).await?))
}

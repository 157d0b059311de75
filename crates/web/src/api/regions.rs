//! Regions and their DEPROVs.

use axum::Json;
use axum::extract::{Path, State};
use trama_app::registry::territory;
use trama_store::registry::territory::{Deprov, RegionSummary};

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

/// Regions with their network and school counts, within the caller's scope.
#[utoipa::path(get, path = "/regions", tag = "registry",
    extensions(("x-trama-access" = json!("view_registry"))),
    responses((status = 200, body = Vec<RegionSummary>), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<RegionSummary>>, AppError> {
    Ok(Json(
        territory::list_regions(&state.app, ctx.actor()?).await?,
    ))
}

/// The DEPROVs of a region.
#[utoipa::path(get, path = "/regions/{region}/deprovs", tag = "registry",
    extensions(("x-trama-access" = json!("view_registry"))),
    params(("region" = String, Path, description = "Region code (5) or numeral (V, RM)")),
    responses((status = 200, body = Vec<Deprov>), (status = 404, body = crate::error::Problem)))]
pub async fn deprovs(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(region): Path<String>,
) -> Result<Json<Vec<Deprov>>, AppError> {
    let actor = ctx.actor()?;
    let region = territory::parse_region(&region)?;
    Ok(Json(territory::deprovs(&state.app, actor, region).await?))
}

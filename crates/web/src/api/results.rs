//! A campaign's results for programs: the national dashboard's breakdowns,
//! a region page's and a network report's groups, each as its page shows
//! them to the caller (the same disclosure decision, the same scope).

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use trama_app::registry::territory;
use trama_app::results::api::{self, Breakdown, Groups};
use trama_domain::network::NetworkCode;
use trama_results::Level;

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

/// The national dashboard's breakdown and level.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsQuery {
    /// national | region | deprov | network | role (default region).
    #[param(nullable = false, pattern = "^(national|region|deprov|network|role)$")]
    by: Option<String>,
    /// dimension | subdimension | item (default subdimension).
    #[param(nullable = false, pattern = "^(dimension|subdimension|item)$")]
    level: Option<String>,
}

/// A region page's breakdown (within the region) and level.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionQuery {
    /// network | role (default network).
    #[param(nullable = false, pattern = "^(network|role)$")]
    by: Option<String>,
    /// dimension | subdimension | item (default subdimension).
    #[param(nullable = false, pattern = "^(dimension|subdimension|item)$")]
    level: Option<String>,
}

/// A network report's level (its groups are fixed).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LevelQuery {
    /// dimension | subdimension | item (default subdimension).
    #[param(nullable = false, pattern = "^(dimension|subdimension|item)$")]
    level: Option<String>,
}

/// The groups of one breakdown, in the shape of `trama report likert`.
/// Suppressed groups carry `"suppressed": true`, no figures and
/// `n_respondents` 0.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ResultsBody {
    campaign: String,
    levels: Vec<String>,
    min_group: u64,
    exclude_na: bool,
    groups: Vec<ResultsGroup>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ResultsGroup {
    by: String,
    value: Option<String>,
    n_respondents: u64,
    suppressed: bool,
    rows: Vec<ResultsRow>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ResultsRow {
    level: String,
    code: String,
    label: String,
    n_answers: Option<u64>,
    /// Percent per answer: `NA`, `1` … `5`.
    #[schema(value_type = Option<Object>)]
    pct: Option<()>,
    agree: Option<f64>,
    disagree: Option<f64>,
    suppressed: bool,
}

fn level(level: Option<&str>) -> Result<Level, AppError> {
    match level {
        None => Ok(Level::Subdimension),
        Some(l) => Level::parse(l).ok_or(AppError::BadRequest),
    }
}

fn breakdown(by: Option<&str>, default: Breakdown) -> Result<Breakdown, AppError> {
    match by {
        None => Ok(default),
        Some(b) => Breakdown::parse(b).ok_or(AppError::BadRequest),
    }
}

/// The national dashboard's groups: the nation, then `by`'s.
#[utoipa::path(get, path = "/campaigns/{code}/results", tag = "results",
    extensions(("x-trama-access" = json!("read_results(campaign)"))),
    params(("code" = String, Path, description = "Campaign code"), ResultsQuery),
    responses((status = 200, body = ResultsBody), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn campaign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    super::ApiQuery(q): super::ApiQuery<ResultsQuery>,
) -> Result<Json<Groups>, AppError> {
    let actor = ctx.actor()?;
    let by = breakdown(q.by.as_deref(), Breakdown::Region)?;
    let level = level(q.level.as_deref())?;
    Ok(Json(
        api::campaign(&state.app, actor, &code, by, level, ctx.lang).await?,
    ))
}

/// A region page's groups: the region, then its networks or its roles.
#[utoipa::path(get, path = "/campaigns/{code}/results/regions/{region}", tag = "results",
    extensions(("x-trama-access" = json!("read_results(region)"))),
    params(("code" = String, Path, description = "Campaign code"), ("region" = String, Path, description = "Region code (5), as the responses export's `region` column"), RegionQuery),
    responses((status = 200, body = ResultsBody), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn region(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, region)): Path<(String, String)>,
    super::ApiQuery(q): super::ApiQuery<RegionQuery>,
) -> Result<Json<Groups>, AppError> {
    let actor = ctx.actor()?;
    let by = breakdown(q.by.as_deref(), Breakdown::Network)?;
    if !matches!(by, Breakdown::Network | Breakdown::Role) {
        return Err(AppError::BadRequest);
    }
    let level = level(q.level.as_deref())?;
    let region = territory::parse_region(&region)?;
    Ok(Json(
        api::region(&state.app, actor, &code, region, by, level, ctx.lang).await?,
    ))
}

/// A network report's groups: the network, its region and the nation.
#[utoipa::path(get, path = "/campaigns/{code}/results/networks/{network}", tag = "results",
    extensions(("x-trama-access" = json!("read_results(network)"))),
    params(("code" = String, Path, description = "Campaign code"), ("network" = String, Path, description = "Network code"), LevelQuery),
    responses((status = 200, body = ResultsBody), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn network(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, network)): Path<(String, String)>,
    super::ApiQuery(q): super::ApiQuery<LevelQuery>,
) -> Result<Json<Groups>, AppError> {
    let actor = ctx.actor()?;
    let level = level(q.level.as_deref())?;
    let network = NetworkCode::parse(&network).map_err(|_| AppError::NotFound)?;
    Ok(Json(
        api::network(&state.app, actor, &code, &network, level, ctx.lang).await?,
    ))
}

//! Networks: list, detail by year, create, replace, add a school.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use trama_app::registry::networks::{self, NetworkRef};
use trama_domain::problem::FieldProblem;
use trama_domain::school::Rbd;
use trama_domain::span::YearSpan;
use trama_store::registry::networks::{NetworkDetail, NetworkFilter, NetworkInput, NetworkSummary};
use trama_store::registry::{Page, PageRequest};

use super::ApiJson;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::paths::NetworkPath;
use crate::state::AppState;

/// Networks, filtered and paginated, within the caller's scope.
#[utoipa::path(get, path = "/networks", tag = "registry", params(NetworkFilter, PageRequest),
    extensions(("x-trama-access" = json!("view_registry"))),
    responses((status = 200, body = Page<NetworkSummary>), (status = 401, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    super::ApiQuery(filter): super::ApiQuery<NetworkFilter>,
    super::ApiPage(page): super::ApiPage,
) -> Result<Json<Page<NetworkSummary>>, AppError> {
    Ok(Json(
        networks::list(&state.app, ctx.actor()?, &filter, page).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParam {
    /// The year the composition refers to (default: current year).
    year: Option<i32>,
}

async fn detail(
    state: &AppState,
    ctx: &Ctx,
    n: &NetworkRef,
    year: Option<i32>,
) -> Result<Json<NetworkDetail>, AppError> {
    Ok(Json(
        networks::show(&state.app, ctx.actor()?, n, year)
            .await?
            .detail,
    ))
}

/// A network with its schools and people in a year, and its history.
#[utoipa::path(get, path = "/networks/{network}", tag = "registry",
    extensions(("x-trama-access" = json!("view_registry"))),
    params(("network" = String, Path, description = "Network code, e.g. RME7"), YearParam),
    responses((status = 200, body = NetworkDetail), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    super::ApiQuery(q): super::ApiQuery<YearParam>,
) -> Result<Json<NetworkDetail>, AppError> {
    detail(&state, &ctx, &n, q.year).await
}

/// Creates a network.
#[utoipa::path(post, path = "/networks", tag = "registry", request_body = NetworkInput,
    extensions(("x-trama-access" = json!("edit_registry"))),
    responses((status = 201, body = NetworkDetail), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<NetworkInput>,
) -> Result<(StatusCode, Json<NetworkDetail>), AppError> {
    let code = networks::create(&state.app, ctx.actor()?, &input).await?;
    let n = networks::find(&state.app, code.as_str()).await?;
    Ok((StatusCode::CREATED, detail(&state, &ctx, &n, None).await?))
}

/// Replaces a network's fields.
#[utoipa::path(put, path = "/networks/{network}", tag = "registry", request_body = NetworkInput,
    extensions(("x-trama-access" = json!("edit_registry"))),
    params(("network" = String, Path)),
    responses((status = 200, body = NetworkDetail), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    ApiJson(input): ApiJson<NetworkInput>,
) -> Result<Json<NetworkDetail>, AppError> {
    let code = networks::update(&state.app, ctx.actor()?, &n, &input).await?;
    let n = networks::find(&state.app, code.as_str()).await?;
    detail(&state, &ctx, &n, None).await
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MembershipInput {
    rbd: i32,
    from_year: i32,
    to_year: Option<i32>,
}

/// Adds a school to the network for a span of years. The school must lie
/// where the caller edits.
#[utoipa::path(post, path = "/networks/{network}/schools", tag = "registry", request_body = MembershipInput,
    extensions(("x-trama-access" = json!("edit_registry"))),
    params(("network" = String, Path)),
    responses((status = 201, body = NetworkDetail), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add_school(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    ApiJson(m): ApiJson<MembershipInput>,
) -> Result<(StatusCode, Json<NetworkDetail>), AppError> {
    let rbd = Rbd::parse(&m.rbd.to_string())
        .map_err(|p| AppError::Invalid(vec![FieldProblem::new("rbd", p)]))?;
    let span = YearSpan::new(m.from_year, m.to_year)
        .map_err(|p| AppError::Invalid(vec![FieldProblem::new("to_year", p)]))?;
    networks::add_school(&state.app, ctx.actor()?, &n, rbd, span).await?;
    Ok((
        StatusCode::CREATED,
        detail(&state, &ctx, &n, Some(span.from)).await?,
    ))
}

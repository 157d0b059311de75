use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use trama_domain::network::NetworkCode;
use trama_domain::policy::{Action, Target, registry_scope};
use trama_domain::problem::FieldProblem;
use trama_domain::school::Rbd;
use trama_domain::span::YearSpan;
use trama_domain::territory::RegionCode;
use trama_store::registry::networks::{NetworkDetail, NetworkFilter, NetworkInput, NetworkSummary};
use trama_store::registry::{Page, PageRequest};

use super::ApiJson;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

/// Networks, filtered and paginated, within the caller's scope.
#[utoipa::path(get, path = "/api/v1/networks", tag = "registry", params(NetworkFilter, PageRequest),
    responses((status = 200, body = Page<NetworkSummary>), (status = 401, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(filter): Query<NetworkFilter>,
    Query(page): Query<PageRequest>,
) -> Result<Json<Page<NetworkSummary>>, AppError> {
    let actor = ctx.allow(Action::ViewRegistry, &Target::global())?;
    let scope = registry_scope(actor).ok_or(AppError::Forbidden)?;
    Ok(Json(
        state.store.list_networks(&filter, &scope, page).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct YearParam {
    /// The year the composition refers to (default: current year).
    year: Option<i32>,
}

async fn target(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
) -> Result<(NetworkCode, Target), AppError> {
    ctx.actor()?;
    let code = NetworkCode::parse(code).map_err(|_| AppError::NotFound)?;
    let t = state
        .store
        .network_target(&code)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((code, t))
}

/// A network with its schools and people in a year, and its history.
#[utoipa::path(get, path = "/api/v1/networks/{code}", tag = "registry",
    params(("code" = String, Path, description = "Network code, e.g. RME7"), YearParam),
    responses((status = 200, body = NetworkDetail), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<YearParam>,
) -> Result<Json<NetworkDetail>, AppError> {
    let (code, t) = target(&state, &ctx, &code).await?;
    ctx.allow(Action::ViewRegistry, &t)?;
    Ok(Json(
        state
            .store
            .get_network(&code, q.year)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

/// Creates a network.
#[utoipa::path(post, path = "/api/v1/networks", tag = "registry", request_body = NetworkInput,
    responses((status = 201, body = NetworkDetail), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<NetworkInput>,
) -> Result<(StatusCode, Json<NetworkDetail>), AppError> {
    let region = RegionCode::parse(&input.region_code.to_string()).ok();
    let actor = ctx.allow(Action::EditRegistry, &Target::in_region(region, vec![]))?;
    let valid = input.validate().map_err(AppError::Invalid)?;
    state.store.create_network(&valid).await?;
    state
        .store
        .audit(Some(actor.user_id), "network.create", valid.code.as_str())
        .await?;
    let detail = state
        .store
        .get_network(&valid.code, None)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// Replaces a network's fields.
#[utoipa::path(put, path = "/api/v1/networks/{code}", tag = "registry", request_body = NetworkInput,
    params(("code" = String, Path)),
    responses((status = 200, body = NetworkDetail), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<NetworkInput>,
) -> Result<Json<NetworkDetail>, AppError> {
    let (code, t) = target(&state, &ctx, &code).await?;
    let actor = ctx.allow(Action::EditRegistry, &t)?;
    let valid = input.validate().map_err(AppError::Invalid)?;
    ctx.allow(
        Action::EditRegistry,
        &Target::in_region(Some(valid.region), vec![]),
    )?;
    let id = state
        .store
        .network_id(&code)
        .await?
        .ok_or(AppError::NotFound)?;
    state.store.update_network(id, &valid).await?;
    state
        .store
        .audit(Some(actor.user_id), "network.update", valid.code.as_str())
        .await?;
    Ok(Json(
        state
            .store
            .get_network(&valid.code, None)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MembershipInput {
    rbd: i32,
    from_year: i32,
    to_year: Option<i32>,
}

/// Adds a school to the network for a span of years.
#[utoipa::path(post, path = "/api/v1/networks/{code}/schools", tag = "registry", request_body = MembershipInput,
    params(("code" = String, Path)),
    responses((status = 201, body = NetworkDetail), (status = 422, body = crate::error::Problem)))]
pub async fn add_school(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ApiJson(m): ApiJson<MembershipInput>,
) -> Result<(StatusCode, Json<NetworkDetail>), AppError> {
    let (code, t) = target(&state, &ctx, &code).await?;
    let actor = ctx.allow(Action::EditRegistry, &t)?;
    let rbd = Rbd::parse(&m.rbd.to_string())
        .map_err(|p| AppError::Invalid(vec![FieldProblem::new("rbd", p)]))?;
    let span = YearSpan::new(m.from_year, m.to_year)
        .map_err(|p| AppError::Invalid(vec![FieldProblem::new("to_year", p)]))?;
    let id = state
        .store
        .network_id(&code)
        .await?
        .ok_or(AppError::NotFound)?;
    state.store.add_school_to_network(id, rbd, span).await?;
    state
        .store
        .audit(
            Some(actor.user_id),
            "network.add_school",
            &format!("{code} {}", rbd.0),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .store
                .get_network(&code, Some(span.from))
                .await?
                .ok_or(AppError::NotFound)?,
        ),
    ))
}

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use trama_domain::policy::{Action, Target, registry_scope};
use trama_domain::territory::RegionCode;
use trama_store::registry::people::{PersonDetail, PersonFilter, PersonInput, PersonSummary};
use trama_store::registry::{Page, PageRequest};

use super::ApiJson;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

/// People, filtered and paginated, within the caller's scope. Lists never
/// include national ids.
#[utoipa::path(get, path = "/api/v1/people", tag = "registry", params(PersonFilter, PageRequest),
    responses((status = 200, body = Page<PersonSummary>), (status = 401, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(filter): Query<PersonFilter>,
    Query(page): Query<PageRequest>,
) -> Result<Json<Page<PersonSummary>>, AppError> {
    let actor = ctx.allow(Action::ViewRegistry, &Target::global())?;
    let scope = registry_scope(actor).ok_or(AppError::Forbidden)?;
    Ok(Json(state.store.list_people(&filter, &scope, page).await?))
}

async fn targets(state: &AppState, ctx: &Ctx, id: i64) -> Result<Vec<Target>, AppError> {
    ctx.actor()?;
    state
        .store
        .person_targets(id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A person with their roles. The national id is included only for those
/// who may edit the person.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = PersonDetail), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<PersonDetail>, AppError> {
    let t = targets(&state, &ctx, id).await?;
    ctx.allow_any(Action::ViewRegistry, &t)?;
    let mut p = state
        .store
        .get_person(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if ctx.allow_any(Action::EditRegistry, &t).is_err() {
        p.national_id = None;
    }
    Ok(Json(p))
}

fn own_region(ctx: &Ctx) -> Result<(), AppError> {
    let actor = ctx.actor()?;
    let region = actor.region.unwrap_or(RegionCode(13));
    ctx.allow(
        Action::EditRegistry,
        &Target::in_region(Some(region), vec![]),
    )?;
    Ok(())
}

/// Creates a person (email must be unique).
#[utoipa::path(post, path = "/api/v1/people", tag = "registry", request_body = PersonInput,
    responses((status = 201, body = PersonDetail), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<(StatusCode, Json<PersonDetail>), AppError> {
    own_region(&ctx)?;
    let valid = input.validate().map_err(AppError::Invalid)?;
    let id = state.store.create_person(&valid).await?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .store
                .get_person(id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
    ))
}

/// Replaces a person's name, email and national id.
#[utoipa::path(put, path = "/api/v1/people/{id}", tag = "registry", request_body = PersonInput, params(("id" = i64, Path)),
    responses((status = 200, body = PersonDetail), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<Json<PersonDetail>, AppError> {
    let t = targets(&state, &ctx, id).await?;
    ctx.allow_any(Action::EditRegistry, &t)?;
    let valid = input.validate().map_err(AppError::Invalid)?;
    state.store.update_person(id, &valid).await?;
    Ok(Json(
        state
            .store
            .get_person(id)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

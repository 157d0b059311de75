//! People: list, detail, create, replace. Lists never carry national ids;
//! a person's record does only for those who may edit them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use trama_app::registry::people::{self, PersonRef};
use trama_store::registry::people::{PersonDetail, PersonFilter, PersonInput, PersonSummary};
use trama_store::registry::{Page, PageRequest};

use super::ApiJson;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::paths::PersonPath;
use crate::state::AppState;

/// People, filtered and paginated, within the caller's scope. Lists never
/// include national ids.
#[utoipa::path(get, path = "/people", tag = "registry", params(PersonFilter, PageRequest),
    extensions(("x-trama-access" = json!("view_registry"))),
    responses((status = 200, body = Page<PersonSummary>), (status = 401, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    super::ApiQuery(filter): super::ApiQuery<PersonFilter>,
    super::ApiPage(page): super::ApiPage,
) -> Result<Json<Page<PersonSummary>>, AppError> {
    Ok(Json(
        people::list(&state.app, ctx.actor()?, &filter, page).await?,
    ))
}

async fn detail(
    state: &AppState,
    ctx: &Ctx,
    p: &PersonRef,
) -> Result<Json<PersonDetail>, AppError> {
    Ok(Json(
        people::show(&state.app, ctx.actor()?, p).await?.detail,
    ))
}

/// A person with their roles. The national id is included only for those
/// who may edit the person.
#[utoipa::path(get, path = "/people/{person}", tag = "registry", params(("person" = i64, Path)),
    extensions(("x-trama-access" = json!("view_registry"))),
    responses((status = 200, body = PersonDetail), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Ctx,
    PersonPath(p): PersonPath,
) -> Result<Json<PersonDetail>, AppError> {
    detail(&state, &ctx, &p).await
}

/// Creates a person (email must be unique).
#[utoipa::path(post, path = "/people", tag = "registry", request_body = PersonInput,
    extensions(("x-trama-access" = json!("edit_registry"))),
    responses((status = 201, body = PersonDetail), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<(StatusCode, Json<PersonDetail>), AppError> {
    let created = people::create(&state.app, ctx.actor()?, &input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Replaces a person's name, email and national id.
#[utoipa::path(put, path = "/people/{person}", tag = "registry", request_body = PersonInput, params(("person" = i64, Path)),
    extensions(("x-trama-access" = json!("edit_registry"))),
    responses((status = 200, body = PersonDetail), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    PersonPath(p): PersonPath,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<Json<PersonDetail>, AppError> {
    people::update(&state.app, ctx.actor()?, &p, &input).await?;
    detail(&state, &ctx, &p).await
}

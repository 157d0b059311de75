//! Schools: list, detail, create, replace.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use trama_app::registry::schools::{self, SchoolRef};
use trama_domain::problem::{FieldProblem, text};
use trama_domain::school::{Dependency, Rbd, School, SchoolStatus};
use trama_domain::territory::ComunaCode;
use trama_store::registry::schools::{SchoolDetail, SchoolFilter, SchoolSummary};
use trama_store::registry::{Page, PageRequest};

use super::ApiJson;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::paths::SchoolPath;
use crate::state::AppState;

/// Schools, filtered and paginated, within the caller's scope.
#[utoipa::path(get, path = "/schools", tag = "registry", params(SchoolFilter, PageRequest),
    extensions(("x-trama-access" = json!("view_registry"))),
    responses((status = 200, body = Page<SchoolSummary>), (status = 401, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    super::ApiQuery(filter): super::ApiQuery<SchoolFilter>,
    super::ApiPage(page): super::ApiPage,
) -> Result<Json<Page<SchoolSummary>>, AppError> {
    Ok(Json(
        schools::list(&state.app, ctx.actor()?, &filter, page).await?,
    ))
}

async fn detail(
    state: &AppState,
    ctx: &Ctx,
    s: &SchoolRef,
) -> Result<Json<SchoolDetail>, AppError> {
    Ok(Json(
        schools::show(&state.app, ctx.actor()?, s).await?.detail,
    ))
}

/// A school with its networks and people.
#[utoipa::path(get, path = "/schools/{school}", tag = "registry", params(("school" = i32, Path, description = "RBD")),
    extensions(("x-trama-access" = json!("view_registry"))),
    responses((status = 200, body = SchoolDetail), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Ctx,
    SchoolPath(s): SchoolPath,
) -> Result<Json<SchoolDetail>, AppError> {
    detail(&state, &ctx, &s).await
}

/// A school as sent by API clients; codes as in the Directorio.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct SchoolInput {
    /// Required on create; ignored on update (the path names the school).
    #[schema(minimum = 1)]
    rbd: Option<i32>,
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    /// The comuna's code as INE gives it; its first digits are the region.
    #[schema(minimum = 1000, maximum = 16999)]
    comuna_code: i32,
    /// municipal, particular_subvencionado, particular_pagado, administracion_delegada, slep
    dependency: String,
    rural: bool,
    /// open, recess, closed, no_enrolment
    status: Option<String>,
    #[schema(minimum = -90, maximum = 90)]
    latitude: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    longitude: Option<f64>,
    #[schema(minimum = 0)]
    enrolment: Option<i32>,
}

impl SchoolInput {
    fn validate(&self, rbd: Option<Rbd>) -> Result<School, Vec<FieldProblem>> {
        let mut errors = vec![];
        let rbd = rbd.or_else(|| match self.rbd {
            Some(r) => Rbd::parse(&r.to_string())
                .map_err(|p| errors.push(FieldProblem::new("rbd", p)))
                .ok(),
            None => {
                errors.push(FieldProblem::new("rbd", trama_domain::Problem::Required));
                None
            }
        });
        let name = text(&self.name, 200)
            .map_err(|p| errors.push(FieldProblem::new("name", p)))
            .ok();
        let dependency = Dependency::parse(&self.dependency)
            .map_err(|p| errors.push(FieldProblem::new("dependency", p)))
            .ok();
        let status = SchoolStatus::parse(self.status.as_deref().unwrap_or("open"))
            .map_err(|p| errors.push(FieldProblem::new("status", p)))
            .ok();
        let comuna = ComunaCode(self.comuna_code);
        if comuna.region().is_none() {
            errors.push(FieldProblem::new(
                "comuna_code",
                trama_domain::Problem::InvalidCode,
            ));
        }
        for (field, v, lim) in [
            ("latitude", self.latitude, 90.0),
            ("longitude", self.longitude, 180.0),
        ] {
            if v.is_some_and(|v| !(-lim..=lim).contains(&v)) {
                errors.push(FieldProblem::new(
                    field,
                    trama_domain::Problem::OutOfRange {
                        min: -(lim as i64),
                        max: lim as i64,
                    },
                ));
            }
        }
        match (rbd, name, dependency, status) {
            (Some(rbd), Some(name), Some(dependency), Some(status)) if errors.is_empty() => {
                Ok(School {
                    rbd,
                    check_digit: None,
                    name,
                    comuna,
                    dependency,
                    rural: self.rural,
                    latitude: self.latitude,
                    longitude: self.longitude,
                    enrolment: self.enrolment,
                    status,
                    sostenedor_id: None,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Creates a school (its comuna must exist, where the caller edits).
#[utoipa::path(post, path = "/schools", tag = "registry", request_body = SchoolInput,
    extensions(("x-trama-access" = json!("edit_registry"))),
    responses((status = 201, body = SchoolDetail), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<SchoolInput>,
) -> Result<(StatusCode, Json<SchoolDetail>), AppError> {
    let school = input.validate(None).map_err(AppError::Invalid)?;
    let rbd = schools::create(&state.app, ctx.actor()?, &school).await?;
    let s = schools::find(&state.app, &rbd.0.to_string()).await?;
    Ok((StatusCode::CREATED, detail(&state, &ctx, &s).await?))
}

/// Replaces a school's fields.
#[utoipa::path(put, path = "/schools/{school}", tag = "registry", request_body = SchoolInput, params(("school" = i32, Path, description = "RBD")),
    extensions(("x-trama-access" = json!("edit_registry"))),
    responses((status = 200, body = SchoolDetail), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    SchoolPath(s): SchoolPath,
    ApiJson(input): ApiJson<SchoolInput>,
) -> Result<Json<SchoolDetail>, AppError> {
    let school = input.validate(Some(s.rbd)).map_err(AppError::Invalid)?;
    schools::update(&state.app, ctx.actor()?, &s, school).await?;
    detail(&state, &ctx, &s).await
}

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use trama_domain::policy::{Action, Target, registry_scope};
use trama_domain::problem::{FieldProblem, text};
use trama_domain::school::{Dependency, Rbd, School, SchoolStatus};
use trama_domain::territory::ComunaCode;
use trama_store::registry::schools::{SchoolDetail, SchoolFilter, SchoolSummary};
use trama_store::registry::{Page, PageRequest};

use super::ApiJson;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

/// Schools, filtered and paginated, within the caller's scope.
#[utoipa::path(get, path = "/api/v1/schools", tag = "registry", params(SchoolFilter, PageRequest),
    responses((status = 200, body = Page<SchoolSummary>), (status = 401, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(filter): Query<SchoolFilter>,
    Query(page): Query<PageRequest>,
) -> Result<Json<Page<SchoolSummary>>, AppError> {
    let actor = ctx.allow(Action::ViewRegistry, &Target::global())?;
    let scope = registry_scope(actor).ok_or(AppError::Forbidden)?;
    Ok(Json(state.store.list_schools(&filter, &scope, page).await?))
}

/// A school with its networks and people.
#[utoipa::path(get, path = "/api/v1/schools/{rbd}", tag = "registry", params(("rbd" = i32, Path)),
    responses((status = 200, body = SchoolDetail), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(rbd): Path<String>,
) -> Result<Json<SchoolDetail>, AppError> {
    ctx.actor()?;
    let rbd = Rbd::parse(&rbd).map_err(|_| AppError::NotFound)?;
    let t = state
        .store
        .school_target(rbd)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.allow(Action::ViewRegistry, &t)?;
    Ok(Json(
        state
            .store
            .get_school(rbd)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

/// A school as sent by API clients; codes as in the Directorio.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct SchoolInput {
    /// Required on create; ignored on update (the path names the school).
    rbd: Option<i32>,
    name: String,
    comuna_code: i32,
    /// municipal, particular_subvencionado, particular_pagado, administracion_delegada, slep
    dependency: String,
    rural: bool,
    /// open, recess, closed, no_enrolment
    status: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
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

fn comuna_target(c: ComunaCode) -> Target {
    Target::in_region(c.region(), vec![])
}

/// Creates a school (its comuna must exist).
#[utoipa::path(post, path = "/api/v1/schools", tag = "registry", request_body = SchoolInput,
    responses((status = 201, body = SchoolDetail), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<SchoolInput>,
) -> Result<(StatusCode, Json<SchoolDetail>), AppError> {
    let actor = ctx.allow(
        Action::EditRegistry,
        &comuna_target(ComunaCode(input.comuna_code)),
    )?;
    let school = input.validate(None).map_err(AppError::Invalid)?;
    if state.store.get_school(school.rbd).await?.is_some() {
        return Err(AppError::Invalid(vec![FieldProblem::new(
            "rbd",
            trama_domain::Problem::AlreadyExists,
        )]));
    }
    state.store.save_school(&school).await?;
    state
        .store
        .audit(
            Some(actor.user_id),
            "school.create",
            &school.rbd.0.to_string(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .store
                .get_school(school.rbd)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
    ))
}

/// Replaces a school's fields.
#[utoipa::path(put, path = "/api/v1/schools/{rbd}", tag = "registry", request_body = SchoolInput, params(("rbd" = i32, Path)),
    responses((status = 200, body = SchoolDetail), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(rbd): Path<String>,
    ApiJson(input): ApiJson<SchoolInput>,
) -> Result<Json<SchoolDetail>, AppError> {
    ctx.actor()?;
    let rbd = Rbd::parse(&rbd).map_err(|_| AppError::NotFound)?;
    let t = state
        .store
        .school_target(rbd)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = ctx.allow(Action::EditRegistry, &t)?;
    ctx.allow(
        Action::EditRegistry,
        &comuna_target(ComunaCode(input.comuna_code)),
    )?;
    let mut school = input.validate(Some(rbd)).map_err(AppError::Invalid)?;
    if let Some(existing) = state.store.get_school(rbd).await? {
        school.check_digit = existing.check_digit;
    }
    state.store.save_school(&school).await?;
    state
        .store
        .audit(Some(actor.user_id), "school.update", &rbd.0.to_string())
        .await?;
    Ok(Json(
        state
            .store
            .get_school(rbd)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

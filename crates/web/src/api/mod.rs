//! The JSON API under `/api/v1`: the registry for programs, with token or
//! session authentication, problem+json errors and an OpenAPI 3.1 description
//! generated from these handlers.

mod networks;
mod people;
mod regions;
mod schools;

use axum::extract::{FromRequest, Request};
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use crate::error::AppError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/regions", get(regions::list))
        .route("/regions/{code}/deprovs", get(regions::deprovs))
        .route("/networks", get(networks::list).post(networks::create))
        .route("/networks/{code}", get(networks::get).put(networks::update))
        .route(
            "/networks/{code}/schools",
            axum::routing::post(networks::add_school),
        )
        .route("/schools", get(schools::list).post(schools::create))
        .route("/schools/{rbd}", get(schools::get).put(schools::update))
        .route("/people", get(people::list).post(people::create))
        .route("/people/{id}", get(people::get).put(people::update))
        .route("/openapi.json", get(openapi_json))
}

/// The interactive documentation page (Swagger UI, served from the binary).
pub fn docs() -> Router<AppState> {
    Router::from(SwaggerUi::new("/api/v1/docs").url("/api/v1/docs/openapi.json", ApiDoc::openapi()))
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Trama API", description = "Registry of school improvement networks: regions, networks, schools and people. Authenticate with `Authorization: Bearer <token>` (`trama token create --email E`) or a browser session (then send `X-CSRF-Token` on writes). Errors are `application/problem+json` in the language of `Accept-Language`.", license(name = "MIT OR Apache-2.0")),
    paths(
        regions::list, regions::deprovs,
        networks::list, networks::get, networks::create, networks::update, networks::add_school,
        schools::list, schools::get, schools::create, schools::update,
        people::list, people::get, people::create, people::update,
    ),
    components(schemas(crate::error::Problem, crate::error::ProblemField)),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    tags((name = "registry", description = "Territory, networks, schools and people"))
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::ctx::SESSION_COOKIE))),
        );
    }
}

/// JSON bodies whose parse errors become problem+json naming the member.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(AppError::Malformed(e.body_text())),
        }
    }
}

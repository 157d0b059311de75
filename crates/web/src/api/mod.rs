//! The JSON API under `/api/v1`: the registry for programs, with token or
//! session authentication and problem+json errors. Each endpoint is declared
//! once, on its handler (`#[utoipa::path]`, with the policy action that
//! guards it in `x-trama-access`); the router and the OpenAPI document are
//! both built from those declarations.

mod networks;
mod people;
mod regions;
mod results;
mod schools;

use axum::extract::{FromRequest, Request};
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::AppError;
use crate::state::AppState;

/// The API's routes and its OpenAPI document, from the same declarations.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .routes(routes!(regions::list))
        .routes(routes!(regions::deprovs))
        .routes(routes!(networks::list, networks::create))
        .routes(routes!(networks::get, networks::update))
        .routes(routes!(networks::add_school))
        .routes(routes!(schools::list, schools::create))
        .routes(routes!(schools::get, schools::update))
        .routes(routes!(people::list, people::create))
        .routes(routes!(people::get, people::update))
        .routes(routes!(results::campaign))
        .routes(routes!(results::region))
        .routes(routes!(results::network));
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .split_for_parts();
    let served = doc.clone();
    let router = router.route(
        "/api/v1/openapi.json",
        get(move || {
            let doc = served.clone();
            async move { Json(doc) }
        }),
    );
    (router, doc)
}

/// The interactive documentation page (Swagger UI, served from the binary).
pub fn docs(doc: utoipa::openapi::OpenApi) -> Router<AppState> {
    Router::from(SwaggerUi::new("/api/v1/docs").url("/api/v1/docs/openapi.json", doc))
}

/// The OpenAPI document as the server publishes it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().1
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Trama API", description = "Registry of school improvement networks: regions, networks, schools and people. Authenticate with `Authorization: Bearer <token>` (`trama token create --email E`) or a browser session (then send `X-CSRF-Token` on writes). Errors are `application/problem+json` in the language of `Accept-Language`. Each operation's `x-trama-access` names the policy action that decides who may call it.", license(name = "MIT OR Apache-2.0")),
    components(schemas(crate::error::Problem, crate::error::ProblemField)),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    tags((name = "registry", description = "Territory, networks, schools and people"), (name = "results", description = "A campaign's results, as its pages show them to the caller: groups below the anonymity threshold, and those hidden so that none can be worked out, carry no figures"))
)]
struct ApiDoc;

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

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
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .split_for_parts();
    // After the routes: the document's own modifiers run before they are added.
    ProblemResponses.modify(&mut doc);
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

/// Every failure an operation can answer, declared on every operation in one
/// place and as it is served: `application/problem+json` with a
/// [`crate::error::Problem`]. Any request can be malformed (400), come
/// without credentials (401), be refused by the policy (403) or meet a
/// database that cannot serve it now (503); one naming a record may find
/// none (404); a write may clash with a record that exists (409) or carry
/// values the domain refuses (422).
struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, RefOr, Response};
        for (path, item) in openapi.paths.paths.iter_mut() {
            let names_a_record = path.contains('{');
            let operations = [
                (false, item.get.as_mut()),
                (true, item.put.as_mut()),
                (true, item.post.as_mut()),
                (true, item.delete.as_mut()),
            ];
            for (writes, op) in operations {
                let Some(op) = op else { continue };
                let mut statuses = vec![
                    (
                        "400",
                        "The request is malformed: a parameter or the body does not parse",
                    ),
                    ("401", "No valid token or session"),
                    ("403", "The caller may not do this"),
                    (
                        "503",
                        "The database cannot serve the request now; nothing saved is lost",
                    ),
                ];
                if names_a_record {
                    statuses.push(("404", "No such record (or none the caller may see)"));
                }
                if writes {
                    statuses.push((
                        "409",
                        "Clashes with a record that exists, or with the record's state",
                    ));
                    statuses.push((
                        "422",
                        "Values the domain refuses, each named with its problem",
                    ));
                }
                for (status, description) in statuses {
                    op.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| RefOr::T(Response::new(description)));
                }
                for (status, response) in op.responses.responses.iter_mut() {
                    if status.starts_with('2') {
                        continue;
                    }
                    if let RefOr::T(r) = response {
                        r.content.clear();
                        r.content.insert(
                            "application/problem+json".to_owned(),
                            RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))),
                        );
                    }
                }
            }
        }
    }
}

/// A query string whose parse errors become problem+json naming the
/// parameter, as every other failure of the API.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| ApiQuery(v))
            .map_err(|e| AppError::Malformed(e.body_text()))
    }
}

/// `page` and `per_page` of a list, refused (400, naming the parameter)
/// outside the bounds the schema states.
pub struct ApiPage(pub trama_store::registry::PageRequest);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ApiPage {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let ApiQuery(page) =
            ApiQuery::<trama_store::registry::PageRequest>::from_request_parts(parts, state)
                .await?;
        match page.out_of_bounds() {
            Some(name) => Err(AppError::Malformed(format!("{name}: out of range"))),
            None => Ok(ApiPage(page)),
        }
    }
}

/// JSON bodies whose parse errors become problem+json naming the member.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let Json(mut value) = Json::<serde_json::Value>::from_request(req, state)
            .await
            .map_err(|e| AppError::Malformed(e.body_text()))?;
        whole_numbers_as_integers(&mut value);
        serde_path_to_error::deserialize(value)
            .map(ApiJson)
            .map_err(|e| AppError::Malformed(e.to_string()))
    }
}

/// JSON has one number type: `5.0` is the integer 5 to JSON Schema (and to
/// the schema's `integer` members), while serde refuses it for an `i64`.
/// Whole numbers are made integers before the body is read.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    // Beyond 2^53 a float no longer holds every integer exactly.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f.abs() <= EXACT
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(members) => members.values_mut().for_each(whole_numbers_as_integers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::whole_numbers_as_integers;

    #[test]
    fn whole_numbers_become_integers_and_fractions_stay() {
        let mut v =
            serde_json::json!({"region_code": 5.0, "lat": -33.45, "xs": [2.0, 2.5], "big": 1e300});
        whole_numbers_as_integers(&mut v);
        assert_eq!(v["region_code"], serde_json::json!(5));
        assert!(v["region_code"].is_i64());
        assert_eq!(v["lat"], serde_json::json!(-33.45));
        assert!(v["xs"][0].is_i64() && v["xs"][1].is_f64());
        assert!(v["big"].is_f64(), "too large to be exact: left as it is");
    }
}

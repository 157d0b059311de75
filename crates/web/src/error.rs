//! Errors as users meet them. Handlers return [`AppError`]; the
//! [`render_errors`] middleware, which knows the reader's language, turns it
//! into a page (or a redirect to sign in) for browsers and into
//! `application/problem+json` for the API.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Serialize;
use trama_domain::problem::FieldProblem;
use trama_i18n::Lang;
use trama_store::StoreError;

use crate::ctx::{AnonCsrf, CSRF_COOKIE, lang_of};
use crate::state::AppState;

#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("bad request")]
    BadRequest,
    /// A request body that is not the expected JSON (detail from the parser,
    /// naming the member and position).
    #[error("malformed body: {0}")]
    Malformed(String),
    #[error("csrf")]
    Csrf,
    #[error("rate limited")]
    RateLimited,
    #[error("invalid")]
    Invalid(Vec<FieldProblem>),
    /// The record's state refuses the request (a campaign no longer a draft).
    #[error("refused: {0:?}")]
    Refused(trama_domain::Problem),
    /// The database cannot take the request now (a full disk, an
    /// unreachable server): nothing already saved is lost.
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Invalid(p) => AppError::Invalid(p),
            other if other.is_environment() => AppError::Unavailable(other.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<trama_app::Error> for AppError {
    fn from(e: trama_app::Error) -> Self {
        use trama_app::Error as E;
        match e {
            E::Unauthenticated => AppError::Unauthorized,
            E::Forbidden => AppError::Forbidden,
            E::NotFound => AppError::NotFound,
            E::Invalid(p) => AppError::Invalid(p),
            E::Refused(p) => AppError::Refused(p),
            E::Store(e) => e.into(),
            E::Internal(d) => AppError::Internal(d),
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest | AppError::Malformed(_) => StatusCode::BAD_REQUEST,
            AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            // A value that clashes with an existing record is a conflict,
            // not an invalid value: the same request may succeed later.
            AppError::Invalid(fields)
                if !fields.is_empty()
                    && fields
                        .iter()
                        .all(|f| matches!(f.problem, trama_domain::Problem::AlreadyExists)) =>
            {
                StatusCode::CONFLICT
            }
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Refused(_) => StatusCode::CONFLICT,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn ids(&self) -> (&'static str, &'static str) {
        match self {
            AppError::NotFound => ("error-not-found-title", "error-not-found"),
            AppError::Unauthorized => ("error-unauthorized-title", "error-unauthorized"),
            AppError::Forbidden => ("error-forbidden-title", "error-forbidden"),
            AppError::Csrf => ("error-forbidden-title", "error-csrf"),
            AppError::BadRequest | AppError::Malformed(_) => {
                ("error-bad-request-title", "error-bad-request")
            }
            AppError::RateLimited => ("error-bad-request-title", "error-rate-limited"),
            AppError::Invalid(_) => ("error-bad-request-title", "error-validation"),
            AppError::Refused(_) => ("error-bad-request-title", "error-validation"),
            AppError::Unavailable(_) => ("error-unavailable-title", "error-unavailable"),
            AppError::Internal(_) => ("error-internal-title", "error-internal"),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(detail) => tracing::error!(%detail, "internal error"),
            AppError::Unavailable(detail) => tracing::error!(%detail, "database unavailable"),
            _ => {}
        }
        let mut res = self.status().into_response();
        res.extensions_mut().insert(self);
        res
    }
}

/// One invalid field in a problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub field: String,
    /// Machine-readable code (e.g. `invalid_email`).
    pub problem: String,
    /// The explanation in the reader's language.
    pub message: String,
}

/// RFC 9457 problem details.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    lang: &'static str,
    title: String,
    detail: String,
    home: String,
    app_name: String,
}

fn problem_code(p: &FieldProblem) -> String {
    serde_json::to_value(&p.problem)
        .ok()
        .and_then(|v| v.get("problem").and_then(|s| s.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

fn render(err: &AppError, lang: Lang, api: bool, path: &str) -> Response {
    let (title_id, detail_id) = err.ids();
    let title = trama_i18n::message(lang, title_id, None);
    let mut detail = trama_i18n::message(lang, detail_id, None);
    match err {
        AppError::Malformed(d) => detail = format!("{detail} {d}"),
        AppError::Refused(p) => detail = p.render(lang),
        _ => {}
    }
    if api {
        let errors = match err {
            AppError::Invalid(fields) => fields
                .iter()
                .map(|f| ProblemField {
                    field: f.field.clone(),
                    problem: problem_code(f),
                    message: f.problem.render(lang),
                })
                .collect(),
            _ => vec![],
        };
        let body = Problem {
            kind: "about:blank".into(),
            title,
            status: err.status().as_u16(),
            detail,
            errors,
        };
        let mut res = (err.status(), axum::Json(body)).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if matches!(err, AppError::Unauthorized) {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"trama\""),
            );
        }
        return res;
    }
    if matches!(err, AppError::Unauthorized) {
        let next: String = url_encode(path);
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    let page = ErrorPage {
        lang: lang.tag(),
        title,
        detail,
        home: trama_i18n::message(lang, "nav-home", None),
        app_name: trama_i18n::message(lang, "app-name", None),
    };
    let html = page.render().unwrap_or_default();
    (err.status(), axum::response::Html(html)).into_response()
}

pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Renders errors in the reader's language, guarantees the anonymous CSRF
/// cookie, and adds the security headers every response carries.
pub async fn render_errors(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let lang = lang_of(req.headers(), &jar);
    let api = req.uri().path().starts_with("/api/");
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let (anon, fresh) = match jar.get(CSRF_COOKIE) {
        Some(c) if c.value().len() == 64 => (c.value().to_owned(), false),
        _ => (trama_store::accounts::new_secret(), true),
    };
    req.extensions_mut().insert(AnonCsrf(anon.clone()));
    let mut res = next.run(req).await;
    if let Some(err) = res.extensions().get::<AppError>().cloned() {
        res = render(&err, lang, api, &path);
    }
    if fresh && !api {
        let cookie = Cookie::build((CSRF_COOKIE, anon))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(state.settings.secure_cookies)
            .build();
        if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    let h = res.headers_mut();
    // Pages and files carry names, links and figures only some may read:
    // no cache keeps them, unless the response chose otherwise (the
    // static files, which are public and change only with the binary).
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) && !path.starts_with("/api/v1/docs") {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"),
        );
    }
    res
}

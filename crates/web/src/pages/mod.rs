//! Server-rendered pages. They work without JavaScript, on a phone first.

mod answer;
mod auth;
mod campaigns;
mod forms;
mod home;
mod import;
mod network_map;
mod networks;
mod open_answers;
mod people;
mod regions;
mod results;
pub use results::{Loaded, ReportScope, report_pdf};
mod roster;
mod schools;
mod sociogram;

use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use trama_domain::policy::{self, Action, Target};
use trama_i18n::Lang;
use trama_store::registry::Page;

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::switch_lang))
        .route("/regions", get(regions::list))
        .route("/regions/{code}", get(regions::show))
        .route("/networks", get(networks::list).post(networks::create))
        .route("/networks/new", get(networks::new_form))
        .route(
            "/networks/{code}",
            get(networks::show).post(networks::update),
        )
        .route("/networks/{code}/edit", get(networks::edit_form))
        .route("/networks/{code}/schools", post(networks::add_school))
        .route("/networks/{code}/map", get(network_map::show))
        .route("/campaigns/{code}/results", get(results::national))
        .route(
            "/campaigns/{code}/results/regions/{region}",
            get(results::region),
        )
        .route(
            "/campaigns/{code}/results/networks/{network}",
            get(results::network),
        )
        .route(
            "/campaigns/{code}/results/report.pdf",
            get(results::national_pdf),
        )
        .route(
            "/campaigns/{code}/results/networks/{network}/report.pdf",
            get(results::network_pdf),
        )
        .route(
            "/campaigns/{code}/results/regions/{region}/report.pdf",
            get(results::region_pdf),
        )
        .route("/campaigns/{code}/results/items/{item}", get(results::item))
        .route("/campaigns/{code}/results/years", get(results::years))
        .route("/campaigns/{code}/results/open", get(open_answers::index))
        .route(
            "/campaigns/{code}/results/open/{item}",
            get(open_answers::list),
        )
        .route(
            "/campaigns/{code}/results/open/{item}/export.csv",
            get(open_answers::export),
        )
        .route(
            "/campaigns/{code}/results/open/{item}/codings",
            post(open_answers::assign),
        )
        .route(
            "/campaigns/{code}/results/open/{item}/codings/remove",
            post(open_answers::unassign),
        )
        .route(
            "/campaigns/{code}/results/open/{item}/themes",
            post(open_answers::create_theme),
        )
        .route(
            "/campaigns/{code}/results/open/{item}/themes/{id}",
            post(open_answers::update_theme),
        )
        .route(
            "/campaigns/{code}/results/open/{item}/themes/{id}/edit",
            get(open_answers::edit_theme),
        )
        .route(
            "/campaigns/{code}/results/open/{item}/themes/{id}/delete",
            post(open_answers::delete_theme),
        )
        .route(
            "/networks/{code}/map/export/{format}",
            get(network_map::export),
        )
        .route("/schools", get(schools::list).post(schools::create))
        .route("/schools/new", get(schools::new_form))
        .route("/schools/{rbd}", get(schools::show).post(schools::update))
        .route("/schools/{rbd}/edit", get(schools::edit_form))
        .route("/people", get(people::list).post(people::create))
        .route("/people/new", get(people::new_form))
        .route("/people/{id}", get(people::show).post(people::update))
        .route("/people/{id}/edit", get(people::edit_form))
        .route("/people/{id}/affiliations", post(people::add_affiliation))
        .route("/people/{id}/erase", post(people::erase))
        .route("/import", get(import::form).post(import::upload))
        .route("/import/{id}/confirm", post(import::confirm))
        .route("/r/{token}", get(answer::start))
        .route("/r/{token}/p/{page}", get(answer::show).post(answer::save))
        .route("/r/{token}/review", get(answer::review))
        .route("/r/{token}/submit", post(answer::submit))
        .route(
            "/r/{token}/opt-out",
            get(answer::opt_out_form).post(answer::opt_out),
        )
        .merge(campaigns::routes())
}

/// What every page shows around its content: language switch, account, menu.
pub struct Chrome {
    pub lang: Lang,
    pub lang_tag: &'static str,
    pub other_lang: &'static str,
    pub csrf: String,
    pub path: String,
    pub user_email: Option<String>,
    pub role_label: String,
    pub can_browse: bool,
    pub can_import: bool,
    pub section: &'static str,
}

impl Chrome {
    pub fn new(ctx: &Ctx, section: &'static str) -> Self {
        let other = match ctx.lang {
            Lang::Es => Lang::En,
            Lang::En => Lang::Es,
        };
        Chrome {
            lang: ctx.lang,
            lang_tag: ctx.lang.tag(),
            other_lang: other.tag(),
            csrf: ctx.csrf_token().to_owned(),
            path: ctx.path.clone(),
            user_email: ctx.user.as_ref().map(|u| u.email.clone()),
            role_label: ctx
                .user
                .as_ref()
                .map(|u| ctx.t(u.role.label_id()))
                .unwrap_or_default(),
            can_browse: ctx
                .actor
                .as_ref()
                .is_some_and(|a| policy::registry_scope(a).is_some()),
            can_import: ctx.can(Action::ImportRegistry, &Target::global()),
            section,
        }
    }

    pub fn t(&self, id: &str) -> String {
        trama_i18n::message(self.lang, id, None)
    }
}

/// Links to the previous and next page of a list, keeping the filters.
pub struct Pager {
    pub pages: u32,
    pub status: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new<T>(ctx: &Ctx, page: &Page<T>, base: &str, query: &[(&str, String)]) -> Self {
        let link = |p: u32| {
            let mut q: Vec<String> = query
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{k}={}", crate::error::url_encode(v)))
                .collect();
            q.push(format!("page={p}"));
            format!("{base}?{}", q.join("&"))
        };
        let pages = page.pages();
        Pager {
            pages,
            status: trama_i18n::t!(
                ctx.lang,
                "pager-status",
                page = page.page,
                pages = pages,
                total = page.total
            ),
            prev: (page.page > 1).then(|| link(page.page - 1)),
            next: (page.page < pages).then(|| link(page.page + 1)),
        }
    }
}

/// A file to download, never kept by shared caches (it may hold names or
/// a group's figures only some viewers may read).
pub(crate) fn attachment(content_type: &str, file: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_owned()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (
                axum::http::header::CACHE_CONTROL,
                "private, no-store".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub fn render(t: &impl Template) -> Result<Response, AppError> {
    t.render()
        .map(|html| Html(html).into_response())
        .map_err(|e| AppError::Internal(format!("template: {e}")))
}

/// "2019–" or "2019–2022".
pub fn span_label(from: i32, to: Option<i32>) -> String {
    match to {
        Some(t) => format!("{from}–{t}"),
        None => format!("{from}–"),
    }
}

pub fn region_name(code: i32) -> String {
    trama_domain::territory::RegionCode(code as i16)
        .region()
        .map(|r| format!("{} · {}", r.numeral, r.name))
        .unwrap_or_else(|| code.to_string())
}

/// Translated label of a stored code (`role-director`, `dependency-slep`…).
pub fn label(ctx: &Ctx, prefix: &str, code: &str) -> String {
    let id = format!("{prefix}-{code}");
    if trama_i18n::has_message(ctx.lang, &id) {
        ctx.t(&id)
    } else {
        code.to_owned()
    }
}

/// Only local paths are followed after login or a language switch.
pub fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

/// Empty form fields are absent values, not parse errors.
pub fn opt_num<T: std::str::FromStr>(
    s: &Option<String>,
) -> Result<Option<T>, trama_domain::Problem> {
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| trama_domain::Problem::NotAnInteger),
    }
}

//! Server-rendered pages. They work without JavaScript, on a phone first.

mod answer;
mod auth;
mod campaigns;
mod characterisation;
mod forms;
mod home;
mod import;
mod network_map;
mod networks;
mod open_answers;
mod people;
mod regions;
mod results;
mod schools;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use trama_domain::policy::{self, Action, Target};
use trama_i18n::Lang;
use trama_store::registry::Page;

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::routes::Route;

/// Every page and form of the server, with the access rule of each (see
/// [`crate::routes`]).
pub(crate) fn table() -> Vec<Route> {
    use crate::routes::*;
    vec![
        Route::get("/", SIGNED_IN, home::home),
        Route::get("/login", PUBLIC, auth::login_form),
        Route::post("/login", PUBLIC, auth::login),
        Route::post("/logout", PUBLIC, auth::logout),
        Route::post("/lang", PUBLIC, auth::switch_lang),
        // Registry.
        Route::get("/regions", VIEW_REGISTRY, regions::list),
        Route::get("/regions/{region}", VIEW_REGISTRY, regions::show),
        Route::get("/networks", VIEW_REGISTRY, networks::list),
        Route::post("/networks", EDIT_REGISTRY, networks::create),
        Route::get("/networks/new", EDIT_REGISTRY, networks::new_form),
        Route::get("/networks/{network}", VIEW_REGISTRY, networks::show),
        Route::post("/networks/{network}", EDIT_REGISTRY, networks::update),
        Route::get(
            "/networks/{network}/edit",
            EDIT_REGISTRY,
            networks::edit_form,
        ),
        Route::post(
            "/networks/{network}/schools",
            EDIT_REGISTRY,
            networks::add_school,
        ),
        Route::get("/schools", VIEW_REGISTRY, schools::list),
        Route::post("/schools", EDIT_REGISTRY, schools::create),
        Route::get("/schools/new", EDIT_REGISTRY, schools::new_form),
        Route::get("/schools/{school}", VIEW_REGISTRY, schools::show),
        Route::post("/schools/{school}", EDIT_REGISTRY, schools::update),
        Route::get("/schools/{school}/edit", EDIT_REGISTRY, schools::edit_form),
        Route::get("/people", VIEW_REGISTRY, people::list),
        Route::post("/people", EDIT_REGISTRY, people::create),
        Route::get("/people/new", EDIT_REGISTRY, people::new_form),
        Route::get("/people/{person}", VIEW_REGISTRY, people::show),
        Route::post("/people/{person}", EDIT_REGISTRY, people::update),
        Route::get("/people/{person}/edit", EDIT_REGISTRY, people::edit_form),
        Route::post(
            "/people/{person}/affiliations",
            EDIT_REGISTRY,
            people::add_affiliation,
        ),
        Route::post("/people/{person}/erase", MANAGE_ACCOUNTS, people::erase),
        Route::get("/import", IMPORT_REGISTRY, import::form),
        Route::post("/import", IMPORT_REGISTRY, import::upload),
        Route::post("/import/{id}/confirm", IMPORT_REGISTRY, import::confirm),
        // Campaigns.
        Route::get("/campaigns", LIST_CAMPAIGNS, campaigns::list),
        Route::post("/campaigns", MANAGE_CAMPAIGNS, campaigns::create),
        Route::get("/campaigns/new", MANAGE_CAMPAIGNS, campaigns::new_form),
        Route::get(
            "/campaigns/{campaign}",
            VIEW_CAMPAIGNS,
            campaigns::detail::show,
        ),
        Route::post(
            "/campaigns/{campaign}/open",
            MANAGE_CAMPAIGNS,
            campaigns::detail::open,
        ),
        Route::post(
            "/campaigns/{campaign}/close",
            MANAGE_CAMPAIGNS,
            campaigns::detail::close,
        ),
        Route::post(
            "/campaigns/{campaign}/remind",
            MANAGE_CAMPAIGNS,
            campaigns::detail::remind,
        ),
        Route::post(
            "/campaigns/{campaign}/invitations",
            INVITE,
            campaigns::detail::add_invitation,
        ),
        Route::post(
            "/campaigns/{campaign}/invitations/{invitation}/remove",
            MANAGE_CAMPAIGNS,
            campaigns::detail::remove_invitation,
        ),
        Route::get(
            "/campaigns/{campaign}/outbox",
            MANAGE_CAMPAIGNS,
            campaigns::outbox::show,
        ),
        Route::post(
            "/campaigns/{campaign}/outbox.csv",
            EXPORT_OUTBOX,
            campaigns::outbox::export,
        ),
        Route::get(
            "/campaigns/{campaign}/funnel",
            VIEW_CAMPAIGNS,
            campaigns::funnel::show,
        ),
        Route::get(
            "/campaigns/{campaign}/funnel.csv",
            VIEW_CAMPAIGNS,
            campaigns::funnel::csv,
        ),
        Route::get(
            "/campaigns/{campaign}/responses.csv",
            EXPORT_RESPONSES,
            campaigns::downloads::csv,
        ),
        Route::get(
            "/campaigns/{campaign}/responses.xlsx",
            EXPORT_RESPONSES,
            campaigns::downloads::xlsx,
        ),
        Route::get(
            "/campaigns/{campaign}/responses.sav",
            EXPORT_RESPONSES,
            campaigns::downloads::sav,
        ),
        Route::get(
            "/campaigns/{campaign}/responses-note.txt",
            EXPORT_RESPONSES,
            campaigns::downloads::note,
        ),
        // Results.
        Route::get(
            "/campaigns/{campaign}/results",
            CAMPAIGN_RESULTS,
            results::national,
        ),
        Route::get(
            "/campaigns/{campaign}/results/regions/{region}",
            REGION_RESULTS,
            results::region,
        ),
        Route::get(
            "/campaigns/{campaign}/results/networks/{network}",
            NETWORK_RESULTS,
            results::network,
        ),
        Route::get(
            "/campaigns/{campaign}/results/report.pdf",
            CAMPAIGN_RESULTS,
            results::national_pdf,
        ),
        Route::get(
            "/campaigns/{campaign}/results/regions/{region}/report.pdf",
            REGION_RESULTS,
            results::region_pdf,
        ),
        Route::get(
            "/campaigns/{campaign}/results/networks/{network}/report.pdf",
            NETWORK_RESULTS,
            results::network_pdf,
        ),
        Route::get(
            "/campaigns/{campaign}/results/items/{item}",
            CAMPAIGN_RESULTS,
            results::item,
        ),
        Route::get(
            "/campaigns/{campaign}/results/years",
            CAMPAIGN_RESULTS,
            results::years,
        ),
        // Open answers.
        Route::get(
            "/campaigns/{campaign}/results/open",
            READ_OPEN,
            open_answers::index,
        ),
        Route::get(
            "/campaigns/{campaign}/results/open/{item}",
            READ_OPEN,
            open_answers::list,
        ),
        Route::get(
            "/campaigns/{campaign}/results/open/{item}/export.csv",
            READ_OPEN,
            open_answers::export,
        ),
        Route::post(
            "/campaigns/{campaign}/results/open/{item}/codings",
            CODE_OPEN,
            open_answers::assign,
        ),
        Route::post(
            "/campaigns/{campaign}/results/open/{item}/codings/remove",
            CODE_OPEN,
            open_answers::unassign,
        ),
        Route::post(
            "/campaigns/{campaign}/results/open/{item}/themes",
            EDIT_CODEBOOK,
            open_answers::create_theme,
        ),
        Route::post(
            "/campaigns/{campaign}/results/open/{item}/themes/{theme}",
            EDIT_CODEBOOK,
            open_answers::update_theme,
        ),
        Route::get(
            "/campaigns/{campaign}/results/open/{item}/themes/{theme}/edit",
            EDIT_CODEBOOK,
            open_answers::edit_theme,
        ),
        Route::post(
            "/campaigns/{campaign}/results/open/{item}/themes/{theme}/delete",
            EDIT_CODEBOOK,
            open_answers::delete_theme,
        ),
        // Network maps.
        Route::get("/networks/{network}/map", VIEW_MAP, network_map::show),
        Route::get(
            "/networks/{network}/map/export/{format}",
            VIEW_MAP,
            network_map::export,
        ),
        // Characterisation: the network's year, its profile, the national table.
        Route::get(
            "/networks/{network}/year",
            READ_CHARACTERISATION,
            characterisation::year,
        ),
        Route::post(
            "/networks/{network}/year/plan",
            EDIT_NETWORK_YEAR,
            characterisation::save_plan,
        ),
        Route::get(
            "/networks/{network}/sessions.csv",
            READ_CHARACTERISATION,
            characterisation::sessions_csv,
        ),
        Route::get(
            "/networks/{network}/sessions/new",
            EDIT_NETWORK_YEAR,
            characterisation::new_form,
        ),
        Route::post(
            "/networks/{network}/sessions",
            EDIT_NETWORK_YEAR,
            characterisation::create,
        ),
        Route::get(
            "/networks/{network}/sessions/{session}/edit",
            EDIT_NETWORK_YEAR,
            characterisation::edit_form,
        ),
        Route::post(
            "/networks/{network}/sessions/{session}",
            EDIT_NETWORK_YEAR,
            characterisation::update,
        ),
        Route::post(
            "/networks/{network}/sessions/{session}/delete",
            EDIT_NETWORK_YEAR,
            characterisation::delete,
        ),
        Route::get(
            "/networks/{network}/profile",
            READ_CHARACTERISATION,
            characterisation::profile,
        ),
        Route::get(
            "/networks/{network}/profile/ficha.pdf",
            READ_CHARACTERISATION,
            characterisation::ficha_pdf,
        ),
        Route::get(
            "/campaigns/{campaign}/characterisation",
            READ_CHARACTERISATION,
            characterisation::table,
        ),
        Route::get(
            "/campaigns/{campaign}/characterisation.csv",
            READ_CHARACTERISATION,
            characterisation::table_csv,
        ),
        Route::get(
            "/campaigns/{campaign}/characterisation.xlsx",
            READ_CHARACTERISATION,
            characterisation::table_xlsx,
        ),
        // Answering through a personal link.
        Route::get("/r/{token}", LINK, answer::start),
        Route::get("/r/{token}/p/{page}", LINK, answer::show),
        Route::post("/r/{token}/p/{page}", LINK, answer::save),
        Route::get("/r/{token}/review", LINK, answer::review),
        Route::post("/r/{token}/submit", LINK, answer::submit),
        Route::get("/r/{token}/opt-out", LINK, answer::opt_out_form),
        Route::post("/r/{token}/opt-out", LINK, answer::opt_out),
    ]
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
            can_import: ctx.can(Action::ImportRegistry, &Target::national()),
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

pub fn render(t: &impl Template) -> Result<Response, AppError> {
    t.render()
        .map(|html| Html(html).into_response())
        .map_err(|e| AppError::Internal(format!("template: {e}")))
}

/// A decimal with two places in the reader's notation; "—" for none.
pub fn decimal(v: Option<f64>, lang: Lang) -> String {
    trama_i18n::number::decimal(v, 2, lang)
}

pub use trama_i18n::number::percent;

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

/// Only same-origin relative paths are followed after login or a language
/// switch. Browsers drop tabs and line breaks from URLs and read `\\` as
/// `/`, so `/\t/evil.example` would be `//evil.example`, another origin:
/// any control character, white space or backslash sends the reader home,
/// as does anything not starting with a single `/`.
pub fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if local {
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

//! Networks: the list, a network's page for a year (schools, people,
//! history), the create/edit forms and adding a school.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trama_app::registry::{may_create, networks, territory};
use trama_domain::problem::FieldProblem;
use trama_domain::school::Rbd;
use trama_domain::span::YearSpan;
use trama_store::registry::networks::{NetworkDetail, NetworkFilter, NetworkInput, NetworkSummary};
use trama_store::registry::territory::RegionSummary;
use trama_store::registry::{Page, PageRequest};

use super::forms::{Field, form_page, refused};
use super::{Chrome, Pager, label, opt_num, region_name, render, span_label};
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::paths::NetworkPath;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    region: Option<String>,
    deprov: Option<String>,
    year: Option<String>,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "networks.html")]
struct NetworksPage {
    c: Chrome,
    q: String,
    region: i32,
    year: i32,
    regions: Vec<RegionSummary>,
    networks: Page<NetworkSummary>,
    pager: Pager,
    can_create: bool,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let year = opt_num::<i32>(&q.year)
        .ok()
        .flatten()
        .unwrap_or_else(trama_store::current_year);
    let filter = NetworkFilter {
        q: q.q.clone(),
        region: opt_num(&q.region).ok().flatten(),
        deprov: opt_num(&q.deprov).ok().flatten(),
        year: Some(year),
    };
    let page = PageRequest {
        page: q.page,
        per_page: Some(50),
    };
    let networks = networks::list(&state.app, actor, &filter, page).await?;
    let regions = territory::list_regions(&state.app, actor).await?;
    let pager = Pager::new(
        &ctx,
        &networks,
        "/networks",
        &[
            ("q", q.q.clone().unwrap_or_default()),
            ("region", q.region.clone().unwrap_or_default()),
            ("deprov", q.deprov.clone().unwrap_or_default()),
            ("year", year.to_string()),
        ],
    );
    render(&NetworksPage {
        can_create: may_create(actor),
        c: Chrome::new(&ctx, "networks"),
        q: q.q.unwrap_or_default(),
        region: filter.region.unwrap_or_default(),
        year,
        regions,
        networks,
        pager,
    })
}

struct SchoolRow {
    rbd: i32,
    name: String,
    comuna: String,
    dependency: String,
    span: String,
}

struct PersonRow {
    id: i64,
    name: String,
    role: String,
    school: String,
    span: String,
}

#[derive(Template)]
#[template(path = "network.html")]
struct NetworkPage {
    c: Chrome,
    n: NetworkDetail,
    region_name: String,
    comunas: String,
    dependencies: String,
    rurality: String,
    schools_title: String,
    people_title: String,
    schools: Vec<SchoolRow>,
    people: Vec<PersonRow>,
    can_edit: bool,
    add_error: Option<String>,
    /// (code, label) of its level on the continuum, with "provisional".
    level: Option<(&'static str, String, bool)>,
    results_campaign: Option<String>,
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = opt_num::<i32>(&q.year).ok().flatten();
    let view = networks::show(&state.app, ctx.actor()?, &n, year).await?;
    network_page(&ctx, view, None)
}

fn network_page(
    ctx: &Ctx,
    view: networks::NetworkView,
    add_error: Option<String>,
) -> Result<Response, AppError> {
    let n = view.detail;
    let schools = n
        .schools_in_year
        .iter()
        .map(|s| SchoolRow {
            rbd: s.rbd,
            name: s.name.clone(),
            comuna: s.comuna_name.clone(),
            dependency: label(ctx, "dependency", &s.dependency),
            span: span_label(s.from_year, s.to_year),
        })
        .collect();
    let people = n
        .people_in_year
        .iter()
        .map(|p| PersonRow {
            id: p.person_id,
            name: p.name.clone(),
            role: label(ctx, "role", &p.role),
            school: p.school_name.clone().unwrap_or_default(),
            span: span_label(p.from_year, p.to_year),
        })
        .collect();
    let lang = ctx.lang;
    let level = view.level.as_ref().map(|p| {
        (
            p.level.code(),
            trama_app::characterisation::view::level_label(ctx.lang, p.level),
            p.provisional,
        )
    });
    let mut res = render(&NetworkPage {
        level,
        results_campaign: view.results_campaign,
        c: Chrome::new(ctx, "networks"),
        region_name: region_name(n.summary.region_code),
        comunas: n.comunas.join(", "),
        dependencies: n
            .dependencies
            .iter()
            .map(|d| label(ctx, "dependency", d))
            .collect::<Vec<_>>()
            .join(", "),
        rurality: n
            .rurality
            .as_deref()
            .map(|r| label(ctx, "rurality", r))
            .unwrap_or_else(|| "—".into()),
        schools_title: trama_i18n::t!(
            lang,
            "network-schools-in-year",
            year = n.year,
            count = n.schools_in_year.len()
        ),
        people_title: trama_i18n::t!(
            lang,
            "network-people-in-year",
            year = n.year,
            count = n.people_in_year.len()
        ),
        schools,
        people,
        can_edit: view.may_edit,
        add_error: add_error.clone(),
        n,
    })?;
    if add_error.is_some() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Deserialize, Default)]
pub struct NetworkForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    deprov_code: Option<String>,
    #[serde(default)]
    year_formed: Option<String>,
}

fn fields(ctx: &Ctx, f: &NetworkForm) -> Vec<Field> {
    let regions = trama_domain::territory::REGIONS
        .iter()
        .map(|r| (r.code.0.to_string(), format!("{} · {}", r.numeral, r.name)))
        .collect();
    vec![
        Field::text(ctx, "code", "col-code", f.code.clone(), true),
        Field::text(ctx, "name", "col-name", f.name.clone(), true),
        Field::text(
            ctx,
            "region_code",
            "col-region",
            f.region_code.clone(),
            true,
        )
        .options(regions),
        Field::text(
            ctx,
            "deprov_code",
            "col-deprov-code",
            f.deprov_code.clone().unwrap_or_default(),
            false,
        )
        .kind("number"),
        Field::text(
            ctx,
            "year_formed",
            "col-year-formed",
            f.year_formed.clone().unwrap_or_default(),
            false,
        )
        .kind("number"),
    ]
}

/// Parses the form's text into an input; number fields that do not parse are
/// reported on their field.
fn to_input(f: &NetworkForm) -> Result<NetworkInput, Vec<FieldProblem>> {
    let mut errors = vec![];
    let region_code = f.region_code.trim().parse::<i32>().unwrap_or_else(|_| {
        errors.push(FieldProblem::new(
            "region_code",
            trama_domain::Problem::UnknownRegion,
        ));
        0
    });
    let deprov_code = opt_num(&f.deprov_code).unwrap_or_else(|p| {
        errors.push(FieldProblem::new("deprov_code", p));
        None
    });
    let year_formed = opt_num(&f.year_formed).unwrap_or_else(|p| {
        errors.push(FieldProblem::new("year_formed", p));
        None
    });
    let input = NetworkInput {
        code: f.code.clone(),
        name: f.name.clone(),
        region_code,
        deprov_code,
        year_formed,
    };
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    if !may_create(ctx.actor()?) {
        return Err(AppError::Forbidden);
    }
    let f = NetworkForm {
        region_code: ctx
            .actor()?
            .region
            .map(|r| r.0.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    form_page(
        &ctx,
        "networks",
        ctx.t("network-new"),
        "/networks".into(),
        "/networks".into(),
        fields(&ctx, &f),
        &[],
    )
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<NetworkForm>,
) -> Result<Response, AppError> {
    let show = |problems: Vec<FieldProblem>| {
        form_page(
            &ctx,
            "networks",
            ctx.t("network-new"),
            "/networks".into(),
            "/networks".into(),
            fields(&ctx, &f),
            &problems,
        )
    };
    let input = match to_input(&f) {
        Ok(i) => i,
        Err(p) => return show(p),
    };
    match networks::create(&state.app, ctx.actor()?, &input).await {
        Ok(code) => Ok(Redirect::to(&format!("/networks/{code}")).into_response()),
        Err(e) => refused(e, show),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
) -> Result<Response, AppError> {
    let d = networks::for_edit(&state.app, ctx.actor()?, &n).await?;
    let f = NetworkForm {
        code: d.summary.code.clone(),
        name: d.summary.name.clone(),
        region_code: d.summary.region_code.to_string(),
        deprov_code: d.summary.deprov_code.map(|d| d.to_string()),
        year_formed: d.summary.year_formed.map(|y| y.to_string()),
    };
    let path = format!("/networks/{}", n.code);
    form_page(
        &ctx,
        "networks",
        format!("{} · {}", ctx.t("action-edit"), n.code),
        path.clone(),
        path,
        fields(&ctx, &f),
        &[],
    )
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    CsrfForm(f): CsrfForm<NetworkForm>,
) -> Result<Response, AppError> {
    let path = format!("/networks/{}", n.code);
    let show = |problems: Vec<FieldProblem>| {
        form_page(
            &ctx,
            "networks",
            format!("{} · {}", ctx.t("action-edit"), n.code),
            path.clone(),
            path.clone(),
            fields(&ctx, &f),
            &problems,
        )
    };
    let input = match to_input(&f) {
        Ok(i) => i,
        Err(p) => return show(p),
    };
    match networks::update(&state.app, ctx.actor()?, &n, &input).await {
        Ok(code) => Ok(Redirect::to(&format!("/networks/{code}")).into_response()),
        Err(e) => refused(e, show),
    }
}

#[derive(Deserialize)]
pub struct AddSchoolForm {
    #[serde(default)]
    rbd: String,
    #[serde(default)]
    from_year: String,
    #[serde(default)]
    to_year: Option<String>,
}

impl AddSchoolForm {
    fn parse(&self) -> Result<(Rbd, YearSpan), FieldProblem> {
        let rbd = Rbd::parse(&self.rbd).map_err(|p| FieldProblem::new("rbd", p))?;
        let from: i32 = self
            .from_year
            .trim()
            .parse()
            .map_err(|_| FieldProblem::new("from_year", trama_domain::Problem::NotAnInteger))?;
        let to = opt_num(&self.to_year).map_err(|p| FieldProblem::new("to_year", p))?;
        let span = YearSpan::new(from, to).map_err(|p| FieldProblem::new("to_year", p))?;
        Ok((rbd, span))
    }
}

pub async fn add_school(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    CsrfForm(f): CsrfForm<AddSchoolForm>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let problem = match f.parse() {
        Ok((rbd, span)) => match networks::add_school(&state.app, actor, &n, rbd, span).await {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/networks/{}?year={}#schools",
                    n.code, span.from
                ))
                .into_response());
            }
            Err(trama_app::Error::Invalid(p)) => p.into_iter().next(),
            Err(e) => return Err(e.into()),
        },
        Err(p) => Some(p),
    };
    let msg = problem.map(|p| format!("{}: {}", p.field, p.problem.render(ctx.lang)));
    let view = networks::show(&state.app, actor, &n, None).await?;
    network_page(&ctx, view, msg)
}

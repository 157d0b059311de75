use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trama_domain::network::NetworkCode;
use trama_domain::policy::{Action, Target, registry_scope};
use trama_domain::problem::FieldProblem;
use trama_domain::school::Rbd;
use trama_domain::span::YearSpan;
use trama_domain::territory::RegionCode;
use trama_store::StoreError;
use trama_store::registry::networks::{NetworkDetail, NetworkFilter, NetworkInput, NetworkSummary};
use trama_store::registry::territory::RegionSummary;
use trama_store::registry::{Page, PageRequest};

use super::forms::{Field, form_page};
use super::{Chrome, Pager, label, opt_num, region_name, render, span_label};
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
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
    let actor = ctx.allow(Action::ViewRegistry, &Target::global())?;
    let scope = registry_scope(actor).ok_or(AppError::Forbidden)?;
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
    let networks = state.store.list_networks(&filter, &scope, page).await?;
    let regions = state.store.list_regions(&scope).await?;
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
        can_create: ctx.can(Action::EditRegistry, &Target::global()) || actor.region.is_some(),
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
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

fn parse_code(code: &str) -> Result<NetworkCode, AppError> {
    NetworkCode::parse(code).map_err(|_| AppError::NotFound)
}

async fn target(state: &AppState, ctx: &Ctx, code: &NetworkCode) -> Result<Target, AppError> {
    // Signed-in first: anonymous requests learn nothing about what exists.
    ctx.actor()?;
    state
        .store
        .network_target(code)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let code = parse_code(&code)?;
    let t = target(&state, &ctx, &code).await?;
    ctx.allow(Action::ViewRegistry, &t)?;
    let year = opt_num::<i32>(&q.year).ok().flatten();
    network_page(&state, &ctx, &code, year, &t, None).await
}

async fn network_page(
    state: &AppState,
    ctx: &Ctx,
    code: &NetworkCode,
    year: Option<i32>,
    t: &Target,
    add_error: Option<String>,
) -> Result<Response, AppError> {
    let n = state
        .store
        .get_network(code, year)
        .await?
        .ok_or(AppError::NotFound)?;
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
    let mut res = render(&NetworkPage {
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
        can_edit: ctx.can(Action::EditRegistry, t),
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

fn region_target(region: i32) -> Target {
    Target::in_region(Some(RegionCode(region as i16)), vec![])
}

pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let default_region = actor
        .region
        .map(|r| r.0.to_string())
        .unwrap_or_else(|| "13".into());
    ctx.allow(
        Action::EditRegistry,
        &region_target(default_region.parse().unwrap_or(13)),
    )?;
    let f = NetworkForm {
        region_code: default_region,
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
    let actor = ctx.actor()?;
    let region: i32 = f
        .region_code
        .trim()
        .parse()
        .unwrap_or(actor.region.map(|r| i32::from(r.0)).unwrap_or(0));
    ctx.allow(Action::EditRegistry, &region_target(region))?;
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
    let valid = match input.validate() {
        Ok(v) => v,
        Err(p) => return show(p),
    };
    match state.store.create_network(&valid).await {
        Ok(_) => {
            state
                .store
                .audit(Some(actor.user_id), "network.create", valid.code.as_str())
                .await?;
            Ok(Redirect::to(&format!("/networks/{}", valid.code)).into_response())
        }
        Err(StoreError::Invalid(p)) => show(p),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let code = parse_code(&code)?;
    let t = target(&state, &ctx, &code).await?;
    ctx.allow(Action::EditRegistry, &t)?;
    let n = state
        .store
        .get_network(&code, None)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = NetworkForm {
        code: n.summary.code.clone(),
        name: n.summary.name.clone(),
        region_code: n.summary.region_code.to_string(),
        deprov_code: n.summary.deprov_code.map(|d| d.to_string()),
        year_formed: n.summary.year_formed.map(|y| y.to_string()),
    };
    let path = format!("/networks/{code}");
    form_page(
        &ctx,
        "networks",
        format!("{} · {}", ctx.t("action-edit"), code),
        path.clone(),
        path,
        fields(&ctx, &f),
        &[],
    )
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    CsrfForm(f): CsrfForm<NetworkForm>,
) -> Result<Response, AppError> {
    let code = parse_code(&code)?;
    let t = target(&state, &ctx, &code).await?;
    let actor = ctx.allow(Action::EditRegistry, &t)?;
    let path = format!("/networks/{code}");
    let show = |problems: Vec<FieldProblem>| {
        form_page(
            &ctx,
            "networks",
            format!("{} · {}", ctx.t("action-edit"), code),
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
    let valid = match input.validate() {
        Ok(v) => v,
        Err(p) => return show(p),
    };
    // Moving a network to another region needs the right to edit there too.
    ctx.allow(
        Action::EditRegistry,
        &region_target(i32::from(valid.region.0)),
    )?;
    let id = state
        .store
        .network_id(&code)
        .await?
        .ok_or(AppError::NotFound)?;
    match state.store.update_network(id, &valid).await {
        Ok(()) => {
            state
                .store
                .audit(Some(actor.user_id), "network.update", valid.code.as_str())
                .await?;
            Ok(Redirect::to(&format!("/networks/{}", valid.code)).into_response())
        }
        Err(StoreError::Invalid(p)) => show(p),
        Err(e) => Err(e.into()),
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

pub async fn add_school(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    CsrfForm(f): CsrfForm<AddSchoolForm>,
) -> Result<Response, AppError> {
    let code = parse_code(&code)?;
    let t = target(&state, &ctx, &code).await?;
    let actor = ctx.allow(Action::EditRegistry, &t)?;
    let parsed = (|| {
        let rbd = Rbd::parse(&f.rbd).map_err(|p| FieldProblem::new("rbd", p))?;
        let from: i32 = f
            .from_year
            .trim()
            .parse()
            .map_err(|_| FieldProblem::new("from_year", trama_domain::Problem::NotAnInteger))?;
        let to = opt_num(&f.to_year).map_err(|p| FieldProblem::new("to_year", p))?;
        let span = YearSpan::new(from, to).map_err(|p| FieldProblem::new("to_year", p))?;
        Ok::<_, FieldProblem>((rbd, span))
    })();
    let problem = match parsed {
        Ok((rbd, span)) => {
            let id = state
                .store
                .network_id(&code)
                .await?
                .ok_or(AppError::NotFound)?;
            match state.store.add_school_to_network(id, rbd, span).await {
                Ok(()) => {
                    state
                        .store
                        .audit(
                            Some(actor.user_id),
                            "network.add_school",
                            &format!("{code} {}", rbd.0),
                        )
                        .await?;
                    return Ok(Redirect::to(&format!(
                        "/networks/{code}?year={}#schools",
                        span.from
                    ))
                    .into_response());
                }
                Err(StoreError::Invalid(p)) => p.into_iter().next(),
                Err(e) => return Err(e.into()),
            }
        }
        Err(p) => Some(p),
    };
    let msg = problem.map(|p| format!("{}: {}", p.field, p.problem.render(ctx.lang)));
    network_page(&state, &ctx, &code, None, &t, msg).await
}

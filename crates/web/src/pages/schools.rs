//! Schools: the list with filters, a school's page with its networks and
//! people, and the create/edit forms.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trama_app::registry::{may_create, schools, territory};
use trama_domain::problem::{FieldProblem, text};
use trama_domain::school::{Dependency, Rbd, School, SchoolStatus, parse_coordinate};
use trama_domain::territory::ComunaCode;
use trama_store::registry::PageRequest;
use trama_store::registry::schools::{SchoolDetail, SchoolFilter};
use trama_store::registry::territory::RegionSummary;

use super::forms::{Field, form_page, refused};
use super::{Chrome, Pager, label, opt_num, region_name, render, span_label};
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::paths::SchoolPath;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    region: Option<String>,
    dependency: Option<String>,
    page: Option<u32>,
}

struct Row {
    rbd: i32,
    name: String,
    comuna: String,
    dependency: String,
    area: String,
}

#[derive(Template)]
#[template(path = "schools.html")]
struct SchoolsPage {
    c: Chrome,
    q: String,
    region: i32,
    dependency: String,
    regions: Vec<RegionSummary>,
    dependencies: Vec<(String, String)>,
    schools: Vec<Row>,
    pager: Pager,
    can_create: bool,
}

fn area(ctx: &Ctx, rural: bool) -> String {
    ctx.t(if rural {
        "rurality-rural"
    } else {
        "rurality-urban"
    })
}

fn dependency_options(ctx: &Ctx) -> Vec<(String, String)> {
    Dependency::ALL
        .iter()
        .map(|d| (d.as_str().to_owned(), ctx.t(d.label_id())))
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let filter = SchoolFilter {
        q: q.q.clone(),
        region: opt_num(&q.region).ok().flatten(),
        dependency: q.dependency.clone(),
        ..Default::default()
    };
    let page = schools::list(
        &state.app,
        actor,
        &filter,
        PageRequest {
            page: q.page,
            per_page: Some(50),
        },
    )
    .await?;
    let pager = Pager::new(
        &ctx,
        &page,
        "/schools",
        &[
            ("q", q.q.clone().unwrap_or_default()),
            ("region", q.region.clone().unwrap_or_default()),
            ("dependency", q.dependency.clone().unwrap_or_default()),
        ],
    );
    let schools = page
        .items
        .iter()
        .map(|s| Row {
            rbd: s.rbd,
            name: s.name.clone(),
            comuna: s.comuna_name.clone(),
            dependency: label(&ctx, "dependency", &s.dependency),
            area: area(&ctx, s.rural),
        })
        .collect();
    render(&SchoolsPage {
        can_create: may_create(actor),
        c: Chrome::new(&ctx, "schools"),
        q: q.q.unwrap_or_default(),
        region: filter.region.unwrap_or_default(),
        dependency: q.dependency.unwrap_or_default(),
        regions: territory::list_regions(&state.app, actor).await?,
        dependencies: dependency_options(&ctx),
        schools,
        pager,
    })
}

struct PersonRow {
    id: i64,
    name: String,
    role: String,
    span: String,
}

#[derive(Template)]
#[template(path = "school.html")]
struct SchoolPage {
    c: Chrome,
    s: SchoolDetail,
    rbd_label: String,
    region_name: String,
    dependency: String,
    area: String,
    status: String,
    networks: Vec<(String, String, String)>,
    people: Vec<PersonRow>,
    can_edit: bool,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    SchoolPath(school): SchoolPath,
) -> Result<Response, AppError> {
    let view = schools::show(&state.app, ctx.actor()?, &school).await?;
    let s = view.detail;
    let networks = s
        .networks
        .iter()
        .map(|n| {
            (
                n.code.clone(),
                n.name.clone(),
                span_label(n.from_year, n.to_year),
            )
        })
        .collect();
    let people = s
        .people
        .iter()
        .map(|p| PersonRow {
            id: p.person_id,
            name: p.name.clone(),
            role: label(&ctx, "role", &p.role),
            span: span_label(p.from_year, p.to_year),
        })
        .collect();
    render(&SchoolPage {
        c: Chrome::new(&ctx, "schools"),
        rbd_label: match &s.check_digit {
            Some(dv) => format!("{}-{dv}", s.summary.rbd),
            None => s.summary.rbd.to_string(),
        },
        region_name: region_name(s.summary.region_code),
        dependency: label(&ctx, "dependency", &s.summary.dependency),
        area: area(&ctx, s.summary.rural),
        status: label(&ctx, "status", &s.summary.status),
        networks,
        people,
        can_edit: view.may_edit,
        s,
    })
}

#[derive(Deserialize, Default)]
pub struct SchoolForm {
    #[serde(default)]
    rbd: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    comuna: String,
    #[serde(default)]
    dependency: String,
    #[serde(default)]
    rural: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    latitude: String,
    #[serde(default)]
    longitude: String,
    #[serde(default)]
    enrolment: String,
}

fn fields(ctx: &Ctx, f: &SchoolForm, new: bool) -> Vec<Field> {
    let mut v = vec![];
    if new {
        v.push(Field::text(ctx, "rbd", "col-rbd", f.rbd.clone(), true).kind("number"));
    }
    v.extend([
        Field::text(ctx, "name", "col-name", f.name.clone(), true),
        Field::text(ctx, "comuna", "col-comuna-code", f.comuna.clone(), true).kind("number"),
        Field::text(
            ctx,
            "dependency",
            "col-dependency",
            f.dependency.clone(),
            true,
        )
        .options(dependency_options(ctx)),
        Field::text(ctx, "rural", "col-area", f.rural.clone(), true).options(vec![
            ("0".into(), ctx.t("rurality-urban")),
            ("1".into(), ctx.t("rurality-rural")),
        ]),
        Field::text(ctx, "status", "col-status", f.status.clone(), true).options(
            SchoolStatus::ALL
                .iter()
                .map(|s| (s.as_str().to_owned(), ctx.t(s.label_id())))
                .collect(),
        ),
        Field::text(ctx, "latitude", "col-latitude", f.latitude.clone(), false),
        Field::text(
            ctx,
            "longitude",
            "col-longitude",
            f.longitude.clone(),
            false,
        ),
        Field::text(
            ctx,
            "enrolment",
            "col-enrolment",
            f.enrolment.clone(),
            false,
        )
        .kind("number"),
    ]);
    v
}

/// Checks every field; `rbd` comes from the path when editing.
fn to_school(f: &SchoolForm, rbd: Option<Rbd>) -> Result<School, Vec<FieldProblem>> {
    let mut errors = vec![];
    macro_rules! field {
        ($name:expr, $r:expr $(,)?) => {
            $r.map_err(|p| errors.push(FieldProblem::new($name, p)))
                .ok()
        };
    }
    let rbd = match rbd {
        Some(r) => Some(r),
        None => field!("rbd", Rbd::parse(&f.rbd)),
    };
    let name = field!("name", text(&f.name, 200));
    let comuna = field!(
        "comuna",
        f.comuna
            .trim()
            .parse::<i32>()
            .map(ComunaCode)
            .map_err(|_| trama_domain::Problem::NotAnInteger),
    );
    let dependency = field!("dependency", Dependency::parse(&f.dependency));
    let rural = field!("rural", trama_domain::school::parse_flag(&f.rural));
    let status = field!("status", SchoolStatus::parse(&f.status));
    let latitude = field!("latitude", parse_coordinate(&f.latitude, -90.0, 90.0));
    let longitude = field!("longitude", parse_coordinate(&f.longitude, -180.0, 180.0));
    let enrolment = field!("enrolment", opt_num::<i32>(&Some(f.enrolment.clone())));
    match (
        rbd, name, comuna, dependency, rural, status, latitude, longitude, enrolment,
    ) {
        (
            Some(rbd),
            Some(name),
            Some(comuna),
            Some(dependency),
            Some(rural),
            Some(status),
            Some(latitude),
            Some(longitude),
            Some(enrolment),
        ) if errors.is_empty() => Ok(School {
            rbd,
            check_digit: None,
            name,
            comuna,
            dependency,
            rural,
            latitude,
            longitude,
            enrolment,
            status,
            sostenedor_id: None,
        }),
        _ => Err(errors),
    }
}

pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    if !may_create(ctx.actor()?) {
        return Err(AppError::Forbidden);
    }
    let f = SchoolForm {
        rural: "0".into(),
        status: "open".into(),
        dependency: "municipal".into(),
        ..Default::default()
    };
    form_page(
        &ctx,
        "schools",
        ctx.t("school-new"),
        "/schools".into(),
        "/schools".into(),
        fields(&ctx, &f, true),
        &[],
    )
}

/// The form for a new school (`rbd` none) or an existing one, with problems.
fn form(
    ctx: &Ctx,
    f: &SchoolForm,
    rbd: Option<Rbd>,
    problems: &[FieldProblem],
) -> Result<Response, AppError> {
    let (title, path) = match rbd {
        None => (ctx.t("school-new"), "/schools".to_owned()),
        Some(r) => (
            format!("{} · {}", ctx.t("action-edit"), r.0),
            format!("/schools/{}", r.0),
        ),
    };
    form_page(
        ctx,
        "schools",
        title,
        path.clone(),
        path,
        fields(ctx, f, rbd.is_none()),
        problems,
    )
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<SchoolForm>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let school = match to_school(&f, None) {
        Ok(s) => s,
        Err(p) => return form(&ctx, &f, None, &p),
    };
    match schools::create(&state.app, actor, &school).await {
        Ok(rbd) => Ok(Redirect::to(&format!("/schools/{}", rbd.0)).into_response()),
        Err(e) => refused(e, |p| form(&ctx, &f, None, &p)),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    SchoolPath(school): SchoolPath,
) -> Result<Response, AppError> {
    let s = schools::for_edit(&state.app, ctx.actor()?, &school).await?;
    let f = SchoolForm {
        rbd: school.rbd.0.to_string(),
        name: s.summary.name.clone(),
        comuna: s.summary.comuna_code.to_string(),
        dependency: s.summary.dependency.clone(),
        rural: if s.summary.rural { "1" } else { "0" }.into(),
        status: s.summary.status.clone(),
        latitude: s.latitude.map(|v| v.to_string()).unwrap_or_default(),
        longitude: s.longitude.map(|v| v.to_string()).unwrap_or_default(),
        enrolment: s
            .summary
            .enrolment
            .map(|v| v.to_string())
            .unwrap_or_default(),
    };
    form(&ctx, &f, Some(school.rbd), &[])
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    SchoolPath(school): SchoolPath,
    CsrfForm(f): CsrfForm<SchoolForm>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let rbd = Some(school.rbd);
    let parsed = match to_school(&f, rbd) {
        Ok(s) => s,
        Err(p) => return form(&ctx, &f, rbd, &p),
    };
    match schools::update(&state.app, actor, &school, parsed).await {
        Ok(rbd) => Ok(Redirect::to(&format!("/schools/{}", rbd.0)).into_response()),
        Err(e) => refused(e, |p| form(&ctx, &f, rbd, &p)),
    }
}

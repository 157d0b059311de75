use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trama_domain::policy::{Action, Target, registry_scope};
use trama_domain::problem::{FieldProblem, text};
use trama_domain::school::{Dependency, Rbd, School, SchoolStatus, parse_coordinate};
use trama_domain::territory::{ComunaCode, RegionCode};
use trama_store::StoreError;
use trama_store::registry::PageRequest;
use trama_store::registry::schools::{SchoolDetail, SchoolFilter, school_from_detail};
use trama_store::registry::territory::RegionSummary;

use super::forms::{Field, form_page};
use super::{Chrome, Pager, label, opt_num, region_name, render, span_label};
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
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
    let actor = ctx.allow(Action::ViewRegistry, &Target::global())?;
    let scope = registry_scope(actor).ok_or(AppError::Forbidden)?;
    let filter = SchoolFilter {
        q: q.q.clone(),
        region: opt_num(&q.region).ok().flatten(),
        dependency: q.dependency.clone(),
        ..Default::default()
    };
    let page = state
        .store
        .list_schools(
            &filter,
            &scope,
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
        can_create: ctx.can(Action::EditRegistry, &Target::global()) || actor.region.is_some(),
        c: Chrome::new(&ctx, "schools"),
        q: q.q.unwrap_or_default(),
        region: filter.region.unwrap_or_default(),
        dependency: q.dependency.unwrap_or_default(),
        regions: state.store.list_regions(&scope).await?,
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

async fn target(state: &AppState, ctx: &Ctx, rbd: Rbd) -> Result<Target, AppError> {
    ctx.actor()?;
    state
        .store
        .school_target(rbd)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(rbd): Path<String>,
) -> Result<Response, AppError> {
    ctx.actor()?;
    let rbd = Rbd::parse(&rbd).map_err(|_| AppError::NotFound)?;
    let t = target(&state, &ctx, rbd).await?;
    ctx.allow(Action::ViewRegistry, &t)?;
    let s = state
        .store
        .get_school(rbd)
        .await?
        .ok_or(AppError::NotFound)?;
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
        can_edit: ctx.can(Action::EditRegistry, &t),
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

fn comuna_target(comuna: &str) -> Target {
    let region = comuna
        .trim()
        .parse::<i32>()
        .ok()
        .and_then(|c| ComunaCode(c).region());
    Target::in_region(region.or(Some(RegionCode(0))), vec![])
}

pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let region = actor.region.unwrap_or(RegionCode(13));
    ctx.allow(
        Action::EditRegistry,
        &Target::in_region(Some(region), vec![]),
    )?;
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

async fn save(
    state: &AppState,
    ctx: &Ctx,
    f: &SchoolForm,
    rbd: Option<Rbd>,
    existing: Option<&SchoolDetail>,
) -> Result<Response, AppError> {
    let new = rbd.is_none();
    let (title, action, cancel) = match rbd {
        None => (
            ctx.t("school-new"),
            "/schools".to_owned(),
            "/schools".to_owned(),
        ),
        Some(r) => (
            format!("{} · {}", ctx.t("action-edit"), r.0),
            format!("/schools/{}", r.0),
            format!("/schools/{}", r.0),
        ),
    };
    let show = |p: Vec<FieldProblem>| {
        form_page(
            ctx,
            "schools",
            title.clone(),
            action.clone(),
            cancel.clone(),
            fields(ctx, f, new),
            &p,
        )
    };
    // The school may only be created or moved where the actor may edit.
    let actor = ctx.allow(Action::EditRegistry, &comuna_target(&f.comuna))?;
    let mut school = match to_school(f, rbd) {
        Ok(s) => s,
        Err(p) => return show(p),
    };
    if let Some(e) = existing {
        school.check_digit = school_from_detail(e).check_digit;
    } else if state.store.get_school(school.rbd).await?.is_some() {
        return show(vec![FieldProblem::new(
            "rbd",
            trama_domain::Problem::AlreadyExists,
        )]);
    }
    match state.store.get_comuna(school.comuna.0).await? {
        Some(c) if school.comuna.region().map(|r| i32::from(r.0)) == Some(c.region_code) => {}
        _ => {
            return show(vec![FieldProblem::new(
                "comuna",
                trama_domain::Problem::InvalidCode,
            )]);
        }
    }
    match state.store.save_school(&school).await {
        Ok(()) => {
            state
                .store
                .audit(
                    Some(actor.user_id),
                    "school.save",
                    &school.rbd.0.to_string(),
                )
                .await?;
            Ok(Redirect::to(&format!("/schools/{}", school.rbd.0)).into_response())
        }
        Err(StoreError::Invalid(p)) => show(p),
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<SchoolForm>,
) -> Result<Response, AppError> {
    ctx.actor()?;
    save(&state, &ctx, &f, None, None).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(rbd): Path<String>,
) -> Result<Response, AppError> {
    ctx.actor()?;
    let rbd = Rbd::parse(&rbd).map_err(|_| AppError::NotFound)?;
    let t = target(&state, &ctx, rbd).await?;
    ctx.allow(Action::EditRegistry, &t)?;
    let s = state
        .store
        .get_school(rbd)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = SchoolForm {
        rbd: rbd.0.to_string(),
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
    let path = format!("/schools/{}", rbd.0);
    form_page(
        &ctx,
        "schools",
        format!("{} · {}", ctx.t("action-edit"), rbd.0),
        path.clone(),
        path,
        fields(&ctx, &f, false),
        &[],
    )
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(rbd): Path<String>,
    CsrfForm(f): CsrfForm<SchoolForm>,
) -> Result<Response, AppError> {
    ctx.actor()?;
    let rbd = Rbd::parse(&rbd).map_err(|_| AppError::NotFound)?;
    let t = target(&state, &ctx, rbd).await?;
    ctx.allow(Action::EditRegistry, &t)?;
    let existing = state
        .store
        .get_school(rbd)
        .await?
        .ok_or(AppError::NotFound)?;
    save(&state, &ctx, &f, Some(rbd), Some(&existing)).await
}

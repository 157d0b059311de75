use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trama_domain::network::NetworkCode;
use trama_domain::person::Role;
use trama_domain::policy::{Action, Target, registry_scope};
use trama_domain::problem::FieldProblem;
use trama_domain::span::YearSpan;
use trama_domain::territory::RegionCode;
use trama_store::StoreError;
use trama_store::registry::people::{PersonDetail, PersonFilter, PersonInput, PersonSummary};
use trama_store::registry::{Page, PageRequest};

use super::forms::{Field, form_page};
use super::{Chrome, Pager, label, opt_num, render, span_label};
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    role: Option<String>,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    c: Chrome,
    q: String,
    role: String,
    roles: Vec<(String, String)>,
    page: Page<PersonSummary>,
    pager: Pager,
    can_create: bool,
}

fn role_options(ctx: &Ctx) -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), ctx.t(r.label_id())))
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let actor = ctx.allow(Action::ViewRegistry, &Target::global())?;
    let scope = registry_scope(actor).ok_or(AppError::Forbidden)?;
    let filter = PersonFilter {
        q: q.q.clone(),
        role: q.role.clone(),
    };
    let page = state
        .store
        .list_people(
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
        "/people",
        &[
            ("q", q.q.clone().unwrap_or_default()),
            ("role", q.role.clone().unwrap_or_default()),
        ],
    );
    render(&PeoplePage {
        can_create: ctx.can(Action::EditRegistry, &Target::global()) || actor.region.is_some(),
        c: Chrome::new(&ctx, "people"),
        q: q.q.unwrap_or_default(),
        role: q.role.unwrap_or_default(),
        roles: role_options(&ctx),
        page,
        pager,
    })
}

struct RoleRow {
    role: String,
    place: String,
    href: String,
    span: String,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    p: PersonDetail,
    roles: Vec<RoleRow>,
    role_options: Vec<(String, String)>,
    year: i32,
    can_edit: bool,
    can_erase: bool,
    add_error: Option<String>,
}

async fn targets(state: &AppState, ctx: &Ctx, id: i64) -> Result<Vec<Target>, AppError> {
    ctx.actor()?;
    state
        .store
        .person_targets(id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn person_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    can_edit: bool,
    add_error: Option<String>,
) -> Result<Response, AppError> {
    let p = state
        .store
        .get_person(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let roles = p
        .affiliations
        .iter()
        .map(|a| {
            let (place, href) = match (&a.school_name, a.rbd, &a.network_code) {
                (Some(name), Some(rbd), _) => (name.clone(), format!("/schools/{rbd}")),
                (_, _, Some(code)) => (code.clone(), format!("/networks/{code}")),
                _ => ("—".into(), "#".into()),
            };
            RoleRow {
                role: label(ctx, "role", &a.role),
                place,
                href,
                span: span_label(a.from_year, a.to_year),
            }
        })
        .collect();
    let mut res = render(&PersonPage {
        c: Chrome::new(ctx, "people"),
        roles,
        role_options: role_options(ctx),
        year: trama_store::current_year(),
        can_edit,
        can_erase: ctx.can(Action::ManageAccounts, &Target::global()),
        add_error: add_error.clone(),
        p,
    })?;
    if add_error.is_some() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

fn parse_id(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let t = targets(&state, &ctx, id).await?;
    ctx.allow_any(Action::ViewRegistry, &t)?;
    let can_edit = ctx.allow_any(Action::EditRegistry, &t).is_ok();
    person_page(&state, &ctx, id, can_edit, None).await
}

#[derive(Deserialize, Default)]
pub struct PersonForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    national_id: String,
}

fn fields(ctx: &Ctx, f: &PersonForm) -> Vec<Field> {
    vec![
        Field::text(ctx, "name", "col-name", f.name.clone(), true),
        Field::text(ctx, "email", "auth-email", f.email.clone(), true).kind("email"),
        Field::text(
            ctx,
            "national_id",
            "col-national-id",
            f.national_id.clone(),
            false,
        ),
    ]
}

fn input(f: &PersonForm) -> PersonInput {
    PersonInput {
        name: f.name.clone(),
        email: f.email.clone(),
        national_id: Some(f.national_id.clone()),
    }
}

/// New people are created by those who may edit somewhere; they become
/// visible to regional coordinators once given a role in their region.
fn edit_somewhere(ctx: &Ctx) -> Result<(), AppError> {
    let actor = ctx.actor()?;
    let region = actor.region.unwrap_or(RegionCode(13));
    ctx.allow(
        Action::EditRegistry,
        &Target::in_region(Some(region), vec![]),
    )?;
    Ok(())
}

pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    edit_somewhere(&ctx)?;
    form_page(
        &ctx,
        "people",
        ctx.t("person-new"),
        "/people".into(),
        "/people".into(),
        fields(&ctx, &PersonForm::default()),
        &[],
    )
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<PersonForm>,
) -> Result<Response, AppError> {
    edit_somewhere(&ctx)?;
    let show = |p: Vec<FieldProblem>| {
        form_page(
            &ctx,
            "people",
            ctx.t("person-new"),
            "/people".into(),
            "/people".into(),
            fields(&ctx, &f),
            &p,
        )
    };
    let valid = match input(&f).validate() {
        Ok(v) => v,
        Err(p) => return show(p),
    };
    match state.store.create_person(&valid).await {
        Ok(id) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(StoreError::Invalid(p)) => show(p),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let t = targets(&state, &ctx, id).await?;
    ctx.allow_any(Action::EditRegistry, &t)?;
    let p = state
        .store
        .get_person(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = PersonForm {
        name: p.summary.name,
        email: p.summary.email,
        national_id: p.national_id.unwrap_or_default(),
    };
    let path = format!("/people/{id}");
    form_page(
        &ctx,
        "people",
        ctx.t("action-edit"),
        path.clone(),
        path,
        fields(&ctx, &f),
        &[],
    )
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<PersonForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let t = targets(&state, &ctx, id).await?;
    ctx.allow_any(Action::EditRegistry, &t)?;
    let path = format!("/people/{id}");
    let show = |p: Vec<FieldProblem>| {
        form_page(
            &ctx,
            "people",
            ctx.t("action-edit"),
            path.clone(),
            path.clone(),
            fields(&ctx, &f),
            &p,
        )
    };
    let valid = match input(&f).validate() {
        Ok(v) => v,
        Err(p) => return show(p),
    };
    match state.store.update_person(id, &valid).await {
        Ok(()) => Ok(Redirect::to(&path).into_response()),
        Err(StoreError::Invalid(p)) => show(p),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct AffiliationForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    rbd: Option<String>,
    #[serde(default)]
    network: Option<String>,
    #[serde(default)]
    from_year: String,
    #[serde(default)]
    to_year: Option<String>,
}

pub async fn add_affiliation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<AffiliationForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let t = targets(&state, &ctx, id).await?;
    // Editing rights over the person (or, for someone without roles yet,
    // anywhere) and over the place the role is in.
    if t.is_empty() {
        edit_somewhere(&ctx)?;
    } else {
        ctx.allow_any(Action::EditRegistry, &t)?;
    }
    let parsed: Result<_, FieldProblem> = async {
        let role = Role::parse(&f.role).map_err(|p| FieldProblem::new("role", p))?;
        let rbd = opt_num::<i32>(&f.rbd).map_err(|p| FieldProblem::new("rbd", p))?;
        let network = match f
            .network
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(c) => {
                let code = NetworkCode::parse(c).map_err(|p| FieldProblem::new("network", p))?;
                Some(code)
            }
            None => None,
        };
        let from: i32 = f
            .from_year
            .trim()
            .parse()
            .map_err(|_| FieldProblem::new("from_year", trama_domain::Problem::NotAnInteger))?;
        let to = opt_num(&f.to_year).map_err(|p| FieldProblem::new("to_year", p))?;
        let span = YearSpan::new(from, to).map_err(|p| FieldProblem::new("to_year", p))?;
        Ok((role, rbd, network, span))
    }
    .await;
    let problem = match parsed {
        Err(p) => Some(p),
        Ok((role, rbd, network, span)) => {
            let network_id = match &network {
                Some(code) => match state.store.network_id(code).await? {
                    Some(nid) => {
                        let nt = state
                            .store
                            .network_target(code)
                            .await?
                            .ok_or(AppError::NotFound)?;
                        ctx.allow(Action::EditRegistry, &nt)?;
                        Some(nid)
                    }
                    None => {
                        return person_page(
                            &state,
                            &ctx,
                            id,
                            true,
                            Some(
                                FieldProblem::new("network", trama_domain::Problem::UnknownNetwork)
                                    .problem
                                    .render(ctx.lang),
                            ),
                        )
                        .await;
                    }
                },
                None => None,
            };
            if let Some(r) = rbd
                && let Some(st) = state
                    .store
                    .school_target(trama_domain::school::Rbd(r))
                    .await?
            {
                ctx.allow(Action::EditRegistry, &st)?;
            }
            match state
                .store
                .add_affiliation(id, role, rbd, network_id, span)
                .await
            {
                Ok(_) => return Ok(Redirect::to(&format!("/people/{id}")).into_response()),
                Err(StoreError::Invalid(p)) => p.into_iter().next(),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let msg = problem.map(|p| format!("{}: {}", p.field, p.problem.render(ctx.lang)));
    person_page(&state, &ctx, id, true, msg).await
}

#[derive(Deserialize, Default)]
pub struct EraseForm {
    #[serde(default)]
    confirm: String,
}

/// Erases a person (a data-protection request): registry entry, roles,
/// invitations and links go; their questionnaire answers stay, anonymous.
/// National coordinators only, with an explicit confirmation.
pub async fn erase(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<EraseForm>,
) -> Result<Response, AppError> {
    let actor = ctx
        .allow(Action::ManageAccounts, &Target::global())?
        .clone();
    let id = parse_id(&id)?;
    if f.confirm != "yes" {
        return Err(AppError::Invalid(vec![FieldProblem::new(
            "confirm",
            trama_domain::Problem::Required,
        )]));
    }
    state.store.erase_person(id).await?;
    state
        .store
        .audit(Some(actor.user_id), "person.erase", &id.to_string())
        .await?;
    Ok(Redirect::to("/people").into_response())
}

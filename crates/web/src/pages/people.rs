//! People: the list, a person's page with their roles, the create/edit
//! forms, giving a role, and erasing a person.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trama_app::registry::{may_create, people};
use trama_domain::network::NetworkCode;
use trama_domain::person::Role;
use trama_domain::problem::FieldProblem;
use trama_domain::school::Rbd;
use trama_domain::span::YearSpan;
use trama_store::registry::people::{PersonDetail, PersonFilter, PersonInput, PersonSummary};
use trama_store::registry::{Page, PageRequest};

use super::forms::{Field, form_page, refused};
use super::{Chrome, Pager, label, opt_num, render, span_label};
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::paths::PersonPath;
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
    let actor = ctx.actor()?;
    let filter = PersonFilter {
        q: q.q.clone(),
        role: q.role.clone(),
    };
    let page = people::list(
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
        "/people",
        &[
            ("q", q.q.clone().unwrap_or_default()),
            ("role", q.role.clone().unwrap_or_default()),
        ],
    );
    render(&PeoplePage {
        can_create: may_create(actor),
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

fn person_page(
    ctx: &Ctx,
    view: people::PersonView,
    add_error: Option<String>,
) -> Result<Response, AppError> {
    let p = view.detail;
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
        can_edit: view.may_edit,
        can_erase: view.may_erase,
        add_error: add_error.clone(),
        p,
    })?;
    if add_error.is_some() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PersonPath(person): PersonPath,
) -> Result<Response, AppError> {
    let view = people::show(&state.app, ctx.actor()?, &person).await?;
    person_page(&ctx, view, None)
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

fn form(
    ctx: &Ctx,
    f: &PersonForm,
    id: Option<i64>,
    problems: &[FieldProblem],
) -> Result<Response, AppError> {
    let (title, path) = match id {
        None => (ctx.t("person-new"), "/people".to_owned()),
        Some(id) => (ctx.t("action-edit"), format!("/people/{id}")),
    };
    form_page(
        ctx,
        "people",
        title,
        path.clone(),
        path,
        fields(ctx, f),
        problems,
    )
}

pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    if !may_create(ctx.actor()?) {
        return Err(AppError::Forbidden);
    }
    form(&ctx, &PersonForm::default(), None, &[])
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<PersonForm>,
) -> Result<Response, AppError> {
    match people::create(&state.app, ctx.actor()?, &input(&f)).await {
        Ok(p) => Ok(Redirect::to(&format!("/people/{}", p.summary.id)).into_response()),
        Err(e) => refused(e, |p| form(&ctx, &f, None, &p)),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    PersonPath(person): PersonPath,
) -> Result<Response, AppError> {
    let p = people::for_edit(&state.app, ctx.actor()?, &person).await?;
    let f = PersonForm {
        name: p.summary.name,
        email: p.summary.email,
        national_id: p.national_id.unwrap_or_default(),
    };
    form(&ctx, &f, Some(person.id), &[])
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    PersonPath(person): PersonPath,
    CsrfForm(f): CsrfForm<PersonForm>,
) -> Result<Response, AppError> {
    match people::update(&state.app, ctx.actor()?, &person, &input(&f)).await {
        Ok(()) => Ok(Redirect::to(&format!("/people/{}", person.id)).into_response()),
        Err(e) => refused(e, |p| form(&ctx, &f, Some(person.id), &p)),
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

impl AffiliationForm {
    fn parse(&self) -> Result<people::AffiliationInput, FieldProblem> {
        let role = Role::parse(&self.role).map_err(|p| FieldProblem::new("role", p))?;
        let rbd = opt_num::<i32>(&self.rbd)
            .map_err(|p| FieldProblem::new("rbd", p))?
            .map(Rbd);
        let network = match self
            .network
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(c) => Some(NetworkCode::parse(c).map_err(|p| FieldProblem::new("network", p))?),
            None => None,
        };
        let from: i32 = self
            .from_year
            .trim()
            .parse()
            .map_err(|_| FieldProblem::new("from_year", trama_domain::Problem::NotAnInteger))?;
        let to = opt_num(&self.to_year).map_err(|p| FieldProblem::new("to_year", p))?;
        let span = YearSpan::new(from, to).map_err(|p| FieldProblem::new("to_year", p))?;
        Ok(people::AffiliationInput {
            role,
            rbd,
            network,
            span,
        })
    }
}

pub async fn add_affiliation(
    State(state): State<AppState>,
    ctx: Ctx,
    PersonPath(person): PersonPath,
    CsrfForm(f): CsrfForm<AffiliationForm>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let problem = match f.parse() {
        Err(p) => Some(p),
        Ok(a) => match people::add_affiliation(&state.app, actor, &person, &a).await {
            Ok(()) => return Ok(Redirect::to(&format!("/people/{}", person.id)).into_response()),
            Err(trama_app::Error::Invalid(p)) => p.into_iter().next(),
            Err(e) => return Err(e.into()),
        },
    };
    let msg = problem.map(|p| format!("{}: {}", p.field, p.problem.render(ctx.lang)));
    let view = people::show(&state.app, actor, &person).await?;
    person_page(&ctx, view, msg)
}

#[derive(Deserialize, Default)]
pub struct EraseForm {
    #[serde(default)]
    confirm: String,
}

/// Erases a person (a data-protection request); national coordinators only,
/// with an explicit confirmation.
pub async fn erase(
    State(state): State<AppState>,
    ctx: Ctx,
    PersonPath(person): PersonPath,
    CsrfForm(f): CsrfForm<EraseForm>,
) -> Result<Response, AppError> {
    people::erase(&state.app, ctx.actor()?, &person, f.confirm == "yes").await?;
    Ok(Redirect::to("/people").into_response())
}

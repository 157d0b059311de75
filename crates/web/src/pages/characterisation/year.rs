//! The network's year page: its plan (editable in place by those who may),
//! its sessions and what they add up to; and the sessions as CSV.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trama_app::characterisation::year::{self, NetworkYear, PlanInput};
use trama_characterise::year::FollowUp;

use super::share;
use crate::ctx::{CsrfForm, Ctx};
use crate::download;
use crate::error::AppError;
use crate::pages::{Chrome, label, render};
use crate::paths::NetworkPath;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

impl YearQuery {
    pub fn year(&self) -> i32 {
        self.year.unwrap_or_else(trama_stdx::time::current_year)
    }
}

pub(super) struct SessionRow {
    pub id: i64,
    pub date: String,
    pub duration: String,
    pub modality: String,
    pub foci: Vec<String>,
    pub schools: Vec<String>,
    pub attendees: Vec<String>,
    pub agenda: String,
    pub agreements: Vec<(String, String, String, String)>,
}

struct SchoolRow {
    name: String,
    attended: usize,
    missed: usize,
    rate: String,
}

#[derive(Template)]
#[template(path = "network_year.html")]
struct YearPage {
    c: Chrome,
    code: String,
    name: String,
    year: i32,
    years: Vec<i32>,
    may_edit: bool,
    names: bool,
    purpose: String,
    goals: String,
    topics: String,
    has_plan: bool,
    sessions: Vec<SessionRow>,
    n_sessions: usize,
    hours: String,
    attendance: String,
    kept: String,
    most_missed: Vec<String>,
    by_school: Vec<SchoolRow>,
    by_role: Vec<(String, String)>,
    errors: Vec<String>,
}

fn page(ctx: &Ctx, y: NetworkYear, errors: Vec<String>) -> Result<Response, AppError> {
    let lang = ctx.lang;
    let school_name = |rbd: i64| {
        y.schools
            .iter()
            .find(|s| s.0 == rbd)
            .map_or_else(|| rbd.to_string(), |s| s.1.clone())
    };
    let person = |id: i64| {
        y.members
            .iter()
            .find(|m| m.person_id == id)
            .map_or_else(String::new, |m| m.name.clone())
    };
    let sessions = y
        .sessions
        .iter()
        .map(|s| SessionRow {
            id: s.id,
            date: s.session.date.to_string(),
            duration: format!("{} min", s.session.duration_min),
            modality: ctx.t(&format!("char-modality-{}", s.session.modality.code())),
            foci: s
                .session
                .foci
                .iter()
                .map(|f| ctx.t(&format!("instrument-focus-{}", f.code())))
                .collect(),
            schools: s.session.schools.iter().map(|r| school_name(*r)).collect(),
            attendees: s.session.attendees.iter().map(|p| person(*p)).collect(),
            agenda: s.session.agenda.clone(),
            agreements: s
                .agreements
                .iter()
                .map(|a| {
                    (
                        a.agreement.text.clone(),
                        a.agreement.responsible.map(person).unwrap_or_default(),
                        a.agreement.due.map(|d| d.to_string()).unwrap_or_default(),
                        status_label(ctx, a.agreement.status),
                    )
                })
                .collect(),
        })
        .collect();
    let sum = &y.summary;
    let decided = sum.agreements - pending_not_due(&y);
    let plan = y.plan.as_ref().map(|p| &p.plan);
    render(&YearPage {
        c: Chrome::new(ctx, "networks"),
        code: y.network.code.as_str().to_owned(),
        name: y.network.name.clone(),
        year: y.year,
        years: y.years.clone(),
        may_edit: y.may_edit,
        names: y.names,
        purpose: plan.map(|p| p.purpose.clone()).unwrap_or_default(),
        goals: plan.map(|p| p.goals.join("\n")).unwrap_or_default(),
        topics: plan.map(|p| p.topics.join("\n")).unwrap_or_default(),
        has_plan: plan.is_some_and(|p| !p.is_empty()),
        sessions,
        n_sessions: sum.sessions,
        hours: crate::pages::decimal(Some(sum.hours), lang),
        attendance: share(sum.attendance_rate, lang),
        kept: match sum.agreements_kept {
            Some(k) => format!(
                "{} ({})",
                share(Some(k), lang),
                trama_i18n::t!(
                    lang,
                    "char-summary-kept-detail",
                    done = sum.agreements_done as i64,
                    decided = decided as i64
                )
            ),
            None => "—".to_owned(),
        },
        most_missed: sum.most_missed.iter().map(|r| school_name(*r)).collect(),
        by_school: sum
            .by_school
            .iter()
            .map(|s| SchoolRow {
                name: school_name(s.rbd),
                attended: s.attended,
                missed: s.missed,
                rate: share(Some(s.rate), lang),
            })
            .collect(),
        by_role: sum
            .by_role
            .iter()
            .map(|(r, v)| (label(ctx, "role", r), share(Some(*v), lang)))
            .collect(),
        errors,
    })
}

/// Agreements still pending whose due date has not come (or that have
/// none): not yet counted as kept or not.
fn pending_not_due(y: &NetworkYear) -> usize {
    let today = trama_app::results::today();
    y.sessions
        .iter()
        .flat_map(|s| &s.agreements)
        .filter(|a| {
            a.agreement.status == FollowUp::Pending && a.agreement.due.is_none_or(|d| d >= today)
        })
        .count()
}

pub(super) fn status_label(ctx: &Ctx, s: FollowUp) -> String {
    ctx.t(&format!("char-followup-{}", s.code()))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let y = year::show(&state.app, ctx.actor()?, &n, q.year()).await?;
    page(&ctx, y, vec![])
}

#[derive(Deserialize)]
pub struct PlanForm {
    year: i32,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    goals: String,
    #[serde(default)]
    topics: String,
}

pub async fn save_plan(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    CsrfForm(f): CsrfForm<PlanForm>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let input = PlanInput {
        purpose: f.purpose,
        goals: f.goals,
        topics: f.topics,
    };
    match year::save_plan(&state.app, actor, &n, f.year, &input).await {
        Ok(()) => Ok(
            Redirect::to(&format!("/networks/{}/year?year={}#plan", n.code, f.year))
                .into_response(),
        ),
        Err(trama_app::Error::Invalid(problems)) => {
            let y = year::show(&state.app, actor, &n, f.year).await?;
            let errors = problems
                .iter()
                .map(|p| format!("{}: {}", p.field, p.problem.render(ctx.lang)))
                .collect();
            let mut res = page(&ctx, y, errors)?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn sessions_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let bytes = year::export(&state.app, ctx.actor()?, &n, q.year()).await?;
    Ok(download::attachment(
        "text/csv; charset=utf-8",
        &format!("sesiones-{}-{}.csv", n.code, q.year()),
        bytes,
    ))
}

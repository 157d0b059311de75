//! Recording a session, phone-first: the supervisor fills it in right
//! after the meeting. Ticking people fills in their schools; schools can be
//! ticked on their own (a sheet that only says which schools came). Earlier
//! agreements still pending are followed up on the same form.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use trama_app::characterisation::year::{self, AgreementInput, NetworkYear, SessionInput};
use trama_characterise::focus::Focus;
use trama_characterise::year::{FollowUp, Modality};
use trama_domain::problem::FieldProblem;
use trama_store::network_year::StoredSession;

use super::year::status_label;
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::pages::{Chrome, label, render};
use crate::paths::NetworkPath;
use crate::state::AppState;

/// Empty agreement rows offered on a form.
const NEW_AGREEMENTS: usize = 3;

struct Choice {
    value: String,
    label: String,
    checked: bool,
}

struct SchoolGroup {
    school: Choice,
    people: Vec<Choice>,
}

struct AgreementRow {
    text: String,
    responsible: Option<i64>,
    due: String,
    status: String,
}

struct FollowUpRow {
    id: i64,
    text: String,
    from: String,
    status: String,
}

#[derive(Template)]
#[template(path = "session_form.html")]
struct SessionForm {
    c: Chrome,
    code: String,
    title: String,
    action: String,
    session_id: Option<i64>,
    date: String,
    duration: String,
    modality: String,
    modalities: Vec<(String, String)>,
    place: String,
    agenda: String,
    foci: Vec<Choice>,
    schools: Vec<SchoolGroup>,
    names: bool,
    people: Vec<(i64, String)>,
    agreements: Vec<AgreementRow>,
    statuses: Vec<(String, String)>,
    follow_ups: Vec<FollowUpRow>,
    errors: Vec<String>,
}

/// The form's values: what was sent, or the stored session.
struct Values {
    input: SessionInput,
}

fn from_stored(s: &StoredSession) -> Values {
    Values {
        input: SessionInput {
            date: s.session.date.to_string(),
            duration_min: s.session.duration_min.to_string(),
            modality: s.session.modality.code().to_owned(),
            place: s.session.place.clone(),
            agenda: s.session.agenda.clone(),
            foci: s.session.foci.iter().map(|f| f.code().to_owned()).collect(),
            attendees: s.session.attendees.clone(),
            schools: s.session.schools.clone(),
            agreements: s
                .agreements
                .iter()
                .map(|a| AgreementInput {
                    text: a.agreement.text.clone(),
                    responsible: a.agreement.responsible,
                    due: a.agreement.due.map(|d| d.to_string()).unwrap_or_default(),
                    status: a.agreement.status.code().to_owned(),
                })
                .collect(),
            follow_ups: vec![],
        },
    }
}

/// Reads the posted pairs: repeated `foci`, `attendee`, `school`;
/// `agreement_{n}_{field}`; `followup_{id}`.
fn parse(pairs: &[(String, String)]) -> SessionInput {
    let mut input = SessionInput::default();
    let mut rows: std::collections::BTreeMap<usize, AgreementInput> = Default::default();
    for (k, v) in pairs {
        match k.as_str() {
            "date" => input.date = v.clone(),
            "duration_min" => input.duration_min = v.clone(),
            "modality" => input.modality = v.clone(),
            "place" => input.place = v.clone(),
            "agenda" => input.agenda = v.clone(),
            "foci" => input.foci.push(v.clone()),
            "attendee" => input.attendees.extend(v.parse::<i64>().ok()),
            "school" => input.schools.extend(v.parse::<i64>().ok()),
            _ => {
                if let Some(id) = k.strip_prefix("followup_").and_then(|i| i.parse().ok()) {
                    if !v.is_empty() && v != FollowUp::Pending.code() {
                        input.follow_ups.push((id, v.clone()));
                    }
                } else if let Some((n, field)) = k
                    .strip_prefix("agreement_")
                    .and_then(|r| r.split_once('_'))
                    .and_then(|(n, f)| Some((n.parse::<usize>().ok()?, f)))
                {
                    let row = rows.entry(n).or_default();
                    match field {
                        "text" => row.text = v.clone(),
                        "responsible" => row.responsible = v.parse().ok(),
                        "due" => row.due = v.clone(),
                        "status" => row.status = v.clone(),
                        _ => {}
                    }
                }
            }
        }
    }
    input.agreements = rows.into_values().collect();
    input
}

fn form(
    ctx: &Ctx,
    y: &NetworkYear,
    session_id: Option<i64>,
    v: &Values,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let i = &v.input;
    let code = y.network.code.as_str().to_owned();
    let mut schools: Vec<SchoolGroup> = y
        .schools
        .iter()
        .map(|(rbd, name)| SchoolGroup {
            school: Choice {
                value: rbd.to_string(),
                label: name.clone(),
                checked: i.schools.contains(rbd),
            },
            people: vec![],
        })
        .collect();
    for m in y.members.iter().filter(|m| m.rbd.is_some()) {
        if let Some(g) = schools
            .iter_mut()
            .find(|g| Some(g.school.value.as_str()) == m.rbd.map(|r| r.to_string()).as_deref())
        {
            g.people.push(Choice {
                value: m.person_id.to_string(),
                label: format!("{} · {}", m.name, label(ctx, "role", &m.role)),
                checked: i.attendees.contains(&m.person_id),
            });
        }
    }
    let mut agreements: Vec<AgreementRow> = i
        .agreements
        .iter()
        .map(|a| AgreementRow {
            text: a.text.clone(),
            responsible: a.responsible,
            due: a.due.clone(),
            status: a.status.clone(),
        })
        .collect();
    agreements.extend((0..NEW_AGREEMENTS).map(|_| AgreementRow {
        text: String::new(),
        responsible: None,
        due: String::new(),
        status: FollowUp::Pending.code().to_owned(),
    }));
    let follow_ups = y
        .sessions
        .iter()
        .filter(|s| Some(s.id) != session_id)
        .flat_map(|s| s.agreements.iter().map(move |a| (s, a)))
        .filter(|(_, a)| a.agreement.status == FollowUp::Pending)
        .map(|(s, a)| FollowUpRow {
            id: a.id,
            text: a.agreement.text.clone(),
            from: s.session.date.to_string(),
            status: i
                .follow_ups
                .iter()
                .find(|(id, _)| *id == a.id)
                .map_or_else(|| FollowUp::Pending.code().to_owned(), |(_, s)| s.clone()),
        })
        .collect();
    let (title, action) = match session_id {
        Some(id) => (
            ctx.t("char-session-edit"),
            format!("/networks/{code}/sessions/{id}"),
        ),
        None => (
            ctx.t("char-session-new"),
            format!("/networks/{code}/sessions"),
        ),
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(&SessionForm {
        c: Chrome::new(ctx, "networks"),
        title: format!("{title} · {code}"),
        code,
        action,
        session_id,
        date: i.date.clone(),
        duration: i.duration_min.clone(),
        modality: i.modality.clone(),
        modalities: Modality::ALL
            .iter()
            .map(|m| {
                (
                    m.code().to_owned(),
                    ctx.t(&format!("char-modality-{}", m.code())),
                )
            })
            .collect(),
        place: i.place.clone(),
        agenda: i.agenda.clone(),
        foci: Focus::ALL
            .iter()
            .map(|f| Choice {
                value: f.code().to_owned(),
                label: ctx.t(&format!("instrument-focus-{}", f.code())),
                checked: i.foci.iter().any(|x| x == f.code()),
            })
            .collect(),
        schools,
        names: y.names,
        people: y
            .members
            .iter()
            .map(|m| (m.person_id, m.name.clone()))
            .collect(),
        agreements,
        statuses: FollowUp::ALL
            .iter()
            .map(|s| (s.code().to_owned(), status_label(ctx, *s)))
            .collect(),
        follow_ups,
        errors,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

fn messages(ctx: &Ctx, problems: &[FieldProblem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.problem.render(ctx.lang)))
        .collect()
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let today = trama_app::results::today();
    let y = year::show(&state.app, actor, &n, i32::from(today.year())).await?;
    if !y.may_edit {
        return Err(AppError::Forbidden);
    }
    let v = Values {
        input: SessionInput {
            date: today.to_string(),
            duration_min: "90".into(),
            modality: Modality::InPerson.code().into(),
            ..SessionInput::default()
        },
    };
    form(&ctx, &y, None, &v, vec![])
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (y, s) = year::session(&state.app, ctx.actor()?, &n, id).await?;
    if !y.may_edit {
        return Err(AppError::Forbidden);
    }
    form(&ctx, &y, Some(id), &from_stored(&s), vec![])
}

async fn save(
    state: &AppState,
    ctx: &Ctx,
    n: &trama_app::registry::networks::NetworkRef,
    id: Option<i64>,
    pairs: &[(String, String)],
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let input = parse(pairs);
    let year = trama_characterise::session_log::parse_date(&input.date)
        .map_or_else(trama_stdx::time::current_year, |d| i32::from(d.year()));
    match year::save_session(&state.app, actor, n, id, &input).await {
        Ok(saved) => Ok(Redirect::to(&format!(
            "/networks/{}/year?year={year}#session-{saved}",
            n.code
        ))
        .into_response()),
        Err(trama_app::Error::Invalid(problems)) => {
            let y = year::show(&state.app, actor, n, year).await?;
            form(ctx, &y, id, &Values { input }, messages(ctx, &problems))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save(&state, &ctx, &n, None, &pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    Path((_, id)): Path<(String, i64)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save(&state, &ctx, &n, Some(id), &pairs).await
}

pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    Path((_, id)): Path<(String, i64)>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let year = year::delete_session(&state.app, ctx.actor()?, &n, id).await?;
    Ok(Redirect::to(&format!("/networks/{}/year?year={year}#sessions", n.code)).into_response())
}

//! A network's year: its plan and its session log, read and written, with
//! what the log adds up to; and the log's spreadsheet import and export.
//!
//! Attendance is personal data: people appear (who came, who is
//! responsible for an agreement, attendance by role) only for those the
//! policy lets see the network's people; everyone else who may read the
//! network sees schools and counts.

use std::collections::{BTreeMap, BTreeSet};

use trama_characterise::focus::Focus;
use trama_characterise::session_log::{self, LoggedSession};
use trama_characterise::year::{
    self, Agreement, FollowUp, MAX_DURATION_MIN, Modality, Plan, Session, YearSummary,
};
use trama_domain::Problem;
use trama_domain::policy::{Action, Actor};
use trama_domain::problem::FieldProblem;
use trama_store::network_year::{StoredPlan, StoredSession};
use trama_store::registry::networks::MemberPerson;
use trama_tabular::CellError;

use super::{Network, network_for};
use crate::access::may;
use crate::registry::networks::NetworkRef;
use crate::{App, Error, Result};

/// Longest purpose, agenda or agreement kept.
const MAX_TEXT: usize = 4000;

/// A network's year as the viewer may see it.
pub struct NetworkYear {
    pub network: Network,
    pub year: i32,
    /// Years with a plan or sessions, and this one, newest first.
    pub years: Vec<i32>,
    pub plan: Option<StoredPlan>,
    /// Oldest first; without attendees or responsible people unless
    /// `names`.
    pub sessions: Vec<StoredSession>,
    pub summary: YearSummary,
    /// The network's schools that year: (RBD, name).
    pub schools: Vec<(i64, String)>,
    /// The network's people that year, when `names`.
    pub members: Vec<MemberPerson>,
    pub names: bool,
    pub may_edit: bool,
}

/// The year `year` of the network.
pub async fn show(app: &App, actor: &Actor, n: &NetworkRef, year: i32) -> Result<NetworkYear> {
    let network = network_for(app, actor, n, Action::ReadCharacterisation).await?;
    let names = may(actor, Action::ReadNetworkPeople, &network.target);
    let may_edit = may(actor, Action::EditNetworkYear, &network.target);
    let detail = app
        .store
        .get_network(&network.code, Some(year))
        .await?
        .ok_or(Error::NotFound)?;
    let plan = app.store.network_plan(network.id, year).await?;
    let mut sessions = app.store.sessions_of(&[network.id], year).await?;
    let schools: Vec<(i64, String)> = detail
        .schools_in_year
        .iter()
        .map(|s| (i64::from(s.rbd), s.name.clone()))
        .collect();
    let roles: Vec<(i64, String)> = detail
        .people_in_year
        .iter()
        .filter(|p| p.rbd.is_some())
        .map(|p| (p.person_id, p.role.clone()))
        .collect();
    let log: Vec<Session> = sessions.iter().map(|s| s.session.clone()).collect();
    let agreements: Vec<Agreement> = sessions
        .iter()
        .flat_map(|s| s.agreements.iter().map(|a| a.agreement.clone()))
        .collect();
    let rbds: Vec<i64> = schools.iter().map(|s| s.0).collect();
    let mut summary = year::summarise(&log, &rbds, &roles, &agreements, crate::results::today());
    if !names {
        summary.by_role.clear();
        for s in &mut sessions {
            s.session.attendees.clear();
            for a in &mut s.agreements {
                a.agreement.responsible = None;
            }
        }
    }
    let mut years: BTreeSet<i32> = app
        .store
        .network_year_span(network.id)
        .await?
        .into_iter()
        .collect();
    years.insert(year);
    years.insert(trama_stdx::time::current_year());
    Ok(NetworkYear {
        network,
        year,
        years: years.into_iter().rev().collect(),
        plan,
        sessions,
        summary,
        schools,
        members: if names { detail.people_in_year } else { vec![] },
        names,
        may_edit,
    })
}

/// The plan as a form sends it: goals and topics one per line.
#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    pub purpose: String,
    pub goals: String,
    pub topics: String,
}

fn checked_text(field: &str, value: &str, problems: &mut Vec<FieldProblem>) -> String {
    let v = value.trim();
    if let Err(p) = trama_domain::text::multiline(v) {
        problems.push(FieldProblem::new(field, p));
    } else if v.chars().count() > MAX_TEXT {
        problems.push(FieldProblem::new(field, Problem::TooLong { max: MAX_TEXT }));
    }
    v.to_owned()
}

fn lines(field: &str, value: &str, problems: &mut Vec<FieldProblem>) -> Vec<String> {
    checked_text(field, value, problems)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

pub async fn save_plan(
    app: &App,
    actor: &Actor,
    n: &NetworkRef,
    year: i32,
    input: &PlanInput,
) -> Result<()> {
    let network = network_for(app, actor, n, Action::EditNetworkYear).await?;
    let mut problems = vec![];
    let plan = Plan {
        purpose: checked_text("purpose", &input.purpose, &mut problems),
        goals: lines("goals", &input.goals, &mut problems),
        topics: lines("topics", &input.topics, &mut problems),
    };
    if !(2000..=2100).contains(&year) {
        problems.push(FieldProblem::new(
            "year",
            Problem::OutOfRange {
                min: 2000,
                max: 2100,
            },
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let mut tx = app.store.begin_write().await?;
    tx.save_plan(network.id, year, &plan, actor.audit_id())
        .await?;
    tx.audit(
        actor.audit_id(),
        "network_year.plan",
        &format!("{} {year}", network.code.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An agreement row of the session form.
#[derive(Debug, Clone, Default)]
pub struct AgreementInput {
    pub text: String,
    pub responsible: Option<i64>,
    pub due: String,
    pub status: String,
}

/// A session as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct SessionInput {
    pub date: String,
    pub duration_min: String,
    pub modality: String,
    pub place: String,
    pub agenda: String,
    pub foci: Vec<String>,
    /// People ticked present.
    pub attendees: Vec<i64>,
    /// Schools ticked present (beside those of the people ticked).
    pub schools: Vec<i64>,
    /// The session's own agreements; rows without text are ignored.
    pub agreements: Vec<AgreementInput>,
    /// Earlier agreements whose fate this session records: (id, status).
    pub follow_ups: Vec<(i64, String)>,
}

struct Checked {
    session: Session,
    agreements: Vec<Agreement>,
    follow_ups: Vec<(i64, FollowUp)>,
}

/// Checks a session against the network's schools and people in the
/// session's year.
async fn check(app: &App, network: &Network, input: &SessionInput) -> Result<Checked> {
    let mut problems = vec![];
    let date = match input.date.trim() {
        "" => {
            problems.push(FieldProblem::new("date", Problem::Required));
            None
        }
        v => session_log::parse_date(v).or_else(|| {
            problems.push(FieldProblem::new("date", Problem::InvalidDate));
            None
        }),
    };
    let duration = match input.duration_min.trim().parse::<u32>() {
        Ok(m) if (1..=MAX_DURATION_MIN).contains(&m) => m,
        Ok(_) => {
            problems.push(FieldProblem::new(
                "duration_min",
                Problem::OutOfRange {
                    min: 1,
                    max: i64::from(MAX_DURATION_MIN),
                },
            ));
            0
        }
        Err(_) => {
            problems.push(FieldProblem::new("duration_min", Problem::NotAnInteger));
            0
        }
    };
    let modality = Modality::parse(&input.modality);
    if modality.is_none() {
        problems.push(FieldProblem::new("modality", Problem::UnknownModality));
    }
    let mut foci = vec![];
    for f in &input.foci {
        match Focus::parse(f) {
            Some(f) if !foci.contains(&f) => foci.push(f),
            Some(_) => {}
            None => problems.push(FieldProblem::new("foci", Problem::InvalidCode)),
        }
    }
    let place = checked_text("place", &input.place, &mut problems);
    let agenda = checked_text("agenda", &input.agenda, &mut problems);
    // Members and schools of the network in the session's year.
    let year = date.map_or_else(trama_stdx::time::current_year, |d| i32::from(d.year()));
    let detail = app
        .store
        .get_network(&network.code, Some(year))
        .await?
        .ok_or(Error::NotFound)?;
    let school_of: BTreeMap<i64, Option<i64>> = detail
        .people_in_year
        .iter()
        .map(|p| (p.person_id, p.rbd.map(i64::from)))
        .collect();
    let member_schools: BTreeSet<i64> = detail
        .schools_in_year
        .iter()
        .map(|s| i64::from(s.rbd))
        .collect();
    let mut attendees = vec![];
    let mut schools: BTreeSet<i64> = BTreeSet::new();
    for p in &input.attendees {
        match school_of.get(p) {
            Some(rbd) => {
                if !attendees.contains(p) {
                    attendees.push(*p);
                }
                schools.extend(rbd.iter().copied());
            }
            None => problems.push(FieldProblem::new("attendees", Problem::PersonNotInNetwork)),
        }
    }
    for rbd in &input.schools {
        if member_schools.contains(rbd) {
            schools.insert(*rbd);
        } else {
            problems.push(FieldProblem::new("schools", Problem::SchoolNotInNetwork));
        }
    }
    let mut agreements = vec![];
    for (i, a) in input.agreements.iter().enumerate() {
        let text = a.text.trim();
        if text.is_empty() {
            continue;
        }
        let field = |f: &str| format!("agreements[{i}].{f}");
        let text = checked_text(&field("text"), text, &mut problems);
        if a.responsible.is_some_and(|p| !school_of.contains_key(&p)) {
            problems.push(FieldProblem::new(
                field("responsible"),
                Problem::PersonNotInNetwork,
            ));
        }
        let due = match a.due.trim() {
            "" => None,
            v => session_log::parse_date(v).or_else(|| {
                problems.push(FieldProblem::new(field("due"), Problem::InvalidDate));
                None
            }),
        };
        let status = if a.status.trim().is_empty() {
            FollowUp::Pending
        } else {
            FollowUp::parse(&a.status).unwrap_or_else(|| {
                problems.push(FieldProblem::new(field("status"), Problem::InvalidCode));
                FollowUp::Pending
            })
        };
        agreements.push(Agreement {
            text,
            responsible: a.responsible,
            due,
            status,
        });
    }
    let mut follow_ups = vec![];
    for (id, status) in &input.follow_ups {
        match FollowUp::parse(status) {
            Some(s) => follow_ups.push((*id, s)),
            None => problems.push(FieldProblem::new("follow_ups", Problem::InvalidCode)),
        }
    }
    match (date, modality, problems.is_empty()) {
        (Some(date), Some(modality), true) => Ok(Checked {
            session: Session {
                date,
                duration_min: duration,
                modality,
                place,
                agenda,
                foci,
                schools: schools.into_iter().collect(),
                attendees,
            },
            agreements,
            follow_ups,
        }),
        _ => Err(Error::Invalid(problems)),
    }
}

/// Records a new session (`id` `None`) or corrects one; returns its id.
pub async fn save_session(
    app: &App,
    actor: &Actor,
    n: &NetworkRef,
    id: Option<i64>,
    input: &SessionInput,
) -> Result<i64> {
    let network = network_for(app, actor, n, Action::EditNetworkYear).await?;
    if let Some(id) = id {
        session_of(app, &network, id).await?;
    }
    let c = check(app, &network, input).await?;
    let mut tx = app.store.begin_write().await?;
    let saved = tx
        .save_session(network.id, id, &c.session, &c.agreements, actor.audit_id())
        .await?;
    for (agreement, status) in &c.follow_ups {
        tx.follow_up(network.id, *agreement, *status, saved).await?;
    }
    tx.audit(
        actor.audit_id(),
        if id.is_some() {
            "network_year.session_update"
        } else {
            "network_year.session_create"
        },
        &format!(
            "{} {} session {saved}",
            network.code.as_str(),
            c.session.date
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// The session `id` if it is one of the network's.
async fn session_of(app: &App, network: &Network, id: i64) -> Result<i32> {
    match app.store.session_place(id).await? {
        Some((n, year)) if n == network.id => Ok(year),
        _ => Err(Error::NotFound),
    }
}

/// One session of the network, as the viewer may see it.
pub async fn session(
    app: &App,
    actor: &Actor,
    n: &NetworkRef,
    id: i64,
) -> Result<(NetworkYear, StoredSession)> {
    let network = network_for(app, actor, n, Action::ReadCharacterisation).await?;
    let year = session_of(app, &network, id).await?;
    let y = show(app, actor, n, year).await?;
    let s = y
        .sessions
        .iter()
        .find(|s| s.id == id)
        .cloned()
        .ok_or(Error::NotFound)?;
    Ok((y, s))
}

pub async fn delete_session(app: &App, actor: &Actor, n: &NetworkRef, id: i64) -> Result<i32> {
    let network = network_for(app, actor, n, Action::EditNetworkYear).await?;
    let year = session_of(app, &network, id).await?;
    let mut tx = app.store.begin_write().await?;
    tx.delete_session(network.id, id).await?;
    tx.audit(
        actor.audit_id(),
        "network_year.session_delete",
        &format!("{} session {id}", network.code.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(year)
}

/// What an import did: sessions written, per network code.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Imported {
    pub sessions: usize,
    pub networks: BTreeMap<String, usize>,
    pub dry_run: bool,
}

/// Imports a session file: every row checked (the network exists and the
/// importer may write its log; its schools belong to it in the session's
/// year), then all written in one transaction, or nothing and every
/// problem by line and column.
pub async fn import(
    app: &App,
    actor: &Actor,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<std::result::Result<Imported, Vec<CellError>>> {
    let rows = match session_log::read(file, bytes) {
        Ok(rows) => rows,
        Err(e) => return Ok(Err(e)),
    };
    let mut problems = vec![];
    let mut networks: BTreeMap<String, Option<Network>> = BTreeMap::new();
    let mut schools: BTreeMap<(i64, i32), BTreeSet<i64>> = BTreeMap::new();
    let cell = |r: &LoggedSession, column: &str, value: String, problem: Problem| CellError {
        file: file.to_owned(),
        line: Some(r.line),
        column: Some(column.to_owned()),
        position: None,
        value: Some(value),
        issue: problem.into(),
    };
    for r in &rows {
        let code = r.network.as_str().to_owned();
        if !networks.contains_key(&code) {
            let found = match crate::registry::networks::find(app, &code).await {
                Ok(n) => network_for(app, actor, &n, Action::EditNetworkYear).await,
                Err(e) => Err(e),
            };
            let found = match found {
                Ok(n) => Some(n),
                Err(Error::NotFound | Error::Forbidden) => None,
                Err(e) => return Err(e),
            };
            networks.insert(code.clone(), found);
        }
        let Some(Some(network)) = networks.get(&code) else {
            problems.push(cell(r, "network", code, Problem::UnknownNetwork));
            continue;
        };
        let year = i32::from(r.session.date.year());
        let known = match schools.entry((network.id, year)) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let detail = app.store.get_network(&network.code, Some(year)).await?;
                e.insert(
                    detail
                        .map(|d| d.schools_in_year.iter().map(|s| i64::from(s.rbd)).collect())
                        .unwrap_or_default(),
                )
            }
        };
        for rbd in &r.session.schools {
            if !known.contains(rbd) {
                problems.push(cell(
                    r,
                    "attendees_rbd",
                    rbd.to_string(),
                    Problem::SchoolNotInNetwork,
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let mut tx = app.store.begin_write().await?;
    let mut out = Imported {
        dry_run,
        ..Imported::default()
    };
    for r in &rows {
        let code = r.network.as_str();
        let Some(Some(network)) = networks.get(code) else {
            continue;
        };
        tx.save_session(network.id, None, &r.session, &[], actor.audit_id())
            .await?;
        out.sessions += 1;
        *out.networks.entry(code.to_owned()).or_default() += 1;
    }
    tx.audit(
        actor.audit_id(),
        "network_year.sessions_import",
        &format!("{file}: {} sessions", out.sessions),
    )
    .await?;
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(Ok(out))
}

/// A network's sessions of a year in the import's format.
pub async fn export(app: &App, actor: &Actor, n: &NetworkRef, year: i32) -> Result<Vec<u8>> {
    let y = show(app, actor, n, year).await?;
    let sessions: Vec<Session> = y.sessions.iter().map(|s| s.session.clone()).collect();
    Ok(session_log::write(y.network.code.as_str(), &sessions))
}

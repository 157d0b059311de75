//! The roster question on the answering pages: the other members of the
//! respondent's network, grouped by school, each a collapsible row with the
//! collaboration level (or "I do not know this person") and what they
//! exchange. Plain HTML that works without JavaScript; a small script adds
//! search-as-you-type and a summary per row (static/roster.js).

use std::collections::{BTreeMap, BTreeSet};

use trama_app::answering::{self, Answering, roster};
use trama_campaign::roster::{Alter, TieAnswer, UNLISTED_SLOTS};
use trama_instrument::{COLLABORATION_LEVELS, FOCI, Page};
use trama_store::campaigns::ties::RosterEntry;

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

/// One level option: value, label, description.
pub struct LevelOption {
    pub value: String,
    pub label: String,
    pub desc: String,
}

/// One person of the roster as the template draws them.
pub struct RosterPerson {
    pub key: String,
    pub name: String,
    pub role: String,
    /// `""` (not answered), `0`–`5` or `unknown`.
    pub level: String,
    pub foci: Vec<String>,
    /// The chosen level's label, shown on the closed row.
    pub summary: String,
}

pub struct RosterSchool {
    pub name: String,
    pub people: Vec<RosterPerson>,
}

/// A row for someone absent from the roster.
pub struct UnlistedRow {
    pub key: String,
    pub name: String,
    pub rbd: String,
    pub level: String,
    pub foci: Vec<String>,
}

pub struct RosterView {
    pub item: String,
    pub schools: Vec<RosterSchool>,
    pub unlisted: Vec<UnlistedRow>,
    pub levels: Vec<LevelOption>,
    pub foci: Vec<(String, String)>,
    /// The network's schools for the "someone else" rows: (RBD, name).
    pub school_options: Vec<(String, String)>,
    pub answered: usize,
    pub total: usize,
    /// Someone outside the roster was named: keep that part open.
    pub unlisted_open: bool,
}

fn level_value(level: Option<u8>) -> String {
    level.map_or_else(|| "unknown".to_owned(), |l| l.to_string())
}

/// The roster views of the roster items on a page, with the stored answers.
pub async fn roster_views(
    state: &AppState,
    ctx: &Ctx,
    a: &Answering,
    page: &Page<'_>,
) -> Result<BTreeMap<String, RosterView>, AppError> {
    let items = roster::items(page);
    let mut out = BTreeMap::new();
    if items.is_empty() {
        return Ok(out);
    }
    let members = roster::members(&state.app, &a.who).await?;
    for item in items {
        let stored = answering::roster_answers(&state.app, a, item).await?;
        out.insert(item.to_owned(), view(ctx, item, &members, &stored));
    }
    Ok(out)
}

fn view(ctx: &Ctx, item: &str, members: &[RosterEntry], stored: &[TieAnswer]) -> RosterView {
    let levels: Vec<LevelOption> = (0..COLLABORATION_LEVELS.len())
        .map(|l| LevelOption {
            value: l.to_string(),
            label: ctx.t(&format!("instrument-level-{l}")),
            desc: ctx.t(&format!("instrument-level-{l}-desc")),
        })
        .collect();
    let label_of = |v: &str| -> String {
        if v == "unknown" {
            ctx.t("instrument-level-unknown")
        } else {
            levels
                .iter()
                .find(|l| l.value == v)
                .map(|l| format!("{} · {}", l.value, l.label))
                .unwrap_or_default()
        }
    };
    let by_alter: BTreeMap<&Alter, &TieAnswer> = stored.iter().map(|t| (&t.alter, t)).collect();
    let mut schools: Vec<RosterSchool> = vec![];
    let mut answered = 0;
    for m in members {
        let school = m
            .school
            .clone()
            .unwrap_or_else(|| ctx.t("sna-network-level"));
        let tie = by_alter.get(&Alter::Member(m.person_id));
        let level = tie.map(|t| level_value(t.level)).unwrap_or_default();
        if tie.is_some() {
            answered += 1;
        }
        let person = RosterPerson {
            key: format!("p{}", m.person_id),
            name: m.name.clone(),
            role: ctx.t(&format!("role-{}", m.role)),
            summary: label_of(&level),
            level,
            foci: tie.map(|t| t.foci.clone()).unwrap_or_default(),
        };
        match schools.last_mut() {
            Some(s) if s.name == school => s.people.push(person),
            _ => schools.push(RosterSchool {
                name: school,
                people: vec![person],
            }),
        }
    }
    let unlisted: Vec<UnlistedRow> = (0..UNLISTED_SLOTS)
        .map(|slot| {
            let tie = stored
                .iter()
                .find(|t| matches!(&t.alter, Alter::Unlisted { slot: s, .. } if *s == slot));
            let (name, rbd) = match tie.map(|t| &t.alter) {
                Some(Alter::Unlisted { name, rbd, .. }) => {
                    (name.clone(), rbd.map(|r| r.to_string()).unwrap_or_default())
                }
                _ => (String::new(), String::new()),
            };
            UnlistedRow {
                key: format!("u{slot}"),
                name,
                rbd,
                level: tie.map(|t| level_value(t.level)).unwrap_or_default(),
                foci: tie.map(|t| t.foci.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let mut school_options: Vec<(String, String)> = members
        .iter()
        .filter_map(|m| Some((m.rbd?.to_string(), m.school.clone()?)))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    school_options.sort_by(|a, b| a.1.cmp(&b.1));
    RosterView {
        item: item.to_owned(),
        schools,
        levels,
        foci: FOCI
            .iter()
            .map(|f| ((*f).to_owned(), ctx.t(&format!("instrument-focus-{f}"))))
            .collect(),
        school_options,
        answered,
        total: members.len(),
        unlisted_open: unlisted.iter().any(|u| !u.name.is_empty()),
        unlisted,
    }
}

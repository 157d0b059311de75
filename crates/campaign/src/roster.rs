//! The roster question: who works with whom in a network.
//!
//! A respondent rates each other member of their network on the collaboration
//! scale (0 none … 5 collaboration) or says they do not know the person, and
//! ticks what they exchange (the six process foci). People missing from the
//! roster can be named by school. This module reads those answers from a
//! posted page and turns a network's answers into a directed, weighted
//! network for the analysis: an arc ego → alter for every level of at least 1.

use std::collections::{BTreeMap, BTreeSet};

use trama_instrument::{COLLABORATION_LEVELS, FOCI};
use trama_sna::{Network, NetworkBuilder, RESPONDED};

/// How many people absent from the roster a respondent may add, per roster.
pub const UNLISTED_SLOTS: u32 = 3;

/// Longest name kept for a person named outside the roster.
const MAX_NAME: usize = 120;

/// Who a tie points to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Alter {
    /// A member of the roster, by person id.
    Member(i64),
    /// Someone the respondent named who was not on the roster (slot `n`).
    Unlisted {
        slot: u32,
        name: String,
        rbd: Option<i64>,
    },
}

impl Alter {
    /// The stable key of the tie within one respondent's roster answer.
    pub fn key(&self) -> String {
        match self {
            Alter::Member(id) => format!("p{id}"),
            Alter::Unlisted { slot, .. } => format!("u{slot}"),
        }
    }
}

/// One answered row of the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieAnswer {
    pub alter: Alter,
    /// Collaboration level 0–5; `None` is "I do not know this person".
    pub level: Option<u8>,
    /// Process foci, in [`FOCI`] order, without repeats.
    pub foci: Vec<String>,
}

/// A roster row the respondent could not have sent: it is dropped and named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterProblem {
    /// A level outside 0–5 / `unknown`.
    BadLevel { field: String },
    /// A person id that is not on this respondent's roster.
    NotOnRoster { field: String },
    /// Foci ticked for someone the respondent says they do not know.
    FociWithoutTie { field: String },
}

/// The roster answers in a posted page, for the roster item `item`.
///
/// Fields: `{item}.p{id}.level` (`0`–`5` or `unknown`), `{item}.p{id}.focus`
/// (repeated, one per ticked focus), and for people absent from the roster
/// `{item}.u{n}.name`, `{item}.u{n}.school` (an RBD) with the same `level`
/// and `focus`. A row left without level and foci is not an answer (the
/// person skipped it) and is absent from the result. Rows naming people who
/// are not on `roster` are refused: a tie may only point inside the network.
pub fn read_roster(
    item: &str,
    posted: &[(String, String)],
    roster: &BTreeSet<i64>,
) -> (Vec<TieAnswer>, Vec<RosterProblem>) {
    #[derive(Default)]
    struct Row<'a> {
        level: Option<&'a str>,
        foci: BTreeSet<&'a str>,
        name: Option<&'a str>,
        school: Option<&'a str>,
    }
    let prefix = format!("{item}.");
    let mut rows: BTreeMap<&str, Row<'_>> = BTreeMap::new();
    for (k, v) in posted {
        let Some(rest) = k.strip_prefix(&prefix) else {
            continue;
        };
        let Some((key, field)) = rest.split_once('.') else {
            continue;
        };
        let row = rows.entry(key).or_default();
        let v = v.trim();
        match field {
            "level" if !v.is_empty() => row.level = Some(v),
            "focus" if !v.is_empty() => {
                row.foci.insert(v);
            }
            "name" if !v.is_empty() => row.name = Some(v),
            "school" if !v.is_empty() => row.school = Some(v),
            _ => {}
        }
    }
    let mut ties = vec![];
    let mut problems = vec![];
    for (key, row) in rows {
        let field = format!("{prefix}{key}");
        let alter = if let Some(id) = key.strip_prefix('p') {
            match id.parse::<i64>() {
                Ok(id) if roster.contains(&id) => Alter::Member(id),
                _ => {
                    problems.push(RosterProblem::NotOnRoster { field });
                    continue;
                }
            }
        } else if let Some(slot) = key.strip_prefix('u') {
            match (slot.parse::<u32>(), row.name) {
                (Ok(slot), Some(name)) if slot < UNLISTED_SLOTS => Alter::Unlisted {
                    slot,
                    name: name.chars().take(MAX_NAME).collect(),
                    rbd: row.school.and_then(|s| s.parse().ok()),
                },
                // An empty "someone else" row is simply unused.
                _ => continue,
            }
        } else {
            continue;
        };
        let level = match row.level {
            None => {
                if row.foci.is_empty() {
                    continue;
                }
                // Foci without a level: the respondent works with the person
                // on something, which is at least "knowing of each other".
                Some(1)
            }
            Some("unknown") => None,
            Some(l) => match l.parse::<u8>() {
                Ok(l) if usize::from(l) < COLLABORATION_LEVELS.len() => Some(l),
                _ => {
                    problems.push(RosterProblem::BadLevel { field });
                    continue;
                }
            },
        };
        if level.is_none() && !row.foci.is_empty() {
            problems.push(RosterProblem::FociWithoutTie { field });
            continue;
        }
        let foci = FOCI
            .iter()
            .filter(|f| row.foci.contains(*f))
            .map(|f| (*f).to_owned())
            .collect();
        ties.push(TieAnswer { alter, level, foci });
    }
    (ties, problems)
}

/// A member of a network in one campaign, as the map shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub person_id: i64,
    pub role: String,
    /// The school's RBD; `None` for people affiliated with the network
    /// itself (supervisors).
    pub rbd: Option<i64>,
    /// Submitted the questionnaire.
    pub responded: bool,
    /// A name to carry into the network as its `name` attribute, for the
    /// viewers allowed to see names; `None` keeps files nameless.
    pub name: Option<String>,
}

/// One stored tie, ego → alter, between members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTie {
    pub ego: i64,
    pub alter: i64,
    pub level: Option<u8>,
    pub foci: Vec<String>,
}

/// The node id of a person in the analysis: stable, and meaningless outside
/// Trama (no names in files that leave the page).
pub fn node_id(person_id: i64) -> String {
    format!("p{person_id}")
}

/// The node id of a school in the school-level network.
pub fn school_node_id(rbd: Option<i64>) -> String {
    rbd.map_or_else(|| "red".to_owned(), |r| r.to_string())
}

/// The person-level network: every member is a node (with `role`, `school`
/// and `responded` attributes), every tie of level ≥ `min_level` (at least 1:
/// 0 means no tie, "unknown" says nothing) an arc weighted by its level.
/// `id_of` names the nodes: [`node_id`] inside Trama, or numbers from
/// [`anonymous_ids`] for anything an anonymised viewer receives.
pub fn person_network(
    members: &[Member],
    ties: &[StoredTie],
    min_level: u8,
    id_of: impl Fn(&Member) -> String,
) -> Network {
    let all = vec![Shown::ALL; members.len()];
    people_network(members, ties, min_level, id_of, &all, true)
}

/// What a numbered person shows of their member: role, school, both or
/// neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub role: bool,
    pub school: bool,
}

impl Shown {
    pub const ALL: Shown = Shown {
        role: true,
        school: true,
    };
    const NONE: Shown = Shown {
        role: false,
        school: false,
    };
}

/// For the numbers level: per member, which of role and school it may
/// carry so that every combination a viewer sees is shared by at least
/// `min` people (a school's one director, a network's one supervisor
/// would otherwise be a name). Of role and school together, school alone
/// and role alone, the choice that leaves the most members described;
/// members of smaller combinations show neither, and when those would be
/// fewer than `min` the next smallest combinations join them.
pub fn numbered_detail(members: &[Member], min: usize) -> Vec<Shown> {
    let key = |m: &Member, s: Shown| (s.role.then(|| m.role.clone()), s.school.then_some(m.rbd));
    let mut best: (usize, Vec<Shown>) = (0, vec![Shown::NONE; members.len()]);
    for option in [
        Shown::ALL,
        Shown {
            role: false,
            school: true,
        },
        Shown {
            role: true,
            school: false,
        },
    ] {
        let mut classes: BTreeMap<_, Vec<usize>> = BTreeMap::new();
        for (i, m) in members.iter().enumerate() {
            classes.entry(key(m, option)).or_default().push(i);
        }
        let mut by_size: Vec<Vec<usize>> = classes.into_values().collect();
        by_size.sort_by_key(Vec::len);
        let mut blank: Vec<usize> = vec![];
        let mut kept: Vec<Vec<usize>> = vec![];
        for class in by_size {
            if class.len() < min || (!blank.is_empty() && blank.len() < min) {
                blank.extend(class);
            } else {
                kept.push(class);
            }
        }
        if !blank.is_empty() && blank.len() < min {
            continue;
        }
        let described = members.len() - blank.len();
        if described > best.0 {
            let mut shown = vec![option; members.len()];
            for i in blank {
                shown[i] = Shown::NONE;
            }
            best = (described, shown);
        }
    }
    best.1
}

/// The person-level network at the numbers level: each person carries only
/// what [`numbered_detail`] allows, and nobody whether they answered.
pub fn numbered_network(
    members: &[Member],
    ties: &[StoredTie],
    min_level: u8,
    id_of: impl Fn(&Member) -> String,
    min: usize,
) -> Network {
    let shown = numbered_detail(members, min);
    people_network(members, ties, min_level, id_of, &shown, false)
}

fn people_network(
    members: &[Member],
    ties: &[StoredTie],
    min_level: u8,
    id_of: impl Fn(&Member) -> String,
    shown: &[Shown],
    responded: bool,
) -> Network {
    let mut b = Network::builder();
    declare(&mut b);
    let named = members.iter().any(|m| m.name.is_some());
    if named {
        b.declare_attribute("name");
    }
    let ids: BTreeMap<i64, String> = members.iter().map(|m| (m.person_id, id_of(m))).collect();
    for (m, s) in members.iter().zip(shown) {
        let id = &ids[&m.person_id];
        if named {
            b.attribute(id, "name", m.name.clone());
        }
        b.attribute(id, "role", s.role.then(|| m.role.clone()));
        b.attribute(id, "school", s.school.then(|| school_node_id(m.rbd)));
        b.attribute(id, RESPONDED, responded.then(|| flag(m.responded)));
    }
    for t in arcs(ties, min_level) {
        if let (Some(ego), Some(alter)) = (ids.get(&t.ego), ids.get(&t.alter)) {
            // Ids are unique per (ego, alter) in storage; a repeat could only
            // come from a caller's mistake and is skipped rather than summed.
            let _ = b.arc(ego, alter, f64::from(t.level.unwrap_or(0)));
        }
    }
    b.build()
}

/// The school-level network: schools are nodes, and an arc A → B counts the
/// person-level ties from people of A to people of B (ties inside a school
/// are left out: the map is about collaboration between schools). A school
/// has `responded` when at least one of its members answered.
pub fn school_network(members: &[Member], ties: &[StoredTie], min_level: u8) -> Network {
    let mut b = Network::builder();
    declare(&mut b);
    let mut school_of = BTreeMap::new();
    let mut answered: BTreeMap<String, bool> = BTreeMap::new();
    for m in members {
        let s = school_node_id(m.rbd);
        school_of.insert(m.person_id, s.clone());
        *answered.entry(s).or_default() |= m.responded;
    }
    for (s, responded) in &answered {
        let role = if s == "red" { "supervisor" } else { "school" };
        b.attribute(s, "role", Some(role.to_owned()));
        b.attribute(s, "school", Some(s.clone()));
        b.attribute(s, RESPONDED, Some(flag(*responded)));
    }
    let mut counts: BTreeMap<(String, String), f64> = BTreeMap::new();
    for t in arcs(ties, min_level) {
        if let (Some(a), Some(b)) = (school_of.get(&t.ego), school_of.get(&t.alter))
            && a != b
        {
            *counts.entry((a.clone(), b.clone())).or_default() += 1.0;
        }
    }
    for ((a, c), w) in counts {
        let _ = b.arc(&a, &c, w);
    }
    b.build()
}

/// Every person as a number, for anonymised maps and files: 1, 2, … in the
/// order of `members` (callers sort by school, so numbers say nothing about
/// names or database ids).
pub fn anonymous_ids(members: &[Member]) -> BTreeMap<i64, String> {
    members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.person_id, (i + 1).to_string()))
        .collect()
}

/// How many ties carry each focus, among ties of at least `min_level`: the
/// row of one network in the network × focus matrix.
pub fn focus_counts(ties: &[StoredTie], min_level: u8) -> [u32; 6] {
    let mut counts = [0; 6];
    for t in arcs(ties, min_level) {
        for f in &t.foci {
            if let Some(i) = FOCI.iter().position(|x| x == f) {
                counts[i] += 1;
            }
        }
    }
    counts
}

/// An ordered pair of people (ego, alter).
pub type Pair = (i64, i64);

/// Ties gained and lost between two waves, over the members both share:
/// pairs (ego, alter) with a tie in `later` and not in `earlier`, and the
/// reverse. Only respondents of both waves count, since a non-respondent's
/// missing answers are not lost ties.
pub fn tie_changes(
    earlier: (&[Member], &[StoredTie]),
    later: (&[Member], &[StoredTie]),
    min_level: u8,
) -> (Vec<Pair>, Vec<Pair>) {
    let answered = |ms: &[Member]| -> BTreeSet<i64> {
        ms.iter()
            .filter(|m| m.responded)
            .map(|m| m.person_id)
            .collect()
    };
    let both: BTreeSet<i64> = answered(earlier.0)
        .intersection(&answered(later.0))
        .copied()
        .collect();
    let present = |ms: &[Member]| -> BTreeSet<i64> { ms.iter().map(|m| m.person_id).collect() };
    let shared: BTreeSet<i64> = present(earlier.0)
        .intersection(&present(later.0))
        .copied()
        .collect();
    let pairs = |ties: &[StoredTie]| -> BTreeSet<(i64, i64)> {
        arcs(ties, min_level)
            .filter(|t| both.contains(&t.ego) && shared.contains(&t.alter))
            .map(|t| (t.ego, t.alter))
            .collect()
    };
    let before = pairs(earlier.1);
    let after = pairs(later.1);
    (
        after.difference(&before).copied().collect(),
        before.difference(&after).copied().collect(),
    )
}

fn arcs(ties: &[StoredTie], min_level: u8) -> impl Iterator<Item = &StoredTie> {
    let min = min_level.max(1);
    ties.iter()
        .filter(move |t| t.ego != t.alter && t.level.is_some_and(|l| l >= min))
}

fn declare(b: &mut NetworkBuilder) {
    b.declare_attribute("role");
    b.declare_attribute("school");
    b.declare_attribute(RESPONDED);
}

fn flag(b: bool) -> String {
    if b { "1" } else { "0" }.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn reads_levels_unknown_foci_and_unlisted_people() {
        let roster = BTreeSet::from([7, 8, 9]);
        let (ties, problems) = read_roster(
            "vinculos",
            &post(&[
                ("vinculos.p7.level", "3"),
                ("vinculos.p7.focus", "projects"),
                ("vinculos.p7.focus", "information"),
                ("vinculos.p7.focus", "information"),
                ("vinculos.p8.level", "unknown"),
                ("vinculos.p9.level", ""),
                ("vinculos.u0.name", "  Ana Pérez "),
                ("vinculos.u0.school", "900004"),
                ("vinculos.u0.level", "5"),
                ("vinculos.u1.name", ""),
                ("vinculos.u1.level", "2"),
                ("otra.p7.level", "1"),
                ("_nav", "next"),
            ]),
            &roster,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            ties,
            vec![
                TieAnswer {
                    alter: Alter::Member(7),
                    level: Some(3),
                    foci: vec!["information".into(), "projects".into()],
                },
                TieAnswer {
                    alter: Alter::Member(8),
                    level: None,
                    foci: vec![],
                },
                TieAnswer {
                    alter: Alter::Unlisted {
                        slot: 0,
                        name: "Ana Pérez".into(),
                        rbd: Some(900_004),
                    },
                    level: Some(5),
                    foci: vec![],
                },
            ]
        );
    }

    #[test]
    fn refuses_people_outside_the_roster_and_impossible_rows() {
        let roster = BTreeSet::from([7]);
        let (ties, problems) = read_roster(
            "v",
            &post(&[
                ("v.p99.level", "2"),
                ("v.p7.level", "6"),
                ("v.pX.level", "1"),
            ]),
            &roster,
        );
        assert!(ties.is_empty());
        assert_eq!(problems.len(), 3);
        let (_, problems) = read_roster(
            "v",
            &post(&[("v.p7.level", "unknown"), ("v.p7.focus", "training")]),
            &roster,
        );
        assert_eq!(
            problems,
            vec![RosterProblem::FociWithoutTie {
                field: "v.p7".into()
            }]
        );
    }

    fn member(id: i64, rbd: i64, responded: bool) -> Member {
        Member {
            person_id: id,
            role: "director".into(),
            rbd: Some(rbd),
            responded,
            name: None,
        }
    }

    /// A network of duplas (a director and a jefe de UTP per school) and one
    /// supervisor.
    fn duplas(schools: i64) -> Vec<Member> {
        let mut out = vec![];
        for s in 0..schools {
            for (k, role) in ["director", "jefe_utp"].iter().enumerate() {
                out.push(Member {
                    person_id: s * 10 + k as i64,
                    role: (*role).into(),
                    rbd: Some(1000 + s),
                    responded: true,
                    name: None,
                });
            }
        }
        out.push(Member {
            person_id: 999,
            role: "supervisor".into(),
            rbd: None,
            responded: false,
            name: None,
        });
        out
    }

    #[test]
    fn numbered_people_show_nothing_that_singles_them_out() {
        for schools in 1..6 {
            let members = duplas(schools);
            let shown = numbered_detail(&members, 2);
            // Every combination shown, blank included, is shared by two or more.
            let mut classes: BTreeMap<(Option<&str>, Option<Option<i64>>), usize> = BTreeMap::new();
            for (m, s) in members.iter().zip(&shown) {
                let key = (s.role.then_some(m.role.as_str()), s.school.then_some(m.rbd));
                *classes.entry(key).or_default() += 1;
            }
            assert!(classes.values().all(|&n| n >= 2), "{schools}: {classes:?}");
            // A dupla's school and role together would name each person.
            assert!(!shown.iter().any(|s| s.role && s.school), "{shown:?}");
            // The lone supervisor shows neither.
            assert_eq!(
                shown.last(),
                Some(&Shown {
                    role: false,
                    school: false
                })
            );
        }
        // With three schools, schools are kept for most people.
        let shown = numbered_detail(&duplas(3), 2);
        assert!(
            shown.iter().filter(|s| s.school || s.role).count() >= 4,
            "{shown:?}"
        );
        let net = numbered_network(&duplas(3), &[], 1, |m| m.person_id.to_string(), 2);
        let responded = net
            .attributes()
            .iter()
            .find(|a| a.name == RESPONDED)
            .map(|a| a.values.iter().all(Option::is_none));
        assert_eq!(responded, Some(true), "nobody's answering shown by number");
    }

    fn tie(ego: i64, alter: i64, level: Option<u8>, foci: &[&str]) -> StoredTie {
        StoredTie {
            ego,
            alter,
            level,
            foci: foci.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    #[test]
    fn levels_zero_and_unknown_are_not_arcs() {
        let members = [
            member(1, 10, true),
            member(2, 10, false),
            member(3, 20, true),
        ];
        let ties = [
            tie(1, 2, Some(4), &["practices"]),
            tie(1, 3, Some(0), &[]),
            tie(3, 1, None, &[]),
            tie(3, 2, Some(2), &["practices", "training"]),
        ];
        let net = person_network(&members, &ties, 1, |m| node_id(m.person_id));
        assert_eq!(net.node_count(), 3);
        assert_eq!(net.arcs().len(), 2);
        assert_eq!(net.index_of("p1"), Some(0));
        let numbers = anonymous_ids(&members);
        let anon = person_network(&members, &ties, 1, |m| numbers[&m.person_id].clone());
        assert_eq!(anon.ids(), ["1", "2", "3"]);
        assert_eq!(anon.arcs().len(), 2);
        let strong = person_network(&members, &ties, 3, |m| node_id(m.person_id));
        assert_eq!(strong.arcs().len(), 1);
        assert_eq!(focus_counts(&ties, 1), [0, 1, 2, 0, 0, 0]);
        // School level: only 3 → 2 crosses schools (20 → 10).
        let schools = school_network(&members, &ties, 1);
        assert_eq!(schools.node_count(), 2);
        assert_eq!(schools.arcs().len(), 1);
    }

    #[test]
    fn changes_count_only_people_who_answered_both_waves() {
        let w1 = [
            member(1, 10, true),
            member(2, 10, true),
            member(3, 20, true),
        ];
        let w2 = [
            member(1, 10, true),
            member(2, 10, false),
            member(3, 20, true),
        ];
        let t1 = [tie(1, 2, Some(3), &[]), tie(2, 3, Some(2), &[])];
        let t2 = [tie(1, 3, Some(3), &[])];
        let (gained, lost) = tie_changes((&w1, &t1), (&w2, &t2), 1);
        assert_eq!(gained, vec![(1, 3)]);
        // 2 → 3 is not "lost": person 2 did not answer the second wave.
        assert_eq!(lost, vec![(1, 2)]);
    }
}

//! The network's year as its supervisor records it — the plan and the
//! session log — and what the log adds up to: sessions, hours, attendance
//! by school and by role, the schools that missed most, agreements kept.
//! This is the evidence behind the Tetraedro's *Elementos funcionales*.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;

use crate::focus::Focus;

/// How a session was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    InPerson,
    Online,
    Mixed,
}

impl Modality {
    pub const ALL: [Modality; 3] = [Modality::InPerson, Modality::Online, Modality::Mixed];

    pub fn code(self) -> &'static str {
        match self {
            Modality::InPerson => "in_person",
            Modality::Online => "online",
            Modality::Mixed => "mixed",
        }
    }

    /// The code, or the Spanish word supervisors write in their sheets.
    pub fn parse(s: &str) -> Option<Modality> {
        let s = s.trim().to_lowercase();
        match s.as_str() {
            "in_person" | "presencial" => Some(Modality::InPerson),
            "online" | "en línea" | "en linea" | "virtual" | "remota" => Some(Modality::Online),
            "mixed" | "mixta" | "híbrida" | "hibrida" => Some(Modality::Mixed),
            _ => None,
        }
    }
}

/// What was agreed at a session, and what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUp {
    Pending,
    Done,
    Dropped,
}

impl FollowUp {
    pub const ALL: [FollowUp; 3] = [FollowUp::Pending, FollowUp::Done, FollowUp::Dropped];

    pub fn code(self) -> &'static str {
        match self {
            FollowUp::Pending => "pending",
            FollowUp::Done => "done",
            FollowUp::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<FollowUp> {
        FollowUp::ALL.into_iter().find(|f| f.code() == s.trim())
    }
}

/// The network's plan for a year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The shared purpose, in the network's words.
    pub purpose: String,
    /// One goal per entry.
    pub goals: Vec<String>,
    /// The priority topics of the year.
    pub topics: Vec<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.purpose.trim().is_empty() && self.goals.is_empty() && self.topics.is_empty()
    }
}

/// One session of the network as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub date: Date,
    pub duration_min: u32,
    pub modality: Modality,
    pub place: String,
    pub agenda: String,
    pub foci: Vec<Focus>,
    /// Schools present (RBD): those of the people ticked, or as a
    /// spreadsheet listed them.
    pub schools: Vec<i64>,
    /// People ticked as present; empty when only schools were recorded.
    pub attendees: Vec<i64>,
}

/// A longest session, so that a typing slip (600 hours) is caught.
pub const MAX_DURATION_MIN: u32 = 24 * 60;

/// An agreement taken at a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub text: String,
    /// The member responsible, if one was named.
    pub responsible: Option<i64>,
    pub due: Option<Date>,
    pub status: FollowUp,
}

/// Attendance of one school over the year's sessions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolAttendance {
    pub rbd: i64,
    pub attended: usize,
    pub missed: usize,
    pub rate: f64,
}

/// What a year's log adds up to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearSummary {
    pub sessions: usize,
    pub hours: f64,
    /// Mean of the schools' attendance rates; `None` without sessions.
    pub attendance_rate: Option<f64>,
    /// Every school of the network that year, in RBD order.
    pub by_school: Vec<SchoolAttendance>,
    /// Role → share of (member, session) pairs present, over the sessions
    /// whose attendees were ticked one by one.
    pub by_role: BTreeMap<String, f64>,
    /// The schools that missed the most sessions (at least one), ties
    /// included.
    pub most_missed: Vec<i64>,
    pub agreements: usize,
    pub agreements_done: usize,
    pub agreements_dropped: usize,
    /// Done over agreements whose fate is known or whose due date passed
    /// by `today`; `None` when there is none such.
    pub agreements_kept: Option<f64>,
    /// Sessions by modality code.
    pub by_modality: BTreeMap<&'static str, usize>,
}

/// Sums up a year: `schools` are the network's schools that year, `members`
/// its members (person id, role), `agreements` those taken in the year.
pub fn summarise(
    sessions: &[Session],
    schools: &[i64],
    members: &[(i64, String)],
    agreements: &[Agreement],
    today: Date,
) -> YearSummary {
    let n = sessions.len();
    let schools: BTreeSet<i64> = schools.iter().copied().collect();
    let by_school: Vec<SchoolAttendance> = schools
        .iter()
        .map(|&rbd| {
            let attended = sessions.iter().filter(|s| s.schools.contains(&rbd)).count();
            SchoolAttendance {
                rbd,
                attended,
                missed: n - attended,
                rate: if n == 0 {
                    0.0
                } else {
                    attended as f64 / n as f64
                },
            }
        })
        .collect();
    let worst = by_school.iter().map(|s| s.missed).max().unwrap_or(0);
    let most_missed = by_school
        .iter()
        .filter(|s| worst > 0 && s.missed == worst)
        .map(|s| s.rbd)
        .collect();
    let ticked: Vec<&Session> = sessions
        .iter()
        .filter(|s| !s.attendees.is_empty())
        .collect();
    let mut by_role: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    if !ticked.is_empty() {
        for (person, role) in members {
            let e = by_role.entry(role.clone()).or_default();
            e.0 += ticked
                .iter()
                .filter(|s| s.attendees.contains(person))
                .count();
            e.1 += ticked.len();
        }
    }
    let decided: Vec<&Agreement> = agreements
        .iter()
        .filter(|a| a.status != FollowUp::Pending || a.due.is_some_and(|d| d < today))
        .collect();
    let done = |a: &Agreement| a.status == FollowUp::Done;
    let mut by_modality = BTreeMap::new();
    for s in sessions {
        *by_modality.entry(s.modality.code()).or_default() += 1;
    }
    YearSummary {
        sessions: n,
        hours: sessions
            .iter()
            .map(|s| f64::from(s.duration_min))
            .sum::<f64>()
            / 60.0,
        attendance_rate: (n > 0 && !by_school.is_empty())
            .then(|| by_school.iter().map(|s| s.rate).sum::<f64>() / by_school.len() as f64),
        by_school,
        by_role: by_role
            .into_iter()
            .filter(|(_, (_, of))| *of > 0)
            .map(|(r, (present, of))| (r, present as f64 / of as f64))
            .collect(),
        most_missed,
        agreements: agreements.len(),
        agreements_done: agreements.iter().filter(|a| done(a)).count(),
        agreements_dropped: agreements
            .iter()
            .filter(|a| a.status == FollowUp::Dropped)
            .count(),
        agreements_kept: (!decided.is_empty())
            .then(|| decided.iter().filter(|a| done(a)).count() as f64 / decided.len() as f64),
        by_modality,
    }
}

/// The foci of each session, as the typology reads them.
pub fn session_foci(sessions: &[Session]) -> Vec<Vec<Focus>> {
    sessions.iter().map(|s| s.foci.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn session(day: i8, minutes: u32, schools: &[i64], people: &[i64]) -> Session {
        Session {
            date: date(2026, 4, day),
            duration_min: minutes,
            modality: if day % 2 == 0 {
                Modality::Online
            } else {
                Modality::InPerson
            },
            place: String::new(),
            agenda: String::new(),
            foci: vec![Focus::Practices],
            schools: schools.to_vec(),
            attendees: people.to_vec(),
        }
    }

    #[test]
    fn a_year_summed_by_hand() {
        // Three sessions; school 3 came once, school 2 twice, school 1 always.
        // The third session only recorded schools.
        let sessions = [
            session(1, 90, &[1, 2], &[10, 20]),
            session(8, 120, &[1, 2, 3], &[10, 20, 30, 11]),
            session(15, 30, &[1], &[]),
        ];
        let members = [
            (10, "director".to_owned()),
            (11, "utp".to_owned()),
            (20, "director".to_owned()),
            (30, "director".to_owned()),
        ];
        let today = date(2026, 6, 1);
        let agreements = [
            Agreement {
                text: "a".into(),
                responsible: Some(10),
                due: Some(date(2026, 5, 1)),
                status: FollowUp::Done,
            },
            Agreement {
                text: "b".into(),
                responsible: None,
                due: Some(date(2026, 5, 2)),
                status: FollowUp::Pending,
            },
            Agreement {
                text: "c".into(),
                responsible: None,
                due: Some(date(2026, 9, 1)),
                status: FollowUp::Pending,
            },
            Agreement {
                text: "d".into(),
                responsible: None,
                due: None,
                status: FollowUp::Dropped,
            },
        ];
        let y = summarise(&sessions, &[3, 1, 2], &members, &agreements, today);
        assert_eq!(y.sessions, 3);
        assert_eq!(y.hours, 4.0);
        let rates: Vec<(i64, usize, f64)> = y
            .by_school
            .iter()
            .map(|s| (s.rbd, s.missed, s.rate))
            .collect();
        assert_eq!(
            rates,
            vec![(1, 0, 1.0), (2, 1, 2.0 / 3.0), (3, 2, 1.0 / 3.0)]
        );
        assert_eq!(y.attendance_rate, Some(2.0 / 3.0));
        assert_eq!(y.most_missed, vec![3]);
        // Directors: 10 twice, 20 twice, 30 once, of 3 × 2 ticked sessions.
        assert_eq!(y.by_role.get("director"), Some(&(5.0 / 6.0)));
        assert_eq!(y.by_role.get("utp"), Some(&0.5));
        // Decided: a (done), b (overdue), d (dropped); c is not due yet.
        assert_eq!(y.agreements, 4);
        assert_eq!(y.agreements_done, 1);
        assert_eq!(y.agreements_kept, Some(1.0 / 3.0));
        assert_eq!(y.by_modality.get("online"), Some(&1));
        assert_eq!(y.by_modality.get("in_person"), Some(&2));
    }

    #[test]
    fn an_empty_year_claims_nothing() {
        let y = summarise(&[], &[1, 2], &[], &[], date(2026, 1, 1));
        assert_eq!(y.attendance_rate, None);
        assert!(y.most_missed.is_empty());
        assert!(y.by_role.is_empty());
        assert_eq!(y.agreements_kept, None);
    }

    #[test]
    fn modalities_read_codes_and_spanish() {
        assert_eq!(Modality::parse("Presencial"), Some(Modality::InPerson));
        assert_eq!(Modality::parse("mixed"), Some(Modality::Mixed));
        assert_eq!(Modality::parse("en línea"), Some(Modality::Online));
        assert_eq!(Modality::parse("carta"), None);
    }
}

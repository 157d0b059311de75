//! Researchers' microdata that are k-anonymous and cannot be combined with
//! the published tables: generalisation first, row suppression last.
//!
//! The quasi-identifiers are the place (network → DEPROV → region →
//! nothing), the role (as registered and as answered: exact → directivo /
//! docente / otro → nothing), years in the network (exact → band →
//! nothing), the submission time (never exact: date → month →
//! nothing), and any other question the instrument marks as identifying
//! (as answered → nothing).
//!
//! **Place and role** are generalised for the whole file at once, to the
//! finest pair whose groups (one place value × one role value) all have at
//! least K respondents *and*, added to the campaign's published tables,
//! reveal no group below K ([`super::first_breach`]): a file by network
//! would otherwise show a network the tables hide to protect another.
//! **Years and time** do not appear in any table, so each place × role
//! group takes the finest levels that leave every class within it at K or
//! more (at worst both blank, and the group itself is at least K); the
//! answered role is blanked for a group when even that is not enough.
//! Rows are withheld only when no place × role pair passes (fewer than K
//! respondents in all). Free text stays only where the file keeps the
//! network and the tables publish it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Atoms, Cell, Decision, Place};

/// How much of the place a file keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Geo {
    Network,
    Deprov,
    Region,
    Nation,
}

/// How much of the role a file keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    Exact,
    Coarse,
    Hidden,
}

/// The role's category: "directivo", "docente" or "otro".
pub fn role_category(role: &str) -> &'static str {
    match role {
        "director" | "jefe_utp" => "directivo",
        "docente" => "docente",
        _ => "otro",
    }
}

/// Years in the network as a band.
pub fn years_band(years: &str) -> String {
    match years.trim().parse::<u32>() {
        Ok(0..=1) => "0-1".into(),
        Ok(2..=4) => "2-4".into(),
        Ok(5..=9) => "5-9".into(),
        Ok(_) => "10+".into(),
        Err(_) => String::new(),
    }
}

/// One respondent's quasi-identifiers as stored.
#[derive(Debug, Clone, Default)]
pub struct Respondent {
    pub region: String,
    pub deprov: String,
    pub network: String,
    pub role: String,
    /// The role as answered (the profile question), if asked.
    pub answered_role: String,
    pub years: String,
    /// RFC 3339, UTC.
    pub submitted_at: String,
    /// Answers to the instrument's other identifying questions.
    pub extra: Vec<String>,
}

/// One respondent's quasi-identifiers as released; empty means withheld.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Released {
    pub region: String,
    pub deprov: String,
    pub network: String,
    pub role: String,
    pub answered_role: String,
    pub years: String,
    pub submitted_at: String,
    pub extra: Vec<String>,
    /// Whether the respondent's free text may be released.
    pub keep_text: bool,
    /// The whole row is withheld.
    pub withheld: bool,
}

/// What a file keeps, for its codebook and note.
#[derive(Debug, Clone, Serialize)]
pub struct Kept {
    pub k: u64,
    pub geo: Option<Geo>,
    pub role: Option<Detail>,
    pub rows: usize,
    pub rows_withheld: usize,
    /// Quasi-identifier cells (seven per row — region, DEPROV, network,
    /// role, answered role, years, submission time — and one per other
    /// identifying question): kept as stored, generalised, or blanked.
    pub qi_cells: usize,
    pub generalised: usize,
    pub suppressed: usize,
    pub text_withheld_rows: usize,
    /// Smallest class of identical quasi-identifiers among released rows.
    pub smallest_class: Option<usize>,
}

impl Kept {
    /// Share of quasi-identifier cells released exactly as stored.
    pub fn share_exact(&self) -> f64 {
        if self.qi_cells == 0 {
            return 0.0;
        }
        (self.qi_cells - self.generalised - self.suppressed) as f64 / self.qi_cells as f64
    }
}

fn place_of(geo: Geo, r: &Respondent) -> (String, String, String) {
    match geo {
        Geo::Network => (r.region.clone(), r.deprov.clone(), r.network.clone()),
        Geo::Deprov => (r.region.clone(), r.deprov.clone(), String::new()),
        Geo::Region => (r.region.clone(), String::new(), String::new()),
        Geo::Nation => (String::new(), String::new(), String::new()),
    }
}

fn role_at(detail: Detail, role: &str) -> String {
    match detail {
        Detail::Exact => role.to_owned(),
        Detail::Coarse if role.is_empty() => String::new(),
        Detail::Coarse => role_category(role).to_owned(),
        Detail::Hidden => String::new(),
    }
}

fn years_at(detail: Detail, years: &str) -> String {
    match detail {
        Detail::Exact => years.trim().to_owned(),
        Detail::Coarse => years_band(years),
        Detail::Hidden => String::new(),
    }
}

/// Date (`Coarse` keeps the month only).
fn time_at(detail: Detail, t: &str) -> String {
    let keep = match detail {
        Detail::Exact => 10,
        Detail::Coarse => 7,
        Detail::Hidden => 0,
    };
    t.get(..keep).unwrap_or_default().to_owned()
}

/// The cell a released place × role group stands for, if the tables have
/// one; otherwise its atoms are still what counts.
fn group_members(
    atoms: &Atoms,
    geo: Geo,
    role: Detail,
    key: &(String, String, String, String),
) -> Vec<u32> {
    let (region, deprov, network, role_value) = key;
    atoms
        .atoms
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            let here = match geo {
                Geo::Network => &a.network == network,
                Geo::Deprov => &a.deprov == deprov && &a.region == region,
                Geo::Region => &a.region == region,
                Geo::Nation => true,
            };
            here && role_at(role, &a.role) == *role_value
        })
        .map(|(i, _)| i as u32)
        .collect()
}

/// Decides what each respondent's row releases.
pub fn release(
    rows: &[Respondent],
    atoms: &Atoms,
    decision: &Decision,
    k: u64,
) -> (Vec<Released>, Kept) {
    let published: Vec<Vec<u32>> = decision
        .cells()
        .into_iter()
        .filter(|c| c.2.is_none())
        .map(|(c, _, _)| atoms.members(c))
        .collect();
    let hidden_small: Vec<Vec<u32>> = decision
        .cells()
        .into_iter()
        .filter(|c| c.2.is_some() && c.1 > 0 && c.1 < k)
        .map(|(c, _, _)| atoms.members(c))
        .collect();
    let mut candidates = vec![];
    for geo in [Geo::Network, Geo::Deprov, Geo::Region, Geo::Nation] {
        for role in [Detail::Exact, Detail::Coarse, Detail::Hidden] {
            let mut groups: BTreeMap<(String, String, String, String), usize> = BTreeMap::new();
            for r in rows {
                let (a, b, c) = place_of(geo, r);
                *groups.entry((a, b, c, role_at(role, &r.role))).or_default() += 1;
            }
            candidates.push((geo, role, groups));
        }
    }
    // The most groups first (the most kept), the finer place on ties.
    candidates.sort_by(|a, b| {
        b.2.len()
            .cmp(&a.2.len())
            .then(a.0.cmp(&b.0))
            .then(a.1.cmp(&b.1))
    });
    let chosen = candidates.into_iter().find(|(geo, role, groups)| {
        groups.values().all(|&n| n as u64 >= k) && {
            let mut all = published.clone();
            all.extend(
                groups
                    .keys()
                    .map(|key| group_members(atoms, *geo, *role, key)),
            );
            super::first_breach(atoms, &all, &hidden_small, k).is_none()
        }
    });
    let mut out: Vec<Released> = vec![Released::default(); rows.len()];
    let mut kept = Kept {
        k,
        geo: chosen.as_ref().map(|c| c.0),
        role: chosen.as_ref().map(|c| c.1),
        rows: rows.len(),
        rows_withheld: 0,
        qi_cells: rows.iter().map(|r| 7 + r.extra.len()).sum(),
        generalised: 0,
        suppressed: 0,
        text_withheld_rows: 0,
        smallest_class: None,
    };
    let Some((geo, role, _)) = chosen else {
        for o in out.iter_mut() {
            o.withheld = true;
        }
        kept.rows_withheld = rows.len();
        kept.suppressed = kept.qi_cells;
        kept.generalised = 0;
        kept.text_withheld_rows = rows.len();
        return (out, kept);
    };
    let mut by_group: BTreeMap<(String, String, String, String), Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        let (a, b, c) = place_of(geo, r);
        by_group
            .entry((a, b, c, role_at(role, &r.role)))
            .or_default()
            .push(i);
    }
    let finer = [
        (Detail::Exact, Detail::Exact),
        (Detail::Coarse, Detail::Exact),
        (Detail::Exact, Detail::Coarse),
        (Detail::Coarse, Detail::Coarse),
        (Detail::Hidden, Detail::Coarse),
        (Detail::Coarse, Detail::Hidden),
        (Detail::Hidden, Detail::Hidden),
    ];
    for ((region, deprov, network, role_value), members) in &by_group {
        type Class = (String, String, String, Vec<String>);
        let class =
            |extra: bool, answered: Detail, years: Detail, when: Detail, i: usize| -> Class {
                let r = &rows[i];
                (
                    role_at(answered, &r.answered_role),
                    years_at(years, &r.years),
                    time_at(when, &r.submitted_at),
                    if extra {
                        r.extra.clone()
                    } else {
                        vec![String::new(); r.extra.len()]
                    },
                )
            };
        let fits = |extra: bool, answered: Detail, years: Detail, when: Detail| {
            let mut n: BTreeMap<Class, usize> = BTreeMap::new();
            for &i in members {
                *n.entry(class(extra, answered, years, when, i)).or_default() += 1;
            }
            n.values().all(|&c| c as u64 >= k)
        };
        let (extra, answered, years, when) = [true, false]
            .into_iter()
            .flat_map(|e| [role, Detail::Hidden].into_iter().map(move |a| (e, a)))
            .flat_map(|(e, a)| finer.iter().map(move |(y, w)| (e, a, *y, *w)))
            .find(|(e, a, y, w)| fits(*e, *a, *y, *w))
            .unwrap_or((false, Detail::Hidden, Detail::Hidden, Detail::Hidden));
        let text =
            geo == Geo::Network && decision.published(&Cell::at(Place::Network(network.clone())));
        for &i in members {
            let (a, y, w, x) = class(extra, answered, years, when, i);
            out[i] = Released {
                extra: x,
                region: region.clone(),
                deprov: deprov.clone(),
                network: network.clone(),
                role: role_value.clone(),
                answered_role: a,
                years: y,
                submitted_at: w,
                keep_text: text,
                withheld: false,
            };
        }
    }
    for (r, o) in rows.iter().zip(&out) {
        let pairs = [
            (&r.region, &o.region),
            (&r.deprov, &o.deprov),
            (&r.network, &o.network),
            (&r.role, &o.role),
            (&r.answered_role, &o.answered_role),
            (&r.years, &o.years),
            (&r.submitted_at, &o.submitted_at),
        ];
        let extras = r.extra.iter().zip(&o.extra);
        for (stored, released) in pairs.into_iter().chain(extras) {
            if released.is_empty() && !stored.is_empty() {
                kept.suppressed += 1;
            } else if released != stored {
                kept.generalised += 1;
            }
        }
        if !o.keep_text {
            kept.text_withheld_rows += 1;
        }
    }
    let mut classes: BTreeMap<&Released, usize> = BTreeMap::new();
    for o in &out {
        *classes.entry(o).or_default() += 1;
    }
    kept.smallest_class = classes.values().min().copied();
    (out, kept)
}

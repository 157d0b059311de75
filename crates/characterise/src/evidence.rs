//! What the continuum's rules look at, measured on a network's ties: at
//! person level, and at school level (schools as nodes, an edge where a
//! member of one school names a member of the other at the chosen level or
//! above, in either direction).

use std::collections::{BTreeMap, BTreeSet};

use trama_sna::{MetricOptions, Network, metrics};

use crate::focus::Focus;

/// A member of the network in the round: who they are, at which school,
/// and whether they answered (ties they would have named are missing).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub id: String,
    pub school: String,
    pub role: String,
    pub responded: bool,
}

/// One arc of the roster: `source` named `target` at a collaboration level
/// (0–5), working on these foci.
#[derive(Debug, Clone, PartialEq)]
pub struct Tie {
    pub source: String,
    pub target: String,
    pub level: u8,
    pub foci: Vec<Focus>,
}

/// The measured values a rule may name; `None` where the data to measure it
/// is missing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Density of the school-level network (undirected).
    pub school_density: Option<f64>,
    /// Share of schools with no tie to another school.
    pub schools_without_cross_ties: Option<f64>,
    /// Connected groups of two or more schools.
    pub school_groups: Option<f64>,
    /// Modularity of the person-level communities when every community of
    /// two or more members lies within at most two schools; 0 when some
    /// community crosses more (the groups are then not closed).
    pub school_bound_modularity: Option<f64>,
    /// Krackhardt's E-I index of the person-level arcs by school: −1 when
    /// every arc stays inside a school, +1 when every arc crosses.
    pub ei_school: Option<f64>,
    /// Share of person-level arcs whose reverse exists.
    pub reciprocity: Option<f64>,
    /// Mean level of the arcs that join two schools.
    pub cross_school_mean_level: Option<f64>,
    /// 1 when a cooperative focus is an emphasis of the network, 0 if not.
    pub cooperative_emphasis: Option<f64>,
    /// Agreement (%) with the questionnaire's Colaboración sub-dimension,
    /// when results exist and are not suppressed.
    pub agreement_colaboracion: Option<f64>,
    /// Agreement (%) with Co-responsabilidad, likewise.
    pub agreement_coresponsabilidad: Option<f64>,
    /// Members who answered over members.
    pub response_rate: Option<f64>,
}

impl Evidence {
    /// The names rules use, in the order results list them.
    pub const METRICS: [&'static str; 11] = [
        "school_density",
        "schools_without_cross_ties",
        "school_groups",
        "school_bound_modularity",
        "ei_school",
        "reciprocity",
        "cross_school_mean_level",
        "cooperative_emphasis",
        "agreement_colaboracion",
        "agreement_coresponsabilidad",
        "response_rate",
    ];

    /// The value of a metric by name; `None` for a name that is not one.
    pub fn get(&self, metric: &str) -> Option<Option<f64>> {
        Some(match metric {
            "school_density" => self.school_density,
            "schools_without_cross_ties" => self.schools_without_cross_ties,
            "school_groups" => self.school_groups,
            "school_bound_modularity" => self.school_bound_modularity,
            "ei_school" => self.ei_school,
            "reciprocity" => self.reciprocity,
            "cross_school_mean_level" => self.cross_school_mean_level,
            "cooperative_emphasis" => self.cooperative_emphasis,
            "agreement_colaboracion" => self.agreement_colaboracion,
            "agreement_coresponsabilidad" => self.agreement_coresponsabilidad,
            "response_rate" => self.response_rate,
            _ => return None,
        })
    }

    /// Measures the network of `members` with `ties` counted at `min_level`
    /// or above. Ties naming someone who is not a member are left out.
    /// Questionnaire agreements and the cooperative emphasis come from
    /// elsewhere and are left unset.
    pub fn measure(members: &[Member], ties: &[Tie], min_level: u8) -> Evidence {
        let school_of: BTreeMap<&str, &str> = members
            .iter()
            .map(|m| (m.id.as_str(), m.school.as_str()))
            .collect();
        let schools: BTreeSet<&str> = members.iter().map(|m| m.school.as_str()).collect();
        let arcs: Vec<(&Tie, &str, &str)> = ties
            .iter()
            .filter(|t| t.level >= min_level && t.source != t.target)
            .filter_map(|t| {
                Some((
                    t,
                    *school_of.get(t.source.as_str())?,
                    *school_of.get(t.target.as_str())?,
                ))
            })
            .collect();
        let mut ev = Evidence {
            response_rate: (!members.is_empty()).then(|| {
                members.iter().filter(|m| m.responded).count() as f64 / members.len() as f64
            }),
            ..Default::default()
        };
        if schools.len() >= 2 {
            let school_net = school_network(&schools, &arcs);
            let r = metrics(&school_net, &MetricOptions::default());
            let k = schools.len() as f64;
            ev.school_density = Some(r.density);
            ev.schools_without_cross_ties = Some(r.isolates.len() as f64 / k);
            ev.school_groups = Some((r.weak_components - r.isolates.len()) as f64);
        }
        if members.len() >= 2 {
            let person_net = person_network(members, &arcs);
            let r = metrics(&person_net, &MetricOptions::default());
            ev.reciprocity = r.reciprocity;
            ev.school_bound_modularity = r.communities.modularity.map(|q| {
                let mut spans: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
                let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
                for (id, c) in r.communities.membership.iter() {
                    *sizes.entry(*c).or_default() += 1;
                    if let Some(s) = school_of.get(id) {
                        spans.entry(*c).or_default().insert(s);
                    }
                }
                let closed = spans
                    .iter()
                    .all(|(c, s)| sizes.get(c).copied().unwrap_or(0) < 2 || s.len() <= 2);
                if closed { q } else { 0.0 }
            });
        }
        let (external, internal) = arcs.iter().fold((0usize, 0usize), |(e, i), (_, a, b)| {
            if a == b { (e, i + 1) } else { (e + 1, i) }
        });
        if external + internal > 0 {
            ev.ei_school = Some((external as f64 - internal as f64) / (external + internal) as f64);
        }
        let crossing: Vec<u8> = arcs
            .iter()
            .filter(|(_, a, b)| a != b)
            .map(|(t, _, _)| t.level)
            .collect();
        if !crossing.is_empty() {
            ev.cross_school_mean_level =
                Some(crossing.iter().map(|l| f64::from(*l)).sum::<f64>() / crossing.len() as f64);
        }
        ev
    }
}

/// Schools as nodes, both arcs of an edge wherever members of two schools
/// are tied, so the directed density is the undirected one.
fn school_network(schools: &BTreeSet<&str>, arcs: &[(&Tie, &str, &str)]) -> Network {
    let mut b = Network::builder();
    for s in schools {
        b.node(s);
    }
    let edges: BTreeSet<(&str, &str)> = arcs
        .iter()
        .filter(|(_, a, c)| a != c)
        .map(|(_, a, c)| if a < c { (*a, *c) } else { (*c, *a) })
        .collect();
    for (a, c) in edges {
        // Both schools are nodes and differ: the builder cannot refuse.
        let _ = b.arc(a, c, 1.0);
        let _ = b.arc(c, a, 1.0);
    }
    b.build()
}

fn person_network(members: &[Member], arcs: &[(&Tie, &str, &str)]) -> Network {
    let mut b = Network::builder();
    for m in members {
        b.node(&m.id);
    }
    for (t, _, _) in arcs {
        let _ = b.arc(&t.source, &t.target, f64::from(t.level));
    }
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn member(id: &str, school: &str) -> Member {
        Member {
            id: id.into(),
            school: school.into(),
            role: "director".into(),
            responded: true,
        }
    }

    pub(crate) fn tie(source: &str, target: &str, level: u8) -> Tie {
        Tie {
            source: source.into(),
            target: target.into(),
            level,
            foci: vec![],
        }
    }

    #[test]
    fn school_level_figures_by_hand() {
        // Four schools, two members each. Cross-school arcs at level ≥ 2:
        // A–B (a1→b1 at 3, b1→a1 at 5) and C–D (c1→d1 at 2); a1→c1 at 1 is
        // below the level; a1→a2 at 4 stays inside A.
        let members: Vec<Member> = ["a", "b", "c", "d"]
            .iter()
            .flat_map(|s| [member(&format!("{s}1"), s), member(&format!("{s}2"), s)])
            .collect();
        let ties = [
            tie("a1", "b1", 3),
            tie("b1", "a1", 5),
            tie("c1", "d1", 2),
            tie("a1", "c1", 1),
            tie("a1", "a2", 4),
            tie("a1", "stranger", 5),
        ];
        let ev = Evidence::measure(&members, &ties, 2);
        // 2 school edges of 6 possible.
        assert_eq!(ev.school_density, Some(2.0 / 6.0));
        assert_eq!(ev.schools_without_cross_ties, Some(0.0));
        assert_eq!(ev.school_groups, Some(2.0));
        // 3 crossing arcs, 1 internal: (3 − 1) / 4.
        assert_eq!(ev.ei_school, Some(0.5));
        // Levels 3, 5, 2 across schools.
        assert_eq!(ev.cross_school_mean_level, Some(10.0 / 3.0));
        // a1↔b1 is mutual: 2 of 4 arcs.
        assert_eq!(ev.reciprocity, Some(0.5));
        assert_eq!(ev.response_rate, Some(1.0));
        assert_eq!(ev.agreement_colaboracion, None);
    }

    #[test]
    fn a_network_without_arcs_measures_what_it_can() {
        let members = [member("a1", "a"), member("b1", "b")];
        let ev = Evidence::measure(&members, &[], 2);
        assert_eq!(ev.school_density, Some(0.0));
        assert_eq!(ev.schools_without_cross_ties, Some(1.0));
        assert_eq!(ev.school_groups, Some(0.0));
        assert_eq!(ev.ei_school, None);
        assert_eq!(ev.cross_school_mean_level, None);
        assert_eq!(ev.reciprocity, None);
    }

    #[test]
    fn every_metric_name_is_readable() {
        let ev = Evidence::default();
        for m in Evidence::METRICS {
            assert_eq!(ev.get(m), Some(None), "{m}");
        }
        assert_eq!(ev.get("nope"), None);
    }
}

//! What the Tetraedro's faces and the system leaders can say from a
//! network's ties and members alone (the plan, the session log and the
//! questionnaire add to them where they exist).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use trama_sna::{MetricOptions, Network, metrics};

use crate::evidence::{Member, Tie};

/// *Organización* and *Características* as measured on the ties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Faces {
    pub organizacion: Organizacion,
    pub caracteristicas: Caracteristicas,
    /// *Sustento*'s depth: share of the ties at the minimum level or above
    /// that reach level 4 or 5.
    pub depth: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organizacion {
    pub members: usize,
    pub schools: usize,
    pub by_role: BTreeMap<String, usize>,
    pub response_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Caracteristicas {
    pub density: f64,
    pub reciprocity: Option<f64>,
    /// Among those who answered: a tie between two respondents had both
    /// chances to be returned.
    pub reciprocity_respondents: Option<f64>,
    pub degree_centralization: Option<f64>,
}

/// A member whose ties reach other schools: a candidate to lead network
/// work (the source's "líderes sistémicos").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemLeader {
    pub id: String,
    pub school: String,
    pub role: String,
    /// Other schools this member is tied to, either way.
    pub schools_reached: usize,
    pub betweenness: f64,
}

fn person_network(members: &[Member], ties: &[Tie], min_level: u8) -> Network {
    let mut b = Network::builder();
    b.declare_attribute(trama_sna::RESPONDED);
    for m in members {
        b.node(&m.id);
        b.attribute(
            &m.id,
            trama_sna::RESPONDED,
            Some(if m.responded { "1" } else { "0" }.to_owned()),
        );
    }
    let known: BTreeSet<&str> = members.iter().map(|m| m.id.as_str()).collect();
    for t in ties.iter().filter(|t| {
        t.level >= min_level
            && t.source != t.target
            && known.contains(t.source.as_str())
            && known.contains(t.target.as_str())
    }) {
        let _ = b.arc(&t.source, &t.target, f64::from(t.level));
    }
    b.build()
}

/// The faces and the system leaders (members reaching at least one other
/// school, most schools first, then betweenness).
pub fn profile(members: &[Member], ties: &[Tie], min_level: u8) -> (Faces, Vec<SystemLeader>) {
    let net = person_network(members, ties, min_level);
    let r = metrics(&net, &MetricOptions::default());
    let mut by_role = BTreeMap::new();
    for m in members {
        *by_role.entry(m.role.clone()).or_default() += 1;
    }
    let counted: Vec<&Tie> = ties.iter().filter(|t| t.level >= min_level).collect();
    let faces = Faces {
        organizacion: Organizacion {
            members: members.len(),
            schools: members
                .iter()
                .map(|m| &m.school)
                .collect::<BTreeSet<_>>()
                .len(),
            by_role,
            response_rate: r.respondents.as_ref().and_then(|x| x.response_rate),
        },
        caracteristicas: Caracteristicas {
            density: r.density,
            reciprocity: r.reciprocity,
            reciprocity_respondents: r.respondents.as_ref().and_then(|x| x.reciprocity),
            degree_centralization: r.degree_centralization,
        },
        depth: (!counted.is_empty())
            .then(|| counted.iter().filter(|t| t.level >= 4).count() as f64 / counted.len() as f64),
    };
    let school_of: BTreeMap<&str, &str> = members
        .iter()
        .map(|m| (m.id.as_str(), m.school.as_str()))
        .collect();
    let mut reached: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for a in net.arcs() {
        let (s, t) = (net.ids()[a.source].as_str(), net.ids()[a.target].as_str());
        if let (Some(ss), Some(ts)) = (school_of.get(s), school_of.get(t))
            && ss != ts
        {
            reached.entry(s).or_default().insert(ts);
            reached.entry(t).or_default().insert(ss);
        }
    }
    let mut leaders: Vec<SystemLeader> = members
        .iter()
        .filter_map(|m| {
            let n = reached.get(m.id.as_str())?.len();
            Some(SystemLeader {
                id: m.id.clone(),
                school: m.school.clone(),
                role: m.role.clone(),
                schools_reached: n,
                betweenness: r.node_metrics.get(&m.id).map_or(0.0, |x| x.betweenness),
            })
        })
        .collect();
    leaders.sort_by(|a, b| {
        b.schools_reached
            .cmp(&a.schools_reached)
            .then(b.betweenness.total_cmp(&a.betweenness))
            .then(a.id.cmp(&b.id))
    });
    (faces, leaders)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, school: &str, role: &str, responded: bool) -> Member {
        Member {
            id: id.into(),
            school: school.into(),
            role: role.into(),
            responded,
        }
    }

    fn tie(s: &str, t: &str, level: u8) -> Tie {
        Tie {
            source: s.into(),
            target: t.into(),
            level,
            foci: vec![],
        }
    }

    #[test]
    fn faces_and_leaders_by_hand() {
        // h (school A) names people at B and C; b names h back; c1 and c2
        // work inside C; the level-1 tie does not count.
        let members = [
            member("h", "A", "director", true),
            member("b", "B", "director", true),
            member("c1", "C", "utp", true),
            member("c2", "C", "docente", false),
        ];
        let ties = [
            tie("h", "b", 5),
            tie("b", "h", 4),
            tie("h", "c1", 2),
            tie("c1", "c2", 3),
            tie("c2", "b", 1),
        ];
        let (faces, leaders) = profile(&members, &ties, 2);
        assert_eq!(faces.organizacion.members, 4);
        assert_eq!(faces.organizacion.schools, 3);
        assert_eq!(faces.organizacion.by_role.get("director"), Some(&2));
        assert_eq!(faces.organizacion.response_rate, Some(0.75));
        // 4 arcs of 12; h↔b mutual: 2 of 4.
        assert_eq!(faces.caracteristicas.density, 4.0 / 12.0);
        assert_eq!(faces.caracteristicas.reciprocity, Some(0.5));
        // Levels ≥ 2: 5, 4, 2, 3 → two of four at 4–5.
        assert_eq!(faces.depth, Some(0.5));
        let reach: Vec<(&str, usize)> = leaders
            .iter()
            .map(|l| (l.id.as_str(), l.schools_reached))
            .collect();
        // c1 before b: both reach one school, but c1 lies on h → c1 → c2.
        assert_eq!(reach, vec![("h", 2), ("c1", 1), ("b", 1)]);
        assert!(leaders[1].betweenness > 0.0 && leaders[2].betweenness == 0.0);
        assert!(leaders[0].betweenness > 0.0, "h bridges b and c1");
    }
}

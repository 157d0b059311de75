//! Characterising a school improvement network, as the source study does:
//! by the **processes** it emphasises ([`typology`]) and by its place on the
//! **collaboration continuum** ([`continuum`]), from what Trama measures
//! about it ([`evidence`]: its ties, at person and at school level).
//!
//! Every classification is explained: a typology lists each focus's share
//! from each source, a continuum placement lists every rule with its value,
//! its threshold and whether it held — or that it could not be evaluated for
//! lack of data, which is never taken as holding.
//!
//! The network's year — its plan and session log, and what they add up to —
//! is in [`year`]; the spreadsheet format of the log in [`session_log`].
//!
//! Pure: callers hand in ties, memberships and sessions (or the bytes of
//! their CSV files, [`input`]); nothing here reads a file or a database.

pub mod continuum;
pub mod evidence;
pub mod focus;
pub mod input;
pub mod picture;
pub mod profile;
pub mod session_log;
pub mod tetraedro;
pub mod typology;
pub mod year;

pub use continuum::{Level, Placement, RuleResult, Rules, RulesError};
pub use evidence::{Evidence, Member, Tie};
pub use focus::{Focus, ProcessType};
pub use typology::{Typology, TypologyOptions};

use serde::Serialize;

/// A network characterised: its typology, what was measured, and its place
/// on the continuum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Characterisation {
    pub typology: Typology,
    #[serde(skip)]
    pub evidence: Evidence,
    pub continuum: Placement,
}

/// Characterises a network from its members, their ties and the foci of
/// its logged sessions. `agreements` are the questionnaire's Colaboración
/// and Co-responsabilidad agreement (%) when they exist and are shown.
pub fn characterise(
    members: &[Member],
    ties: &[Tie],
    sessions: &[Vec<Focus>],
    agreements: (Option<f64>, Option<f64>),
    opts: &TypologyOptions,
    rules: &Rules,
) -> Characterisation {
    let typology = typology::typology(ties, sessions, opts);
    let mut evidence = Evidence::measure(members, ties, opts.min_level);
    evidence.cooperative_emphasis = typology.combined.as_ref().map(|_| {
        if typology.types.contains(&ProcessType::Cooperative) {
            1.0
        } else {
            0.0
        }
    });
    (
        evidence.agreement_colaboracion,
        evidence.agreement_coresponsabilidad,
    ) = agreements;
    let continuum = continuum::place(&evidence, rules);
    Characterisation {
        typology,
        evidence,
        continuum,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four schools, one member each (`s0`…`s3`), with `ties` given as
    /// (from, to, level) between school indices.
    fn network(ties: &[(usize, usize, u8)], foci: &[Focus]) -> Characterisation {
        let members: Vec<Member> = (0..4)
            .map(|i| Member {
                id: format!("p{i}"),
                school: format!("s{i}"),
                role: "director".into(),
                responded: true,
            })
            .collect();
        let ties: Vec<Tie> = ties
            .iter()
            .map(|(a, b, level)| Tie {
                source: format!("p{a}"),
                target: format!("p{b}"),
                level: *level,
                foci: foci.to_vec(),
            })
            .collect();
        characterise(
            &members,
            &ties,
            &[],
            (None, None),
            &TypologyOptions::default(),
            &Rules::defaults(),
        )
    }

    #[test]
    fn the_four_levels_on_constructed_networks() {
        use Focus::*;
        // One pair of schools works together; the other two work alone.
        let alone = network(&[(0, 1, 3), (1, 0, 3)], &[Information]);
        assert_eq!(alone.continuum.level, Level::Aislamiento);
        // Two pairs of schools, no tie between the pairs.
        let split = network(&[(0, 1, 3), (1, 0, 3), (2, 3, 3), (3, 2, 3)], &[Practices]);
        assert_eq!(split.continuum.level, Level::Balcanizada);
        // Everyone names everyone once, at level 2: connected but shallow.
        let all_pairs: Vec<(usize, usize, u8)> = (0..4)
            .flat_map(|a| (a + 1..4).map(move |b| (a, b, 2)))
            .collect();
        let shallow = network(&all_pairs, &[Practices]);
        assert_eq!(shallow.continuum.level, Level::Efectiva);
        // Everyone with everyone, both ways, at level 5, on joint projects.
        let both_ways: Vec<(usize, usize, u8)> = (0..4)
            .flat_map(|a| (0..4).filter(move |b| *b != a).map(move |b| (a, b, 5)))
            .collect();
        let deep = network(&both_ways, &[Projects, Practices]);
        assert_eq!(deep.typology.dominant, Some(ProcessType::Collaborative));
        assert_eq!(deep.evidence.cooperative_emphasis, Some(1.0));
        assert_eq!(deep.continuum.level, Level::Simbiosis);
        // The same network working only on information is not symbiotic.
        let informed = network(&both_ways, &[Information]);
        assert_eq!(informed.continuum.level, Level::Efectiva);
        let failed: Vec<&str> = informed
            .continuum
            .rules
            .iter()
            .filter(|r| r.level == Level::Simbiosis && r.holds == Some(false))
            .map(|r| r.rule.as_str())
            .collect();
        assert_eq!(failed, vec!["cooperative-processes"]);
    }
}

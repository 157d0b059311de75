//! The processes a network emphasises, from two sources: its ties (which
//! foci members say they work on with each other) and its sessions (which
//! foci its meetings worked).
//!
//! A focus's share in the ties is the share of the network's arcs at or
//! above the chosen collaboration level that carry it; in the sessions, the
//! share of sessions that worked it. Its **share** is the mean of the
//! sources that have data (sessions are often not logged). A focus is an
//! **emphasis** when its share reaches the threshold; the network's process
//! types are those with an emphasised focus, and the **dominant** type is
//! the one whose two foci have the highest mean share (ties go to the
//! earlier type in the study's order, the more cautious reading).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::evidence::Tie;
use crate::focus::{Focus, ProcessType};

#[derive(Debug, Clone, PartialEq)]
pub struct TypologyOptions {
    /// Arcs below this collaboration level (0–5) do not count.
    pub min_level: u8,
    /// Share at or above which a focus is an emphasis.
    pub threshold: f64,
}

impl Default for TypologyOptions {
    fn default() -> Self {
        TypologyOptions {
            min_level: 2,
            threshold: 0.4,
        }
    }
}

/// Share of each focus, by its code.
pub type Shares = BTreeMap<&'static str, f64>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Typology {
    /// `None` when no arc reaches the minimum level.
    pub ties: Option<Shares>,
    /// `None` when no session was logged.
    pub sessions: Option<Shares>,
    /// The mean of the sources present, per focus.
    pub combined: Option<Shares>,
    pub emphasis: Vec<Focus>,
    pub types: Vec<ProcessType>,
    pub dominant: Option<ProcessType>,
    pub threshold: f64,
}

fn shares<'a>(sets: impl Iterator<Item = &'a [Focus]>) -> Option<Shares> {
    let mut n = 0usize;
    let mut counts = [0usize; 6];
    for set in sets {
        n += 1;
        for (i, f) in Focus::ALL.iter().enumerate() {
            if set.contains(f) {
                counts[i] += 1;
            }
        }
    }
    (n > 0).then(|| {
        Focus::ALL
            .iter()
            .zip(counts)
            .map(|(f, c)| (f.code(), c as f64 / n as f64))
            .collect()
    })
}

/// The typology of a network with these ties and, per logged session, the
/// foci it worked.
pub fn typology(ties: &[Tie], sessions: &[Vec<Focus>], opts: &TypologyOptions) -> Typology {
    let from_ties = shares(
        ties.iter()
            .filter(|t| t.level >= opts.min_level)
            .map(|t| t.foci.as_slice()),
    );
    let from_sessions = shares(sessions.iter().map(Vec::as_slice));
    let sources: Vec<&Shares> = [&from_ties, &from_sessions].into_iter().flatten().collect();
    let combined: Option<Shares> = (!sources.is_empty()).then(|| {
        Focus::ALL
            .iter()
            .map(|f| {
                let sum: f64 = sources.iter().filter_map(|s| s.get(f.code())).sum();
                (f.code(), sum / sources.len() as f64)
            })
            .collect()
    });
    let share = |f: Focus| {
        combined
            .as_ref()
            .and_then(|c| c.get(f.code()).copied())
            .unwrap_or(0.0)
    };
    let emphasis: Vec<Focus> = Focus::ALL
        .into_iter()
        .filter(|f| combined.is_some() && share(*f) >= opts.threshold)
        .collect();
    let types: Vec<ProcessType> = ProcessType::ALL
        .into_iter()
        .filter(|t| t.foci().iter().any(|f| emphasis.contains(f)))
        .collect();
    let mean = |t: ProcessType| t.foci().iter().map(|f| share(*f)).sum::<f64>() / 2.0;
    let dominant = types
        .iter()
        .copied()
        .fold(None::<ProcessType>, |best, t| match best {
            Some(b) if mean(b) >= mean(t) => Some(b),
            _ => Some(t),
        });
    Typology {
        ties: from_ties,
        sessions: from_sessions,
        combined,
        emphasis,
        types,
        dominant,
        threshold: opts.threshold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Focus::*;

    fn tie(level: u8, foci: &[Focus]) -> Tie {
        Tie {
            source: "a".into(),
            target: "b".into(),
            level,
            foci: foci.to_vec(),
        }
    }

    #[test]
    fn shares_count_arcs_at_the_level_and_sessions_hand_computed() {
        // Five arcs at level ≥ 2 (the level-1 arc does not count):
        // information on 4 → 0.8, projects on 2 → 0.4, practices on 1 → 0.2.
        let ties = [
            tie(1, &[Projects, Resources]),
            tie(2, &[Information]),
            tie(3, &[Information, Projects]),
            tie(5, &[Information, Projects]),
            tie(4, &[Information]),
            tie(2, &[Practices]),
        ];
        let t = typology(&ties, &[], &TypologyOptions::default());
        let s = t.ties.clone().unwrap_or_default();
        assert_eq!(s["information"], 0.8);
        assert_eq!(s["projects"], 0.4);
        assert_eq!(s["practices"], 0.2);
        assert_eq!(s["resources"], 0.0);
        assert_eq!(t.sessions, None);
        // 0.4 is at the threshold: an emphasis; 0.2 is not.
        assert_eq!(t.emphasis, vec![Information, Projects]);
        assert_eq!(
            t.types,
            vec![ProcessType::Informative, ProcessType::Cooperative]
        );
        // Informative: (0.8 + 0) / 2 = 0.4; cooperative: (0 + 0.4) / 2 = 0.2.
        assert_eq!(t.dominant, Some(ProcessType::Informative));
    }

    #[test]
    fn sessions_and_ties_are_averaged_and_a_focus_just_below_is_no_emphasis() {
        let ties = [tie(2, &[Practices]), tie(2, &[Learnings])];
        // Four sessions: practices in 1 → ties 0.5, sessions 0.25, mean 0.375.
        let sessions = vec![
            vec![Practices, Resources],
            vec![Resources],
            vec![Resources, Projects],
            vec![Information],
        ];
        let t = typology(&ties, &sessions, &TypologyOptions::default());
        let c = t.combined.clone().unwrap_or_default();
        assert_eq!(c["practices"], 0.375);
        assert_eq!(c["learnings"], 0.25);
        // Resources: ties 0, sessions 0.75 → 0.375: below 0.4.
        assert_eq!(c["resources"], 0.375);
        assert!(t.emphasis.is_empty());
        assert!(t.types.is_empty());
        assert_eq!(t.dominant, None);
        let lower = typology(
            &ties,
            &sessions,
            &TypologyOptions {
                threshold: 0.375,
                ..Default::default()
            },
        );
        assert_eq!(lower.emphasis, vec![Practices, Resources]);
        // Collaborative (0.375 + 0.25) / 2 beats cooperative (0.375 + 0.125) / 2.
        assert_eq!(lower.dominant, Some(ProcessType::Collaborative));
    }

    #[test]
    fn no_data_is_no_typology_rather_than_zero_shares() {
        let t = typology(&[tie(1, &[Information])], &[], &TypologyOptions::default());
        assert_eq!(t.ties, None);
        assert_eq!(t.combined, None);
        assert!(t.emphasis.is_empty() && t.dominant.is_none());
    }

    #[test]
    fn equal_means_go_to_the_earlier_type() {
        let ties = [tie(3, &[Information, Projects])];
        let t = typology(&ties, &[], &TypologyOptions::default());
        assert_eq!(t.dominant, Some(ProcessType::Informative));
    }
}

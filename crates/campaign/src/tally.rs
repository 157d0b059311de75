//! What one response adds to its campaign's results, so the results can be
//! kept as counts that change with each response instead of being
//! recounted from every answer when someone reads them.
//!
//! A response counts once it is submitted and valid (the campaign's
//! [`ValidityRule`] over its rating answers). It adds one respondent to its
//! atom (region, DEPROV, network, role) and, per rating item answered, one
//! answer at its level. Every path that changes a response (saving, submitting,
//! importing) and the rebuild that recounts a campaign from its answers use
//! these same functions, so the kept counts and a recount cannot disagree
//! on a rule.

use std::collections::BTreeMap;

use crate::validity::ValidityRule;

/// Answer levels kept per item: 0 is «No aplica», 1–5 the scale.
pub const LEVELS: usize = 6;

/// The level an answer is counted at, `None` for an empty or unreadable one.
pub fn level(value: &str) -> Option<usize> {
    match value.trim() {
        "NA" => Some(0),
        "1" => Some(1),
        "2" => Some(2),
        "3" => Some(3),
        "4" => Some(4),
        "5" => Some(5),
        _ => None,
    }
}

/// Region, DEPROV, network and role of a response, as the results group
/// them (`""` where the response has none).
pub type AtomKey = [String; 4];

/// What one response adds: one respondent in `atom`, one answer per rating
/// item at its level (`None` where unanswered), in the order of the
/// instrument's rating items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    pub atom: AtomKey,
    pub levels: Vec<Option<usize>>,
}

impl Contribution {
    /// What a response adds to the results: nothing unless it is submitted
    /// and valid. `rating` names the rating items, in the instrument's order.
    pub fn of(
        rule: &ValidityRule,
        rating: &[String],
        submitted: bool,
        atom: AtomKey,
        answers: &BTreeMap<String, String>,
    ) -> Option<Contribution> {
        let levels: Vec<Option<usize>> = rating
            .iter()
            .map(|item| answers.get(item).and_then(|v| level(v)))
            .collect();
        let answered = levels.iter().filter(|l| l.is_some()).count() as u32;
        rule.is_valid(submitted, answered, rating.len() as u32)
            .then_some(Contribution { atom, levels })
    }
}

/// One atom's counts: its respondents and, per rating item, its answers at
/// each level. Signed, because a change is the difference of two of these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AtomCounts {
    pub respondents: i64,
    pub items: Vec<[i64; LEVELS]>,
}

impl AtomCounts {
    fn add(&mut self, c: &Contribution, sign: i64) {
        if self.items.len() < c.levels.len() {
            self.items.resize(c.levels.len(), [0; LEVELS]);
        }
        self.respondents += sign;
        for (counts, level) in self.items.iter_mut().zip(&c.levels) {
            if let Some(l) = level {
                counts[*l] += sign;
            }
        }
    }

    fn is_zero(&self) -> bool {
        self.respondents == 0 && self.items.iter().all(|c| c.iter().all(|&n| n == 0))
    }
}

/// Counts per atom: a campaign's whole results, or the change one write
/// makes to them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tallies(pub BTreeMap<AtomKey, AtomCounts>);

impl Tallies {
    pub fn add(&mut self, c: &Contribution) {
        self.0.entry(c.atom.clone()).or_default().add(c, 1);
    }

    pub fn remove(&mut self, c: &Contribution) {
        self.0.entry(c.atom.clone()).or_default().add(c, -1);
    }

    /// The change from what a response added before a write to what it
    /// adds after it.
    pub fn change(before: Option<&Contribution>, after: Option<&Contribution>) -> Tallies {
        let mut t = Tallies::default();
        if before == after {
            return t;
        }
        if let Some(b) = before {
            t.remove(b);
        }
        if let Some(a) = after {
            t.add(a);
        }
        t.drop_zeros();
        t
    }

    /// Atoms whose counts did not move (a change that cancelled out).
    pub fn drop_zeros(&mut self) {
        self.0.retain(|_, c| !c.is_zero());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Respondents over every atom.
    pub fn respondents(&self) -> i64 {
        self.0.values().map(|c| c.respondents).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn atom(network: &str) -> AtomKey {
        ["5".into(), "51".into(), network.into(), "director".into()]
    }

    fn items() -> Vec<String> {
        ["a", "b", "c", "d", "e"].map(String::from).to_vec()
    }

    #[test]
    fn only_a_submitted_valid_response_counts() {
        let rule = ValidityRule::default();
        let full = answers(&[("a", "1"), ("b", "NA"), ("c", "5"), ("d", "4"), ("e", "3")]);
        assert!(Contribution::of(&rule, &items(), false, atom("R1"), &full).is_none());
        let c = Contribution::of(&rule, &items(), true, atom("R1"), &full).expect("counts");
        assert_eq!(c.levels, vec![Some(1), Some(0), Some(5), Some(4), Some(3)]);
        // Three of five answered is 60 %, under the default 80 %.
        let thin = answers(&[("a", "1"), ("b", "2"), ("c", " 3 "), ("d", "x")]);
        assert!(Contribution::of(&rule, &items(), true, atom("R1"), &thin).is_none());
    }

    #[test]
    fn a_change_is_the_difference_and_cancels_to_nothing() {
        let rule = ValidityRule::default();
        let one = answers(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4"), ("e", "5")]);
        let two = answers(&[("a", "2"), ("b", "2"), ("c", "3"), ("d", "4"), ("e", "5")]);
        let before = Contribution::of(&rule, &items(), true, atom("R1"), &one);
        let after = Contribution::of(&rule, &items(), true, atom("R1"), &two);
        let change = Tallies::change(before.as_ref(), after.as_ref());
        let counts = &change.0[&atom("R1")];
        assert_eq!(counts.respondents, 0);
        assert_eq!(counts.items[0], [0, -1, 1, 0, 0, 0]);
        assert_eq!(counts.items[1], [0; LEVELS]);
        assert!(Tallies::change(before.as_ref(), before.as_ref()).is_empty());
        // Moving network moves the respondent.
        let moved = Contribution::of(&rule, &items(), true, atom("R2"), &one);
        let change = Tallies::change(before.as_ref(), moved.as_ref());
        assert_eq!(change.0[&atom("R1")].respondents, -1);
        assert_eq!(change.0[&atom("R2")].respondents, 1);
        assert_eq!(change.respondents(), 0);
    }
}

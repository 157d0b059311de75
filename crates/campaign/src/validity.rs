//! When a response counts as valid for results.
//!
//! The seed's national round counted 306 "complete, valid" answers out of 476
//! opened questionnaires: a submitted questionnaire with most of its rating
//! statements answered. "No aplica" is an answer (the person read the
//! statement and judged it not to apply), so it counts as answered.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidityRule {
    /// Share of rating items, in percent, that must be answered.
    pub min_rating_pct: u8,
}

impl Default for ValidityRule {
    fn default() -> Self {
        ValidityRule { min_rating_pct: 80 }
    }
}

impl ValidityRule {
    pub fn new(min_rating_pct: u8) -> Self {
        ValidityRule {
            min_rating_pct: min_rating_pct.min(100),
        }
    }

    /// Integer arithmetic, so 28 of 35 (exactly 80 %) is valid on every platform.
    pub fn is_valid(&self, submitted: bool, rating_answered: u32, rating_total: u32) -> bool {
        submitted
            && (rating_total == 0
                || u64::from(rating_answered) * 100
                    >= u64::from(self.min_rating_pct) * u64::from(rating_total))
    }
}

impl ValidityRule {
    /// The fewest answered rating items of `rating_total` that make a
    /// response valid (what a respondent is told before submitting).
    pub fn rating_needed(&self, rating_total: u32) -> u32 {
        let needed = u64::from(self.min_rating_pct) * u64::from(rating_total);
        needed.div_ceil(100) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eighty_percent_is_the_boundary() {
        let rule = ValidityRule::default();
        assert!(rule.is_valid(true, 28, 35), "28/35 = 80 %");
        assert!(!rule.is_valid(true, 27, 35), "27/35 = 77 %");
        assert!(!rule.is_valid(false, 35, 35), "not submitted");
        assert!(rule.is_valid(true, 0, 0), "no rating items");
        assert_eq!(rule.rating_needed(35), 28);
        assert_eq!(
            ValidityRule::new(81).rating_needed(35),
            29,
            "28.35 rounds up"
        );
        for total in [0u32, 1, 7, 35, 101] {
            for pct in [0u8, 50, 80, 81, 100] {
                let rule = ValidityRule::new(pct);
                let n = rule.rating_needed(total);
                assert!(rule.is_valid(true, n, total), "{n}/{total} at {pct} %");
                assert!(
                    n == 0 || !rule.is_valid(true, n - 1, total),
                    "{pct} % of {total}"
                );
            }
        }
    }

    #[test]
    fn configurable() {
        assert!(ValidityRule::new(50).is_valid(true, 18, 35));
        assert!(!ValidityRule::new(100).is_valid(true, 34, 35));
        assert_eq!(ValidityRule::new(250).min_rating_pct, 100);
    }
}

//! Memberships are dated by school year: a school joins a network in one year
//! and may leave it in a later one. `to` is inclusive and open when absent.

use serde::{Deserialize, Serialize};

use crate::Problem;

/// Years Trama accepts: the RME programme started in 2015; anything far off is a typo.
pub const MIN_YEAR: i32 = 1990;
pub const MAX_YEAR: i32 = 2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearSpan {
    pub from: i32,
    pub to: Option<i32>,
}

impl YearSpan {
    pub fn new(from: i32, to: Option<i32>) -> Result<Self, Problem> {
        check_year(from)?;
        if let Some(t) = to {
            check_year(t)?;
            if t < from {
                return Err(Problem::YearSpanReversed { from, to: t });
            }
        }
        Ok(Self { from, to })
    }

    pub fn contains(&self, year: i32) -> bool {
        year >= self.from && self.to.is_none_or(|t| year <= t)
    }

    pub fn overlaps(&self, other: &YearSpan) -> bool {
        let self_end = self.to.unwrap_or(i32::MAX);
        let other_end = other.to.unwrap_or(i32::MAX);
        self.from <= other_end && other.from <= self_end
    }
}

pub fn check_year(year: i32) -> Result<i32, Problem> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err(Problem::OutOfRange {
            min: MIN_YEAR as i64,
            max: MAX_YEAR as i64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_span_contains_later_years() {
        let s = YearSpan::new(2019, None).unwrap_or_else(|p| panic!("{p:?}"));
        assert!(s.contains(2019) && s.contains(2030));
        assert!(!s.contains(2018));
    }

    #[test]
    fn closed_span_is_inclusive() {
        let s = YearSpan::new(2019, Some(2021)).unwrap_or_else(|p| panic!("{p:?}"));
        assert!(s.contains(2021));
        assert!(!s.contains(2022));
    }

    #[test]
    fn reversed_span_is_refused() {
        assert_eq!(
            YearSpan::new(2022, Some(2020)),
            Err(Problem::YearSpanReversed {
                from: 2022,
                to: 2020
            })
        );
    }

    #[test]
    fn overlap_detection() {
        let a = YearSpan {
            from: 2018,
            to: Some(2020),
        };
        let b = YearSpan {
            from: 2020,
            to: None,
        };
        let c = YearSpan {
            from: 2021,
            to: Some(2022),
        };
        assert!(a.overlaps(&b));
        assert!(!a.overlaps(&c));
        assert!(b.overlaps(&c));
    }
}

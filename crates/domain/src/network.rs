//! School improvement networks (Redes de Mejoramiento Escolar).

use serde::{Deserialize, Serialize};

use crate::Problem;

/// A network's code, e.g. `RME7`: letters, digits, `-` and `_`, at most 32.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NetworkCode(String);

impl NetworkCode {
    pub const MAX_LEN: usize = 32;

    pub fn parse(s: &str) -> Result<NetworkCode, Problem> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Problem::Required);
        }
        if s.len() > Self::MAX_LEN {
            return Err(Problem::TooLong { max: Self::MAX_LEN });
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Problem::InvalidCode);
        }
        // Codes are compared case-insensitively by people ("rme7" is RME7).
        Ok(NetworkCode(s.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for NetworkCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a network's schools are: all urban, all rural, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rurality {
    Urban,
    Rural,
    Mixed,
}

impl Rurality {
    /// Derived from the rural flags of the member schools; `None` without schools.
    pub fn of(rural_flags: impl IntoIterator<Item = bool>) -> Option<Rurality> {
        let (mut urban, mut rural) = (false, false);
        for r in rural_flags {
            if r {
                rural = true;
            } else {
                urban = true;
            }
        }
        match (urban, rural) {
            (true, true) => Some(Rurality::Mixed),
            (true, false) => Some(Rurality::Urban),
            (false, true) => Some(Rurality::Rural),
            (false, false) => None,
        }
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Rurality::Urban => "rurality-urban",
            Rurality::Rural => "rurality-rural",
            Rurality::Mixed => "rurality-mixed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised() {
        assert_eq!(NetworkCode::parse(" rme7 ").map(|c| c.0), Ok("RME7".into()));
        assert_eq!(NetworkCode::parse("RME 7"), Err(Problem::InvalidCode));
        assert_eq!(NetworkCode::parse(""), Err(Problem::Required));
        assert_eq!(
            NetworkCode::parse(&"X".repeat(33)),
            Err(Problem::TooLong { max: 32 })
        );
    }

    #[test]
    fn rurality_from_schools() {
        assert_eq!(Rurality::of([true, false]), Some(Rurality::Mixed));
        assert_eq!(Rurality::of([false, false]), Some(Rurality::Urban));
        assert_eq!(Rurality::of([true]), Some(Rurality::Rural));
        assert_eq!(Rurality::of([]), None);
    }
}

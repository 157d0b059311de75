//! Chile's territory as the school system uses it: región → DEPROV (provincial
//! education office) → comuna. Regions are a fixed, official list; DEPROVs and
//! comunas are data (they come from the Directorio import or the demo seed).

use serde::{Deserialize, Serialize};

use crate::Problem;

/// A region, by its official numeric code (1–16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RegionCode(pub i16);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub code: RegionCode,
    /// Roman numeral (or "RM"), the label people use.
    pub numeral: &'static str,
    pub name: &'static str,
    /// Position from north to south, the order official tables follow.
    pub order: u8,
}

/// The 16 regions, with their official codes (DPA / MINEDUC `COD_REG_RBD`).
pub const REGIONS: [Region; 16] = [
    region(15, "XV", "Arica y Parinacota", 1),
    region(1, "I", "Tarapacá", 2),
    region(2, "II", "Antofagasta", 3),
    region(3, "III", "Atacama", 4),
    region(4, "IV", "Coquimbo", 5),
    region(5, "V", "Valparaíso", 6),
    region(13, "RM", "Metropolitana de Santiago", 7),
    region(6, "VI", "Libertador General Bernardo O'Higgins", 8),
    region(7, "VII", "Maule", 9),
    region(16, "XVI", "Ñuble", 10),
    region(8, "VIII", "Biobío", 11),
    region(9, "IX", "La Araucanía", 12),
    region(14, "XIV", "Los Ríos", 13),
    region(10, "X", "Los Lagos", 14),
    region(11, "XI", "Aysén del General Carlos Ibáñez del Campo", 15),
    region(12, "XII", "Magallanes y de la Antártica Chilena", 16),
];

const fn region(code: i16, numeral: &'static str, name: &'static str, order: u8) -> Region {
    Region {
        code: RegionCode(code),
        numeral,
        name,
        order,
    }
}

impl RegionCode {
    pub fn region(self) -> Option<&'static Region> {
        REGIONS.iter().find(|r| r.code == self)
    }

    /// Accepts the numeric code (`5`, `05`, `13`) or the numeral (`V`, `RM`,
    /// `XIV`), case-insensitively, as regional offices write them.
    pub fn parse(s: &str) -> Result<RegionCode, Problem> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Problem::Required);
        }
        if let Ok(n) = s.parse::<i16>() {
            let code = RegionCode(n);
            return code.region().map(|r| r.code).ok_or(Problem::UnknownRegion);
        }
        let upper = s.to_ascii_uppercase();
        REGIONS
            .iter()
            .find(|r| r.numeral == upper)
            .map(|r| r.code)
            .ok_or(Problem::UnknownRegion)
    }
}

/// A comuna by its official code (CUT, e.g. 5101 for Valparaíso). The first
/// digits of the code are the region's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ComunaCode(pub i32);

impl ComunaCode {
    /// The region implied by the code (CUT = region × 1000 + province × 100 + n).
    pub fn region(self) -> Option<RegionCode> {
        let r = RegionCode((self.0 / 1000) as i16);
        r.region().map(|reg| reg.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_distinct_codes_and_numerals() {
        let mut codes: Vec<_> = REGIONS.iter().map(|r| r.code.0).collect();
        codes.sort();
        assert_eq!(codes, (1..=16).collect::<Vec<_>>());
        let mut numerals: Vec<_> = REGIONS.iter().map(|r| r.numeral).collect();
        numerals.sort();
        numerals.dedup();
        assert_eq!(numerals.len(), 16);
    }

    #[test]
    fn parses_numbers_and_numerals() {
        assert_eq!(RegionCode::parse("05"), Ok(RegionCode(5)));
        assert_eq!(RegionCode::parse("rm"), Ok(RegionCode(13)));
        assert_eq!(RegionCode::parse("XIV"), Ok(RegionCode(14)));
        assert_eq!(RegionCode::parse("17"), Err(Problem::UnknownRegion));
        assert_eq!(RegionCode::parse("XX"), Err(Problem::UnknownRegion));
        assert_eq!(RegionCode::parse(""), Err(Problem::Required));
    }

    #[test]
    fn comuna_code_implies_region() {
        assert_eq!(ComunaCode(5101).region(), Some(RegionCode(5)));
        assert_eq!(ComunaCode(13101).region(), Some(RegionCode(13)));
        assert_eq!(ComunaCode(99001).region(), None);
    }
}

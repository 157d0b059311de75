//! Schools (establecimientos), identified by their RBD (Rol Base de Datos).

use serde::{Deserialize, Serialize};

use crate::Problem;
use crate::territory::ComunaCode;

/// A school's RBD. Real RBDs run from 1 to about 42,000; we accept up to 999,999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rbd(pub i32);

impl Rbd {
    pub const MAX: i32 = 999_999;

    pub fn parse(s: &str) -> Result<Rbd, Problem> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Problem::Required);
        }
        let n: i64 = s.parse().map_err(|_| Problem::NotAnInteger)?;
        if !(1..=Self::MAX as i64).contains(&n) {
            return Err(Problem::OutOfRange {
                min: 1,
                max: Self::MAX as i64,
            });
        }
        Ok(Rbd(n as i32))
    }
}

/// Administrative dependency, MINEDUC's `COD_DEPE2` grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dependency {
    Municipal,
    ParticularSubvencionado,
    ParticularPagado,
    AdministracionDelegada,
    Slep,
}

impl Dependency {
    pub const ALL: [Dependency; 5] = [
        Dependency::Municipal,
        Dependency::ParticularSubvencionado,
        Dependency::ParticularPagado,
        Dependency::AdministracionDelegada,
        Dependency::Slep,
    ];

    /// `COD_DEPE2` as published: 1 municipal, 2 particular subvencionado,
    /// 3 particular pagado, 4 corporación de administración delegada, 5 SLEP.
    pub fn from_cod_depe2(code: i32) -> Result<Self, Problem> {
        match code {
            1 => Ok(Dependency::Municipal),
            2 => Ok(Dependency::ParticularSubvencionado),
            3 => Ok(Dependency::ParticularPagado),
            4 => Ok(Dependency::AdministracionDelegada),
            5 => Ok(Dependency::Slep),
            _ => Err(Problem::UnknownDependency),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dependency::Municipal => "municipal",
            Dependency::ParticularSubvencionado => "particular_subvencionado",
            Dependency::ParticularPagado => "particular_pagado",
            Dependency::AdministracionDelegada => "administracion_delegada",
            Dependency::Slep => "slep",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Problem> {
        let s = s.trim();
        if let Ok(n) = s.parse::<i32>() {
            return Self::from_cod_depe2(n);
        }
        Self::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(s))
            .ok_or(Problem::UnknownDependency)
    }

    /// Fluent id of the human label.
    pub fn label_id(self) -> &'static str {
        match self {
            Dependency::Municipal => "dependency-municipal",
            Dependency::ParticularSubvencionado => "dependency-particular_subvencionado",
            Dependency::ParticularPagado => "dependency-particular_pagado",
            Dependency::AdministracionDelegada => "dependency-administracion_delegada",
            Dependency::Slep => "dependency-slep",
        }
    }
}

/// Whether a school is operating, as `ESTADO_ESTAB` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolStatus {
    Open,
    Recess,
    Closed,
    NoEnrolment,
}

impl SchoolStatus {
    pub const ALL: [SchoolStatus; 4] = [
        SchoolStatus::Open,
        SchoolStatus::Recess,
        SchoolStatus::Closed,
        SchoolStatus::NoEnrolment,
    ];

    /// `ESTADO_ESTAB`: 1 funcionando, 2 en receso, 3 cerrado, 4 autorizado sin matrícula.
    pub fn from_estado(code: i32) -> Result<Self, Problem> {
        match code {
            1 => Ok(SchoolStatus::Open),
            2 => Ok(SchoolStatus::Recess),
            3 => Ok(SchoolStatus::Closed),
            4 => Ok(SchoolStatus::NoEnrolment),
            _ => Err(Problem::UnknownStatus),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SchoolStatus::Open => "open",
            SchoolStatus::Recess => "recess",
            SchoolStatus::Closed => "closed",
            SchoolStatus::NoEnrolment => "no_enrolment",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Problem> {
        let s = s.trim();
        if let Ok(n) = s.parse::<i32>() {
            return Self::from_estado(n);
        }
        Self::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(s))
            .ok_or(Problem::UnknownStatus)
    }

    pub fn label_id(self) -> &'static str {
        match self {
            SchoolStatus::Open => "status-open",
            SchoolStatus::Recess => "status-recess",
            SchoolStatus::Closed => "status-closed",
            SchoolStatus::NoEnrolment => "status-no_enrolment",
        }
    }
}

/// A school as the registry keeps it. Owner identifiers (RUT_SOSTENEDOR) are
/// deliberately absent: they are personal data we do not need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct School {
    pub rbd: Rbd,
    /// Check digit of the RBD (`DGV_RBD`), kept to print the RBD as people know it.
    pub check_digit: Option<String>,
    pub name: String,
    pub comuna: ComunaCode,
    pub dependency: Dependency,
    pub rural: bool,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub enrolment: Option<i32>,
    pub status: SchoolStatus,
    pub sostenedor_id: Option<i64>,
}

/// Parses a coordinate written with a decimal comma or point, within bounds.
pub fn parse_coordinate(s: &str, min: f64, max: f64) -> Result<Option<f64>, Problem> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let v: f64 = s
        .replace(',', ".")
        .parse()
        .map_err(|_| Problem::NotANumber)?;
    if !v.is_finite() || v < min || v > max {
        return Err(Problem::OutOfRange {
            min: min as i64,
            max: max as i64,
        });
    }
    Ok(Some(v))
}

/// `0`/`1` flags as MINEDUC publishes them (`RURAL_RBD`), also `si`/`no`, `true`/`false`.
pub fn parse_flag(s: &str) -> Result<bool, Problem> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "si" | "sí" | "true" | "yes" => Ok(true),
        "0" | "no" | "false" => Ok(false),
        "" => Err(Problem::Required),
        _ => Err(Problem::NotABoolean),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rbd_parsing() {
        assert_eq!(Rbd::parse(" 10048 "), Ok(Rbd(10048)));
        assert_eq!(Rbd::parse("10A48"), Err(Problem::NotAnInteger));
        assert_eq!(
            Rbd::parse("0"),
            Err(Problem::OutOfRange {
                min: 1,
                max: 999_999
            })
        );
        assert_eq!(Rbd::parse(""), Err(Problem::Required));
    }

    #[test]
    fn dependency_codes() {
        assert_eq!(
            Dependency::parse("2"),
            Ok(Dependency::ParticularSubvencionado)
        );
        assert_eq!(Dependency::parse("slep"), Ok(Dependency::Slep));
        assert_eq!(Dependency::parse("9"), Err(Problem::UnknownDependency));
    }

    #[test]
    fn coordinates_accept_decimal_comma() {
        assert_eq!(
            parse_coordinate("-33,0472", -90.0, 90.0),
            Ok(Some(-33.0472))
        );
        assert_eq!(parse_coordinate("", -90.0, 90.0), Ok(None));
        assert_eq!(
            parse_coordinate("abc", -90.0, 90.0),
            Err(Problem::NotANumber)
        );
        assert!(parse_coordinate("-123", -90.0, 90.0).is_err());
    }

    #[test]
    fn flags() {
        assert_eq!(parse_flag("1"), Ok(true));
        assert_eq!(parse_flag("No"), Ok(false));
        assert_eq!(parse_flag("2"), Err(Problem::NotABoolean));
    }
}

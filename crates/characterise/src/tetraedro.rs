//! The Tetraedro: a network seen from four faces — *Organización* (who is
//! in it and how that changes), *Características* (the shape of its ties),
//! *Elementos funcionales* (purpose, structure, processes) and *Sustento*
//! (trust, distributed leadership, depth). Each face is a handful of
//! indicators, each with its source and, where it means something, the
//! region's and the nation's value beside it.
//!
//! A face's **score** (0–1) only draws the compact picture: the mean of its
//! indicators that are shares by nature (rates, densities, agreement / 100,
//! one minus centralization). Counts (members, sessions, hours) are shown
//! but not scored: there is no "right" size of a network.

use serde::Serialize;

use crate::profile::Faces;
use crate::typology::Typology;
use crate::year::{Plan, YearSummary};

/// Where an indicator's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Registry,
    Roster,
    Questionnaire,
    Plan,
    Sessions,
}

/// The four faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaceKey {
    Organizacion,
    Caracteristicas,
    Funcionales,
    Sustento,
}

impl FaceKey {
    pub const ALL: [FaceKey; 4] = [
        FaceKey::Organizacion,
        FaceKey::Caracteristicas,
        FaceKey::Funcionales,
        FaceKey::Sustento,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FaceKey::Organizacion => "organizacion",
            FaceKey::Caracteristicas => "caracteristicas",
            FaceKey::Funcionales => "funcionales",
            FaceKey::Sustento => "sustento",
        }
    }
}

/// What kind of value an indicator holds, for showing and scoring it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A share 0–1, scored as is.
    Share,
    /// A share where less is better (centralization), scored as 1 − value.
    InverseShare,
    /// An agreement percentage 0–100, scored as value / 100.
    Percent,
    /// A count or an amount: shown, not scored.
    Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// Message id suffix: `tetraedro-{key}`.
    pub key: &'static str,
    pub source: Source,
    pub unit: Unit,
    /// `None`: no data, or suppressed (see `suppressed`).
    pub value: Option<f64>,
    pub region: Option<f64>,
    pub nation: Option<f64>,
    /// The previous campaign's value, where there was one.
    pub previous: Option<f64>,
    /// Below the anonymity threshold: not shown, whatever it is.
    pub suppressed: bool,
}

impl Indicator {
    fn new(key: &'static str, source: Source, unit: Unit, value: Option<f64>) -> Self {
        Indicator {
            key,
            source,
            unit,
            value,
            region: None,
            nation: None,
            previous: None,
            suppressed: false,
        }
    }

    /// The 0–1 score this indicator adds to its face.
    pub fn score(&self) -> Option<f64> {
        let v = self.value?;
        match self.unit {
            Unit::Share => Some(v),
            Unit::InverseShare => Some(1.0 - v),
            Unit::Percent => Some(v / 100.0),
            Unit::Count => None,
        }
        .map(|s| s.clamp(0.0, 1.0))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Face {
    pub key: FaceKey,
    pub indicators: Vec<Indicator>,
    /// Mean of the indicators' scores; `None` when none has one.
    pub score: Option<f64>,
}

impl Face {
    fn new(key: FaceKey, indicators: Vec<Indicator>) -> Self {
        let scores: Vec<f64> = indicators.iter().filter_map(Indicator::score).collect();
        Face {
            key,
            score: (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64),
            indicators,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.key == key)
    }
}

/// The questionnaire's agreement (%) for the sub-dimensions the Tetraedro
/// reads; `None` when there are no results or they are suppressed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Agreement {
    pub confianza: Option<f64>,
    pub horizontalidad: Option<f64>,
    pub corresponsabilidad: Option<f64>,
    pub generacion_conocimiento: Option<f64>,
    /// True when the network has respondents but fewer than K (or is
    /// hidden by complementary suppression).
    pub suppressed: bool,
}

/// Changes since the previous year or campaign.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Changes {
    pub schools_joined: Option<usize>,
    pub schools_left: Option<usize>,
    pub ties_gained: Option<usize>,
    pub ties_lost: Option<usize>,
}

/// Everything a profile is made of.
#[derive(Debug, Clone, Default)]
pub struct Inputs<'a> {
    pub faces: Option<&'a Faces>,
    pub typology: Option<&'a Typology>,
    pub year: Option<&'a YearSummary>,
    pub plan: Option<&'a Plan>,
    pub agreement: Agreement,
    pub changes: Changes,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tetraedro {
    pub faces: Vec<Face>,
}

impl Tetraedro {
    pub fn face(&self, key: FaceKey) -> Option<&Face> {
        self.faces.iter().find(|f| f.key == key)
    }

    /// Sets each indicator's region, nation and previous values from the
    /// same indicator of other profiles.
    pub fn compare(
        &mut self,
        region: &Tetraedro,
        nation: &Tetraedro,
        previous: Option<&Tetraedro>,
    ) {
        for face in &mut self.faces {
            for ind in &mut face.indicators {
                let find = |t: &Tetraedro| {
                    t.face(face.key)
                        .and_then(|f| f.get(ind.key))
                        .and_then(|i| i.value)
                };
                ind.region = find(region);
                ind.nation = find(nation);
                ind.previous = previous.and_then(find);
            }
        }
    }

    /// Sets the region's and the nation's values of the questionnaire's
    /// indicators from their sub-dimension's agreement there.
    pub fn set_questionnaire_references(
        &mut self,
        region: impl Fn(&str) -> Option<f64>,
        nation: impl Fn(&str) -> Option<f64>,
    ) {
        for i in self.faces.iter_mut().flat_map(|f| f.indicators.iter_mut()) {
            if let Some(sub) = subdimension_of(i.key) {
                i.region = region(sub);
                i.nation = nation(sub);
            }
        }
    }

    /// The same faces with the values `pick` takes from each indicator (its
    /// region's, its nation's), scored again: the reference shapes drawn
    /// beside a network's, from the very figures its table shows.
    pub fn reference(&self, pick: impl Fn(&Indicator) -> Option<f64>) -> Tetraedro {
        Tetraedro {
            faces: self
                .faces
                .iter()
                .map(|f| {
                    let indicators = f
                        .indicators
                        .iter()
                        .map(|i| Indicator {
                            value: pick(i),
                            suppressed: false,
                            ..i.clone()
                        })
                        .collect();
                    Face::new(f.key, indicators)
                })
                .collect(),
        }
    }

    /// The mean of several profiles, indicator by indicator, over those
    /// with a value (a region's or the nation's reference).
    pub fn mean(profiles: &[Tetraedro]) -> Option<Tetraedro> {
        let first = profiles.first()?;
        let mut out = first.clone();
        for face in &mut out.faces {
            for ind in &mut face.indicators {
                let values: Vec<f64> = profiles
                    .iter()
                    .filter_map(|p| p.face(face.key)?.get(ind.key)?.value)
                    .collect();
                ind.value =
                    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64);
                ind.suppressed = false;
            }
            *face = Face::new(face.key, std::mem::take(&mut face.indicators));
        }
        Some(out)
    }
}

/// The questionnaire sub-dimension an indicator reads, if it reads one.
pub fn subdimension_of(key: &str) -> Option<&'static str> {
    match key {
        "trust" => Some("confianza"),
        "horizontality" => Some("horizontalidad"),
        "co-responsibility" => Some("corresponsabilidad"),
        "knowledge" => Some("generacion_conocimiento"),
        _ => None,
    }
}

/// Builds the four faces from what is known about the network.
pub fn tetraedro(x: &Inputs<'_>) -> Tetraedro {
    use Source::*;
    use Unit::*;
    let faces = x.faces;
    let org = faces.map(|f| &f.organizacion);
    let car = faces.map(|f| &f.caracteristicas);
    let centralization = car.and_then(|c| c.degree_centralization);
    let q = &x.agreement;
    let asked = |key, v: Option<f64>| Indicator {
        suppressed: q.suppressed,
        ..Indicator::new(
            key,
            Questionnaire,
            Percent,
            if q.suppressed { None } else { v },
        )
    };
    let count = |v: Option<usize>| v.map(|n| n as f64);
    let organizacion = vec![
        Indicator::new("members", Registry, Count, count(org.map(|o| o.members))),
        Indicator::new("schools", Registry, Count, count(org.map(|o| o.schools))),
        Indicator::new(
            "schools-joined",
            Registry,
            Count,
            count(x.changes.schools_joined),
        ),
        Indicator::new(
            "schools-left",
            Registry,
            Count,
            count(x.changes.schools_left),
        ),
        Indicator::new("ties-gained", Roster, Count, count(x.changes.ties_gained)),
        Indicator::new("ties-lost", Roster, Count, count(x.changes.ties_lost)),
        Indicator::new(
            "response-rate",
            Roster,
            Share,
            org.and_then(|o| o.response_rate),
        ),
    ];
    let caracteristicas = vec![
        Indicator::new("density", Roster, Share, car.map(|c| c.density)),
        Indicator::new(
            "reciprocity",
            Roster,
            Share,
            car.and_then(|c| c.reciprocity),
        ),
        Indicator::new(
            "reciprocity-respondents",
            Roster,
            Share,
            car.and_then(|c| c.reciprocity_respondents),
        ),
        Indicator::new("centralization", Roster, InverseShare, centralization),
    ];
    let year = x.year;
    let funcionales = vec![
        Indicator::new(
            "purpose",
            Plan,
            Count,
            x.plan.map(|p| {
                if p.purpose.trim().is_empty() {
                    0.0
                } else {
                    1.0
                }
            }),
        ),
        Indicator::new("goals", Plan, Count, x.plan.map(|p| p.goals.len() as f64)),
        Indicator::new("sessions", Sessions, Count, year.map(|y| y.sessions as f64)),
        Indicator::new("hours", Sessions, Count, year.map(|y| y.hours)),
        Indicator::new(
            "attendance",
            Sessions,
            Share,
            year.and_then(|y| y.attendance_rate),
        ),
        Indicator::new(
            "agreements-kept",
            Sessions,
            Share,
            year.and_then(|y| y.agreements_kept),
        ),
        Indicator::new(
            "process-types",
            Roster,
            Count,
            x.typology.map(|t| t.types.len() as f64),
        ),
    ];
    let sustento = vec![
        asked("trust", q.confianza),
        asked("horizontality", q.horizontalidad),
        asked("co-responsibility", q.corresponsabilidad),
        Indicator::new(
            "distributed-leadership",
            Roster,
            InverseShare,
            centralization,
        ),
        Indicator::new("depth", Roster, Share, faces.and_then(|f| f.depth)),
        asked("knowledge", q.generacion_conocimiento),
    ];
    Tetraedro {
        faces: vec![
            Face::new(FaceKey::Organizacion, organizacion),
            Face::new(FaceKey::Caracteristicas, caracteristicas),
            Face::new(FaceKey::Funcionales, funcionales),
            Face::new(FaceKey::Sustento, sustento),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Caracteristicas, Organizacion};

    fn faces() -> Faces {
        Faces {
            organizacion: Organizacion {
                members: 8,
                schools: 4,
                by_role: Default::default(),
                response_rate: Some(0.75),
            },
            caracteristicas: Caracteristicas {
                density: 0.5,
                reciprocity: Some(0.25),
                reciprocity_respondents: Some(0.5),
                degree_centralization: Some(0.2),
            },
            depth: Some(0.4),
        }
    }

    #[test]
    fn faces_score_their_shares_and_hide_what_is_suppressed() {
        let f = faces();
        let t = tetraedro(&Inputs {
            faces: Some(&f),
            agreement: Agreement {
                confianza: Some(90.0),
                horizontalidad: Some(70.0),
                corresponsabilidad: Some(50.0),
                generacion_conocimiento: None,
                suppressed: false,
            },
            ..Inputs::default()
        });
        let score = |k| t.face(k).and_then(|f| f.score);
        // Organización scores only the response rate.
        assert_eq!(score(FaceKey::Organizacion), Some(0.75));
        // (0.5 + 0.25 + 0.5 + 0.8) / 4
        let c = score(FaceKey::Caracteristicas).unwrap_or_default();
        assert!((c - 2.05 / 4.0).abs() < 1e-12, "{c}");
        assert_eq!(score(FaceKey::Funcionales), None);
        // (0.9 + 0.7 + 0.5 + 0.8 + 0.4) / 5
        let s = score(FaceKey::Sustento).unwrap_or_default();
        assert!((s - 3.3 / 5.0).abs() < 1e-12, "{s}");

        let hidden = tetraedro(&Inputs {
            faces: Some(&f),
            agreement: Agreement {
                confianza: Some(90.0),
                suppressed: true,
                ..Agreement::default()
            },
            ..Inputs::default()
        });
        let sus = hidden.face(FaceKey::Sustento);
        let trust = sus.and_then(|s| s.get("trust"));
        assert_eq!(trust.map(|i| (i.value, i.suppressed)), Some((None, true)));
        // Only the roster's two indicators remain: (0.8 + 0.4) / 2.
        let s = sus.and_then(|s| s.score).unwrap_or_default();
        assert!((s - 0.6).abs() < 1e-12, "{s}");
    }

    #[test]
    fn comparisons_take_the_same_indicator_elsewhere() {
        let f = faces();
        let mut other = faces();
        other.caracteristicas.density = 0.3;
        let a = tetraedro(&Inputs {
            faces: Some(&f),
            ..Inputs::default()
        });
        let b = tetraedro(&Inputs {
            faces: Some(&other),
            ..Inputs::default()
        });
        let mean = Tetraedro::mean(&[a.clone(), b.clone()]).unwrap_or_else(|| a.clone());
        let mut mine = a.clone();
        mine.compare(&mean, &b, Some(&b));
        let d = mine
            .face(FaceKey::Caracteristicas)
            .and_then(|f| f.get("density"));
        assert_eq!(
            d.map(|i| (i.value, i.nation, i.previous)),
            Some((Some(0.5), Some(0.3), Some(0.3)))
        );
        let region = d.and_then(|i| i.region).unwrap_or_default();
        assert!((region - 0.4).abs() < 1e-12, "{region}");
    }
}

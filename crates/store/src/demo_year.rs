//! How each demo network works — so that a newcomer sees every level of
//! the collaboration continuum and every process type — and its plans and
//! session logs for the demo years.
//!
//! The shapes follow the seed study's table where it speaks (RME1 and RME4
//! cooperative, RME7 and RME9 information only) and fill in the rest:
//! RME1 and RME14 work as one (simbiosis), RME7 and RME10 hardly cross
//! schools (aislamiento), RME5, RME9 and RME12 split into two camps
//! (balcanizada), the others collaborate effectively. Ties and answers are
//! first drawn as for any network, then reshaped here with a random
//! generator of their own, so the other networks' data does not move.

use std::collections::BTreeMap;

use jiff::civil::{Date, date};
use trama_campaign::roster::TieAnswer;
use trama_characterise::focus::Focus;
use trama_characterise::year::{Agreement, FollowUp, Modality, Plan, Session};
use trama_domain::network::NetworkCode;
use trama_instrument::Instrument;

use crate::campaigns::ties::RosterEntry;
use crate::synth::Rng;
use crate::{Store, StoreError};

/// How a network's ties are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// As drawn: ties inside schools, hubs, some bridges.
    Drawn,
    /// Everyone works with everyone, deeply, and says so.
    Symbiotic,
    /// Hardly a tie across schools.
    Isolated,
    /// Two camps of schools (by RBD parity) that do not work together.
    Split,
}

/// What its members work on together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Work {
    Mixed,
    Information,
    Cooperative,
}

/// RME1…RME15.
pub(crate) const CHARACTERS: [(Shape, Work); 15] = [
    (Shape::Symbiotic, Work::Cooperative),
    (Shape::Drawn, Work::Mixed),
    (Shape::Drawn, Work::Mixed),
    (Shape::Drawn, Work::Cooperative),
    (Shape::Split, Work::Mixed),
    (Shape::Drawn, Work::Mixed),
    (Shape::Isolated, Work::Information),
    (Shape::Drawn, Work::Mixed),
    (Shape::Split, Work::Information),
    (Shape::Isolated, Work::Mixed),
    (Shape::Drawn, Work::Mixed),
    (Shape::Split, Work::Mixed),
    (Shape::Drawn, Work::Mixed),
    (Shape::Symbiotic, Work::Cooperative),
    (Shape::Drawn, Work::Mixed),
];

pub(crate) fn character(network_index: usize) -> (Shape, Work) {
    CHARACTERS[network_index % CHARACTERS.len()]
}

fn foci_for(work: Work, rng: &mut Rng) -> Vec<String> {
    let mut out = vec![];
    let mut maybe = |f: Focus, pct: u64| {
        if rng.chance(pct) {
            out.push(f.code().to_owned());
        }
    };
    match work {
        Work::Mixed => {}
        Work::Information => {
            maybe(Focus::Information, 95);
            maybe(Focus::Training, 25);
        }
        Work::Cooperative => {
            maybe(Focus::Information, 30);
            maybe(Focus::Practices, 45);
            maybe(Focus::Resources, 80);
            maybe(Focus::Projects, 85);
        }
    }
    out
}

/// Reshapes a respondent's drawn ties to the network's character.
pub(crate) fn shape_ties(
    ties: &mut Vec<TieAnswer>,
    ego: &RosterEntry,
    members: &[RosterEntry],
    (shape, work): (Shape, Work),
    rng: &mut Rng,
) {
    let school_of = |id: i64| {
        members
            .iter()
            .find(|m| m.person_id == id)
            .and_then(|m| m.rbd)
    };
    let cross = |alter: i64| match (ego.rbd, school_of(alter)) {
        (Some(a), Some(b)) => a != b,
        _ => false,
    };
    if shape == Shape::Symbiotic {
        for m in members.iter().filter(|m| m.person_id != ego.person_id) {
            if !ties
                .iter()
                .any(|t| t.alter == trama_campaign::roster::Alter::Member(m.person_id))
            {
                ties.push(TieAnswer {
                    alter: trama_campaign::roster::Alter::Member(m.person_id),
                    level: None,
                    foci: vec![],
                });
            }
        }
    }
    for t in ties.iter_mut() {
        let trama_campaign::roster::Alter::Member(alter) = t.alter else {
            continue;
        };
        match shape {
            Shape::Drawn => {}
            Shape::Symbiotic => t.level = Some(if rng.chance(60) { 5 } else { 4 }),
            Shape::Isolated => {
                if cross(alter) && rng.chance(92) {
                    t.level = Some(0);
                }
            }
            Shape::Split => {
                let camp = |rbd: Option<i64>| rbd.map(|r| r % 2);
                if cross(alter) && camp(ego.rbd) != camp(school_of(alter)) {
                    t.level = Some(0);
                }
            }
        }
        if t.level.is_some_and(|l| l > 0) {
            if work != Work::Mixed {
                t.foci = foci_for(work, rng);
            }
        } else {
            t.foci.clear();
        }
    }
}

/// Symbiotic networks say so in the questionnaire too: agreement lifted
/// (reverse-keyed statements the other way round).
pub(crate) fn lift_answers(
    answers: &mut BTreeMap<String, String>,
    instrument: &Instrument,
    shape: Shape,
    rng: &mut Rng,
) {
    if shape != Shape::Symbiotic {
        return;
    }
    for item in instrument.rating_items() {
        let Some(v) = answers.get_mut(&item.name) else {
            continue;
        };
        let Ok(n) = v.parse::<u8>() else { continue };
        if rng.chance(85) {
            let lifted = if item.reverse { n.min(2) } else { n.max(4) };
            *v = lifted.to_string();
        }
    }
}

const PURPOSES: [&str; 5] = [
    "Mejorar juntos la lectura en los primeros años, compartiendo lo que funciona en cada escuela.",
    "Fortalecer la convivencia escolar con estrategias comunes entre establecimientos.",
    "Acompañar a los equipos directivos en la gestión pedagógica del plan de mejoramiento.",
    "Desarrollar proyectos conjuntos con la comunidad y las familias del territorio.",
    "Compartir información de la política educativa y coordinar su implementación.",
];

const TOPICS: [&str; 6] = [
    "Lectura inicial",
    "Convivencia escolar",
    "Evaluación formativa",
    "Inclusión",
    "Trayectorias educativas",
    "Vínculo con familias",
];

const AGREEMENTS: [&str; 6] = [
    "Compartir la planificación de la unidad de lectura",
    "Visitar el aula de otro establecimiento antes de la próxima sesión",
    "Preparar una presentación del plan de convivencia",
    "Postular en conjunto al fondo de proyectos comunales",
    "Enviar los resultados de la evaluación diagnóstica",
    "Coordinar la jornada con apoderados",
];

fn session_foci(work: Work, rng: &mut Rng) -> Vec<Focus> {
    let mut out = vec![];
    let mut maybe = |f: Focus, pct: u64| {
        if rng.chance(pct) {
            out.push(f);
        }
    };
    match work {
        Work::Information => {
            maybe(Focus::Information, 95);
            maybe(Focus::Training, 30);
        }
        Work::Mixed => {
            maybe(Focus::Information, 35);
            maybe(Focus::Training, 25);
            maybe(Focus::Practices, 75);
            maybe(Focus::Learnings, 60);
            maybe(Focus::Projects, 10);
        }
        Work::Cooperative => {
            maybe(Focus::Practices, 50);
            maybe(Focus::Resources, 70);
            maybe(Focus::Projects, 85);
        }
    }
    out
}

impl Store {
    /// Plans and session logs for every demo network in the demo years.
    pub(crate) async fn seed_demo_year(&self, years: &[i32]) -> Result<(), StoreError> {
        for i in 0..CHARACTERS.len() {
            let code = NetworkCode::parse(&format!("RME{}", i + 1))
                .map_err(|p| StoreError::Io(format!("demo network code: {p:?}")))?;
            let (shape, work) = character(i);
            for &year in years {
                let Some(detail) = self.get_network(&code, Some(year)).await? else {
                    continue;
                };
                let network_id = detail.summary.id;
                let mut rng = Rng::new(7_000 + 100 * i as u64 + year as u64);
                let schools: Vec<i64> = detail
                    .schools_in_year
                    .iter()
                    .map(|s| i64::from(s.rbd))
                    .collect();
                let plan = Plan {
                    purpose: PURPOSES[match work {
                        Work::Information => 4,
                        Work::Cooperative => 3,
                        Work::Mixed => i % 3,
                    }]
                    .to_owned(),
                    goals: vec![
                        format!("Realizar al menos 8 sesiones de red en {year}"),
                        "Que cada establecimiento comparta una práctica en el año".to_owned(),
                    ],
                    topics: vec![
                        TOPICS[i % TOPICS.len()].to_owned(),
                        TOPICS[(i + 2) % TOPICS.len()].to_owned(),
                    ],
                };
                let attendance = match shape {
                    Shape::Symbiotic => 95,
                    Shape::Isolated => 50,
                    _ => 78,
                };
                let mut sessions: Vec<(Session, Vec<Agreement>)> = vec![];
                for month in 3..=11i8 {
                    if shape == Shape::Isolated && month % 2 == 0 {
                        continue;
                    }
                    let day = rng.range(5, 25) as i8;
                    let when: Date = date(year as i16, month, day);
                    let present: Vec<i64> = schools
                        .iter()
                        .copied()
                        .filter(|_| rng.chance(attendance))
                        .collect();
                    let attendees: Vec<i64> = detail
                        .people_in_year
                        .iter()
                        .filter(|p| match p.rbd {
                            Some(r) => {
                                present.contains(&i64::from(r))
                                    && (p.role == "director" || rng.chance(60))
                            }
                            None => true,
                        })
                        .map(|p| p.person_id)
                        .collect();
                    let agreed = (0..rng.range(0, 2))
                        .map(|_| Agreement {
                            text: (*rng.pick(&AGREEMENTS)).to_owned(),
                            responsible: detail
                                .people_in_year
                                .iter()
                                .find(|p| p.role == "director" && p.rbd.is_some())
                                .map(|p| p.person_id),
                            due: Some(when + jiff::Span::new().days(30)),
                            status: match rng.range(0, 9) {
                                0..=5 => FollowUp::Done,
                                6 => FollowUp::Dropped,
                                _ => FollowUp::Pending,
                            },
                        })
                        .collect();
                    sessions.push((
                        Session {
                            date: when,
                            duration_min: 60 + 30 * rng.range(1, 4) as u32,
                            modality: match rng.range(0, 9) {
                                0 => Modality::Online,
                                1 => Modality::Mixed,
                                _ => Modality::InPerson,
                            },
                            place: detail
                                .schools_in_year
                                .get(month as usize % detail.schools_in_year.len().max(1))
                                .map(|s| s.name.clone())
                                .unwrap_or_default(),
                            agenda: format!(
                                "{} · seguimiento de acuerdos",
                                TOPICS[(i + month as usize) % TOPICS.len()]
                            ),
                            foci: session_foci(work, &mut rng),
                            schools: present,
                            attendees,
                        },
                        agreed,
                    ));
                }
                self.write(async |tx| {
                    tx.save_plan(network_id, year, &plan, None).await?;
                    for (s, agreed) in &sessions {
                        tx.save_session(network_id, None, s, agreed, None).await?;
                    }
                    Ok(())
                })
                .await?;
            }
        }
        Ok(())
    }
}

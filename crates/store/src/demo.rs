//! The demo data set loaded by `trama serve --demo`: three regions with real
//! DEPROVs and comunas, fifteen networks shaped like the seed study's RME1…RME15,
//! their schools, duplas directivas and supervisors, and one account per role.
//!
//! Schools, people and emails are invented (RBDs from 900001 up, emails under
//! demo.trama.cl) so the demo can never be mistaken for real data. It goes
//! through the same import path as a ministry's files.

use std::fmt::Write;

use trama_domain::account::AccountRole;
use trama_domain::person::Email;
use trama_domain::territory::RegionCode;

use crate::synth::{Rng, person, school_name};
use crate::{Store, StoreError};

/// The password of every demo account (demo mode only).
pub const DEMO_PASSWORD: &str = "demo-trama-2026";

/// Demo accounts: email, role, scope.
pub const DEMO_ACCOUNTS: &[(&str, AccountRole, Option<i16>)] = &[
    (
        "nacional@demo.trama.cl",
        AccountRole::NationalCoordinator,
        None,
    ),
    (
        "regional@demo.trama.cl",
        AccountRole::RegionalCoordinator,
        Some(8),
    ),
    ("supervisor@demo.trama.cl", AccountRole::Supervisor, None),
    ("participante@demo.trama.cl", AccountRole::Participant, None),
    ("investigador@demo.trama.cl", AccountRole::Researcher, None),
];

/// (DEPROV code, name, region, comunas as (CUT, name, rural share %)).
type DemoDeprov = (i32, &'static str, i16, &'static [(i32, &'static str)]);

const DEPROVS: &[DemoDeprov] = &[
    (
        51,
        "Valparaíso - Casablanca",
        5,
        &[
            (5101, "Valparaíso"),
            (5109, "Viña del Mar"),
            (5102, "Casablanca"),
        ],
    ),
    (
        52,
        "Quillota - Petorca",
        5,
        &[(5501, "Quillota"), (5502, "La Calera"), (5401, "La Ligua")],
    ),
    (
        53,
        "San Felipe - Los Andes",
        5,
        &[(5701, "San Felipe"), (5301, "Los Andes"), (5703, "Catemu")],
    ),
    (
        131,
        "Santiago Centro",
        13,
        &[
            (13101, "Santiago"),
            (13108, "Independencia"),
            (13127, "Recoleta"),
        ],
    ),
    (
        133,
        "Santiago Sur",
        13,
        &[
            (13110, "La Florida"),
            (13201, "Puente Alto"),
            (13122, "Peñalolén"),
        ],
    ),
    (
        137,
        "Talagante",
        13,
        &[
            (13601, "Talagante"),
            (13501, "Melipilla"),
            (13604, "Padre Hurtado"),
        ],
    ),
    (
        81,
        "Concepción",
        8,
        &[
            (8101, "Concepción"),
            (8110, "Talcahuano"),
            (8102, "Coronel"),
        ],
    ),
    (
        82,
        "Arauco",
        8,
        &[(8201, "Lebu"), (8203, "Cañete"), (8202, "Arauco")],
    ),
    (
        83,
        "Biobío",
        8,
        &[
            (8301, "Los Ángeles"),
            (8305, "Mulchén"),
            (8306, "Nacimiento"),
        ],
    ),
];

/// Network shapes after the seed's study table: (DEPROV index, comunas used,
/// schools, dependency mix as COD_DEPE2 values, rural share %, year formed).
#[derive(Clone, Copy)]
struct Shape {
    deprov: usize,
    comunas: usize,
    schools: u64,
    dependencies: &'static [u8],
    rural_pct: u64,
    formed: i32,
}

const fn shape(
    deprov: usize,
    comunas: usize,
    schools: u64,
    dependencies: &'static [u8],
    rural_pct: u64,
    formed: i32,
) -> Shape {
    Shape {
        deprov,
        comunas,
        schools,
        dependencies,
        rural_pct,
        formed,
    }
}

const NETWORKS: &[Shape] = &[
    shape(0, 2, 8, &[1, 1, 2], 0, 2017),
    shape(1, 1, 6, &[1], 60, 2017),
    shape(2, 3, 12, &[1, 2], 40, 2018),
    shape(3, 1, 10, &[1, 2, 2], 0, 2017),
    shape(4, 2, 15, &[5], 0, 2019),
    shape(5, 3, 7, &[1, 2], 70, 2018),
    shape(6, 2, 9, &[1, 1, 2], 10, 2017),
    shape(7, 3, 11, &[1], 80, 2018),
    shape(8, 2, 5, &[2], 50, 2019),
    shape(3, 2, 13, &[1, 2, 5], 0, 2020),
    shape(6, 1, 6, &[2, 2, 1], 0, 2017),
    shape(8, 3, 14, &[1, 2], 100, 2018),
    shape(0, 1, 5, &[2], 0, 2021),
    shape(4, 3, 10, &[5, 1], 20, 2017),
    shape(7, 2, 8, &[1, 2], 100, 2019),
];

/// The three registry files of the demo, as a ministry would write them.
pub fn demo_files() -> (String, String, String) {
    let mut rng = Rng::new(2017);
    let mut directorio = String::from(crate::synth::DIRECTORIO_HEADER);
    let mut networks = String::from("network;rbd;from_year;to_year;name");
    let mut people = String::from("name;email;rbd;network;role;from_year;to_year");
    let mut rbd = 900_000u64;
    let mut person_n = 0u64;
    for (i, shape) in NETWORKS.iter().enumerate() {
        let Shape {
            deprov: d,
            comunas: n_comunas,
            schools: n_schools,
            dependencies: deps,
            rural_pct,
            formed,
        } = *shape;
        let (deprov, deprov_name, region, comunas) = DEPROVS[d];
        let code = format!("RME{}", i + 1);
        let comuna_names: Vec<&str> = comunas[..n_comunas].iter().map(|c| c.1).collect();
        let name = format!("Red {}", comuna_names.join(" - "));
        for s in 0..n_schools {
            rbd += 1;
            let (cut, comuna) = comunas[(s as usize) % n_comunas];
            let dep = deps[(s as usize) % deps.len()];
            let rural = u8::from(rng.range(0, 99) < rural_pct);
            let _ = write!(
                directorio,
                "\n2026;{rbd};{};{};{region};{deprov};{deprov_name};{cut};{comuna};{dep};{rural};-{},{};-7{},{};{};1",
                rng.range(0, 9),
                school_name(&mut rng),
                rng.range(32, 38),
                rng.range(1000, 9999),
                rng.range(0, 3),
                rng.range(1000, 9999),
                rng.range(40, 1400),
            );
            // Some history: the last school of a few networks left in 2022,
            // and another joined in 2023, so years differ.
            let (from, to) = match (i % 4, s) {
                (0, s) if s == n_schools - 1 => (formed, Some(2022)),
                (1, s) if s == n_schools - 1 => (2023, None),
                _ => (formed, None),
            };
            let to_txt = to.map(|t| t.to_string()).unwrap_or_default();
            let _ = write!(networks, "\n{code};{rbd};{from};{to_txt};{name}");
            for role in ["director", "jefe_utp"] {
                let (pname, email) = person(&mut rng, person_n, "demo.trama.cl");
                person_n += 1;
                let _ = write!(people, "\n{pname};{email};{rbd};;{role};{from};{to_txt}");
            }
        }
        let (pname, email) = if i < 2 {
            // RME1 and RME2 share the demo supervisor's account email.
            (
                "Sofía Valenzuela Araya".to_owned(),
                "supervisor@demo.trama.cl".to_owned(),
            )
        } else {
            let p = person(&mut rng, person_n, "demo.trama.cl");
            person_n += 1;
            p
        };
        let _ = write!(people, "\n{pname};{email};;{code};supervisor;{formed};");
    }
    // The demo participant is the director of RME1's first school.
    let _ = write!(
        people,
        "\nTomás Reyes Fuentes;participante@demo.trama.cl;900001;;docente;2020;"
    );
    (directorio, networks, people)
}

impl Store {
    /// Loads the demo data into an empty registry and (re)creates the demo
    /// accounts. Running it again changes nothing.
    pub async fn seed_demo(&self) -> Result<bool, StoreError> {
        let seeded = self
            .network_id(
                &trama_domain::network::NetworkCode::parse("RME1").map_err(|p| {
                    StoreError::Invalid(vec![trama_domain::problem::FieldProblem::new("code", p)])
                })?,
            )
            .await?
            .is_some();
        if !seeded {
            let (d, n, p) = demo_files();
            let bad = |what: &str| StoreError::Io(format!("demo {what} file does not parse"));
            let rows = trama_import::directorio::parse("demo-directorio.csv", d.as_bytes())
                .map_err(|_| bad("directorio"))?;
            self.import_directorio(&rows, false, None).await?;
            let rows = trama_import::memberships::parse("demo-redes.csv", n.as_bytes())
                .map_err(|_| bad("networks"))?;
            self.import_memberships(&rows, false, None).await?;
            let rows = trama_import::people::parse("demo-personas.csv", p.as_bytes())
                .map_err(|_| bad("people"))?;
            self.import_people(&rows, false, None).await?;
            // Networks get their year formed and DEPROV from the shapes above.
            for (i, shape) in NETWORKS.iter().enumerate() {
                self.write_one(
                    sqlx::query("UPDATE networks SET year_formed = $2 WHERE code = $1")
                        .bind(format!("RME{}", i + 1))
                        .bind(shape.formed),
                )
                .await?;
            }
        }
        // The default RME questionnaire; saving it again finds the same version.
        self.save_instrument(&trama_instrument::default_rme())
            .await?;
        for (email, role, region) in DEMO_ACCOUNTS {
            let email = Email::parse(email).map_err(|p| {
                StoreError::Invalid(vec![trama_domain::problem::FieldProblem::new("email", p)])
            })?;
            if self.user_by_email(email.as_str()).await?.is_none() {
                self.write(async |tx| {
                    tx.upsert_user(
                        &email,
                        *role,
                        region.map(RegionCode),
                        &[],
                        Some(DEMO_PASSWORD),
                    )
                    .await
                })
                .await?;
            }
        }
        Ok(!seeded)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_files_parse_and_cover_the_study_shape() {
        let (d, n, p) = super::demo_files();
        let schools =
            trama_import::directorio::parse("d", d.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        let total: u64 = super::NETWORKS.iter().map(|n| n.schools).sum();
        assert_eq!(schools.len() as u64, total);
        let members =
            trama_import::memberships::parse("n", n.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        let mut codes: Vec<_> = members.iter().map(|m| m.network.to_string()).collect();
        codes.dedup();
        assert_eq!(codes.len(), 15);
        let people =
            trama_import::people::parse("p", p.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        // A dupla per school, a supervisor per network (RME1/RME2 share one
        // person but each has its own affiliation), plus the demo participant.
        assert_eq!(people.len() as u64, 2 * total + 15 + 1);
        for n in super::NETWORKS {
            assert!((5..=15).contains(&n.schools));
        }
    }
}

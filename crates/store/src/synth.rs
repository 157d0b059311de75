//! Deterministic generators of registry files: the demo data set and large
//! synthetic registries for benchmarks. Both produce the same CSV files a
//! ministry would import, so they exercise the real import path.

use std::fmt::Write;

/// A small, seeded generator (SplitMix64): the same seed gives the same data
/// on every machine, which keeps demo screenshots and benchmarks comparable.
pub use trama_stdx::rng::SplitMix64 as Rng;

pub const FIRST_NAMES: &[&str] = &[
    "Ana",
    "Carolina",
    "Javiera",
    "Francisca",
    "Valentina",
    "Daniela",
    "Camila",
    "Paula",
    "Marcela",
    "Claudia",
    "Patricia",
    "Andrea",
    "Luis",
    "Jorge",
    "Cristián",
    "Rodrigo",
    "Felipe",
    "Matías",
    "Sebastián",
    "Pablo",
    "Gonzalo",
    "Héctor",
    "Mauricio",
    "Ricardo",
];
pub const LAST_NAMES: &[&str] = &[
    "González",
    "Muñoz",
    "Rojas",
    "Díaz",
    "Pérez",
    "Soto",
    "Contreras",
    "Silva",
    "Martínez",
    "Sepúlveda",
    "Morales",
    "Rodríguez",
    "López",
    "Fuentes",
    "Hernández",
    "Torres",
    "Araya",
    "Flores",
    "Espinoza",
    "Valenzuela",
    "Castillo",
    "Tapia",
    "Reyes",
    "Gutiérrez",
];
pub const SCHOOL_KINDS: &[&str] = &[
    "Escuela",
    "Escuela Básica",
    "Liceo",
    "Colegio",
    "Complejo Educacional",
    "Liceo Bicentenario",
];
pub const SCHOOL_NAMES: &[&str] = &[
    "Los Aromos",
    "Gabriela Mistral",
    "Pablo Neruda",
    "Arturo Prat",
    "Los Copihues",
    "El Maitén",
    "República de Chile",
    "Santa Teresa",
    "Bernardo O'Higgins",
    "Villa Alegre",
    "Las Araucarias",
    "Manuel Rodríguez",
    "San Sebastián",
    "Padre Hurtado",
    "Los Canelos",
    "Violeta Parra",
    "Rayito de Sol",
    "El Bosque",
    "Lautaro",
    "Juan Pablo II",
    "Diego Portales",
    "Ríos de Chile",
    "Altamira",
    "Cerro Alegre",
];

/// A person's name and an email derived from it (unique by `n`).
pub fn person(rng: &mut Rng, n: u64, domain: &str) -> (String, String) {
    let first = rng.pick(FIRST_NAMES);
    let last1 = rng.pick(LAST_NAMES);
    let last2 = rng.pick(LAST_NAMES);
    let name = format!("{first} {last1} {last2}");
    let local: String = trama_domain::search_key(&format!("{first}.{last1}"))
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    (name, format!("{local}.{n}@{domain}"))
}

pub fn school_name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(SCHOOL_KINDS), rng.pick(SCHOOL_NAMES))
}

/// Directorio header, as MINEDUC publishes it (subset of columns).
pub const DIRECTORIO_HEADER: &str = "AGNO;RBD;DGV_RBD;NOM_RBD;COD_REG_RBD;COD_DEPROV_RBD;NOM_DEPROV_RBD;COD_COM_RBD;NOM_COM_RBD;COD_DEPE2;RURAL_RBD;LATITUD;LONGITUD;MAT_TOTAL;ESTADO_ESTAB";

/// A comuna of the generated territory.
#[derive(Debug, Clone)]
pub struct SynthComuna {
    pub code: i32,
    pub name: String,
    pub region: i16,
    pub deprov: i32,
    pub deprov_name: String,
}

/// Sizes of a synthetic registry.
#[derive(Debug, Clone, Copy)]
pub struct SynthSize {
    pub schools: u64,
    pub networks: u64,
    pub people: u64,
    pub seed: u64,
}

/// Three CSV files (Directorio, memberships, people) for a registry of the
/// given size, spread over all 16 regions.
pub struct SynthFiles {
    pub directorio: String,
    pub networks: String,
    pub people: String,
}

pub fn generate(size: SynthSize) -> SynthFiles {
    let mut rng = Rng::new(size.seed);
    // 16 regions × 3 DEPROVs × 7 comunas ≈ the real 346 comunas.
    let mut comunas = vec![];
    for r in trama_domain::territory::REGIONS {
        for d in 1..=3 {
            let deprov = i32::from(r.code.0) * 10 + d;
            for c in 1..=7 {
                comunas.push(SynthComuna {
                    code: i32::from(r.code.0) * 1000 + d * 100 + c,
                    name: format!("Comuna {}-{d}-{c}", r.numeral),
                    region: r.code.0,
                    deprov,
                    deprov_name: format!("DEPROV {} {d}", r.numeral),
                });
            }
        }
    }
    let mut directorio = String::from(DIRECTORIO_HEADER);
    let mut schools = vec![];
    for i in 0..size.schools {
        let rbd = 100_000 + i;
        let c = rng.pick(&comunas).clone();
        let dep = *rng.pick(&[1, 1, 2, 2, 2, 3, 5]);
        let rural = u8::from(rng.chance(25));
        let _ = write!(
            directorio,
            "\n2026;{rbd};{};{};{};{};{};{};{};{dep};{rural};-{},{};-7{},{};{};1",
            rng.range(0, 9),
            school_name(&mut rng),
            c.region,
            c.deprov,
            c.deprov_name,
            c.code,
            c.name,
            rng.range(18, 54),
            rng.range(1000, 9999),
            rng.range(0, 3),
            rng.range(1000, 9999),
            rng.range(20, 1800),
        );
        schools.push((rbd, c));
    }
    let mut networks = String::from("network;rbd;from_year;to_year;name");
    let mut members: Vec<Vec<u64>> = vec![vec![]; size.networks as usize];
    if size.networks > 0 {
        // Schools are grouped by DEPROV, as real networks are.
        let mut by_deprov: std::collections::BTreeMap<i32, Vec<u64>> = Default::default();
        for (rbd, c) in &schools {
            by_deprov.entry(c.deprov).or_default().push(*rbd);
        }
        let mut net = 0usize;
        for (_, rbds) in by_deprov {
            for chunk in rbds.chunks(12) {
                if net >= size.networks as usize {
                    break;
                }
                for rbd in chunk {
                    members[net].push(*rbd);
                    let from = 2017 + rng.range(0, 4);
                    let to = if rng.chance(8) {
                        format!("{}", from + rng.range(1, 4))
                    } else {
                        String::new()
                    };
                    let _ = write!(
                        networks,
                        "\nRME{};{rbd};{from};{to};Red de Mejoramiento {}",
                        net + 1,
                        net + 1
                    );
                }
                net += 1;
            }
        }
    }
    let mut people = String::from("name;email;rbd;network;role;from_year");
    let mut n = 0;
    let roles = ["director", "jefe_utp", "docente", "docente", "sostenedor"];
    let all_rbds: Vec<u64> = members.iter().flatten().copied().collect();
    for (i, _) in members.iter().enumerate().filter(|(_, m)| !m.is_empty()) {
        if n >= size.people {
            break;
        }
        let (name, email) = person(&mut rng, n, "synth.example");
        let _ = write!(people, "\n{name};{email};;RME{};supervisor;2018", i + 1);
        n += 1;
    }
    while n < size.people && !all_rbds.is_empty() {
        let (name, email) = person(&mut rng, n, "synth.example");
        let rbd = rng.pick(&all_rbds);
        let _ = write!(
            people,
            "\n{name};{email};{rbd};;{};{}",
            rng.pick(&roles),
            2018 + rng.range(0, 6)
        );
        n += 1;
    }
    SynthFiles {
        directorio,
        networks,
        people,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_files_parse_and_have_the_requested_size() {
        let f = generate(SynthSize {
            schools: 300,
            networks: 20,
            people: 500,
            seed: 7,
        });
        let d = trama_import::directorio::parse("d.csv", f.directorio.as_bytes())
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(d.len(), 300);
        let n = trama_import::memberships::parse("n.csv", f.networks.as_bytes())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let codes: std::collections::HashSet<_> = n.iter().map(|r| r.network.to_string()).collect();
        assert_eq!(codes.len(), 20);
        let p = trama_import::people::parse("p.csv", f.people.as_bytes())
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(p.len(), 500);
    }

    #[test]
    fn same_seed_same_data() {
        let s = SynthSize {
            schools: 50,
            networks: 3,
            people: 40,
            seed: 1,
        };
        assert_eq!(generate(s).people, generate(s).people);
        let other = SynthSize { seed: 2, ..s };
        assert_ne!(generate(s).people, generate(other).people);
    }
}

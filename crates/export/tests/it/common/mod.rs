//! Shared by the export tests: a small instrument with every kind of
//! question the codebook handles, rows for it, and PSPP in batch mode.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use trama_instrument::{Choice, ChoiceList, Instrument, Item, ItemKind, acuerdo5};

fn item(name: &str, kind: ItemKind, es: &str, en: &str) -> Item {
    Item {
        name: name.into(),
        kind,
        label_es: es.into(),
        label_en: en.into(),
        hint_es: None,
        hint_en: None,
        required: false,
        relevant: None,
        constraint: None,
        dimension: None,
        subdimension: None,
        reverse: false,
        identifying: false,
        finding_es: None,
        finding_en: None,
    }
}

fn rating(name: &str, es: &str, en: &str) -> Item {
    let mut i = item(name, ItemKind::Rating, es, en);
    i.dimension = Some("capital_social".into());
    i.subdimension = Some("confianza".into());
    i
}

fn list(name: &str, choices: &[(&str, &str, &str)]) -> ChoiceList {
    ChoiceList {
        name: name.into(),
        choices: choices
            .iter()
            .map(|(n, es, en)| Choice {
                name: (*n).into(),
                label_es: (*es).into(),
                label_en: (*en).into(),
            })
            .collect(),
    }
}

/// Every kind the codebook distinguishes: a group and a note (left out),
/// short-string, long-string and numeric choice lists, a multiple choice,
/// an integer, ratings whose names are not valid SPSS names or are longer
/// than 8 bytes, and an open text question (left out unless asked for).
pub fn instrument() -> Instrument {
    let sel = |l: &str| ItemKind::SelectOne { list: l.into() };
    Instrument {
        form_id: "prueba".into(),
        version: "1".into(),
        default_language: "es".into(),
        title_es: "Prueba".into(),
        title_en: "Test".into(),
        items: vec![
            item("perfil", ItemKind::BeginGroup, "Sobre usted", "About you"),
            item(
                "intro",
                ItemKind::Note,
                "Gracias por participar.",
                "Thank you.",
            ),
            item(
                "rol",
                sel("rol"),
                "¿Cuál es su función?",
                "What is your role?",
            ),
            item(
                "dependencia",
                sel("dependencia"),
                "Dependencia del establecimiento",
                "School dependency",
            ),
            item("nivel", sel("nivel"), "Nivel de enseñanza", "School level"),
            item(
                "focos",
                ItemKind::SelectMultiple {
                    list: "foco".into(),
                },
                "¿Qué intercambian?",
                "What do you exchange?",
            ),
            item(
                "anios",
                ItemKind::Integer,
                "¿Cuántos años lleva en el cargo?",
                "How many years in the post?",
            ),
            item("perfil", ItemKind::EndGroup, "", ""),
            rating(
                "conf_1",
                "Confío en los demás directores de mi red",
                "I trust the other principals of my network",
            ),
            rating(
                "conf-2",
                "En la red se comparten éxitos y fracasos, también los pequeños",
                "Successes and failures are shared in the network",
            ),
            rating(
                "generacion_conocimiento_1",
                "Aplico en mi establecimiento el conocimiento generado en la red (año, señal, ñandú)",
                "I apply in my school the knowledge the network generates",
            ),
            item("comentario", ItemKind::Text, "Comentarios", "Comments"),
        ],
        choice_lists: vec![
            acuerdo5(),
            list(
                "rol",
                &[
                    ("director", "Director/a", "Principal"),
                    ("jefe_utp", "Jefe/a de UTP", "Head of curriculum"),
                    ("docente", "Docente", "Teacher"),
                    ("other", "Otro", "Other"),
                ],
            ),
            list(
                "dependencia",
                &[
                    ("municipal", "Municipal", "Municipal"),
                    (
                        "particular_subvencionado",
                        "Particular subvencionado",
                        "State-subsidised private",
                    ),
                    (
                        "slep",
                        "Servicio Local de Educación Pública",
                        "Local public education service",
                    ),
                ],
            ),
            list(
                "nivel",
                &[
                    ("1", "Básica", "Primary"),
                    ("2", "Media", "Secondary"),
                    ("3", "Ambas", "Both"),
                ],
            ),
            list(
                "foco",
                &[
                    ("information", "Información", "Information"),
                    ("training", "Formación", "Training"),
                    ("practices", "Prácticas", "Practices"),
                ],
            ),
        ],
    }
}

/// Rows for the instrument's default codebook: response_id, region,
/// deprov, network, role, rol, dependencia, nivel, focos, anios, conf_1,
/// conf-2, generacion_conocimiento_1.
pub const ROWS: [[Option<&str>; 13]; 6] = [
    [
        Some("r-001"),
        Some("5"),
        Some("51"),
        Some("RME-V-01"),
        Some("director"),
        Some("director"),
        Some("municipal"),
        Some("1"),
        Some("information training"),
        Some("12"),
        Some("5"),
        Some("NA"),
        Some("4"),
    ],
    [
        Some("r-002"),
        Some("5"),
        Some("51"),
        Some("RME-V-01"),
        Some("jefe_utp"),
        Some("jefe_utp"),
        Some("particular_subvencionado"),
        Some("2"),
        Some(""),
        Some(""),
        Some("4"),
        Some("4"),
        Some("na"),
    ],
    [
        Some("r-003"),
        Some("13"),
        Some("131"),
        Some("RME-RM-07"),
        Some("docente"),
        Some("docente"),
        Some("slep"),
        Some("3"),
        Some("practices"),
        Some("3"),
        Some(" 1 "),
        Some(""),
        Some("5"),
    ],
    [
        Some("r-004"),
        Some("13"),
        Some("131"),
        Some("RME-RM-07"),
        Some("other"),
        Some("other"),
        None,
        None,
        None,
        None,
        None,
        Some("2"),
        Some("5"),
    ],
    [
        Some("r-005"),
        Some("13"),
        Some("132"),
        Some("RME-RM-08"),
        Some("director"),
        Some("director"),
        Some("slep"),
        Some("1"),
        Some("training"),
        Some("25"),
        Some("5"),
        Some("NA"),
        Some("3"),
    ],
    [
        Some("ñ-006"),
        Some("13"),
        Some("132"),
        Some("RME-RM-08"),
        Some("director"),
        Some("director"),
        Some("municipal"),
        Some("2"),
        Some("information"),
        Some("7"),
        Some("3"),
        Some("5"),
        Some("NA"),
    ],
];

/// Whether PSPP can be used. Outside CI a missing `pspp` skips the test
/// with a message; in CI (`CI` set) it fails, so the check cannot silently
/// stop running.
pub fn pspp_available() -> bool {
    let found = Command::new("pspp")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "pspp is not on PATH, and CI is set: install it (Debian package `pspp`)"
        );
        eprintln!("skipped: pspp is not on PATH (Debian package `pspp`); CI runs this test");
    }
    found
}

/// Runs a PSPP syntax file in `dir` and returns its output as CSV text.
pub fn run_pspp(dir: &Path, syntax: &str) -> String {
    let sps = dir.join("check.sps");
    let out = dir.join("out.csv");
    std::fs::write(&sps, syntax).expect("write syntax");
    let run = Command::new("pspp")
        .arg("-O")
        .arg("format=csv")
        .arg("-o")
        .arg(&out)
        .arg(&sps)
        .env("LANG", "C.UTF-8")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .expect("run pspp");
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(
        run.status.success() && !text.contains("error:"),
        "pspp failed: {}\n{}\n{text}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    text
}

/// One table of PSPP's CSV output: its title and its rows.
#[derive(Debug)]
pub struct Table {
    pub title: String,
    pub rows: Vec<Vec<String>>,
}

/// Splits PSPP's CSV output into tables (blocks separated by blank lines,
/// each opening with `Table: title`).
pub fn tables(out: &str) -> Vec<Table> {
    let mut tables = vec![];
    for block in out.split("\n\n") {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(block.as_bytes());
        let mut records = rdr.records().filter_map(Result::ok);
        let Some(first) = records.next() else {
            continue;
        };
        let Some(title) = first.get(0).and_then(|t| t.strip_prefix("Table: ")) else {
            continue;
        };
        let rows = records
            .map(|r| r.iter().map(str::to_owned).collect::<Vec<_>>())
            .filter(|r| !r.first().is_some_and(|c| c.starts_with("Footnote:")))
            .collect();
        tables.push(Table {
            title: title.to_owned(),
            rows,
        });
    }
    tables
}

pub fn table<'a>(tables: &'a [Table], title: &str) -> &'a Table {
    tables
        .iter()
        .find(|t| t.title == title)
        .unwrap_or_else(|| panic!("no table {title:?} in PSPP's output"))
}

/// A frequency table as (section, category, count): section is `Valid` or
/// `Missing`, carried down PSPP's blank first cells; the `Total` row is
/// left out.
pub fn frequencies(t: &Table) -> Vec<(String, String, u64)> {
    let mut section = String::new();
    let mut out = vec![];
    for r in t.rows.iter().skip(1) {
        if !r[0].is_empty() {
            section = r[0].clone();
        }
        if section == "Total" {
            continue;
        }
        let n: u64 = r[2].parse().unwrap_or_else(|_| panic!("count in {r:?}"));
        out.push((section.clone(), r[1].clone(), n));
    }
    out.sort();
    out
}

/// A deterministic generator of plausible rows for any codebook: labelled
/// values, `NA`, empties, numbers and ids. Not random in any statistical
/// sense; it only has to be repeatable and to cover every kind of value.
pub struct Rows {
    state: u64,
    n: u64,
}

impl Rows {
    pub fn new(seed: u64) -> Rows {
        Rows { state: seed, n: 0 }
    }

    fn next(&mut self) -> u64 {
        // 64-bit LCG (Knuth's MMIX constants), upper bits.
        self.state = self
            .state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.state >> 33
    }

    /// Fills `out` with the next row's values for `cb`.
    pub fn fill(&mut self, cb: &trama_export::Codebook, out: &mut Vec<Option<String>>) {
        use trama_export::{Value, VarKind};
        self.n += 1;
        out.clear();
        for v in &cb.variables {
            let roll = self.next() % 100;
            let value = match v.name.as_str() {
                "response_id" => Some(format!("r{:07}", self.n)),
                "region" => Some(["5", "13", "8"][(roll % 3) as usize].to_owned()),
                "deprov" => Some(format!("{}", 50 + roll % 7)),
                "network" => Some(format!("RME-{:03}", roll % 40)),
                "role" => Some(["director", "jefe_utp", "docente"][(roll % 3) as usize].to_owned()),
                _ if roll < 4 => None,
                _ if !v.missing.is_empty() && roll < 10 => Some(v.missing[0].token.clone()),
                _ if v.closed && !v.value_labels.is_empty() => {
                    let labels: Vec<&Value> = v
                        .value_labels
                        .iter()
                        .map(|l| &l.value)
                        .filter(|x| !v.missing.iter().any(|m| **x == Value::Number(m.code)))
                        .collect();
                    let pick = labels[(self.next() % labels.len() as u64) as usize];
                    Some(pick.to_string())
                }
                _ => match v.kind {
                    VarKind::Numeric { .. } => Some((self.next() % 40).to_string()),
                    VarKind::String { .. } => Some(format!("t{}", self.next() % 10)),
                },
            };
            out.push(value);
        }
    }
}

//! `trama instrument …`, `trama responses …` and `trama report pdf` through
//! the built binary:
//! exit statuses, every problem on its own line naming line and column,
//! messages in the user's language, results on standard output or `-o FILE`.

use std::path::{Path, PathBuf};
use std::process::Command;

use trama_campaign::{ReminderDays, ValidityRule};
use trama_store::Store;
use trama_store::campaigns::lifecycle::{CampaignInput, CampaignScope};

const DAY: i64 = 86_400;

pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: String,
}

impl Run {
    pub(crate) fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Runs `trama ARGS --data-dir DATA` with a Spanish locale.
pub(crate) fn trama(args: &[&str], data: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_trama"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("TRAMA_DATABASE_URL")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "es_CL.UTF-8")
        .output()
        .unwrap_or_else(|e| panic!("run trama: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"))
}

/// A data directory holding the demo registry and the RME instrument (version 1).
pub(crate) fn seeded() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    runtime().block_on(async {
        let store = Store::open_dir(&data)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
        store.close().await;
    });
    (dir, data)
}

/// A draft campaign over demo networks, pinned to RME version 1.
fn create_campaign(data: &Path, code: &str) {
    runtime().block_on(async {
        let store = Store::open_dir(data)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let version = store
            .instrument("rme", Some(1))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("the demo stores RME version 1"));
        let t = trama_store::now();
        store
            .write(async |tx| {
                tx.create_campaign(
                    &CampaignInput {
                        code: code.into(),
                        name: format!("Monitoreo {code}"),
                        year: trama_store::current_year(),
                        instrument_version_id: version.version.id,
                        scope: CampaignScope::Networks(vec!["RME1".into(), "RME2".into()]),
                        opens_at: t - DAY,
                        closes_at: t + 30 * DAY,
                        reminder_days: ReminderDays::parse("7").unwrap_or_default(),
                        validity: ValidityRule::default(),
                    },
                    None,
                )
                .await
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store.close().await;
    });
}

pub(crate) fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap_or_else(|e| panic!("{e}"));
    path.to_string_lossy().into_owned()
}

#[test]
fn an_exported_form_imports_back_unchanged_and_a_new_one_is_a_new_version() {
    let (dir, data) = seeded();
    let xlsx = dir.path().join("f.xlsx");
    let xlsx_path = xlsx.to_string_lossy().into_owned();
    let r = trama(
        &[
            "instrument",
            "export",
            "rme",
            "--format",
            "xlsx",
            "-o",
            &xlsx_path,
        ],
        &data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "the workbook went to the file");
    let bytes = std::fs::read(&xlsx).unwrap_or_default();
    assert!(bytes.starts_with(b"PK\x03\x04"), "an .xlsx is a zip");

    let r = trama(&["instrument", "import", &xlsx_path], &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.out().trim(),
        "Instrumento rme sin cambios: ya era la versión 1"
    );
    let r = trama(&["instrument", "import", &xlsx_path, "--lang", "en"], &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.out().trim(),
        "Instrument rme unchanged: already version 1"
    );

    // Piped standard output is not a terminal: the workbook goes there.
    let r = trama(&["instrument", "export", "rme", "--format", "xlsx"], &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with(b"PK\x03\x04"));

    // A changed form: a dry run says what would happen and stores nothing.
    let csv = write(
        dir.path(),
        "rme.csv",
        "type,name,label::es,label::en,dimension\n\
         select_one acuerdo5,conf_1,Confío en mi red,I trust my network,capital_social\n\
         text,comentario,Comentarios,Comments,\n",
    );
    let r = trama(&["instrument", "import", &csv, "--dry-run"], &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.out().trim(),
        "Instrumento rme: se guardaría como versión 2 (nueva versión)"
    );
    assert!(r.stderr.contains("--dry-run"), "{}", r.stderr);
    let r = trama(&["instrument", "list", "--format", "json"], &data);
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap_or_default();
    assert_eq!(v["instruments"][0]["version"], 1, "{}", r.out());

    let r = trama(&["instrument", "import", &csv], &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.out().trim(),
        "Instrumento rme versión 2 guardado (nueva versión)"
    );
    let r = trama(&["instrument", "list"], &data);
    assert!(r.out().starts_with("rme\t2\t"), "{}", r.out());
    // Version 1 is still there, whole.
    let r = trama(
        &[
            "instrument",
            "show",
            "rme",
            "--format",
            "json",
            "--version",
            "1",
        ],
        &data,
    );
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap_or_default();
    assert!(
        v["items"].as_array().map_or(0, Vec::len) > 35,
        "{}",
        r.stderr
    );
    let r = trama(&["instrument", "show", "rme", "--format", "json"], &data);
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap_or_default();
    assert_eq!(v["items"].as_array().map_or(0, Vec::len), 2, "{}", r.stderr);
}

#[test]
fn a_bad_form_names_every_problem_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let csv = write(
        dir.path(),
        "encuesta.csv",
        "type,name,label::es\n\
         select_one acuerdo5,conf_1,Confío en mi red\n\
         select_one acuerdo5,conf_1,Confío en los demás\n\
         slider,conf_3,Cuánto confío\n",
    );
    let r = trama(&["instrument", "import", &csv], &data);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stderr);
    assert!(
        lines[0].starts_with("encuesta.csv:3: name: \"conf_1\" ") && lines[0].contains("fila 2"),
        "{}",
        r.stderr
    );
    assert!(
        lines[1].starts_with("encuesta.csv:4: type: \"slider\" ")
            && lines[1].contains("no es un tipo conocido"),
        "{}",
        r.stderr
    );
    assert!(lines[2].contains("2 problemas"), "{}", r.stderr);

    let r = trama(&["instrument", "import", &csv, "--lang", "en"], &data);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("2 problems found"), "{}", r.stderr);

    let r = trama(&["instrument", "list", "--format", "json"], &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap_or_default();
    assert_eq!(v["instruments"], serde_json::json!([]), "nothing stored");

    // Fixed, and stored under a code of our choosing.
    let fixed = write(
        dir.path(),
        "encuesta.csv",
        "type,name,label::es\n\
         select_one acuerdo5,conf_1,Confío en mi red\n\
         select_one acuerdo5,conf_2,Confío en los demás\n\
         integer,conf_3,Cuánto confío\n",
    );
    let r = trama(
        &["instrument", "import", &fixed, "--code", "mal código"],
        &data,
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("--code: \"mal código\" "),
        "{}",
        r.stderr
    );
    let r = trama(
        &["instrument", "import", &fixed, "--code", "encuesta_redes"],
        &data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.out().trim(),
        "Instrumento encuesta_redes versión 1 guardado (nueva versión)"
    );
}

#[test]
fn show_lists_the_instrument_and_unknown_codes_are_input_errors() {
    let (_dir, data) = seeded();
    let r = trama(&["instrument", "show", "rme", "--format", "json"], &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value =
        serde_json::from_slice(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.out()));
    let ratings = v["items"]
        .as_array()
        .map(|items| items.iter().filter(|i| i["kind"] == "rating").count());
    assert_eq!(ratings, Some(35));
    assert_eq!(v["form_id"], "rme");

    let r = trama(&["instrument", "show", "rme"], &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = r.out();
    assert!(text.starts_with("rme — "), "{text}");
    assert!(text.contains("35 ítems de la escala de acuerdo"), "{text}");
    let dim = text.find("\ncapital_social — ").unwrap_or(usize::MAX);
    let item = text.find("\n    conf_1  ").unwrap_or(0);
    assert!(dim < item, "items under their sub-dimension: {text}");
    let r = trama(&["instrument", "show", "rme", "--lang", "en"], &data);
    assert!(r.out().contains("35 agreement-scale items"), "{}", r.out());

    let r = trama(&["instrument", "show", "nada"], &data);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("No existe el instrumento «nada»"),
        "{}",
        r.stderr
    );
    let r = trama(
        &[
            "instrument",
            "export",
            "rme",
            "--format",
            "json",
            "--version",
            "9",
        ],
        &data,
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("no tiene versión 9; la última es la 1"),
        "{}",
        r.stderr
    );
    let r = trama(&["instrument", "export", "nada", "--lang", "en"], &data);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("There is no instrument \"nada\""),
        "{}",
        r.stderr
    );
    let r = trama(&["instrument", "export", "rme", "--format", "pdf"], &data);
    assert_eq!(r.code, 2, "an unknown format is wrong usage");
    let r = trama(&["instrument", "show", "rme", "--version", "0"], &data);
    assert_eq!(r.code, 2, "versions start at 1");
}

const HEADER: &str = "response_id,region,deprov,network,role,submitted_at,conf_1,conf_2,facilita";

/// `n` rows answering every rating item `4`, each of `RME1` but the row on
/// line `bad` (the header is line 1), whose network does not exist.
fn many_rows(n: usize, bad: usize) -> String {
    let items: Vec<String> = trama_instrument::default_rme()
        .rating_items()
        .iter()
        .map(|i| i.name.clone())
        .collect();
    let mut csv = format!(
        "response_id,region,deprov,network,role,submitted_at,{}\n",
        items.join(",")
    );
    let answers = vec!["4"; items.len()].join(",");
    for line in 2..n + 2 {
        let network = if line == bad { "RME999" } else { "RME1" };
        csv.push_str(&format!(
            "m{line},8,,{network},docente,2026-11-20,{answers}\n"
        ));
    }
    csv
}

#[test]
fn a_large_import_is_written_in_batches_and_still_all_or_nothing() {
    let (dir, data) = seeded();
    create_campaign(&data, "rme-lotes");
    // The bad row is in the third batch: the first two were written in the
    // import's transaction and must go with it.
    let file = write(dir.path(), "lotes.csv", &many_rows(2_500, 2_300));
    let r = trama(&["responses", "import", "rme-lotes", &file], &data);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("lotes.csv:2300: network: \"RME999\""),
        "{}",
        r.stderr
    );
    let r = trama(
        &["responses", "export", "rme-lotes", "--include-partial"],
        &data,
    );
    assert_eq!(r.out().lines().count(), 1, "nothing imported");
    // A wrong cell late in the file: nothing written either.
    let late = many_rows(2_500, 0).replace(
        "m2400,8,,RME1,docente,2026-11-20,4,",
        "m2400,8,,RME1,docente,2026-11-20,9,",
    );
    let file = write(dir.path(), "tarde.csv", &late);
    let r = trama(&["responses", "import", "rme-lotes", &file], &data);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("tarde.csv:2400: "), "{}", r.stderr);
    assert!(r.stderr.contains(": \"9\""), "{}", r.stderr);
    let r = trama(
        &["responses", "export", "rme-lotes", "--include-partial"],
        &data,
    );
    assert_eq!(r.out().lines().count(), 1, "nothing imported");
    // The whole file, fixed: every row, counted in the results at once.
    let file = write(dir.path(), "bien.csv", &many_rows(2_500, 0));
    let r = trama(&["responses", "import", "rme-lotes", &file], &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = trama(&["responses", "export", "rme-lotes"], &data);
    assert_eq!(r.out().lines().count(), 2_501);
    let r = trama(
        &[
            "results",
            "rebuild",
            "--campaign",
            "rme-lotes",
            "--format",
            "json",
        ],
        &data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out: serde_json::Value = serde_json::from_str(&r.out()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out["respondents"], 2_500, "{out}");
    assert_eq!(
        out["differing_groups"], 0,
        "the import kept the counts: {out}"
    );
    assert!(r.stderr.contains("coincidían"), "{}", r.stderr);
}

#[test]
fn responses_import_all_or_nothing_and_export_without_identity() {
    let (dir, data) = seeded();
    create_campaign(&data, "rme-prueba");
    let bad = format!(
        "{HEADER}\n\
         p1,8,,RME1,director,2026-11-20,4,NA,Reuniones mensuales\n\
         p2,VIII,,RME2,docente,2026-11-21T10:00:00Z,7,3,\n\
         p3,8,,RME1,jefe_utp,,2,,\n"
    );
    let file = write(dir.path(), "papel.csv", &bad);

    let r = trama(&["responses", "import", "rme-prueba", &file], &data);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(
        lines[0].starts_with("papel.csv:3: conf_1: \"7\""),
        "{}",
        r.stderr
    );
    assert!(lines[1].contains("1 problema"), "{}", r.stderr);
    let r = trama(
        &["responses", "import", "rme-prueba", &file, "--lang", "en"],
        &data,
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(":3: conf_1:")
            && r.stderr.contains("1 problem found; nothing was imported"),
        "{}",
        r.stderr
    );
    let r = trama(
        &["responses", "export", "rme-prueba", "--include-partial"],
        &data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.out().lines().count(), 1, "nothing imported: {}", r.out());

    // A reference the file cannot check: the network must exist.
    let unknown = write(
        dir.path(),
        "otra.csv",
        &format!("{HEADER}\nq1,8,,RME999,director,2026-11-20,4,,\n"),
    );
    let r = trama(
        &["responses", "import", "rme-prueba", &unknown, "--dry-run"],
        &data,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("otra.csv:2: network: \"RME999\" "),
        "{}",
        r.stderr
    );

    // Fixed: a dry run checks, the real run imports all three.
    std::fs::write(&file, bad.replace(",7,3,", ",5,3,")).unwrap_or_else(|e| panic!("{e}"));
    let r = trama(
        &["responses", "import", "rme-prueba", &file, "--dry-run"],
        &data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.out().contains("3 respuestas revisadas"), "{}", r.out());
    let r = trama(&["responses", "import", "rme-prueba", &file], &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.out().trim(),
        "papel.csv: 3 respuestas importadas a la campaña rme-prueba"
    );
    // The same file again: its response ids exist already.
    let r = trama(&["responses", "import", "rme-prueba", &file], &data);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("papel.csv:2: response_id: \"p1\""),
        "{}",
        r.stderr
    );

    let r = trama(
        &["responses", "export", "rme-prueba", "--format", "csv"],
        &data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = r.out();
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    assert!(
        header.starts_with("response_id,region,deprov,network,role,submitted_at,rol,"),
        "{header}"
    );
    assert!(header.contains(",conf_1,conf_2,") && header.ends_with(",practicas"));
    let columns: Vec<&str> = header.split(',').collect();
    let at = |name: &str| {
        columns
            .iter()
            .position(|c| *c == name)
            .unwrap_or(usize::MAX)
    };
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2, "p3 was not submitted: {text}");
    let p1 = rows
        .iter()
        .find(|r| r[0] == "p1")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        (p1[1], p1[3], p1[4], p1[5]),
        ("8", "RME1", "director", "2026-11-20T12:00:00Z")
    );
    assert_eq!(
        (p1.get(at("conf_1")), p1.get(at("conf_2"))),
        (Some(&"4"), Some(&"NA"))
    );
    assert_eq!(p1.get(at("facilita")), Some(&"Reuniones mensuales"));
    assert!(!text.contains('@'), "no e-mail address: {text}");
    assert!(r.stderr.contains("2 respuestas"), "{}", r.stderr);

    let r = trama(
        &["responses", "export", "rme-prueba", "--include-partial"],
        &data,
    );
    let partial = r.out();
    let p3: Vec<&str> = partial
        .lines()
        .find(|l| l.starts_with("p3,"))
        .unwrap_or_else(|| panic!("{partial}"))
        .split(',')
        .collect();
    assert_eq!(&p3[..6], ["p3", "8", "", "RME1", "jefe_utp", ""]);
    assert_eq!(p3.get(at("conf_1")), Some(&"2"));

    let xlsx = dir.path().join("r.xlsx");
    let r = trama(
        &[
            "responses",
            "export",
            "rme-prueba",
            "--format",
            "xlsx",
            "-o",
            &xlsx.to_string_lossy(),
        ],
        &data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(&xlsx).unwrap_or_default();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    // Written by trama-export: the data sheet and the codebook sheet (zip
    // entry names are stored uncompressed).
    let has = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
    assert!(
        has(b"xl/worksheets/sheet1.xml") && has(b"xl/worksheets/sheet2.xml"),
        "two sheets"
    );
}

#[test]
fn unknown_campaigns_are_input_errors_in_the_users_language() {
    let (dir, data) = seeded();
    let r = trama(&["responses", "export", "no-existe"], &data);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert_eq!(r.stderr.trim(), "No existe la campaña «no-existe».");
    let file = write(dir.path(), "r.csv", &format!("{HEADER}\n"));
    let r = trama(
        &["responses", "import", "no-existe", &file, "--lang", "en"],
        &data,
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.trim(), "There is no campaign \"no-existe\".");
    let r = trama(&["responses", "import", "no-existe"], &data);
    assert_eq!(r.code, 2, "a missing argument is wrong usage");
}

/// [`seeded`] with the demo's two closed rounds (RME-2025, RME-2026).
pub(crate) fn seeded_rounds() -> (tempfile::TempDir, PathBuf) {
    let (dir, data) = seeded();
    runtime().block_on(async {
        let store = Store::open_dir(&data)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            store
                .seed_demo_rounds()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        );
        store.close().await;
    });
    (dir, data)
}

/// The `/Lang` the PDF declares (typst writes the document's text language).
fn declared_lang(pdf: &[u8]) -> Option<String> {
    let at = pdf.windows(5).position(|w| w == b"/Lang")?;
    let rest = &pdf[at + 5..];
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    if rest[start] != b'(' {
        return None;
    }
    let start = start + 1;
    let end = rest[start..].iter().position(|b| *b == b')')? + start;
    Some(String::from_utf8_lossy(&rest[start..end]).into_owned())
}

#[test]
fn national_and_network_reports_are_written_in_the_language_asked_for() {
    let (dir, data) = seeded_rounds();
    let national = dir.path().join("nacional.pdf");
    let national_arg = national.display().to_string();
    let r = trama(
        &[
            "report",
            "pdf",
            "--campaign",
            "RME-2026",
            "--lang",
            "es",
            "-o",
            &national_arg,
        ],
        &data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("nacional.pdf"), "{}", r.stderr);
    let es = std::fs::read(&national).unwrap_or_else(|e| panic!("{e}"));
    assert!(es.starts_with(b"%PDF-"));
    assert_eq!(declared_lang(&es).as_deref(), Some("es"));

    let network = dir.path().join("RME1.pdf");
    let network_arg = network.display().to_string();
    let r = trama(
        &[
            "report",
            "pdf",
            "--campaign",
            "RME-2026",
            "--network",
            "RME1",
            "--lang",
            "en",
            "-o",
            &network_arg,
        ],
        &data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let en = std::fs::read(&network).unwrap_or_else(|e| panic!("{e}"));
    assert!(en.starts_with(b"%PDF-"));
    assert_eq!(declared_lang(&en).as_deref(), Some("en"));
    assert_ne!(es, en);

    let region = dir.path().join("biobio.pdf");
    let region_arg = region.display().to_string();
    let r = trama(
        &[
            "report",
            "pdf",
            "--campaign",
            "RME-2026",
            "--region",
            "VIII",
            "-o",
            &region_arg,
        ],
        &data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let biobio = std::fs::read(&region).unwrap_or_else(|e| panic!("{e}"));
    assert!(biobio.starts_with(b"%PDF-"));
    assert_ne!(biobio, es);
}

#[test]
fn unknown_campaigns_and_networks_are_input_errors_and_write_nothing() {
    let (dir, data) = seeded_rounds();
    let out = dir.path().join("x.pdf");
    let out_arg = out.display().to_string();
    let r = trama(
        &["report", "pdf", "--campaign", "nope", "-o", &out_arg],
        &data,
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.trim(), "No existe la campaña «nope».");
    let r = trama(
        &[
            "report",
            "pdf",
            "--campaign",
            "RME-2026",
            "--network",
            "RME99",
            "--lang",
            "en",
            "-o",
            &out_arg,
        ],
        &data,
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.trim(), "There is no network \"RME99\".");
    let r = trama(
        &[
            "report",
            "pdf",
            "--campaign",
            "RME-2026",
            "--region",
            "XXX",
            "-o",
            &out_arg,
        ],
        &data,
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--region: \"XXX\""), "{}", r.stderr);
    assert!(!out.exists(), "nothing is written on an error");
    let r = trama(&["report", "pdf", "-o", &out_arg], &data);
    assert_eq!(r.code, 2, "--campaign is required");
}

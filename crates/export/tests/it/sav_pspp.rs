//! `.sav` files read back by PSPP (Debian's `pspp`, run in batch): the
//! dictionary (variable labels, value labels, missing values, formats) and
//! the data (frequencies, case counts) must be what was written. Skipped
//! with a message when `pspp` is missing outside CI; failing in CI.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use crate::common::{frequencies, table, tables};
use trama_export::{Codebook, ExportError, SavOptions, SavWriter, Value, VarKind};
use trama_i18n::Lang;

fn write_sav(path: &Path, cb: &Codebook, options: &SavOptions, rows: &[&[Option<&str>]]) {
    let mut w = SavWriter::new(Cursor::new(Vec::new()), cb, options).expect("dictionary");
    for r in rows {
        w.write_row(r).expect("row");
    }
    let bytes = w.finish_seekable().expect("finish").into_inner();
    std::fs::write(path, bytes).expect("write .sav");
}

fn rows() -> Vec<&'static [Option<&'static str>]> {
    crate::common::ROWS.iter().map(|r| r.as_slice()).collect()
}

/// What PSPP should count for variable `j` of the rows: category label
/// (value label, `.` for system-missing, the value itself otherwise) and
/// whether it is missing.
fn expected_frequencies(
    cb: &Codebook,
    j: usize,
    rows: &[&[Option<&str>]],
) -> Vec<(String, String, u64)> {
    let v = &cb.variables[j];
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for r in rows {
        let raw = r[j].unwrap_or_default().trim();
        let key = if raw.is_empty() {
            if v.kind.is_numeric() {
                ("Missing".to_owned(), ".".to_owned())
            } else {
                ("Valid".to_owned(), String::new())
            }
        } else {
            let missing = v.missing.iter().find(|m| m.token.eq_ignore_ascii_case(raw));
            let value = match missing {
                Some(m) => Value::Number(m.code),
                None if v.kind.is_numeric() => Value::Number(raw.parse().expect("number")),
                None => Value::Text(raw.to_owned()),
            };
            // A multiple choice's labels document the choices; SPSS has
            // no labels for it.
            let label = v
                .value_labels
                .iter()
                .filter(|_| !v.multiple)
                .find(|l| l.value == value)
                .map(|l| l.label.clone())
                .unwrap_or_else(|| value.to_string());
            let section = if missing.is_some() {
                "Missing"
            } else {
                "Valid"
            };
            (section.to_owned(), label)
        };
        *counts.entry(key).or_default() += 1;
    }
    counts.into_iter().map(|((s, c), n)| (s, c, n)).collect()
}

#[test]
fn pspp_reads_the_dictionary_and_the_data_as_written() {
    if !crate::common::pspp_available() {
        return;
    }
    for lang in Lang::ALL {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("respuestas.sav");
        let cb = Codebook::from_instrument(&crate::common::instrument(), lang).expect("codebook");
        let options = SavOptions {
            file_label: "Campaña 2026 — prueba".into(),
            created: Some(1_795_977_767),
            ..Default::default()
        };
        write_sav(&path, &cb, &options, &rows());
        let names: Vec<&str> = cb.variables.iter().map(|v| v.spss_name.as_str()).collect();
        let out = crate::common::run_pspp(
            dir.path(),
            &format!(
                "GET FILE='{}'.\nDISPLAY DICTIONARY.\nFREQUENCIES VARIABLES={} /STATISTICS=NONE.\nSYSFILE INFO FILE='{}'.\n",
                path.display(),
                names.join(" "),
                path.display()
            ),
        );
        let t = tables(&out);

        // Variables: name, label, measure, formats, missing values.
        let vars = table(&t, "Variables");
        let header = &vars.rows[0];
        let col = |name: &str| header.iter().position(|h| h == name).expect(name);
        assert_eq!(vars.rows.len() - 1, cb.len(), "{out}");
        for (v, row) in cb.variables.iter().zip(&vars.rows[1..]) {
            assert_eq!(row[col("Name")], v.spss_name);
            assert_eq!(row[col("Label")], v.label, "{}", v.name);
            let measure = row[col("Measurement Level")].to_lowercase();
            assert_eq!(measure, v.measure.as_str(), "{}", v.name);
            assert_eq!(row[col("Print Format")], v.kind.format());
            assert_eq!(row[col("Write Format")], v.kind.format());
            let missing: Vec<String> = v.missing.iter().map(|m| m.code.to_string()).collect();
            assert_eq!(row[col("Missing Values")], missing.join("; "), "{}", v.name);
        }
        // Renamed for SPSS: `conf-2` is not a valid name.
        assert!(names.contains(&"conf_2"));
        assert!(names.contains(&"generacion_conocimiento_1"));

        // Value labels: every labelled variable (not the multiple choice),
        // numeric, short string (record 3) and long string (record 7.21).
        let mut got: Vec<(String, String, String)> = vec![];
        let mut current = String::new();
        for r in &table(&t, "Value Labels").rows[1..] {
            if !r[0].is_empty() {
                current = r[0].clone();
            }
            let value = r[1].split('[').next().unwrap_or_default().to_owned();
            got.push((current.clone(), value, r[2].clone()));
        }
        let mut want: Vec<(String, String, String)> = cb
            .variables
            .iter()
            .filter(|v| !v.multiple)
            .flat_map(|v| {
                v.value_labels
                    .iter()
                    .map(|l| (v.label.clone(), l.value.to_string(), l.label.clone()))
            })
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want);
        assert!(
            got.iter()
                .any(|(_, v, l)| v == "9" && (l == "No aplica" || l == "Not applicable"))
        );
        assert!(got.iter().any(|(_, v, _)| v == "particular_subvencionado"));

        // Frequencies of every variable equal the rows.
        let rows = rows();
        for (j, v) in cb.variables.iter().enumerate() {
            let got = frequencies(table(&t, &v.label));
            assert_eq!(got, expected_frequencies(&cb, j, &rows), "{}", v.name);
        }

        let info: BTreeMap<String, String> = table(&t, "File Information")
            .rows
            .iter()
            .map(|r| (r[0].clone(), r.get(1).cloned().unwrap_or_default()))
            .collect();
        assert_eq!(info["Label"], "Campaña 2026 — prueba");
        assert_eq!(info["Cases"], "6");
        assert_eq!(info["Encoding"], "UTF-8");
        assert_eq!(info["Compression"], "SAV");
        assert!(
            info["Created"].starts_with("29 Nov 26 18:42:47"),
            "{}",
            info["Created"]
        );
    }
}

#[test]
fn notes_become_documents_and_open_text_can_be_included() {
    if !crate::common::pspp_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("x.sav");
    let mut cb = Codebook::with_options(
        &crate::common::instrument(),
        trama_export::CodebookOptions {
            lang: Lang::Es,
            open_text: true,
            ..Default::default()
        },
    )
    .expect("codebook");
    let long_note = format!("NA (No aplica) se registra como 9. {}", "Señal ".repeat(30));
    cb.notes = vec![long_note.clone(), "Segunda nota.".into()];
    assert_eq!(
        cb.variables.last().map(|v| v.name.as_str()),
        Some("comentario")
    );
    let comment = "Una red que aprende: confianza, ñandú y «comillas», 'apóstrofos'";
    let mut rows: Vec<Vec<Option<&str>>> = crate::common::ROWS.iter().map(|r| r.to_vec()).collect();
    for (i, r) in rows.iter_mut().enumerate() {
        r.push(if i == 0 { Some(comment) } else { None });
    }
    let refs: Vec<&[Option<&str>]> = rows.iter().map(Vec::as_slice).collect();
    write_sav(&path, &cb, &SavOptions::default(), &refs);
    let out = crate::common::run_pspp(
        dir.path(),
        &format!(
            "GET FILE='{}'.\nDISPLAY DOCUMENTS.\nLIST VARIABLES=response_id comentario.\n",
            path.display()
        ),
    );
    let t = tables(&out);
    let docs: Vec<String> = table(&t, "Documents")
        .rows
        .iter()
        .flat_map(|r| r.iter().cloned())
        .collect();
    let docs = docs.join("\n");
    let words: Vec<&str> = docs.split_whitespace().collect();
    let want: Vec<&str> = long_note
        .split_whitespace()
        .chain("Segunda nota.".split_whitespace())
        .collect();
    assert_eq!(words, want, "{docs}");
    let list = table(&t, "Data List");
    assert_eq!(list.rows[1], ["r-001", comment]);
    assert_eq!(list.rows[6], ["ñ-006", ""]);
}

#[test]
fn uncompressed_files_and_unknown_case_counts_read_the_same() {
    if !crate::common::pspp_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let cb = Codebook::from_instrument(&crate::common::instrument(), Lang::En).expect("codebook");
    let rows = rows();
    for (file, uncompressed) in [("plain.sav", true), ("bytecode.sav", false)] {
        // A sink that cannot seek: the header keeps "unknown" (-1) cases.
        let mut w = SavWriter::new(
            Vec::new(),
            &cb,
            &SavOptions {
                uncompressed,
                ..Default::default()
            },
        )
        .expect("dictionary");
        for r in &rows {
            w.write_row(r).expect("row");
        }
        std::fs::write(dir.path().join(file), w.finish().expect("finish")).expect("write");
    }
    let out = crate::common::run_pspp(
        dir.path(),
        &format!(
            "SYSFILE INFO FILE='{0}/plain.sav'.\nGET FILE='{0}/plain.sav'.\nFREQUENCIES VARIABLES=ALL /STATISTICS=NONE.\nGET FILE='{0}/bytecode.sav'.\nFREQUENCIES VARIABLES=ALL /STATISTICS=NONE.\n",
            dir.path().display()
        ),
    );
    let t = tables(&out);
    let info = table(&t, "File Information");
    let get = |k: &str| {
        info.rows
            .iter()
            .find(|r| r[0] == k)
            .and_then(|r| r.get(1).cloned())
            .unwrap_or_default()
    };
    assert_eq!(get("Compression"), "None");
    assert_eq!(get("Cases"), "Unknown");
    for (j, v) in cb.variables.iter().enumerate() {
        let both: Vec<&crate::common::Table> = t.iter().filter(|t| t.title == v.label).collect();
        assert_eq!(both.len(), 2, "{}", v.name);
        let want = expected_frequencies(&cb, j, &rows);
        assert_eq!(frequencies(both[0]), want, "{} uncompressed", v.name);
        assert_eq!(frequencies(both[1]), want, "{} compressed", v.name);
    }
}

#[test]
fn an_announced_case_count_is_written_and_checked() {
    let cb = Codebook::from_instrument(&crate::common::instrument(), Lang::Es).expect("codebook");
    let announce = |n: u64| SavOptions {
        cases: Some(n),
        ..Default::default()
    };
    let mut w = SavWriter::new(Vec::new(), &cb, &announce(6)).expect("dictionary");
    for r in &crate::common::ROWS {
        w.write_row(r).expect("row");
    }
    let bytes = w.finish().expect("finish");
    assert_eq!(&bytes[..4], b"$FL2");
    assert_eq!(
        i32::from_le_bytes([bytes[80], bytes[81], bytes[82], bytes[83]]),
        6
    );

    let mut w = SavWriter::new(Vec::new(), &cb, &announce(7)).expect("dictionary");
    for r in &crate::common::ROWS {
        w.write_row(r).expect("row");
    }
    assert!(matches!(
        w.finish(),
        Err(ExportError::CaseCount {
            expected: 7,
            written: 6
        })
    ));
}

#[test]
fn strings_longer_than_their_variable_are_refused_whole() {
    let cb = Codebook::from_instrument(&crate::common::instrument(), Lang::Es).expect("codebook");
    let mut w = SavWriter::new(Vec::new(), &cb, &SavOptions::default()).expect("dictionary");
    let mut row = crate::common::ROWS[0];
    let long = "x".repeat(65);
    row[0] = Some(&long);
    match w.write_row(&row) {
        Err(ExportError::TooLong {
            row: 1,
            variable,
            len: 65,
            width: 64,
        }) => assert_eq!(variable, "response_id"),
        other => panic!("{other:?}"),
    }
    assert_eq!(w.rows(), 0);
    let VarKind::String { width } = cb.variables[0].kind else {
        panic!("response_id is a string");
    };
    assert_eq!(width, 64);
}

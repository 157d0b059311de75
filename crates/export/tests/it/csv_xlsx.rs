//! CSV and XLSX exports, the codebook table, bad rows, and the format-blind
//! `Exporter`.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use trama_export::{
    Codebook, CodebookOptions, CsvWriter, ExportError, Exporter, Format, SavOptions, Variable,
    XlsxWriter, write_codebook_csv,
};
use trama_i18n::Lang;
use trama_instrument::default_rme;

fn codebook(lang: Lang) -> Codebook {
    Codebook::from_instrument(&crate::common::instrument(), lang).expect("codebook")
}

fn csv_export(cb: &Codebook) -> String {
    let mut w = CsvWriter::new(Vec::new(), cb).expect("header");
    for r in &crate::common::ROWS {
        w.write_row(r).expect("row");
    }
    assert_eq!(w.rows(), 6);
    String::from_utf8(w.finish().expect("finish")).expect("utf-8")
}

#[test]
fn the_codebook_lists_fixed_columns_then_questions() {
    let cb = codebook(Lang::Es);
    let names: Vec<&str> = cb.names().collect();
    assert_eq!(
        names,
        [
            "response_id",
            "region",
            "deprov",
            "network",
            "role",
            "rol",
            "dependencia",
            "nivel",
            "focos",
            "anios",
            "conf_1",
            "conf-2",
            "generacion_conocimiento_1"
        ],
        "groups, notes and open text are left out"
    );
    let rme = default_rme();
    let cb = Codebook::from_instrument(&rme, Lang::En).expect("RME codebook");
    let ratings = cb
        .variables
        .iter()
        .filter(|v| !v.missing.is_empty())
        .count();
    assert_eq!(ratings, rme.rating_items().len());
    assert_eq!(cb.variables[1].label, "Region");
}

#[test]
fn csv_keeps_the_responses_file_spelling() {
    let out = csv_export(&codebook(Lang::Es));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "response_id,region,deprov,network,role,rol,dependencia,nivel,focos,anios,conf_1,conf-2,generacion_conocimiento_1"
    );
    assert_eq!(
        lines[1],
        "r-001,5,51,RME-V-01,director,director,municipal,1,information training,12,5,NA,4"
    );
    // "na" is written NA; " 1 " trimmed; None and "" both empty.
    assert_eq!(
        lines[2],
        "r-002,5,51,RME-V-01,jefe_utp,jefe_utp,particular_subvencionado,2,,,4,4,NA"
    );
    assert_eq!(
        lines[3],
        "r-003,13,131,RME-RM-07,docente,docente,slep,3,practices,3,1,,5"
    );
    assert_eq!(lines[4], "r-004,13,131,RME-RM-07,other,other,,,,,,2,5");
    assert_eq!(lines.len(), 7);
}

/// The fields of each CSV line (the writer's quoting undone).
fn csv_fields(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("csv").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn csv_cells_cannot_run_as_formulas_but_numbers_stay_numbers() {
    // Open answers and registry names are typed by people; a spreadsheet
    // opening the export must show them, not run them (OWASP).
    let cb = Codebook::with_options(
        &crate::common::instrument(),
        CodebookOptions {
            lang: Lang::Es,
            open_text: true,
            submitted_at: true,
        },
    )
    .expect("codebook");
    let hostile = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+1+1",
        "@SUM(A1)",
        "-2+3",
        "\tx",
        "\rx",
    ];
    let mut w = CsvWriter::new(Vec::new(), &cb).expect("header");
    for h in hostile {
        let row = cb.row_by(|name| match name {
            "comentario" | "network" => Some(h),
            "anios" => Some("-3"),
            "submitted_at" => Some("2026-11-25T12:00:00Z"),
            _ => None,
        });
        w.write_row(&row).expect("row");
    }
    let out = String::from_utf8(w.finish().expect("finish")).expect("utf-8");
    let lines = csv_fields(&out);
    let col = |name: &str| lines[0].iter().position(|c| c == name).expect(name);
    assert_eq!(col("submitted_at"), 5, "right after the fixed columns");
    for (line, h) in lines[1..].iter().zip(hostile) {
        assert_eq!(line[col("comentario")], format!("'{h}"), "{out}");
        assert_eq!(line[col("network")], format!("'{h}"), "{out}");
        assert_eq!(line[col("anios")], "-3", "a plain number is left alone");
        assert_eq!(line[col("submitted_at")], "2026-11-25T12:00:00Z");
    }

    let v = Variable::string("x", "=1+1", 8);
    let cb = Codebook::new(Lang::Es, vec![v]).expect("codebook");
    let text = String::from_utf8(write_codebook_csv(&cb, Vec::new()).expect("csv")).expect("utf-8");
    assert_eq!(csv_fields(&text)[1][2], "'=1+1", "{text}");
}

#[test]
fn the_csv_export_reads_back_as_a_responses_file() {
    use std::collections::HashSet;
    let rme = default_rme();
    let cb = Codebook::from_instrument(&rme, Lang::Es).expect("codebook");
    let mut w = CsvWriter::new(Vec::new(), &cb).expect("header");
    let mut rows = crate::common::Rows::new(3);
    let mut owned = vec![];
    for _ in 0..200 {
        rows.fill(&cb, &mut owned);
        let row: Vec<Option<&str>> = owned.iter().map(Option::as_deref).collect();
        w.write_row(&row).expect("row");
    }
    let bytes = w.finish().expect("finish");
    let design = trama_results_design(&rme);
    let others: HashSet<String> = rme
        .questions()
        .iter()
        .filter(|i| !i.is_rating())
        .map(|i| i.name.clone())
        .collect();
    let table = trama_results::responses::ResponseTable::read(
        "export.csv",
        bytes.as_slice(),
        &design,
        &others,
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(table.len(), 200);
}

/// The results crate's design of an instrument's rating items.
fn trama_results_design(rme: &trama_instrument::Instrument) -> trama_results::design::Design {
    trama_results::design::Design {
        items: rme
            .rating_items()
            .iter()
            .map(|i| trama_results::design::RatingItem {
                name: i.name.clone(),
                dimension: i.dimension.clone().unwrap_or_default(),
                subdimension: i.subdimension.clone().unwrap_or_default(),
                reverse: i.reverse,
                label_es: i.label_es.clone(),
                label_en: i.label_en.clone(),
                finding_es: None,
                finding_en: None,
            })
            .collect(),
        scales: vec![],
    }
}

#[test]
fn the_codebook_csv_explains_labels_and_missing_values() {
    let cb = codebook(Lang::Es);
    let out = String::from_utf8(write_codebook_csv(&cb, Vec::new()).expect("codebook csv"))
        .expect("utf-8");
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "variable",
            "spss_name",
            "label",
            "type",
            "format",
            "measure",
            "value_labels",
            "missing_values"
        ]
    );
    let rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.expect("record").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), cb.len());
    let conf2 = rows.iter().find(|r| r[0] == "conf-2").expect("conf-2");
    assert_eq!(
        conf2,
        &[
            "conf-2",
            "conf_2",
            "En la red se comparten éxitos y fracasos, también los pequeños",
            "numeric",
            "F1.0",
            "ordinal",
            "1=Totalmente en desacuerdo; 2=En desacuerdo; 3=Ni de acuerdo ni en desacuerdo; 4=De acuerdo; 5=Totalmente de acuerdo; 9=No aplica",
            "9 (CSV: NA)"
        ]
    );
    let rid = &rows[0];
    assert_eq!(
        rid[..6],
        [
            "response_id",
            "response_id",
            "Identificador de respuesta",
            "string",
            "A64",
            "nominal"
        ]
    );
    let dep = rows
        .iter()
        .find(|r| r[0] == "dependencia")
        .expect("dependencia");
    assert_eq!(dep[4], "A24");
    assert!(dep[6].starts_with("municipal=Municipal; particular_subvencionado="));
}

#[test]
fn bad_rows_are_refused_whole_and_named() {
    let cb = codebook(Lang::Es);
    let mut w = CsvWriter::new(Vec::new(), &cb).expect("header");
    let bad = |j: usize, value: &'static str| {
        let mut r = crate::common::ROWS[0];
        r[j] = Some(value);
        r
    };
    let conf1 = 10;
    for (row, variable) in [
        (bad(conf1, "6"), "conf_1"),
        (bad(conf1, "x"), "conf_1"),
        (bad(conf1, "inf"), "conf_1"),
        (bad(conf1, "NaN"), "conf_1"),
        (bad(conf1, "4.5"), "conf_1"),
        (bad(5, "rector"), "rol"),
        (bad(7, "4"), "nivel"),
        (bad(8, "information gossip"), "focos"),
        (bad(9, "doce"), "anios"),
    ] {
        match w.write_row(&row) {
            Err(ExportError::BadValue {
                row: 1,
                variable: v,
                ..
            }) => assert_eq!(v, variable),
            other => panic!("{variable}: {other:?}"),
        }
    }
    match w.write_row(&crate::common::ROWS[0][..12]) {
        Err(ExportError::RowLength {
            expected: 13,
            got: 12,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    // "9" typed as a number is the No aplica code, not an error.
    w.write_row(&bad(conf1, "9")).expect("9 is NA");
    assert_eq!(w.rows(), 1);
    let out = String::from_utf8(w.finish().expect("finish")).expect("utf-8");
    assert_eq!(out.lines().count(), 2, "no half rows: {out}");
    assert!(
        out.lines()
            .nth(1)
            .is_some_and(|l| l.ends_with(",director,municipal,1,information training,12,NA,NA,4"))
    );

    let err = cb
        .positions_in(&["response_id", "region", "conf_1"])
        .expect_err("columns missing");
    assert!(
        err.to_string().contains("deprov, network, role, rol"),
        "{err}"
    );
    let header = [
        "\u{feff}response_id",
        "region",
        "deprov",
        "network",
        "role",
        "submitted_at",
        "rol",
        "dependencia",
        "nivel",
        "focos",
        "anios",
        "conf_1",
        "conf-2",
        "generacion_conocimiento_1",
        "comentario",
    ];
    let pos = cb.positions_in(&header).expect("all there");
    assert_eq!(pos, [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13]);
}

fn cell(sheet: &calamine::Range<Data>, r: u32, c: u32) -> Data {
    sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty)
}

#[test]
fn xlsx_has_numbers_the_na_code_and_a_codebook_sheet() {
    for (lang, data_sheet) in [(Lang::Es, "datos"), (Lang::En, "data")] {
        let mut cb = codebook(lang);
        cb.notes = vec!["NA = 9".into()];
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut w = XlsxWriter::new_in(Cursor::new(Vec::new()), &cb, tmp.path()).expect("workbook");
        for r in &crate::common::ROWS {
            w.write_row(r).expect("row");
        }
        assert_eq!(w.rows(), 6);
        let bytes = w.finish().expect("finish").into_inner();

        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("open");
        assert_eq!(book.sheet_names(), [data_sheet, "codebook"]);
        let data = book.worksheet_range(data_sheet).expect("data sheet");
        assert_eq!(data.height(), 7);
        assert_eq!(data.width(), cb.len());
        let names: Vec<Data> = cb.names().map(|n| Data::String(n.into())).collect();
        assert_eq!(
            (0..13).map(|c| cell(&data, 0, c)).collect::<Vec<_>>(),
            names
        );
        assert_eq!(cell(&data, 1, 0), Data::String("r-001".into()));
        assert_eq!(
            cell(&data, 1, 1),
            Data::String("5".into()),
            "region stays text"
        );
        assert_eq!(cell(&data, 1, 7), Data::Float(1.0), "numeric choice");
        assert_eq!(
            cell(&data, 1, 8),
            Data::String("information training".into())
        );
        assert_eq!(cell(&data, 1, 9), Data::Float(12.0));
        assert_eq!(cell(&data, 1, 10), Data::Float(5.0));
        assert_eq!(cell(&data, 1, 11), Data::Float(9.0), "NA is the code 9");
        assert_eq!(cell(&data, 2, 12), Data::Float(9.0), "na too");
        assert_eq!(cell(&data, 3, 10), Data::Float(1.0), "trimmed");
        assert_eq!(cell(&data, 3, 11), Data::Empty, "unanswered stays empty");
        assert_eq!(cell(&data, 4, 6), Data::Empty);
        assert_eq!(cell(&data, 6, 0), Data::String("ñ-006".into()));

        let book_sheet = book.worksheet_range("codebook").expect("codebook sheet");
        assert_eq!(cell(&book_sheet, 0, 0), Data::String("variable".into()));
        assert_eq!(
            cell(&book_sheet, 0, 7),
            Data::String("missing_values".into())
        );
        let row = (1..=cb.len() as u32)
            .find(|&r| cell(&book_sheet, r, 0) == Data::String("conf_1".into()))
            .expect("conf_1 in the codebook");
        let label = cb.variables[10].label.clone();
        assert_eq!(cell(&book_sheet, row, 2), Data::String(label));
        let labels = match cell(&book_sheet, row, 6) {
            Data::String(s) => s,
            other => panic!("{other:?}"),
        };
        let want = match lang {
            Lang::Es => {
                "1=Totalmente en desacuerdo; 2=En desacuerdo; 3=Ni de acuerdo ni en desacuerdo; 4=De acuerdo; 5=Totalmente de acuerdo; 9=No aplica"
            }
            Lang::En => {
                "1=Strongly disagree; 2=Disagree; 3=Neither agree nor disagree; 4=Agree; 5=Strongly agree; 9=Not applicable"
            }
        };
        assert_eq!(labels, want);
        assert_eq!(
            cell(&book_sheet, row, 7),
            Data::String("9 (CSV: NA)".into())
        );
        let note_row = cb.len() as u32 + 2;
        assert_eq!(
            cell(&book_sheet, note_row, 0),
            Data::String("NA = 9".into())
        );
    }
}

#[test]
fn the_exporter_writes_each_format() {
    let cb = codebook(Lang::Es);
    for format in Format::ALL {
        assert_eq!(Format::parse(format.extension()), Some(format));
        let mut w = Exporter::new(format, Cursor::new(Vec::new()), &cb, &SavOptions::default())
            .expect("exporter");
        for r in &crate::common::ROWS {
            w.write_row(r).expect("row");
        }
        assert_eq!(w.rows(), 6);
        let bytes = w.finish().expect("finish").into_inner();
        let magic: &[u8] = match format {
            Format::Csv => b"response_id,",
            Format::Xlsx => b"PK\x03\x04",
            Format::Sav => b"$FL2",
        };
        assert!(bytes.starts_with(magic), "{format:?}");
        if format == Format::Sav {
            let cases = i32::from_le_bytes([bytes[80], bytes[81], bytes[82], bytes[83]]);
            assert_eq!(cases, 6, "the seekable finish fills in the case count");
        }
    }
    assert_eq!(Format::parse("SPSS"), Some(Format::Sav));
    assert_eq!(Format::parse("pdf"), None);
}

#[test]
fn writers_can_move_to_a_blocking_thread() {
    fn send<T: Send>() {}
    send::<Exporter<std::fs::File>>();
    send::<Codebook>();
}

#[test]
fn hand_made_codebooks_are_checked() {
    use trama_export::{Value, ValueLabel, Variable};
    let mut v = Variable::string("zona", "Zona", 4);
    v.value_labels.push(ValueLabel {
        value: Value::Text("urbana".into()),
        label: "Urbana".into(),
    });
    assert!(
        Codebook::new(Lang::Es, vec![v]).is_err(),
        "label wider than the variable"
    );
    let twice = vec![Variable::string("a", "", 1), Variable::string("a", "", 1)];
    assert!(Codebook::new(Lang::Es, twice).is_err());
    assert!(Codebook::new(Lang::Es, vec![Variable::string("a", "", 300)]).is_err());
    assert!(Codebook::new(Lang::Es, vec![Variable::numeric("n", "", 2, 2)]).is_err());
    assert!(Codebook::new(Lang::Es, vec![]).is_err());
    let ok = Codebook::new(Lang::Es, vec![Variable::numeric("with", "", 8, 2)]).expect("valid");
    assert_eq!(ok.variables[0].spss_name, "with_", "reserved word");
}

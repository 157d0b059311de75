//! Every kind of problem in a form is reported, all at once, naming sheet,
//! row and column, in Spanish and English.

use crate::common::{rendered, xlsx};
use trama_i18n::Lang;
use trama_instrument::{FormError, FormIssue, ParseErrorKind, read_csv, read_form, read_xlsx};

const HEADER: &[&str] = &[
    "type",
    "name",
    "label::es",
    "label::en",
    "required",
    "relevant",
    "dimension",
    "subdimension",
    "reverse",
    "finding::es",
];

fn errors_of(result: Result<trama_instrument::Instrument, Vec<FormError>>) -> Vec<FormError> {
    match result {
        Ok(i) => panic!("accepted: {i:?}"),
        Err(e) => e,
    }
}

fn find<'a>(errors: &'a [FormError], sheet: &str, row: u64, column: &str) -> &'a FormError {
    errors
        .iter()
        .find(|e| {
            e.sheet.as_deref() == Some(sheet)
                && e.row == Some(row)
                && e.column.as_deref() == Some(column)
        })
        .unwrap_or_else(|| {
            panic!(
                "no error at {sheet}:{row} {column}; got:\n{}",
                rendered(errors, Lang::En)
            )
        })
}

fn bad_form() -> Vec<FormError> {
    let survey: &[&[&str]] = &[
        HEADER,
        &["begin_group", "g1", "Grupo", "Group"],
        &[
            "select_one acuerdo5",
            "q1",
            "Uno",
            "One",
            "",
            "",
            "d1",
            "s1",
            "1",
            "{n} de 10",
        ],
        &["select_one acuerdo5", "q1", "Otra", "Other"],
        &["selec_one acuerdo5", "q2", "Dos", "Two"],
        &["integer", "q9", "Nueve", "Nine", "", "${q1} >"],
        &["text", "q10", "Diez", "Ten", "", "${nope} = 1 or ${g1} = 2"],
        &[
            "text",
            "q11",
            "Once",
            "Eleven",
            "",
            "",
            "d1",
            "",
            "",
            "{n} de 10",
        ],
        &[
            "select_one acuerdo5",
            "q12",
            "Doce",
            "Twelve",
            "",
            "",
            "d1",
            "s1",
            "2",
        ],
        &["text", "q13", "", "Thirteen"],
        &["select_one colores", "q14", "Catorce", "Fourteen"],
        &["end_group"],
        &["end_group"],
        &["begin_group", "g2", "Grupo 2", "Group 2"],
        &[
            "select_one acuerdo5",
            "q15",
            "Quince",
            "Fifteen",
            "",
            "",
            "",
            "s2",
        ],
        &[
            "select_one acuerdo5",
            "q16",
            "Dieciséis",
            "Sixteen",
            "",
            "",
            "d2",
            "s1",
        ],
        &["integer", "q17", "Diecisiete", "Seventeen", "quizás"],
        &["text", "mala pregunta", "Dieciocho", "Eighteen"],
        &["text", "", "Diecinueve", "Nineteen"],
        &["note", "q20", "Nota", "Note", "", "", "", "", "1"],
    ];
    let choices: &[&[&str]] = &[
        &["list_name", "name", "label::es", "label::en"],
        &["rol", "a", "A", "A"],
        &["rol", "a", "A otra vez", "A again"],
        &["rol", "b c", "B", "B"],
        &["acuerdo5", "1", "Nada", "None"],
        &["acuerdo5", "2", "Todo", "All"],
        &["rol", "d", "", "D"],
    ];
    let settings: &[&[&str]] = &[
        &["form_id", "version", "default_language", "form_title"],
        &["prueba", "3", "fr", "Prueba"],
    ];
    errors_of(read_xlsx(
        "mala.xlsx",
        &xlsx(&[
            ("survey", survey),
            ("choices", choices),
            ("settings", settings),
        ]),
    ))
}

#[test]
fn every_problem_is_reported_with_sheet_row_and_column() {
    let errs = bad_form();
    let expect: &[(&str, u64, &str, FormIssue)] = &[
        (
            "survey",
            4,
            "name",
            FormIssue::DuplicateName { first_row: 3 },
        ),
        ("survey", 5, "type", FormIssue::UnknownType),
        (
            "survey",
            7,
            "relevant",
            FormIssue::UnknownReference {
                name: "nope".into(),
            },
        ),
        ("survey", 8, "dimension", FormIssue::OnlyForRating),
        ("survey", 8, "finding::es", FormIssue::OnlyForRating),
        ("survey", 9, "reverse", FormIssue::NotZeroOne),
        ("survey", 10, "label::es", FormIssue::MissingLabel),
        (
            "survey",
            11,
            "type",
            FormIssue::UnknownChoiceList {
                list: "colores".into(),
            },
        ),
        ("survey", 13, "type", FormIssue::GroupNotOpened),
        (
            "survey",
            14,
            "type",
            FormIssue::GroupNotClosed { name: "g2".into() },
        ),
        (
            "survey",
            15,
            "subdimension",
            FormIssue::SubdimensionWithoutDimension,
        ),
        (
            "survey",
            16,
            "subdimension",
            FormIssue::SubdimensionInTwoDimensions {
                dimension: "d1".into(),
                first_row: 3,
            },
        ),
        ("survey", 17, "required", FormIssue::NotYesNo),
        ("survey", 18, "name", FormIssue::InvalidName),
        ("survey", 19, "name", FormIssue::Required),
        ("survey", 20, "reverse", FormIssue::OnlyForRating),
        (
            "choices",
            3,
            "name",
            FormIssue::DuplicateChoice {
                list: "rol".into(),
                first_row: 2,
            },
        ),
        ("choices", 4, "name", FormIssue::ChoiceNameWithSpaces),
        ("choices", 5, "list_name", FormIssue::Acuerdo5Mismatch),
        ("choices", 7, "label::es", FormIssue::MissingLabel),
        (
            "settings",
            2,
            "default_language",
            FormIssue::UnknownLanguage,
        ),
    ];
    for (sheet, row, col, issue) in expect {
        let e = find(&errs, sheet, *row, col);
        assert_eq!(&e.issue, issue, "{}", e.render(Lang::En));
        assert_eq!(e.file, "mala.xlsx");
    }
    // The unparsable condition and the reference to a group (not a question).
    let e = find(&errs, "survey", 6, "relevant");
    assert!(matches!(
        &e.issue,
        FormIssue::Unparsable { error } if error.kind == ParseErrorKind::UnexpectedEnd
    ));
    assert!(
        errs.iter()
            .any(|e| e.row == Some(7)
                && e.issue == FormIssue::UnknownReference { name: "g1".into() })
    );
    // Nothing else: each problem once.
    assert_eq!(
        errs.len(),
        expect.len() + 2,
        "{}",
        rendered(&errs, Lang::En)
    );
    // Survey first, then choices, then settings, rows ascending within each.
    let order: Vec<(Option<&str>, Option<u64>)> =
        errs.iter().map(|e| (e.sheet.as_deref(), e.row)).collect();
    let mut sorted = order.clone();
    let rank = |s: Option<&str>| {
        ["survey", "choices", "settings"]
            .iter()
            .position(|x| Some(*x) == s)
    };
    sorted.sort_by_key(|(s, r)| (rank(*s), *r));
    assert_eq!(order, sorted);
}

#[test]
fn every_message_is_translated_in_both_languages() {
    let errs = bad_form();
    for lang in [Lang::Es, Lang::En] {
        for e in &errs {
            let text = e.render(lang);
            assert!(!text.contains("instrument-"), "untranslated: {text}");
            assert!(text.starts_with("mala.xlsx: "), "{text}");
        }
    }
    let es = rendered(&errs, Lang::Es);
    let en = rendered(&errs, Lang::En);
    assert!(
        es.contains("mala.xlsx: survey:4: name: \"q1\" este nombre ya se usó en la fila 3"),
        "{es}"
    );
    assert!(
        en.contains("mala.xlsx: survey:4: name: \"q1\" this name is already used on row 3"),
        "{en}"
    );
    assert!(
        es.contains("mala.xlsx: survey:5: type: \"selec_one acuerdo5\" no es un tipo conocido"),
        "{es}"
    );
    assert!(
        en.contains("mala.xlsx: survey:5: type: \"selec_one acuerdo5\" not a known type"),
        "{en}"
    );
    assert!(
        es.contains("mala.xlsx: survey:9: reverse: \"2\" debe ser 0 o 1"),
        "{es}"
    );
    assert!(
        en.contains("mala.xlsx: survey:9: reverse: \"2\" must be 0 or 1"),
        "{en}"
    );
    assert!(es.contains("mala.xlsx: survey:8: dimension: \"d1\" esta columna solo se usa en ítems de la escala de acuerdo"), "{es}");
    assert!(
        en.contains(
            "mala.xlsx: survey:8: dimension: \"d1\" this column is only for agreement-scale items"
        ),
        "{en}"
    );
    assert!(es.contains("mala.xlsx: survey:11: type: \"select_one colores\" la lista «colores» no está en la hoja choices"), "{es}");
    assert!(en.contains("mala.xlsx: survey:14: type: \"begin_group\" the group “g2” is never closed with end_group"), "{en}");
    assert!(
        es.contains("mala.xlsx: survey:10: label::es: falta la etiqueta en español"),
        "{es}"
    );
    assert!(en.contains("mala.xlsx: survey:7: relevant: \"${nope} = 1 or ${g1} = 2\" refers to “nope”, which is not a question of the form"), "{en}");
    assert!(
        es.contains("mala.xlsx: settings:2: default_language: \"fr\" idioma desconocido"),
        "{es}"
    );
}

#[test]
fn an_unparsable_condition_reads_as_in_the_brief() {
    let names: Vec<String> = (1..=10).map(|i| format!("q{i}")).collect();
    let rows: Vec<Vec<&str>> = names
        .iter()
        .map(|n| vec!["integer", n.as_str(), "Pregunta"])
        .collect();
    let mut survey: Vec<&[&str]> = vec![HEADER];
    survey.extend(rows.iter().map(Vec::as_slice));
    survey.push(&["text", "q11", "Once", "", "", "${q9} >"]);
    let errs = errors_of(read_xlsx("rme.xlsx", &xlsx(&[("survey", &survey)])));
    assert_eq!(errs.len(), 1);
    assert_eq!(
        errs[0].render(Lang::Es),
        "rme.xlsx: survey:12: relevant: \"${q9} >\" no se puede interpretar: la expresión termina antes de tiempo"
    );
    assert_eq!(
        errs[0].render(Lang::En),
        "rme.xlsx: survey:12: relevant: \"${q9} >\" cannot be interpreted: the expression ends too early"
    );
}

#[test]
fn csv_errors_name_file_and_line_without_a_sheet() {
    let csv = "type,name,label::es,relevant\ninteger,edad,Edad,\ntext,x,,${edad} >\nfoo,y,Y,\n";
    let errs = errors_of(read_csv("form.csv", csv.as_bytes()));
    let es = rendered(&errs, Lang::Es);
    assert_eq!(
        es,
        "form.csv:3: label::es: falta la etiqueta en español\n\
         form.csv:3: relevant: \"${edad} >\" no se puede interpretar: la expresión termina antes de tiempo\n\
         form.csv:4: type: \"foo\" no es un tipo conocido (select_one LISTA, select_multiple LISTA, integer, decimal, text, note, begin_group, end_group)"
    );
    assert!(errs.iter().all(|e| e.sheet.is_none()));
}

#[test]
fn select_lists_need_a_choices_sheet_except_acuerdo5() {
    let csv = "type,name,label\nselect_one acuerdo5,a,A\nselect_multiple temas,b,B\n";
    let errs = errors_of(read_csv("f.csv", csv.as_bytes()));
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].row, Some(3));
    assert_eq!(errs[0].column.as_deref(), Some("type"));
    assert_eq!(
        errs[0].issue,
        FormIssue::UnknownChoiceList {
            list: "temas".into()
        }
    );
}

#[test]
fn missing_sheet_columns_and_questions() {
    let errs = errors_of(read_xlsx(
        "f.xlsx",
        &xlsx(&[("choices", &[&["list_name", "name", "label"]])]),
    ));
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].sheet.as_deref(), Some("survey"));
    assert_eq!(errs[0].row, None);
    assert_eq!(
        errs[0].render(Lang::Es),
        "f.xlsx: survey: falta la hoja «survey»"
    );
    assert_eq!(
        errs[0].render(Lang::En),
        "f.xlsx: survey: the sheet “survey” is missing"
    );

    let errs = errors_of(read_csv("f.csv", b"type,etiqueta\ntext,Hola\n"));
    let cols: Vec<_> = errs.iter().filter_map(|e| e.column.as_deref()).collect();
    assert_eq!(cols, ["name", "label::es"]);
    assert!(
        errs.iter()
            .all(|e| e.row == Some(1) && e.issue == FormIssue::MissingColumn)
    );
    assert_eq!(
        errs[0].render(Lang::En),
        "f.csv:1: name: this column is missing"
    );

    let errs = errors_of(read_csv(
        "f.csv",
        b"type,name,label\nbegin_group,g,G\nnote,n,Hola\nend_group,,\n",
    ));
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].issue, FormIssue::NoQuestions);
    assert_eq!(
        errs[0].render(Lang::Es),
        "f.csv:1: type: el formulario no tiene preguntas"
    );
}

#[test]
fn dimension_codes_must_be_in_the_forms_dimension_list() {
    let survey: &[&[&str]] = &[
        &["type", "name", "label", "dimension", "subdimension"],
        &[
            "select_one acuerdo5",
            "a",
            "A",
            "capital_social",
            "confianza",
        ],
        &["select_one acuerdo5", "b", "B", "capital"],
        &[
            "select_one acuerdo5",
            "c",
            "C",
            "capital_social",
            "Confianza Mutua",
        ],
    ];
    let choices: &[&[&str]] = &[
        &["list_name", "name", "label"],
        &["dimension", "capital_social", "Capital social"],
    ];
    let errs = errors_of(read_xlsx(
        "f.xlsx",
        &xlsx(&[("survey", survey), ("choices", choices)]),
    ));
    assert_eq!(errs.len(), 2, "{}", rendered(&errs, Lang::En));
    assert_eq!(
        errs[0].issue,
        FormIssue::UnknownCode {
            list: "dimension".into()
        }
    );
    assert_eq!(
        (errs[0].row, errs[0].column.as_deref()),
        (Some(3), Some("dimension"))
    );
    assert_eq!(errs[1].issue, FormIssue::InvalidName);
    assert_eq!(
        (errs[1].row, errs[1].column.as_deref()),
        (Some(4), Some("subdimension"))
    );
}

#[test]
fn unreadable_files_are_one_error() {
    let errs = errors_of(read_xlsx("x.xlsx", b"PK\x03\x04 not really a zip"));
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].issue, FormIssue::Unreadable);
    assert_eq!(
        errs[0].render(Lang::En),
        "x.xlsx: cannot be read as an Excel workbook (.xlsx) or as CSV"
    );
    let errs = errors_of(read_form("x.csv", b""));
    assert_eq!(errs.len(), 1);
    assert!(matches!(errs[0].issue, FormIssue::Csv { .. }));
}

#[test]
fn errors_serialize_for_the_api() {
    let errs = bad_form();
    let json = serde_json::to_value(&errs[0]).unwrap_or_default();
    assert_eq!(json["sheet"], "survey");
    assert_eq!(json["row"], 4);
    assert_eq!(json["column"], "name");
    assert_eq!(json["issue"]["kind"], "duplicate_name");
}

#[test]
fn display_is_the_english_rendering() {
    let errs = bad_form();
    assert_eq!(errs[0].to_string(), errs[0].render(Lang::En));
}

#[test]
fn control_characters_are_refused_at_the_cell_and_named() {
    // A label may span lines (Alt+Enter); a NUL or an escape may not be
    // anywhere, and a name or type is one line.
    let csv = "type,name,label::es,hint::es\n\
               integer,edad,\"Edad\u{1}\",\n\
               integer,anos,\"Años\nen la red\",\"Cuente\tbien\"\n\
               text,\"nota\u{1B}\",Nota,\n";
    let errors = errors_of(read_csv("form.csv", csv.as_bytes()));
    let es = rendered(&errors, Lang::Es);
    assert!(
        es.contains(
            "form.csv:2: label::es: \"Edad<U+0001>\" contiene un carácter de control (U+0001)"
        ),
        "{es}"
    );
    assert!(es.contains("form.csv:5: name: \"nota<U+001B>\""), "{es}");
    assert!(
        !es.contains(":3:") && !es.contains(":4: "),
        "multi-line labels and hints are fine: {es}"
    );
    assert!(
        !es.contains('\u{1B}') && !es.contains('\u{1}'),
        "never echoed raw: {es:?}"
    );
    let en = rendered(&errors, Lang::En);
    assert!(en.contains("contains a control character (U+001B)"), "{en}");
}

//! Answers checked against their questions; pages and conditions as a
//! questionnaire walks them.

use std::collections::BTreeMap;

use trama_domain::Problem;
use trama_i18n::Lang;
use trama_instrument::{AnswerProblem, ItemKind, default_rme, read_csv};

fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn free_text_keeps_line_breaks_but_refuses_control_characters() {
    let rme = default_rme();
    let none = answers(&[]);
    let open = rme.item("facilita").unwrap_or_else(|| panic!("facilita"));
    assert_eq!(
        rme.check_answer(open, "Las reuniones,\r\nel tiempo\ty el apoyo", &none),
        Ok(())
    );
    for bad in ["nul\u{0}aquí", "\u{1b}[31mrojo", "campana\u{7}"] {
        assert!(
            matches!(
                rme.check_answer(open, bad, &none),
                Err(AnswerProblem::Value {
                    problem: Problem::ControlCharacter { .. }
                })
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn ratings_choices_and_numbers() {
    let rme = default_rme();
    let none = answers(&[]);
    let item = |n: &str| rme.item(n).unwrap_or_else(|| panic!("{n}"));
    for v in ["1", "5", "NA", "", " 3 "] {
        assert_eq!(rme.check_answer(item("conf_1"), v, &none), Ok(()), "{v}");
    }
    for v in ["0", "6", "na", "No aplica", "4.0"] {
        assert_eq!(
            rme.check_answer(item("conf_1"), v, &none),
            Err(AnswerProblem::NotAChoice { value: v.into() }),
            "{v}"
        );
    }
    assert_eq!(rme.check_answer(item("rol"), "docente", &none), Ok(()));
    assert!(rme.check_answer(item("rol"), "rector", &none).is_err());
    assert_eq!(rme.check_answer(item("anos_red"), "0", &none), Ok(()));
    assert_eq!(rme.check_answer(item("anos_red"), "30", &none), Ok(()));
    let out = rme.check_answer(item("anos_red"), "31", &none);
    assert_eq!(
        out,
        Err(AnswerProblem::Value {
            problem: Problem::OutOfRange { min: 0, max: 30 }
        })
    );
    assert_eq!(
        rme.check_answer(item("anos_red"), "dos", &none),
        Err(AnswerProblem::Value {
            problem: Problem::NotAnInteger
        })
    );
    assert_eq!(
        rme.check_answer(item("intro"), "x", &none),
        Err(AnswerProblem::NotAnswerable)
    );
    assert_eq!(
        rme.check_answer(item("facilita"), "Tiempo, \"apoyo\"", &none),
        Ok(())
    );
    for e in [
        AnswerProblem::NotAChoice { value: "7".into() },
        AnswerProblem::Constraint,
        AnswerProblem::NotAnswerable,
    ] {
        for lang in [Lang::Es, Lang::En] {
            assert!(!e.render(lang).starts_with("instrument-"));
        }
    }
}

#[test]
fn multiple_choice_and_decimal_constraints() {
    let survey: &[&[&str]] = &[
        &["type", "name", "label", "constraint"],
        &[
            "select_multiple temas",
            "m",
            "Temas",
            "count-selected(.) <= 2",
        ],
        &["decimal", "d", "Horas", ". > 0.5"],
    ];
    let choices: &[&[&str]] = &[
        &["list_name", "name", "label"],
        &["temas", "a", "A"],
        &["temas", "b", "B"],
    ];
    let form = trama_instrument::read_xlsx(
        "f.xlsx",
        &crate::common::xlsx(&[("survey", survey), ("choices", choices)]),
    );
    // `count-selected(.)` is not in the supported subset: the form says so.
    let errs = form.err().unwrap_or_default();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].row, Some(2));
    assert_eq!(errs[0].column.as_deref(), Some("constraint"));

    let csv = "type,name,label,constraint\ndecimal,d,Horas,. > 0.5\ninteger,n,N,. != 3\n";
    let form = read_csv("f.csv", csv.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    let none = answers(&[]);
    let d = &form.items[0];
    assert_eq!(form.check_answer(d, "1.5", &none), Ok(()));
    assert_eq!(
        form.check_answer(d, "0.5", &none),
        Err(AnswerProblem::Constraint)
    );
    assert_eq!(
        form.check_answer(d, "NaN", &none),
        Err(AnswerProblem::Value {
            problem: Problem::NotANumber
        })
    );
    assert_eq!(
        form.check_answer(&form.items[1], "3", &none),
        Err(AnswerProblem::Constraint)
    );
}

#[test]
fn group_conditions_hide_their_questions_and_required_follows() {
    let csv = "type,name,label,required,relevant\n\
               select_one acuerdo5,filtro,¿Participa?,yes,\n\
               begin_group,g,Grupo,,${filtro} = '5'\n\
               text,dentro,Dentro,yes,\n\
               begin_group,h,Sub,,\n\
               integer,hondo,Hondo,yes,\n\
               end_group,,,,\n\
               end_group,,,,\n\
               text,fuera,Fuera,yes,${filtro} != 'NA'\n";
    let form = read_csv("f.csv", csv.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    let names = |v: Vec<&trama_instrument::Item>| -> Vec<String> {
        v.into_iter().map(|i| i.name.clone()).collect()
    };
    assert_eq!(names(form.missing_required(&answers(&[]))), ["filtro"]);
    assert_eq!(
        names(form.missing_required(&answers(&[("filtro", "5")]))),
        ["dentro", "hondo", "fuera"]
    );
    assert_eq!(
        names(form.missing_required(&answers(&[("filtro", "NA")]))),
        Vec::<String>::new()
    );
    assert_eq!(
        names(form.missing_required(&answers(&[
            ("filtro", "5"),
            ("dentro", "x"),
            ("hondo", "2")
        ]))),
        ["fuera"]
    );
    let hondo = form.item("hondo").unwrap_or_else(|| panic!("hondo"));
    assert!(!form.is_relevant(hondo, &answers(&[("filtro", "4")])));
    assert!(form.is_relevant(hondo, &answers(&[("filtro", "5")])));

    // One page for the top-level group (nested group flattened into it), and
    // loose questions before and after make pages of their own.
    let pages = form.pages();
    let shape: Vec<(Option<&str>, Vec<&str>)> = pages
        .iter()
        .map(|p| (p.name(), p.items.iter().map(|i| i.name.as_str()).collect()))
        .collect();
    assert_eq!(
        shape,
        [
            (None, vec!["filtro"]),
            (Some("g"), vec!["dentro", "hondo"]),
            (None, vec!["fuera"]),
        ]
    );
    assert_eq!(form.questions().len(), 4);
    assert_eq!(form.items[0].kind, ItemKind::Rating);
}

#[test]
fn dimensions_without_labels_show_their_codes() {
    let csv = "type,name,label,dimension,subdimension\n\
               select_one acuerdo5,a,A,clima,\n\
               select_one acuerdo5,b,B,clima,escucha\n\
               select_one acuerdo5,c,C,,\n\
               select_one acuerdo5,d,D,clima,escucha\n\
               select_one acuerdo5,e,E,capital_social,confianza\n";
    let form = read_csv("f.csv", csv.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    let dims = form.dimensions();
    assert_eq!(dims.len(), 2);
    assert_eq!(dims[0].code, "clima");
    assert_eq!(dims[0].label_en, "clima");
    assert_eq!(dims[0].items, ["a", "b", "d"]);
    assert_eq!(dims[0].subdimensions.len(), 1);
    assert_eq!(dims[0].subdimensions[0].items, ["b", "d"]);
    // RME codes get the shipped labels.
    assert_eq!(dims[1].label_es, "Capital social");
    assert_eq!(dims[1].subdimensions[0].label_en, "Trust");
    assert_eq!(form.rating_items().len(), 5);
}

//! Export and import agree: XLSForm and JSON out, the same instrument back.

use trama_i18n::Lang;
use trama_instrument::{
    Instrument, ItemKind, default_rme, read_form, read_xlsx, write_json, write_xlsx,
};

fn to_xlsx(i: &Instrument) -> Vec<u8> {
    let mut out = vec![];
    write_xlsx(i, &mut out).unwrap_or_else(|e| panic!("{e}"));
    out
}

#[test]
fn the_default_instrument_survives_xlsx_export_and_import() {
    let rme = default_rme();
    let bytes = to_xlsx(&rme);
    let back = read_xlsx("rme.xlsx", &bytes).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(back, rme);
    assert_eq!(back.fingerprint(), rme.fingerprint());
    // And once more: export is stable.
    let again = read_form("rme.xlsx", &to_xlsx(&back)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(again, rme);
}

#[test]
fn a_form_with_every_kind_round_trips() {
    let survey: &[&[&str]] = &[
        &[
            "type",
            "name",
            "label::Español (es)",
            "label::English (en)",
            "hint::es",
            "hint::en",
            "required",
            "relevant",
            "constraint",
            "dimension",
            "subdimension",
            "reverse",
            "finding::es",
            "finding::en",
        ],
        &["start", "start"],
        &["begin group", "p1", "Página", "Page"],
        &[
            "select_one acuerdo5",
            "a1",
            "Ítem",
            "Item",
            "",
            "",
            "yes",
            "",
            "",
            "d",
            "s",
            "1",
        ],
        &[
            "select_one acuerdo5",
            "a2",
            "Ítem 2",
            "",
            "Pista",
            "",
            "",
            "",
            "",
            "d",
            "",
            "0",
            "{n} de 10",
            "{n} in 10",
        ],
        &[
            "select_multiple temas",
            "m",
            "Temas",
            "Topics",
            "",
            "Pick any",
            "TRUE()",
        ],
        &[
            "select_one rol",
            "r",
            "Rol",
            "Role",
            "",
            "",
            "",
            "count-selected(${m}) >= 2",
        ],
        &[
            "integer",
            "n",
            "Número",
            "Number",
            "",
            "",
            "",
            "selected(${m}, 'x')",
            ". >= 1 and . <= 9",
        ],
        &[
            "decimal",
            "d1",
            "Decimal",
            "Decimal",
            "",
            "",
            "",
            "${n} > 2 or not(${r} = 'b')",
        ],
        &["text", "t", "Texto", "Text"],
        &["note", "nota", "Nota", "Note"],
        &["end group"],
    ];
    let choices: &[&[&str]] = &[
        &["list_name", "name", "label::es", "label::en"],
        &["temas", "x", "Equis", "Ex"],
        &["temas", "y", "Ye", "Why"],
        &["rol", "b", "Be", ""],
    ];
    let settings: &[&[&str]] = &[
        &[
            "form_id",
            "version",
            "default_language",
            "form_title",
            "form_title::en",
        ],
        &["prueba", "2024010101", "English (en)", "Prueba", "Test"],
    ];
    let bytes = crate::common::xlsx(&[
        ("settings", settings),
        ("choices", choices),
        ("survey", survey),
    ]);
    let form = read_xlsx("prueba.xlsx", &bytes).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(form.version, "2024010101");
    assert_eq!(form.default_language, "en");
    assert_eq!(form.items.len(), 10, "metadata rows are dropped");
    assert_eq!(form.items[1].hint(Lang::En), None);
    assert_eq!(
        form.items[2].hint(Lang::En),
        Some("Pista"),
        "falls back to Spanish"
    );
    assert_eq!(form.items[2].label(Lang::En), "Ítem 2");
    assert!(form.items[3].required);
    assert_eq!(
        form.items[3].kind,
        ItemKind::SelectMultiple {
            list: "temas".into()
        }
    );
    assert!(form.items[1].reverse && !form.items[2].reverse);
    let names: Vec<&str> = form.choice_lists.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["temas", "rol", "acuerdo5"]);

    let back = read_xlsx("prueba.xlsx", &to_xlsx(&form)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(back, form);

    let mut json = vec![];
    write_json(&form, &mut json).unwrap_or_else(|e| panic!("{e}"));
    let from_json: Instrument = serde_json::from_slice(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_json, form);
}

#[test]
fn json_field_names_are_stable_snake_case() {
    let rme = default_rme();
    let v = serde_json::to_value(&rme).unwrap_or_default();
    for key in [
        "form_id",
        "version",
        "default_language",
        "title_es",
        "title_en",
        "items",
        "choice_lists",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    let item = &v["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["name"] == "conf_4"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(item["kind"], "rating");
    assert_eq!(item["dimension"], "capital_social");
    assert_eq!(item["subdimension"], "confianza");
    assert_eq!(item["reverse"], true);
    for key in [
        "label_es",
        "label_en",
        "hint_es",
        "hint_en",
        "required",
        "relevant",
        "constraint",
        "finding_es",
        "finding_en",
    ] {
        assert!(item.get(key).is_some(), "{key}");
    }
    let rol = v["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["name"] == "rol"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(rol["kind"], "select_one");
    assert_eq!(rol["list"], "rol");
    let other = v["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["name"] == "rol_otro"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(other["relevant"], "${rol} = 'other'");
}

#[test]
fn the_fingerprint_follows_content_not_the_version_label() {
    let rme = default_rme();
    let fp = rme.fingerprint();
    assert_eq!(fp.len(), 64);
    assert!(fp.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(fp, default_rme().fingerprint());

    let mut relabelled = rme.clone();
    relabelled.version = "otra".into();
    assert_eq!(relabelled.fingerprint(), fp);

    let mut edited = rme.clone();
    edited.items[5].label_es.push('!');
    assert_ne!(edited.fingerprint(), fp);

    let mut flipped = rme.clone();
    if let Some(i) = flipped.items.iter_mut().find(|i| i.is_rating()) {
        i.reverse = !i.reverse;
    }
    assert_ne!(flipped.fingerprint(), fp);
}

#[test]
fn a_question_marked_identifying_keeps_its_mark() {
    let mut rme = default_rme();
    let years = rme
        .items
        .iter_mut()
        .find(|i| i.name == "anos_red")
        .unwrap_or_else(|| panic!("anos_red"));
    years.identifying = true;
    let back = read_xlsx("rme.xlsx", &to_xlsx(&rme)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(back, rme);
    let marked: Vec<&str> = back
        .items
        .iter()
        .filter(|i| i.identifying)
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(marked, ["anos_red"]);
    assert_ne!(
        back.fingerprint(),
        default_rme().fingerprint(),
        "a new version"
    );
}

//! The shipped RME instrument has the shape the monitoring round needs.

use trama_i18n::Lang;
use trama_instrument::{
    ACUERDO5, ItemKind, RME_DIMENSIONS, RME_SUBDIMENSIONS, default_rme, read_csv,
};

#[test]
fn parses_with_two_dimensions_and_ten_subdimensions_in_order() {
    let rme = default_rme();
    assert_eq!(rme.form_id, "rme");
    assert!(!rme.version.is_empty());
    let dims = rme.dimensions();
    let codes: Vec<&str> = dims.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, RME_DIMENSIONS);
    let subs: Vec<(&str, &str)> = dims
        .iter()
        .flat_map(|d| {
            d.subdimensions
                .iter()
                .map(move |s| (d.code.as_str(), s.code.as_str()))
        })
        .collect();
    assert_eq!(subs, RME_SUBDIMENSIONS);
}

#[test]
fn every_subdimension_has_at_least_three_items_in_both_languages() {
    let rme = default_rme();
    for dim in rme.dimensions() {
        assert!(!dim.label_es.is_empty() && !dim.label_en.is_empty());
        assert_ne!(dim.label_es, dim.code);
        for sub in &dim.subdimensions {
            assert!(sub.items.len() >= 3, "{} has {}", sub.code, sub.items.len());
            assert_ne!(sub.label_en, sub.code);
            assert_ne!(sub.label_es, sub.label_en, "{}", sub.code);
        }
    }
    for item in rme.items.iter().filter(|i| !i.kind.is_group_marker()) {
        assert!(!item.label_es.is_empty(), "{}", item.name);
        assert!(!item.label_en.is_empty(), "{}", item.name);
        assert_ne!(item.label_es, item.label_en, "{}", item.name);
    }
    for list in &rme.choice_lists {
        for c in &list.choices {
            assert!(!c.label_es.is_empty() && !c.label_en.is_empty());
        }
    }
}

#[test]
fn each_dimension_has_a_reverse_keyed_item() {
    let rme = default_rme();
    for dim in RME_DIMENSIONS {
        assert!(
            rme.rating_items()
                .iter()
                .any(|i| i.reverse && i.dimension.as_deref() == Some(dim)),
            "{dim}"
        );
    }
}

#[test]
fn one_page_per_subdimension_between_profile_and_the_network_map() {
    let rme = default_rme();
    let pages = rme.pages();
    let names: Vec<&str> = pages.iter().filter_map(|p| p.name()).collect();
    assert_eq!(names.len(), pages.len(), "every page is a group");
    assert_eq!(names.first(), Some(&"perfil"));
    assert_eq!(
        names[names.len() - 2..].to_vec(),
        vec!["vinculos_red", "preguntas_abiertas"]
    );
    let middle: Vec<&str> = names[1..names.len() - 2].to_vec();
    let subs: Vec<&str> = RME_SUBDIMENSIONS.iter().map(|(_, s)| *s).collect();
    assert_eq!(middle, subs);
    for page in &pages[1..pages.len() - 2] {
        let sub = page.name();
        assert!(
            page.items
                .iter()
                .all(|i| i.is_rating() && i.subdimension.as_deref() == sub)
        );
        assert_eq!(
            page.label(Lang::Es),
            Some(rme.scale_label(sub.unwrap_or_default(), Lang::Es).as_str())
        );
    }
    // The roster is a question of its own, not an answer in the anonymous
    // answer map, so it never counts as a rating or a required question.
    let roster = &pages[pages.len() - 2].items;
    assert_eq!(roster.len(), 1);
    assert_eq!(roster[0].kind, trama_instrument::ItemKind::Roster);
    assert!(!roster[0].is_question());
    assert!(!roster[0].required);
}

#[test]
fn profile_and_open_questions() {
    let rme = default_rme();
    let rol = rme.item("rol").unwrap_or_else(|| panic!("rol"));
    assert!(rol.required);
    let roles: Vec<&str> = rme
        .choices_for(rol)
        .map(|l| l.choices.iter().map(|c| c.name.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        roles,
        [
            "director",
            "jefe_utp",
            "docente",
            "sostenedor",
            "supervisor",
            "other"
        ]
    );
    // The role codes are the registry's, so answers join with memberships.
    for r in &roles {
        assert!(trama_domain::person::Role::parse(r).is_ok(), "{r}");
    }
    let years = rme.item("anos_red").unwrap_or_else(|| panic!("anos_red"));
    assert_eq!(years.kind, ItemKind::Integer);
    assert_eq!(years.bounds(), (Some(0.0), Some(30.0)));
    let open: Vec<&str> = rme
        .pages()
        .last()
        .map(|p| p.items.iter().map(|i| i.name.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(open, ["facilita", "dificulta", "apoyo", "practicas"]);
    assert!(
        rme.pages()
            .last()
            .is_some_and(|p| p.items.iter().all(|i| i.kind == ItemKind::Text))
    );
    let other = rme.item("rol_otro").unwrap_or_else(|| panic!("rol_otro"));
    let cond = other
        .relevant
        .as_ref()
        .unwrap_or_else(|| panic!("relevant"));
    assert!(cond.evaluate(&[("rol", "other")][..]));
    assert!(!cond.evaluate(&[("rol", "docente")][..]));
}

#[test]
fn seed_findings_are_items_with_sentence_templates() {
    let rme = default_rme();
    for name in ["pro_1", "col_1", "hor_1", "comp_1"] {
        let item = rme.item(name).unwrap_or_else(|| panic!("{name}"));
        assert!(!item.reverse, "{name}: findings read as agreement");
        for lang in [Lang::Es, Lang::En] {
            let f = item.finding(lang).unwrap_or_default();
            assert!(f.contains("{n}"), "{name}: {f}");
        }
    }
    assert_eq!(
        rme.item("pro_1").and_then(|i| i.finding(Lang::Es)),
        Some(
            "{n} de cada 10 participantes aplican en su establecimiento el conocimiento generado en la red"
        )
    );
}

#[test]
fn the_agreement_scale_is_built_in_with_no_aplica() {
    let rme = default_rme();
    let scale = rme
        .choice_list(ACUERDO5)
        .unwrap_or_else(|| panic!("acuerdo5"));
    let labels: Vec<&str> = scale.choices.iter().map(|c| c.label(Lang::Es)).collect();
    assert_eq!(
        labels,
        [
            "Totalmente en desacuerdo",
            "En desacuerdo",
            "Ni de acuerdo ni en desacuerdo",
            "De acuerdo",
            "Totalmente de acuerdo",
            "No aplica"
        ]
    );
    assert_eq!(scale.choices[5].name, "NA");
    assert_eq!(scale.choices[5].label(Lang::En), "Not applicable");
}

#[test]
fn the_survey_sheet_alone_reads_as_a_csv_instrument() {
    // The results commands take the survey CSV as their instrument; its rating
    // items must be the same as the full form's.
    let survey = include_bytes!("../../forms/rme/survey.csv");
    // Without the choices sheet the role list is unknown, so drop that row.
    let text = String::from_utf8_lossy(survey);
    let kept: String = text
        .lines()
        .filter(|l| !l.starts_with("select_one rol,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let kept = kept.replace("${rol} = 'other'", "");
    let csv = read_csv("rme.csv", kept.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    let full = default_rme();
    assert_eq!(csv.rating_items(), full.rating_items());
    // Dimension labels come from the shipped form when the file has none.
    assert_eq!(
        csv.scale_label("capital_social", Lang::En),
        "Social capital"
    );
}

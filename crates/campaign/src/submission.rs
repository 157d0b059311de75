//! Checking one submitted page of a questionnaire.
//!
//! A page save keeps every valid answer even when another field on the page
//! is wrong, so a half-filled page is never lost; the wrong fields come back
//! with their message.

use std::collections::BTreeMap;

use trama_instrument::{AnswerProblem, Instrument, ItemKind, Page};

/// What a page submission changes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageResult {
    /// Item name → value to store; an empty value clears the answer.
    pub accepted: BTreeMap<String, String>,
    /// Item name → why its value was refused (the stored answer is kept).
    pub errors: BTreeMap<String, AnswerProblem>,
    /// Required questions of the page (relevant ones) still empty once the
    /// accepted answers are in: they stop "continue", never "save".
    pub missing: Vec<String>,
}

/// Checks the fields posted for `page` against the instrument, given the
/// answers stored so far. Radio groups that were not posted keep their stored
/// answer (a radio cannot be unticked); text and number fields posted empty
/// clear it; a multiple choice is posted with a hidden empty field so that
/// unticking every box clears it too. Answers to questions a display
/// condition now hides are cleared, as XLSForm does.
pub fn check_page(
    instrument: &Instrument,
    page: &Page<'_>,
    posted: &[(String, String)],
    stored: &BTreeMap<String, String>,
) -> PageResult {
    let mut fields: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (k, v) in posted {
        fields.entry(k.as_str()).or_default().push(v.as_str());
    }
    let mut merged = stored.clone();
    let mut result = PageResult::default();
    for item in page.items.iter().filter(|i| i.is_question()) {
        let Some(values) = fields.get(item.name.as_str()) else {
            continue;
        };
        let value = match item.kind {
            ItemKind::SelectMultiple { .. } => {
                let parts: Vec<&str> = values
                    .iter()
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
                    .collect();
                parts.join(" ")
            }
            _ => values
                .iter()
                .rev()
                .map(|v| v.trim())
                .find(|v| !v.is_empty())
                .unwrap_or("")
                .to_owned(),
        };
        match instrument.check_answer(item, &value, &merged) {
            Ok(()) => {
                merged.insert(item.name.clone(), value.clone());
                result.accepted.insert(item.name.clone(), value);
            }
            Err(problem) => {
                result.errors.insert(item.name.clone(), problem);
            }
        }
    }
    for item in page.items.iter().filter(|i| i.is_question()) {
        let has_value = merged.get(&item.name).is_some_and(|v| !v.is_empty());
        if has_value && !instrument.is_relevant(item, &merged) {
            result.accepted.insert(item.name.clone(), String::new());
        }
    }
    result.missing = page
        .items
        .iter()
        .filter(|i| i.is_question() && i.required && !result.errors.contains_key(&i.name))
        .filter(|i| merged.get(&i.name).is_none_or(|v| v.trim().is_empty()))
        .filter(|i| instrument.is_relevant(i, &merged))
        .map(|i| i.name.clone())
        .collect();
    result
}

/// How many rating statements have an answer ("No aplica" included).
pub fn rating_answered(instrument: &Instrument, answers: &BTreeMap<String, String>) -> u32 {
    instrument
        .rating_items()
        .iter()
        .filter(|i| answers.get(&i.name).is_some_and(|v| !v.trim().is_empty()))
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use trama_instrument::default_rme;

    fn posted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn valid_answers_are_kept_beside_a_wrong_one() {
        let rme = default_rme();
        let pages = rme.pages();
        let page = pages
            .iter()
            .find(|p| p.name() == Some("confianza"))
            .unwrap_or_else(|| panic!("confianza page"));
        let r = check_page(
            &rme,
            page,
            &posted(&[("conf_1", "4"), ("conf_2", "NA"), ("conf_3", "9")]),
            &BTreeMap::new(),
        );
        assert_eq!(r.accepted.get("conf_1").map(String::as_str), Some("4"));
        assert_eq!(
            r.accepted.get("conf_2").map(String::as_str),
            Some("NA"),
            "No aplica is an answer"
        );
        assert!(matches!(
            r.errors.get("conf_3"),
            Some(AnswerProblem::NotAChoice { .. })
        ));
        assert!(
            !r.accepted.contains_key("conf_4"),
            "not posted, not touched"
        );
    }

    #[test]
    fn na_counts_as_answered_blank_does_not() {
        let rme = default_rme();
        let mut a = BTreeMap::new();
        a.insert("conf_1".to_owned(), "NA".to_owned());
        a.insert("conf_2".to_owned(), "3".to_owned());
        a.insert("conf_3".to_owned(), String::new());
        a.insert("facilita".to_owned(), "texto".to_owned());
        assert_eq!(rating_answered(&rme, &a), 2);
    }

    #[test]
    fn hidden_questions_are_cleared() {
        let rme = default_rme();
        let pages = rme.pages();
        let page = pages
            .iter()
            .find(|p| p.name() == Some("perfil"))
            .unwrap_or_else(|| panic!("perfil page"));
        let other = rme.item("rol_otro").unwrap_or_else(|| panic!("rol_otro"));
        let shown_for = other
            .relevant
            .as_ref()
            .and_then(|r| r.references().first().map(|s| (*s).to_owned()));
        assert_eq!(shown_for.as_deref(), Some("rol"));
        let mut stored = BTreeMap::new();
        stored.insert("rol".to_owned(), "other".to_owned());
        stored.insert("rol_otro".to_owned(), "asesor".to_owned());
        let r = check_page(&rme, page, &posted(&[("rol", "director")]), &stored);
        assert_eq!(r.accepted.get("rol_otro").map(String::as_str), Some(""));
    }

    #[test]
    fn required_questions_left_empty_are_missing_on_their_page() {
        let rme = default_rme();
        let pages = rme.pages();
        let page = pages
            .iter()
            .find(|p| p.name() == Some("perfil"))
            .unwrap_or_else(|| panic!("perfil page"));
        let r = check_page(&rme, page, &posted(&[("anos_red", "3")]), &BTreeMap::new());
        assert_eq!(
            r.missing,
            vec!["rol".to_owned()],
            "rol is required, anos_red given"
        );
        let mut stored = BTreeMap::new();
        stored.insert("rol".to_owned(), "director".to_owned());
        let r = check_page(&rme, page, &posted(&[("anos_red", "")]), &stored);
        assert_eq!(
            r.missing,
            vec!["anos_red".to_owned()],
            "cleared now, stored before"
        );
        let r = check_page(&rme, page, &posted(&[("anos_red", "x")]), &stored);
        assert!(
            r.missing.is_empty(),
            "a refused value is an error, not twice"
        );
        assert!(r.errors.contains_key("anos_red"));
    }
}

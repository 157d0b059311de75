//! What a person is shown of the problems found in a file, the same in the
//! terminal and on a page: at most [`SHOWN`] of them, then one line counting
//! the rest; every value, column name or argument that comes from the file
//! echoed on one line, cut short, with control characters named. A file of
//! 100,000 unknown columns then gives a screenful, not 17 MB.

use std::borrow::Cow;

use trama_i18n::{Lang, number};

use crate::CellError;

/// Problems listed one by one; the rest are counted.
pub const SHOWN: usize = 100;

/// Characters of a value echoed in a message.
pub const ECHO_CHARS: usize = 60;

/// Characters of a message's argument (longer: some are Trama's own lists).
pub const ARG_CHARS: usize = 200;

/// `s` as messages quote it: at most [`ECHO_CHARS`] characters then `…`,
/// control characters (tab and line breaks included) written `<U+001B>`.
pub fn echo(s: &str) -> Cow<'_, str> {
    trama_stdx::text::echo(s, ECHO_CHARS)
}

/// "… y 99.900 problemas más" / "… and 99,900 more problems".
pub fn more(count: u64, lang: Lang) -> String {
    trama_i18n::t!(
        lang,
        "csv-more-problems",
        count = count,
        shown = number::integer(count, lang)
    )
}

/// The lines for `problems`: the first [`SHOWN`] rendered by `render`,
/// then, when there are more (or `omitted` were left out already), one line
/// counting them. For problem types other than [`CellError`] (a form's).
pub fn capped<T>(
    problems: &[T],
    omitted: u64,
    lang: Lang,
    render: impl Fn(&T) -> String,
) -> Vec<String> {
    let mut out: Vec<String> = problems.iter().take(SHOWN).map(render).collect();
    let rest = problems.len().saturating_sub(SHOWN) as u64 + omitted;
    if rest > 0 {
        out.push(more(rest, lang));
    }
    out
}

/// The lines for a file's problems, as [`capped`]; the count a reader
/// left out ([`CellError::omitted`]) joins the count of the rest.
pub fn lines(errors: &[CellError], lang: Lang) -> Vec<String> {
    let omitted: u64 = errors.iter().filter_map(CellError::omitted_count).sum();
    let listed: Vec<&CellError> = errors
        .iter()
        .filter(|e| e.omitted_count().is_none())
        .collect();
    capped(&listed, omitted, lang, |e| e.render(lang))
}

/// How many problems `errors` stands for, those left out included.
pub fn total(errors: &[CellError]) -> u64 {
    errors.iter().map(|e| e.omitted_count().unwrap_or(1)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Issue;

    fn unknown(i: usize) -> CellError {
        CellError::header(
            "p.csv",
            Some(&format!("col{i}")),
            Issue::message("csv-missing-column"),
        )
    }

    #[test]
    fn a_hundred_problems_then_the_count_of_the_rest() {
        let errors: Vec<CellError> = (0..100_000).map(unknown).collect();
        let es = lines(&errors, Lang::Es);
        assert_eq!(es.len(), SHOWN + 1);
        assert_eq!(es[SHOWN], "… y 99.900 problemas más");
        assert_eq!(
            lines(&errors, Lang::En)[SHOWN],
            "… and 99,900 more problems"
        );
        let few: Vec<CellError> = (0..SHOWN).map(unknown).collect();
        assert_eq!(
            lines(&few, Lang::Es).len(),
            SHOWN,
            "no count line when all are shown"
        );
        let one_more: Vec<CellError> = (0..=SHOWN).map(unknown).collect();
        assert_eq!(lines(&one_more, Lang::Es)[SHOWN], "… y 1 problema más");
    }

    #[test]
    fn problems_a_reader_left_out_are_counted_with_the_rest() {
        let mut errors: Vec<CellError> = (0..3).map(unknown).collect();
        errors.push(CellError::omitted("p.csv", 1_500));
        let en = lines(&errors, Lang::En);
        assert_eq!(en.len(), 4, "{en:?}");
        assert_eq!(en[3], "… and 1,500 more problems");
        assert_eq!(total(&errors), 1_503);
    }

    #[test]
    fn values_and_columns_from_the_file_are_echoed_short_and_visible() {
        let e = CellError {
            file: "p.csv".into(),
            line: Some(2),
            column: Some(format!("a\u{1B}[2J{}", "b".repeat(200))),
            position: None,
            value: Some(format!("x\ny\u{7}{}", "z".repeat(200))),
            issue: Issue::with_args("csv-unknown-column", vec![("accepted", "q".repeat(500))]),
        };
        let text = e.render(Lang::Es);
        assert!(!text.chars().any(char::is_control), "{text:?}");
        assert!(text.starts_with("p.csv:2: a<U+001B>[2J"), "{text}");
        assert!(text.contains("\"x<U+000A>y<U+0007>zz"), "{text}");
        assert!(
            text.chars().count() < 500,
            "{} chars: {text}",
            text.chars().count()
        );
    }
}

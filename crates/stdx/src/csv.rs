//! CSV cells made safe to open in a spreadsheet (CSV or formula injection,
//! OWASP). A name such as `=HYPERLINK("http://…","Ver")` typed into a form
//! would otherwise run as a formula on the researcher's machine when the
//! export is opened in Excel or LibreOffice.

use std::borrow::Cow;

/// The OWASP rule: a cell beginning with `=`, `+`, `-`, `@`, tab or carriage
/// return gets a single quote `'` in front, which spreadsheets read as "this
/// is text" and display without it.
///
/// Exemption: a plain number keeps its sign. A cell that is an optional `+`
/// or `-`, digits and at most one decimal point (`-3`, `-2.5`, `+4`, `-.5`)
/// cannot be a formula, and quoting it would turn researchers' numeric
/// columns (differences, centred scores) into text. Anything else after the
/// sign (`-2+3`, `-1e5`, `--3`, `-`) is quoted.
///
/// Write the result with a CSV writer as usual: quoting for commas and
/// quotes is the writer's job, this only decides the first character.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'@' | b'\t' | b'\r') => quoted(cell),
        Some(b'+' | b'-') if !is_plain_number(cell) => quoted(cell),
        _ => Cow::Borrowed(cell),
    }
}

/// The inverse of [`neutralise`], for Trama's own readers, so that a file
/// Trama wrote reads back as it was: a leading `'` is dropped when what
/// follows is something `neutralise` would have quoted. Anything else (a
/// name that really begins with an apostrophe, `'-3`) is left alone.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if matches!(neutralise(rest), Cow::Owned(_)) => rest,
        _ => cell,
    }
}

fn quoted(cell: &str) -> Cow<'_, str> {
    let mut s = String::with_capacity(cell.len() + 1);
    s.push('\'');
    s.push_str(cell);
    Cow::Owned(s)
}

/// `[+-]?` then digits with at most one `.`, at least one digit, and a
/// finite value.
fn is_plain_number(cell: &str) -> bool {
    let body = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    let points = body.bytes().filter(|b| *b == b'.').count();
    digits > 0
        && points <= 1
        && digits + points == body.len()
        && cell.parse::<f64>().is_ok_and(f64::is_finite)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_character_is_quoted() {
        for cell in [
            "=HYPERLINK(\"http://x\",\"Ver\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=",
            "-",
            "+",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn plain_numbers_keep_their_sign() {
        for cell in ["-3", "-2.5", "+4", "-.5", "-5.", "3", "0.25", "-0"] {
            assert!(
                matches!(neutralise(cell), Cow::Borrowed(c) if c == cell),
                "{cell}"
            );
        }
    }

    #[test]
    fn signs_with_anything_but_digits_and_one_point_are_quoted() {
        for cell in [
            "-1e5", "--3", "-1.2.3", "+inf", "-NaN", "- 3", "-3 ", "-3,5",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn restore_undoes_neutralise_and_nothing_else() {
        for cell in [
            "=1+1", "-2+3", "@x", "\tx", "\rx", "-3", "Liceo", "'a", "", "'",
        ] {
            assert_eq!(restore(&neutralise(cell)), cell, "{cell:?}");
        }
        assert_eq!(restore("'-3"), "'-3");
        assert_eq!(restore("'O'Higgins"), "'O'Higgins");
    }

    #[test]
    fn ordinary_text_is_untouched() {
        for cell in ["", "Liceo A", "NA", "a=b", " =1", "'ya citado", "Peñalolén"] {
            assert!(matches!(neutralise(cell), Cow::Borrowed(_)), "{cell:?}");
        }
    }
}

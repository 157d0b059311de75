//! Control characters refused where people's text comes in: a NUL or an
//! escape sequence pasted into a name travels to CSV exports, e-mail,
//! PDFs and terminals, where it truncates, garbles or hides text. Names are
//! one line; descriptions and comments may span lines.

use trama_stdx::text::{code_point, forbidden_control, forbidden_in_line};

use crate::problem::{FieldProblem, Problem};

/// A one-line value (a name, a code, a label): no control character at
/// all, tab and line breaks included.
pub fn line(value: &str) -> Result<(), Problem> {
    refuse(forbidden_in_line(value))
}

/// Multi-line text (a description, a comment): tab and line breaks are
/// fine, other control characters are not.
pub fn multiline(value: &str) -> Result<(), Problem> {
    refuse(forbidden_control(value))
}

/// [`line`], attached to the form field or column `field`.
pub fn check_line(field: &str, value: &str) -> Result<(), FieldProblem> {
    line(value).map_err(|p| FieldProblem::new(field, p))
}

/// [`multiline`], attached to the form field or column `field`.
pub fn check_text(field: &str, value: &str) -> Result<(), FieldProblem> {
    multiline(value).map_err(|p| FieldProblem::new(field, p))
}

fn refuse(found: Option<char>) -> Result<(), Problem> {
    match found {
        None => Ok(()),
        Some(c) => Err(Problem::ControlCharacter {
            found: code_point(c),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trama_i18n::Lang;

    #[test]
    fn names_refuse_every_control_character() {
        assert_eq!(check_line("name", "Liceo A"), Ok(()));
        let p = check_line("name", "Liceo\u{0}A").err();
        assert_eq!(
            p,
            Some(FieldProblem::new(
                "name",
                Problem::ControlCharacter {
                    found: "U+0000".into()
                }
            ))
        );
        assert!(check_line("name", "Liceo\tA").is_err());
        assert!(check_line("name", "Liceo\nA").is_err());
        assert!(check_line("name", "\u{1B}[2J").is_err());
    }

    #[test]
    fn text_keeps_tabs_and_line_breaks() {
        assert_eq!(check_text("description", "uno\r\ndos\ttres"), Ok(()));
        assert!(check_text("description", "uno\u{7}").is_err());
        assert!(check_text("description", "\u{9B}").is_err(), "C1 too");
    }

    #[test]
    fn the_message_names_the_character_in_both_languages() {
        let p = Problem::ControlCharacter {
            found: "U+001B".into(),
        };
        assert!(p.render(Lang::Es).contains("carácter de control (U+001B)"));
        assert!(p.render(Lang::En).contains("control character (U+001B)"));
    }

    #[test]
    fn the_shared_name_check_refuses_them_too() {
        assert_eq!(
            crate::problem::text(" Liceo\u{1}A ", 200),
            Err(Problem::ControlCharacter {
                found: "U+0001".into()
            })
        );
        assert_eq!(
            crate::problem::text(" Liceo A\n", 200),
            Ok("Liceo A".into())
        );
    }
}

//! What can be wrong with one value. Imports, forms and the API all report
//! problems with this type so that a user reads the same sentence wherever the
//! mistake was made; the sentence itself lives in the translation files.

use serde::Serialize;
use trama_i18n::{FluentArgs, Lang, message};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    #[error("value required")]
    Required,
    #[error("not a whole number")]
    NotAnInteger,
    #[error("not a number")]
    NotANumber,
    #[error("out of range {min}..={max}")]
    OutOfRange { min: i64, max: i64 },
    #[error("longer than {max} characters")]
    TooLong { max: usize },
    #[error("invalid email address")]
    InvalidEmail,
    #[error("invalid code")]
    InvalidCode,
    #[error("unknown region")]
    UnknownRegion,
    #[error("unknown dependency")]
    UnknownDependency,
    #[error("unknown school status")]
    UnknownStatus,
    #[error("unknown role")]
    UnknownRole,
    #[error("not 0/1")]
    NotABoolean,
    #[error("check digit does not match")]
    CheckDigit,
    #[error("from {from} is after to {to}")]
    YearSpanReversed { from: i32, to: i32 },
    #[error("duplicate of line {first_line}")]
    DuplicateOf { first_line: u64 },
    #[error("no school with that RBD")]
    UnknownSchool,
    #[error("no network with that code")]
    UnknownNetwork,
    #[error("school or network required")]
    SchoolOrNetwork,
    #[error("role needs a network")]
    RoleNeedsNetwork,
    #[error("comuna belongs to another region")]
    ComunaRegionMismatch,
    #[error("already exists")]
    AlreadyExists,
    #[error("closes before it opens")]
    ClosesBeforeOpening,
    #[error("no longer a draft")]
    NotADraft,
    #[error("nobody is invited")]
    NoInvitees,
    #[error("no such person within reach")]
    UnknownPerson,
    /// A control character (NUL, an escape, a line break in a name): shown
    /// as `U+0000`, since the character itself is invisible or harmful.
    #[error("control character {found}")]
    ControlCharacter { found: String },
    #[error("not a date (YYYY-MM-DD)")]
    InvalidDate,
    #[error("unknown session modality")]
    UnknownModality,
    #[error("school not in the network that year")]
    SchoolNotInNetwork,
    #[error("person not a member of the network that year")]
    PersonNotInNetwork,
    /// One code of a list that names no network (the list says which).
    #[error("no network with code {code}")]
    NoNetworkCode { code: String },
    /// Equal to an existing code but for letter case ("rme-2026" beside
    /// "RME-2026"): two such codes would be told apart by nobody.
    #[error("same as {existing} but for case")]
    SameCodeAs { existing: String },
}

impl Problem {
    /// The Fluent message id that explains this problem.
    pub fn message_id(&self) -> &'static str {
        match self {
            Problem::Required => "problem-required",
            Problem::NotAnInteger => "problem-not-an-integer",
            Problem::NotANumber => "problem-not-a-number",
            Problem::OutOfRange { .. } => "problem-out-of-range",
            Problem::TooLong { .. } => "problem-too-long",
            Problem::InvalidEmail => "problem-invalid-email",
            Problem::InvalidCode => "problem-invalid-code",
            Problem::UnknownRegion => "problem-unknown-region",
            Problem::UnknownDependency => "problem-unknown-dependency",
            Problem::UnknownStatus => "problem-unknown-status",
            Problem::UnknownRole => "problem-unknown-role",
            Problem::NotABoolean => "problem-not-a-boolean",
            Problem::CheckDigit => "problem-check-digit",
            Problem::YearSpanReversed { .. } => "problem-year-span-reversed",
            Problem::DuplicateOf { .. } => "problem-duplicate-of",
            Problem::UnknownSchool => "problem-unknown-school",
            Problem::UnknownNetwork => "problem-unknown-network",
            Problem::SchoolOrNetwork => "problem-school-or-network",
            Problem::RoleNeedsNetwork => "problem-role-needs-network",
            Problem::ComunaRegionMismatch => "problem-comuna-region-mismatch",
            Problem::AlreadyExists => "problem-already-exists",
            Problem::ClosesBeforeOpening => "problem-closes-before-opening",
            Problem::NotADraft => "problem-not-a-draft",
            Problem::NoInvitees => "problem-no-invitees",
            Problem::UnknownPerson => "problem-unknown-person",
            Problem::ControlCharacter { .. } => "problem-control-character",
            Problem::InvalidDate => "problem-invalid-date",
            Problem::UnknownModality => "problem-unknown-modality",
            Problem::SchoolNotInNetwork => "problem-school-not-in-network",
            Problem::PersonNotInNetwork => "problem-person-not-in-network",
            Problem::NoNetworkCode { .. } => "problem-no-network-code",
            Problem::SameCodeAs { .. } => "problem-same-code-as",
        }
    }

    /// The sentence in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut args = FluentArgs::new();
        match self {
            Problem::OutOfRange { min, max } => {
                args.set("min", *min);
                args.set("max", *max);
            }
            Problem::TooLong { max } => args.set("max", *max),
            Problem::YearSpanReversed { from, to } => {
                args.set("from", *from);
                args.set("to", *to);
            }
            Problem::DuplicateOf { first_line } => args.set("line", *first_line),
            Problem::ControlCharacter { found } => args.set("char", found.clone()),
            Problem::NoNetworkCode { code } => args.set("code", code.clone()),
            Problem::SameCodeAs { existing } => args.set("existing", existing.clone()),
            _ => {}
        }
        message(lang, self.message_id(), Some(&args))
    }
}

/// A problem attached to the field (form input, CSV column, JSON member) it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: String,
    #[serde(flatten)]
    pub problem: Problem,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }
}

/// Checks a one-line text field (a name): trimmed, non-empty when
/// required, without control characters, bounded.
pub fn text(value: &str, max: usize) -> Result<String, Problem> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Problem::Required);
    }
    crate::text::line(v)?;
    if v.chars().count() > max {
        return Err(Problem::TooLong { max });
    }
    Ok(v.to_owned())
}

/// Like [`text`] but an empty value is `None`.
pub fn optional_text(value: &str, max: usize) -> Result<Option<String>, Problem> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        text(value, max).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_has_both_translations() {
        let all = [
            Problem::Required,
            Problem::NotAnInteger,
            Problem::NotANumber,
            Problem::OutOfRange { min: 1, max: 2 },
            Problem::TooLong { max: 3 },
            Problem::InvalidEmail,
            Problem::InvalidCode,
            Problem::UnknownRegion,
            Problem::UnknownDependency,
            Problem::UnknownStatus,
            Problem::UnknownRole,
            Problem::NotABoolean,
            Problem::CheckDigit,
            Problem::YearSpanReversed { from: 2, to: 1 },
            Problem::DuplicateOf { first_line: 4 },
            Problem::UnknownSchool,
            Problem::UnknownNetwork,
            Problem::SchoolOrNetwork,
            Problem::RoleNeedsNetwork,
            Problem::ComunaRegionMismatch,
            Problem::AlreadyExists,
            Problem::ClosesBeforeOpening,
            Problem::NotADraft,
            Problem::NoInvitees,
            Problem::UnknownPerson,
            Problem::ControlCharacter {
                found: "U+0000".into(),
            },
            Problem::NoNetworkCode { code: "RME".into() },
            Problem::SameCodeAs {
                existing: "RME-2026".into(),
            },
        ];
        for p in all {
            for lang in Lang::ALL {
                assert!(
                    trama_i18n::has_message(lang, p.message_id()),
                    "{p:?} has no {lang:?} text"
                );
            }
            assert_ne!(p.render(Lang::Es), p.render(Lang::En), "{p:?}");
        }
    }

    #[test]
    fn arguments_reach_the_sentence() {
        let s = Problem::DuplicateOf { first_line: 17 }.render(Lang::Es);
        assert!(s.contains("17"), "{s}");
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("  Liceo  ", 10), Ok("Liceo".into()));
        assert_eq!(text("   ", 10), Err(Problem::Required));
        assert_eq!(text("ñandú", 4), Err(Problem::TooLong { max: 4 }));
        assert_eq!(optional_text("", 4), Ok(None));
    }
}

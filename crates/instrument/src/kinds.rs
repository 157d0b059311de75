//! Question types as XLSForm writes them in the `type` column, and the
//! built-in agreement scale `acuerdo5`.

use serde::{Deserialize, Serialize};
use trama_i18n::{Lang, message};

use crate::model::{Choice, ChoiceList};

/// The built-in five-point agreement list.
pub const ACUERDO5: &str = "acuerdo5";

/// Collaboration levels of a roster tie, weakest first: 0 none, 1 networking
/// (knowing of each other), 2 cooperation, 3 coordination, 4 coalition,
/// 5 collaboration. "I do not know this person" is not a level: it says
/// nothing about the tie, while 0 says there is none.
pub const COLLABORATION_LEVELS: [&str; 6] = [
    "none",
    "networking",
    "cooperation",
    "coordination",
    "coalition",
    "collaboration",
];

/// What two people exchange, the six process foci: two informative
/// (information, training), two collaborative (practices, learnings), two
/// cooperative (joint resources, joint socio-educational projects).
pub const FOCI: [&str; 6] = [
    "information",
    "training",
    "practices",
    "learnings",
    "resources",
    "projects",
];

/// The process type of a focus: `informative`, `collaborative` or `cooperative`.
pub fn focus_process(focus: &str) -> Option<&'static str> {
    match FOCI.iter().position(|f| *f == focus)? {
        0 | 1 => Some("informative"),
        2 | 3 => Some("collaborative"),
        _ => Some("cooperative"),
    }
}

/// Values of `acuerdo5`, in order. `NA` is "No aplica", an answer in its own
/// right, never the same as leaving the question blank.
pub const ACUERDO5_VALUES: [&str; 6] = ["1", "2", "3", "4", "5", "NA"];

/// The kind of a row of the `survey` sheet. Serialized as `"kind"` (and
/// `"list"` for choice questions) next to the item's other fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemKind {
    /// `select_one acuerdo5`: a statement rated on the agreement scale.
    Rating,
    SelectOne {
        list: String,
    },
    SelectMultiple {
        list: String,
    },
    Integer,
    Decimal,
    Text,
    /// Text shown to the respondent, no answer.
    Note,
    /// `roster`: the respondent rates how closely they work with each other
    /// member of their network (a collaboration level, [`COLLABORATION_LEVELS`])
    /// and what they exchange ([`FOCI`]). Trama's own type: the answers are
    /// ties between people, so they are stored apart from the anonymous
    /// answers (see the store's `ties`).
    Roster,
    /// Opens a section; a top-level group is one page of the questionnaire.
    BeginGroup,
    EndGroup,
}

/// What the `type` cell says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeCell {
    Kind(ItemKind),
    /// ODK's automatic metadata (`start`, `end`, `deviceid`…): no question,
    /// so nothing to keep; forms exported from KoboToolbox carry them.
    Metadata,
    Unknown,
}

impl ItemKind {
    /// Parses the `type` column: `select_one LIST`, `select_multiple LIST`,
    /// `integer`, `decimal`, `text`, `note`, `begin_group`, `end_group`
    /// (XLSForm's spellings with spaces are accepted too).
    pub(crate) fn parse(cell: &str) -> TypeCell {
        let words: Vec<&str> = cell.split_whitespace().collect();
        let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let kind = match lower.as_slice() {
            ["integer" | "int"] => ItemKind::Integer,
            ["decimal"] => ItemKind::Decimal,
            ["text"] => ItemKind::Text,
            ["note"] => ItemKind::Note,
            ["roster"] => ItemKind::Roster,
            ["begin_group"] | ["begin", "group"] => ItemKind::BeginGroup,
            ["end_group"] | ["end", "group"] => ItemKind::EndGroup,
            ["select_one", _] | ["select", "one", _] => {
                let list = words[words.len() - 1];
                if list == ACUERDO5 {
                    ItemKind::Rating
                } else {
                    ItemKind::SelectOne { list: list.into() }
                }
            }
            ["select_multiple", _] | ["select", "multiple", _] => ItemKind::SelectMultiple {
                list: words[words.len() - 1].into(),
            },
            [
                "start" | "end" | "today" | "deviceid" | "username" | "simserial" | "subscriberid"
                | "phonenumber" | "audit" | "email",
            ] => return TypeCell::Metadata,
            _ => return TypeCell::Unknown,
        };
        TypeCell::Kind(kind)
    }

    /// The `type` cell XLSForm writes for this kind.
    pub fn xlsform_type(&self) -> String {
        match self {
            ItemKind::Rating => format!("select_one {ACUERDO5}"),
            ItemKind::SelectOne { list } => format!("select_one {list}"),
            ItemKind::SelectMultiple { list } => format!("select_multiple {list}"),
            ItemKind::Integer => "integer".into(),
            ItemKind::Decimal => "decimal".into(),
            ItemKind::Text => "text".into(),
            ItemKind::Note => "note".into(),
            ItemKind::Roster => "roster".into(),
            ItemKind::BeginGroup => "begin_group".into(),
            ItemKind::EndGroup => "end_group".into(),
        }
    }

    /// The choice list the question draws from, `acuerdo5` for ratings.
    pub fn list(&self) -> Option<&str> {
        match self {
            ItemKind::Rating => Some(ACUERDO5),
            ItemKind::SelectOne { list } | ItemKind::SelectMultiple { list } => Some(list),
            _ => None,
        }
    }

    /// Whether the respondent answers it (groups and notes are not answered).
    /// Roster answers are ties, kept apart from the answer map, so a roster
    /// is not a question here.
    pub fn is_question(&self) -> bool {
        !matches!(
            self,
            ItemKind::Note | ItemKind::BeginGroup | ItemKind::EndGroup | ItemKind::Roster
        )
    }

    pub fn is_group_marker(&self) -> bool {
        matches!(self, ItemKind::BeginGroup | ItemKind::EndGroup)
    }
}

/// The `acuerdo5` list with its labels from the translation files.
pub fn acuerdo5() -> ChoiceList {
    let choices = ACUERDO5_VALUES
        .iter()
        .map(|v| {
            let id = format!("instrument-acuerdo5-{}", v.to_ascii_lowercase());
            Choice {
                name: (*v).to_owned(),
                label_es: message(Lang::Es, &id, None),
                label_en: message(Lang::En, &id, None),
            }
        })
        .collect();
    ChoiceList {
        name: ACUERDO5.into(),
        choices,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_parse_in_both_spellings() {
        assert_eq!(
            ItemKind::parse("select_one acuerdo5"),
            TypeCell::Kind(ItemKind::Rating)
        );
        assert_eq!(
            ItemKind::parse("select one rol"),
            TypeCell::Kind(ItemKind::SelectOne { list: "rol".into() })
        );
        assert_eq!(
            ItemKind::parse("Begin Group"),
            TypeCell::Kind(ItemKind::BeginGroup)
        );
        assert_eq!(ItemKind::parse("start"), TypeCell::Metadata);
        assert_eq!(ItemKind::parse("select_one"), TypeCell::Unknown);
        assert_eq!(ItemKind::parse("calculate"), TypeCell::Unknown);
        assert_eq!(ItemKind::parse(""), TypeCell::Unknown);
    }
}

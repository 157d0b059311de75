//! The instrument as Trama keeps it: what XLSForm says, checked and typed.
//!
//! Items keep the order and the group markers of the `survey` sheet, so an
//! exported form reads like the imported one. Field names are part of the
//! JSON contract (`trama instrument show --format json`): keep them stable.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use trama_i18n::Lang;

use crate::kinds::ItemKind;
use crate::relevant::Expr;

/// The list whose choices label dimension codes, when a form defines it.
pub const DIMENSION_LIST: &str = "dimension";
/// The list whose choices label sub-dimension codes, when a form defines it.
pub const SUBDIMENSION_LIST: &str = "subdimension";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instrument {
    pub form_id: String,
    /// The form's own version label (XLSForm `settings.version`); empty when
    /// the file has none. Whether content changed is [`Instrument::fingerprint`]'s job.
    pub version: String,
    /// `es` or `en`.
    pub default_language: String,
    pub title_es: String,
    pub title_en: String,
    pub items: Vec<Item>,
    /// Every list the form uses or defines, `acuerdo5` included when used.
    pub choice_lists: Vec<ChoiceList>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable code: the column in response files, and what makes answers
    /// comparable across years and versions.
    pub name: String,
    #[serde(flatten)]
    pub kind: ItemKind,
    pub label_es: String,
    /// Empty when the form has no English label; [`Item::label`] falls back.
    pub label_en: String,
    pub hint_es: Option<String>,
    pub hint_en: Option<String>,
    pub required: bool,
    pub relevant: Option<Expr>,
    /// Checked against the answer, `.` standing for it (e.g. `. >= 0 and . <= 30`).
    pub constraint: Option<Expr>,
    pub dimension: Option<String>,
    pub subdimension: Option<String>,
    /// Reverse-keyed: agreeing is unfavourable.
    pub reverse: bool,
    /// Describes the respondent (a profile question) well enough to help
    /// single them out: a quasi-identifier for the researchers' files.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub identifying: bool,
    /// Sentence templates for findings, `{n}` standing for "n in 10".
    pub finding_es: Option<String>,
    pub finding_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceList {
    pub name: String,
    pub choices: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// The value stored in answers.
    pub name: String,
    pub label_es: String,
    pub label_en: String,
}

/// One page of the questionnaire: a top-level group, or a run of questions
/// outside any group.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<'a> {
    /// The `begin_group` row; `None` for questions outside groups.
    pub group: Option<&'a Item>,
    /// Questions and notes of the page in order (nested group markers left out).
    pub items: Vec<&'a Item>,
}

impl Page<'_> {
    pub fn name(&self) -> Option<&str> {
        self.group.map(|g| g.name.as_str())
    }

    pub fn label(&self, lang: Lang) -> Option<&str> {
        self.group.map(|g| g.label(lang))
    }
}

/// A dimension with its sub-dimensions, in instrument order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    pub code: String,
    pub label_es: String,
    pub label_en: String,
    pub subdimensions: Vec<Subdimension>,
    /// Names of every rating item of the dimension.
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subdimension {
    pub code: String,
    pub label_es: String,
    pub label_en: String,
    pub items: Vec<String>,
}

fn pick<'a>(lang: Lang, es: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::En if !en.is_empty() => en,
        _ => es,
    }
}

fn pick_opt<'a>(lang: Lang, es: &'a Option<String>, en: &'a Option<String>) -> Option<&'a str> {
    match (lang, es, en) {
        (Lang::En, _, Some(en)) => Some(en),
        (_, Some(es), _) => Some(es),
        (Lang::Es, None, Some(en)) => Some(en),
        _ => None,
    }
}

impl Item {
    pub fn label(&self, lang: Lang) -> &str {
        pick(lang, &self.label_es, &self.label_en)
    }

    pub fn hint(&self, lang: Lang) -> Option<&str> {
        pick_opt(lang, &self.hint_es, &self.hint_en)
    }

    pub fn finding(&self, lang: Lang) -> Option<&str> {
        pick_opt(lang, &self.finding_es, &self.finding_en)
    }

    pub fn is_rating(&self) -> bool {
        self.kind == ItemKind::Rating
    }

    /// Whether the respondent answers it (not a note or a group marker).
    pub fn is_question(&self) -> bool {
        self.kind.is_question()
    }

    /// Lower and upper bounds from a `constraint` like `. >= 0 and . <= 30`.
    pub fn bounds(&self) -> (Option<f64>, Option<f64>) {
        self.constraint
            .as_ref()
            .map(Expr::bounds)
            .unwrap_or((None, None))
    }
}

impl Choice {
    pub fn label(&self, lang: Lang) -> &str {
        pick(lang, &self.label_es, &self.label_en)
    }
}

impl ChoiceList {
    pub fn choice(&self, name: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.name == name)
    }
}

impl Instrument {
    pub fn title(&self, lang: Lang) -> &str {
        pick(lang, &self.title_es, &self.title_en)
    }

    pub fn item(&self, name: &str) -> Option<&Item> {
        self.items
            .iter()
            .find(|i| i.name == name && !i.kind.is_group_marker())
    }

    /// Questions, in order (no notes or group markers): the columns of a
    /// responses file after the fixed ones.
    pub fn questions(&self) -> Vec<&Item> {
        self.items.iter().filter(|i| i.is_question()).collect()
    }

    pub fn rating_items(&self) -> Vec<&Item> {
        self.items.iter().filter(|i| i.is_rating()).collect()
    }

    pub fn choice_list(&self, name: &str) -> Option<&ChoiceList> {
        self.choice_lists.iter().find(|l| l.name == name)
    }

    /// The choices a question offers, `None` for questions without a list.
    pub fn choices_for(&self, item: &Item) -> Option<&ChoiceList> {
        item.kind.list().and_then(|l| self.choice_list(l))
    }

    /// Label of a dimension or sub-dimension code: from the form's
    /// `dimension` / `subdimension` lists, else from the default RME
    /// instrument, else the code itself.
    pub fn scale_label(&self, code: &str, lang: Lang) -> String {
        self.scale_labels(code)
            .map(|(es, en)| pick(lang, &es, &en).to_owned())
            .unwrap_or_else(|| code.to_owned())
    }

    fn scale_labels(&self, code: &str) -> Option<(String, String)> {
        let own = [DIMENSION_LIST, SUBDIMENSION_LIST]
            .iter()
            .filter_map(|l| self.choice_list(l)?.choice(code))
            .next()
            .map(|c| (c.label_es.clone(), c.label_en.clone()));
        own.or_else(|| {
            let rme = crate::rme::default_rme_ref();
            if std::ptr::eq(rme, self) {
                return None;
            }
            rme.scale_labels(code)
        })
    }

    /// Dimensions in order of first appearance among rating items, each with
    /// its sub-dimensions in order of first appearance.
    pub fn dimensions(&self) -> Vec<Dimension> {
        let mut out: Vec<Dimension> = vec![];
        for item in self.rating_items() {
            let Some(code) = &item.dimension else {
                continue;
            };
            let pos = match out.iter().position(|d| &d.code == code) {
                Some(p) => p,
                None => {
                    let (label_es, label_en) = self
                        .scale_labels(code)
                        .unwrap_or_else(|| (code.clone(), code.clone()));
                    out.push(Dimension {
                        code: code.clone(),
                        label_es,
                        label_en,
                        subdimensions: vec![],
                        items: vec![],
                    });
                    out.len() - 1
                }
            };
            let dim = &mut out[pos];
            dim.items.push(item.name.clone());
            let Some(sub) = &item.subdimension else {
                continue;
            };
            match dim.subdimensions.iter_mut().find(|s| &s.code == sub) {
                Some(s) => s.items.push(item.name.clone()),
                None => {
                    let (label_es, label_en) = self
                        .scale_labels(sub)
                        .unwrap_or_else(|| (sub.clone(), sub.clone()));
                    dim.subdimensions.push(Subdimension {
                        code: sub.clone(),
                        label_es,
                        label_en,
                        items: vec![item.name.clone()],
                    });
                }
            }
        }
        out
    }

    /// Pages made only of rating statements that are always shown, as
    /// `(page number from 1, item names)`: what a load test can answer
    /// without knowing the form.
    pub fn plain_rating_pages(&self) -> Vec<(usize, Vec<String>)> {
        self.pages()
            .iter()
            .enumerate()
            .filter_map(|(i, page)| {
                let questions: Vec<_> = page.items.iter().filter(|i| i.is_question()).collect();
                let plain = !questions.is_empty()
                    && questions
                        .iter()
                        .all(|q| q.is_rating() && q.relevant.is_none() && q.constraint.is_none());
                let names = questions.iter().map(|q| q.name.clone()).collect();
                plain.then_some((i + 1, names))
            })
            .collect()
    }

    /// The pages of the questionnaire: each top-level group is a page; runs
    /// of questions outside groups form pages of their own.
    pub fn pages(&self) -> Vec<Page<'_>> {
        let mut pages: Vec<Page<'_>> = vec![];
        let mut depth = 0usize;
        for item in &self.items {
            match item.kind {
                ItemKind::BeginGroup => {
                    if depth == 0 {
                        pages.push(Page {
                            group: Some(item),
                            items: vec![],
                        });
                    }
                    depth += 1;
                }
                ItemKind::EndGroup => depth = depth.saturating_sub(1),
                _ => {
                    let open_loose = depth == 0 && pages.last().is_some_and(|p| p.group.is_none());
                    if depth == 0 && !open_loose {
                        pages.push(Page {
                            group: None,
                            items: vec![],
                        });
                    }
                    if let Some(p) = pages.last_mut() {
                        p.items.push(item);
                    }
                }
            }
        }
        pages
    }

    /// A stable SHA-256 (hex) of the content: the same form imported twice
    /// gives the same value, any change to an item, list or title gives
    /// another. The version label is left out, so relabelling an unchanged
    /// form does not count as a new version.
    pub fn fingerprint(&self) -> String {
        #[derive(Serialize)]
        struct Content<'a> {
            form_id: &'a str,
            default_language: &'a str,
            title_es: &'a str,
            title_en: &'a str,
            items: &'a [Item],
            choice_lists: &'a [ChoiceList],
        }
        let content = Content {
            form_id: &self.form_id,
            default_language: &self.default_language,
            title_es: &self.title_es,
            title_en: &self.title_en,
            items: &self.items,
            choice_lists: &self.choice_lists,
        };
        // Serializing plain structs of strings cannot fail; an empty buffer
        // would still hash deterministically.
        let bytes = serde_json::to_vec(&content).unwrap_or_default();
        hex::encode(Sha256::digest(&bytes))
    }
}

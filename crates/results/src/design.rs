//! What the analytics need to know about an instrument: its rating items,
//! grouped into dimensions and sub-dimensions, and their labels.

use std::collections::HashSet;

use serde::Serialize;
use trama_i18n::Lang;
use trama_instrument::Instrument;
use trama_tabular::{CellError, Issue};

/// One agreement-scale item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingItem {
    pub name: String,
    /// Empty when the instrument gives none: the item is then reported at
    /// item level only.
    pub dimension: String,
    /// Empty when the instrument gives none (as for `dimension`).
    pub subdimension: String,
    /// Reverse-keyed: agreement is unfavourable, so 1–5 is recoded 6 − x
    /// when pooled into a dimension or sub-dimension.
    pub reverse: bool,
    pub label_es: String,
    pub label_en: String,
    /// Sentence templates for findings, with `{n}` for "n in 10".
    pub finding_es: Option<String>,
    pub finding_en: Option<String>,
}

impl RatingItem {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.label_es,
            Lang::En if !self.label_en.is_empty() => &self.label_en,
            Lang::En => &self.label_es,
        }
    }
}

/// The level at which answers are pooled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Dimension,
    Subdimension,
    Item,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "dimension" => Some(Level::Dimension),
            "subdimension" => Some(Level::Subdimension),
            "item" => Some(Level::Item),
            _ => None,
        }
    }
}

/// A labelled code (dimension or sub-dimension).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    pub code: String,
    pub label_es: String,
    pub label_en: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Design {
    pub items: Vec<RatingItem>,
    /// Labels of dimensions and sub-dimensions by code; a code without a
    /// label is shown as itself.
    pub scales: Vec<Scale>,
}

impl Design {
    /// The rating items (`select_one acuerdo5`) of an instrument, in form
    /// order, with the labels of their dimensions and sub-dimensions.
    ///
    /// An instrument without rating items is an error rather than an empty
    /// report: every figure would be missing and the user most likely gave
    /// the wrong file. `file` names the instrument in that message.
    // The error is built at most once per run, for the user; its size
    // does not matter next to reading the files.
    #[allow(clippy::result_large_err)]
    pub fn from_instrument(file: &str, instrument: &Instrument) -> Result<Design, CellError> {
        let items: Vec<RatingItem> = instrument
            .rating_items()
            .into_iter()
            .map(|i| RatingItem {
                name: i.name.clone(),
                dimension: i.dimension.clone().unwrap_or_default(),
                subdimension: i.subdimension.clone().unwrap_or_default(),
                reverse: i.reverse,
                label_es: i.label_es.clone(),
                label_en: i.label_en.clone(),
                finding_es: i.finding_es.clone(),
                finding_en: i.finding_en.clone(),
            })
            .collect();
        if items.is_empty() {
            // A whole-form problem: line 1, at the column that would say
            // which questions are ratings.
            return Err(CellError::header(
                file,
                Some("type"),
                Issue::message("design-no-rating-items"),
            ));
        }
        let mut scales = vec![];
        for d in instrument.dimensions() {
            scales.push(Scale {
                code: d.code,
                label_es: d.label_es,
                label_en: d.label_en,
            });
            for s in d.subdimensions {
                scales.push(Scale {
                    code: s.code,
                    label_es: s.label_es,
                    label_en: s.label_en,
                });
            }
        }
        Ok(Design { items, scales })
    }

    /// The instrument's other questions (open answers, profile…): their
    /// columns may be in a responses file and are ignored by the figures.
    pub fn other_columns(instrument: &Instrument) -> HashSet<String> {
        instrument
            .questions()
            .into_iter()
            .filter(|i| !i.is_rating())
            .map(|i| i.name.clone())
            .collect()
    }

    pub fn label(&self, code: &str, lang: Lang) -> String {
        self.scales
            .iter()
            .find(|s| s.code == code)
            .map(|s| match lang {
                Lang::Es => s.label_es.clone(),
                Lang::En if !s.label_en.is_empty() => s.label_en.clone(),
                Lang::En => s.label_es.clone(),
            })
            .unwrap_or_else(|| code.to_owned())
    }

    /// Dimensions in instrument order (items without one are left out).
    pub fn dimensions(&self) -> Vec<&str> {
        let mut out: Vec<&str> = vec![];
        for i in &self.items {
            if !i.dimension.is_empty() && !out.contains(&i.dimension.as_str()) {
                out.push(&i.dimension);
            }
        }
        out
    }

    /// Sub-dimensions in instrument order, with their dimension (items
    /// without one are left out).
    pub fn subdimensions(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = vec![];
        for i in &self.items {
            let pair = (i.dimension.as_str(), i.subdimension.as_str());
            if !i.subdimension.is_empty() && !out.contains(&pair) {
                out.push(pair);
            }
        }
        out
    }

    /// The dimension a sub-dimension or item belongs to, and the
    /// sub-dimension an item belongs to, so a row can be placed without the
    /// instrument at hand.
    pub fn parents(&self, level: Level, code: &str) -> (Option<&str>, Option<&str>) {
        fn non_empty(s: &str) -> Option<&str> {
            (!s.is_empty()).then_some(s)
        }
        match level {
            Level::Dimension => (None, None),
            Level::Subdimension => (
                self.items
                    .iter()
                    .find(|i| i.subdimension == code)
                    .and_then(|i| non_empty(&i.dimension)),
                None,
            ),
            Level::Item => self
                .items
                .iter()
                .find(|i| i.name == code)
                .map(|i| (non_empty(&i.dimension), non_empty(&i.subdimension)))
                .unwrap_or((None, None)),
        }
    }

    /// Indices of the items of a scale at `level` (`code` is the dimension
    /// or sub-dimension code, or the item name).
    pub fn members(&self, level: Level, code: &str) -> Vec<usize> {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, i)| match level {
                Level::Dimension => i.dimension == code,
                Level::Subdimension => i.subdimension == code,
                Level::Item => i.name == code,
            })
            .map(|(n, _)| n)
            .collect()
    }

    /// Every scale of a level, in order: (code, member item indices).
    pub fn scales_at(&self, level: Level) -> Vec<(String, Vec<usize>)> {
        let codes: Vec<String> = match level {
            Level::Dimension => self.dimensions().into_iter().map(str::to_owned).collect(),
            Level::Subdimension => {
                // A hand-built design may repeat a sub-dimension under two
                // dimensions (forms cannot); its answers pool by code, once.
                let mut codes: Vec<String> = vec![];
                for (_, s) in self.subdimensions() {
                    if !codes.iter().any(|c| c == s) {
                        codes.push(s.to_owned());
                    }
                }
                codes
            }
            Level::Item => self.items.iter().map(|i| i.name.clone()).collect(),
        };
        codes
            .into_iter()
            .map(|c| {
                let m = self.members(level, &c);
                (c, m)
            })
            .collect()
    }
}

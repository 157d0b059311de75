//! What the analytics need to know about an instrument: its rating items,
//! grouped into dimensions and sub-dimensions, and their labels.

use serde::Serialize;
use trama_i18n::Lang;

/// One agreement-scale item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingItem {
    pub name: String,
    pub dimension: String,
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

    /// Dimensions in instrument order.
    pub fn dimensions(&self) -> Vec<&str> {
        let mut out: Vec<&str> = vec![];
        for i in &self.items {
            if !out.contains(&i.dimension.as_str()) {
                out.push(&i.dimension);
            }
        }
        out
    }

    /// Sub-dimensions in instrument order, with their dimension.
    pub fn subdimensions(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = vec![];
        for i in &self.items {
            let pair = (i.dimension.as_str(), i.subdimension.as_str());
            if !out.contains(&pair) {
                out.push(pair);
            }
        }
        out
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
            Level::Subdimension => self
                .subdimensions()
                .into_iter()
                .map(|(_, s)| s.to_owned())
                .collect(),
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

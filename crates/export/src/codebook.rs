//! The codebook: which variables an export has, in which order, how each is
//! labelled, which values are labelled and which are declared missing. All
//! three formats are written from it, so a researcher who reads the codebook
//! of one reads the others.
//!
//! The "No aplica" convention: in the responses file a rating is `1`–`5`,
//! `NA` or empty. `NA` is an answer ("this does not apply to me"), empty is no
//! answer. XLSX and SPSS hold numbers, so `NA` becomes the code [`NA_CODE`]
//! (9), labelled "No aplica" and declared user-missing: SPSS and PSPP leave it
//! out of means and percentages of valid answers but still count it in
//! frequency tables, which is how the reports treat it. Empty stays empty
//! (system-missing). The CSV keeps the text `NA`, the responses file's own
//! spelling, so R and pandas read it as missing without being told and Trama
//! can read the file back; the codebook's `missing_values` column says both.

use trama_i18n::{Lang, has_message, message};
use trama_instrument::{Instrument, Item, ItemKind};

use crate::ExportError;

/// The numeric code of "No aplica" in XLSX and SPSS. 9 rather than -9: it
/// sorts after 5, so frequency tables list "No aplica" last, as the reports
/// do, and it fits the one-digit display format of the ratings.
pub const NA_CODE: f64 = 9.0;

/// How "No aplica" is spelled in the responses file and in the CSV export.
pub const NA_TOKEN: &str = "NA";

/// The widest string a `.sav` variable may have here (very long strings,
/// which need record 7.14 and segmenting, are not written).
pub const MAX_STRING_WIDTH: u16 = 255;

/// The fixed columns that open every export, with their widths in bytes.
/// Widths bound the `.sav` string variables: a response id is a UUID or a
/// short random token, network codes are at most 32 bytes
/// (`NetworkCode::MAX_LEN`), regions and DEPROVs are numeric codes, roles
/// are short slugs.
pub const FIXED_COLUMNS: [(&str, u16); 5] = [
    ("response_id", 64),
    ("region", 16),
    ("deprov", 16),
    ("network", 32),
    ("role", 32),
];

/// The submission time (RFC 3339, UTC), the responses file's sixth column:
/// in an export only when [`CodebookOptions::submitted_at`] asks for it.
pub const SUBMITTED_AT: (&str, u16) = ("submitted_at", 32);

/// Level of measurement, as SPSS records it (display record 7.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Nominal,
    Ordinal,
    Scale,
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Nominal => "nominal",
            Measure::Ordinal => "ordinal",
            Measure::Scale => "scale",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum VarKind {
    /// Displayed as `F{width}.{decimals}`; values are stored in full.
    Numeric { width: u8, decimals: u8 },
    /// Width in bytes of UTF-8.
    String { width: u16 },
}

impl VarKind {
    pub fn is_numeric(&self) -> bool {
        matches!(self, VarKind::Numeric { .. })
    }

    /// SPSS's name for the format: `F1.0`, `A64`.
    pub fn format(&self) -> String {
        match self {
            VarKind::Numeric { width, decimals } => format!("F{width}.{decimals}"),
            VarKind::String { width } => format!("A{width}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Number(n) => write!(f, "{n}"),
            Value::Text(s) => f.write_str(s),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValueLabel {
    pub value: Value,
    pub label: String,
}

/// A declared (user-)missing code of a numeric variable, and how the input
/// rows and the CSV spell it.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingCode {
    pub code: f64,
    pub token: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    /// The column name: the item name, as in the responses file.
    pub name: String,
    /// The name in the `.sav` file: `name` made a valid SPSS name (letters,
    /// digits, `_`, `.`; starting with a letter; not a reserved word; unique
    /// ignoring case). Filled by [`Codebook::new`].
    pub spss_name: String,
    pub label: String,
    pub kind: VarKind,
    pub measure: Measure,
    pub value_labels: Vec<ValueLabel>,
    /// At most three (the `.sav` limit for discrete missing values).
    pub missing: Vec<MissingCode>,
    /// Only labelled values, missing codes or empty are accepted: a value
    /// outside the choice list is a bug upstream, not something to export.
    pub closed: bool,
    /// `select_multiple`: a value is space-separated choice names; the value
    /// labels document the choices but are not SPSS value labels.
    pub multiple: bool,
}

impl Variable {
    /// A string variable without labels.
    pub fn string(name: &str, label: &str, width: u16) -> Variable {
        Variable {
            name: name.to_owned(),
            spss_name: String::new(),
            label: label.to_owned(),
            kind: VarKind::String { width },
            measure: Measure::Nominal,
            value_labels: vec![],
            missing: vec![],
            closed: false,
            multiple: false,
        }
    }

    /// A numeric variable without labels.
    pub fn numeric(name: &str, label: &str, width: u8, decimals: u8) -> Variable {
        Variable {
            name: name.to_owned(),
            spss_name: String::new(),
            label: label.to_owned(),
            kind: VarKind::Numeric { width, decimals },
            measure: Measure::Scale,
            value_labels: vec![],
            missing: vec![],
            closed: false,
            multiple: false,
        }
    }

    /// `1=Totalmente en desacuerdo; …; 9=No aplica`.
    pub fn value_labels_text(&self) -> String {
        let parts: Vec<String> = self
            .value_labels
            .iter()
            .map(|v| format!("{}={}", v.value, v.label))
            .collect();
        parts.join("; ")
    }

    /// `9 (CSV: NA)`: the code, and the CSV's spelling when it differs.
    pub fn missing_text(&self) -> String {
        let parts: Vec<String> = self
            .missing
            .iter()
            .map(|m| {
                let code = Value::Number(m.code).to_string();
                if m.token == code {
                    code
                } else {
                    format!("{code} (CSV: {})", m.token)
                }
            })
            .collect();
        parts.join("; ")
    }

    fn has_label_for(&self, v: f64) -> bool {
        self.value_labels
            .iter()
            .any(|l| matches!(l.value, Value::Number(n) if n == v))
    }

    fn has_text_label(&self, s: &str) -> bool {
        self.value_labels
            .iter()
            .any(|l| matches!(&l.value, Value::Text(t) if t == s))
    }

    /// Checks one raw value and says what it is. The text itself stays in
    /// the caller's row; a [`Cell`] only carries what the writers need
    /// beyond it.
    pub(crate) fn encode(&self, raw: Option<&str>) -> Option<Cell> {
        let Some(raw) = raw else {
            return Some(Cell::Empty);
        };
        match self.kind {
            VarKind::Numeric { .. } => {
                let t = raw.trim();
                if t.is_empty() {
                    return Some(Cell::Empty);
                }
                if let Some(i) = self
                    .missing
                    .iter()
                    .position(|m| m.token.eq_ignore_ascii_case(t))
                {
                    return Some(Cell::Missing(i as u8));
                }
                // `f64::from_str` also accepts "inf" and "NaN": neither is an
                // answer, and NaN would not round-trip through any format.
                let n: f64 = t.parse().ok().filter(|n: &f64| n.is_finite())?;
                if let Some(i) = self.missing.iter().position(|m| m.code == n) {
                    return Some(Cell::Missing(i as u8));
                }
                if self.closed && !self.has_label_for(n) {
                    return None;
                }
                Some(Cell::Number(n))
            }
            VarKind::String { .. } => {
                if raw.is_empty() {
                    return Some(Cell::Empty);
                }
                if self.closed {
                    let ok = if self.multiple {
                        raw.split_whitespace().all(|c| self.has_text_label(c))
                    } else {
                        self.has_text_label(raw)
                    };
                    if !ok {
                        return None;
                    }
                }
                Some(Cell::Text)
            }
        }
    }
}

/// What a checked value is; text stays in the row it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Number(f64),
    /// Index into the variable's `missing`.
    Missing(u8),
    Text,
}

/// What goes into a codebook built from an instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CodebookOptions {
    pub lang: Lang,
    /// Include `text` questions. Off by default: open answers can name
    /// people or schools, so handing them out is a separate decision (the
    /// reports show them only in groups of at least K respondents).
    pub open_text: bool,
    /// A [`SUBMITTED_AT`] column after the fixed ones, as in the responses
    /// file. Off by default: researchers' files do not need the time, and
    /// together with a small network it narrows down who answered.
    pub submitted_at: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Codebook {
    pub lang: Lang,
    pub variables: Vec<Variable>,
    /// Free text for the reader (the caller's wording, already translated):
    /// written as the `.sav` file's documents and below the XLSX codebook.
    pub notes: Vec<String>,
}

impl Codebook {
    /// Checks the variables (names unique, widths and missing values within
    /// what `.sav` can hold) and gives each its SPSS name.
    pub fn new(lang: Lang, mut variables: Vec<Variable>) -> Result<Codebook, ExportError> {
        if variables.is_empty() {
            return Err(ExportError::Codebook("no variables".into()));
        }
        for (i, v) in variables.iter().enumerate() {
            if v.name.is_empty() {
                return Err(ExportError::Codebook(format!(
                    "variable {} has no name",
                    i + 1
                )));
            }
            if variables[..i].iter().any(|w| w.name == v.name) {
                return Err(ExportError::Codebook(format!(
                    "{}: the name is used twice",
                    v.name
                )));
            }
            match v.kind {
                VarKind::String { width } if width == 0 || width > MAX_STRING_WIDTH => {
                    return Err(ExportError::Codebook(format!(
                        "{}: string width {width} is outside 1–{MAX_STRING_WIDTH}",
                        v.name
                    )));
                }
                VarKind::String { .. } if !v.missing.is_empty() => {
                    return Err(ExportError::Codebook(format!(
                        "{}: missing codes are for numeric variables",
                        v.name
                    )));
                }
                VarKind::Numeric { width, decimals }
                    if width == 0 || width > 40 || decimals >= width =>
                {
                    return Err(ExportError::Codebook(format!(
                        "{}: format F{width}.{decimals} is not valid",
                        v.name
                    )));
                }
                _ => {}
            }
            if v.missing.len() > 3 {
                return Err(ExportError::Codebook(format!(
                    "{}: at most three missing codes",
                    v.name
                )));
            }
            if let VarKind::String { width } = v.kind
                && v.value_labels
                    .iter()
                    .any(|l| matches!(&l.value, Value::Text(t) if t.len() > usize::from(width)))
                && !v.multiple
            {
                return Err(ExportError::Codebook(format!(
                    "{}: a labelled value is wider than the variable",
                    v.name
                )));
            }
            let numeric = v.kind.is_numeric();
            if v.value_labels
                .iter()
                .any(|l| matches!(l.value, Value::Number(_)) != numeric)
            {
                return Err(ExportError::Codebook(format!(
                    "{}: value labels of the wrong type",
                    v.name
                )));
            }
        }
        let names = crate::sav::spss_names(variables.iter().map(|v| v.name.as_str()));
        for (v, n) in variables.iter_mut().zip(names) {
            v.spss_name = n;
        }
        Ok(Codebook {
            lang,
            variables,
            notes: vec![],
        })
    }

    /// The fixed columns (response id, region, DEPROV, network, role) then
    /// every question of the instrument, in instrument order.
    pub fn from_instrument(instrument: &Instrument, lang: Lang) -> Result<Codebook, ExportError> {
        Codebook::with_options(
            instrument,
            CodebookOptions {
                lang,
                ..Default::default()
            },
        )
    }

    pub fn with_options(
        instrument: &Instrument,
        options: CodebookOptions,
    ) -> Result<Codebook, ExportError> {
        let lang = options.lang;
        let mut vars = fixed_variables(lang);
        if options.submitted_at {
            let (name, width) = SUBMITTED_AT;
            let label = message_or(lang, "export-col-submitted-at", name);
            vars.push(Variable::string(name, &label, width));
        }
        for item in instrument.questions() {
            if item.kind == ItemKind::Text && !options.open_text {
                continue;
            }
            vars.push(item_variable(instrument, item, lang));
        }
        Codebook::new(lang, vars)
    }

    pub fn with_notes(mut self, notes: Vec<String>) -> Codebook {
        self.notes = notes;
        self
    }

    pub fn len(&self) -> usize {
        self.variables.len()
    }

    pub fn is_empty(&self) -> bool {
        self.variables.is_empty()
    }

    /// One respondent in codebook order: the fixed columns from `fixed`
    /// (`response_id, region, deprov, network, role`, as [`FIXED_COLUMNS`]),
    /// the questions from `answers` by item name.
    pub fn row<'a>(
        &self,
        fixed: [&'a str; 5],
        answers: &'a std::collections::BTreeMap<String, String>,
    ) -> Vec<Option<&'a str>> {
        self.row_by(
            |name| match FIXED_COLUMNS.iter().position(|(n, _)| *n == name) {
                Some(i) => Some(fixed[i]),
                None => answers.get(name).map(String::as_str),
            },
        )
    }

    /// One row in codebook order, each value looked up by variable name
    /// (`None` for no value), for callers whose records carry more than
    /// [`Codebook::row`] takes, such as the submission time.
    pub fn row_by<'a>(&self, value: impl Fn(&str) -> Option<&'a str>) -> Vec<Option<&'a str>> {
        self.variables.iter().map(|v| value(&v.name)).collect()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.variables.iter().map(|v| v.name.as_str())
    }

    /// For each variable, the position of its column in `header` (a
    /// responses file's first line), so rows can be handed over in codebook
    /// order. Extra columns (`submitted_at`, questions left out) are
    /// ignored; a missing one is an error naming it.
    pub fn positions_in<S: AsRef<str>>(&self, header: &[S]) -> Result<Vec<usize>, ExportError> {
        let mut out = Vec::with_capacity(self.len());
        let mut missing = vec![];
        for v in &self.variables {
            match header
                .iter()
                .position(|h| h.as_ref().trim_start_matches('\u{feff}').trim() == v.name)
            {
                Some(p) => out.push(p),
                None => missing.push(v.name.clone()),
            }
        }
        if missing.is_empty() {
            Ok(out)
        } else {
            Err(ExportError::MissingColumns(missing))
        }
    }

    /// Checks a row (values in codebook order) into `cells`; nothing is
    /// written when any value is wrong, so no format gets half a row.
    pub(crate) fn encode(
        &self,
        row_no: u64,
        row: &[Option<&str>],
        cells: &mut Vec<Cell>,
    ) -> Result<(), ExportError> {
        if row.len() != self.variables.len() {
            return Err(ExportError::RowLength {
                row: row_no,
                expected: self.variables.len(),
                got: row.len(),
            });
        }
        cells.clear();
        for (v, raw) in self.variables.iter().zip(row) {
            match v.encode(*raw) {
                Some(c) => cells.push(c),
                None => {
                    return Err(ExportError::BadValue {
                        row: row_no,
                        variable: v.name.clone(),
                        value: raw.unwrap_or_default().to_owned(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// A message when the translation files have it, else the fallback (the
/// variable name), so a missing translation never shows a message id.
fn message_or(lang: Lang, id: &str, fallback: &str) -> String {
    if has_message(lang, id) {
        message(lang, id, None)
    } else {
        fallback.to_owned()
    }
}

/// The grouping columns, as string variables.
pub fn fixed_variables(lang: Lang) -> Vec<Variable> {
    FIXED_COLUMNS
        .iter()
        .map(|(name, width)| {
            let id = match *name {
                "response_id" => "export-col-response-id",
                "region" => "col-region",
                "deprov" => "col-deprov",
                "network" => "col-network",
                _ => "col-role",
            };
            Variable::string(name, &message_or(lang, id, name), *width)
        })
        .collect()
}

fn item_variable(instrument: &Instrument, item: &Item, lang: Lang) -> Variable {
    let label = item.label(lang);
    match &item.kind {
        ItemKind::Rating => {
            // The form's own acuerdo5 labels when it carries the list (it
            // may have reworded them), Trama's otherwise.
            let list = instrument
                .choices_for(item)
                .cloned()
                .unwrap_or_else(trama_instrument::acuerdo5);
            let mut v = Variable::numeric(&item.name, label, 1, 0);
            v.measure = Measure::Ordinal;
            v.closed = true;
            for c in &list.choices {
                let value = if c.name.eq_ignore_ascii_case(NA_TOKEN) {
                    NA_CODE
                } else {
                    match c.name.parse::<f64>() {
                        Ok(n) => n,
                        Err(_) => continue,
                    }
                };
                v.value_labels.push(ValueLabel {
                    value: Value::Number(value),
                    label: c.label(lang).to_owned(),
                });
            }
            v.missing.push(MissingCode {
                code: NA_CODE,
                token: NA_TOKEN.to_owned(),
            });
            v
        }
        ItemKind::SelectOne { .. } | ItemKind::SelectMultiple { .. } => {
            let multiple = matches!(item.kind, ItemKind::SelectMultiple { .. });
            let choices = instrument
                .choices_for(item)
                .map(|l| l.choices.clone())
                .unwrap_or_default();
            let numeric = !multiple
                && !choices.is_empty()
                && choices
                    .iter()
                    .all(|c| c.name.parse::<f64>().is_ok_and(f64::is_finite));
            let mut v = if numeric {
                let width = choices.iter().map(|c| c.name.len()).max().unwrap_or(1);
                let mut v = Variable::numeric(&item.name, label, width.clamp(1, 40) as u8, 0);
                v.measure = Measure::Nominal;
                v
            } else {
                let width = if multiple {
                    choices.iter().map(|c| c.name.len() + 1).sum::<usize>()
                } else {
                    choices.iter().map(|c| c.name.len()).max().unwrap_or(1)
                };
                Variable::string(
                    &item.name,
                    label,
                    width.clamp(1, MAX_STRING_WIDTH as usize) as u16,
                )
            };
            v.closed = !choices.is_empty();
            v.multiple = multiple;
            v.value_labels = choices
                .iter()
                .map(|c| ValueLabel {
                    value: if numeric {
                        Value::Number(c.name.parse().unwrap_or_default())
                    } else {
                        Value::Text(c.name.clone())
                    },
                    label: c.label(lang).to_owned(),
                })
                .collect();
            v
        }
        ItemKind::Integer => Variable::numeric(&item.name, label, 8, 0),
        ItemKind::Decimal => Variable::numeric(&item.name, label, 10, 2),
        // Text, and anything else answered with words.
        _ => Variable::string(&item.name, label, MAX_STRING_WIDTH),
    }
}

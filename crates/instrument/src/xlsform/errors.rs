//! Problems in an XLSForm, each naming the sheet, the spreadsheet row (the
//! header is row 1) and the column, so a person can fix the form in one pass.

use serde::Serialize;
use trama_i18n::{FluentArgs, Lang, message};

use trama_tabular::report::echo;

use crate::relevant::ParseError;

/// An argument quoted from the form (a name, a list): bounded and visible.
fn quoted(s: &str) -> String {
    trama_stdx::text::echo(s, trama_tabular::report::ARG_CHARS).into_owned()
}

/// What is wrong with one cell, row or sheet.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FormIssue {
    #[error("file is not a readable .xlsx workbook")]
    Unreadable,
    #[error("the workbook expands to more than {limit_mib} MiB")]
    WorkbookTooLarge { limit_mib: u64 },
    #[error("the workbook has more than {limit} parts")]
    WorkbookTooManyParts { limit: u64 },
    #[error("a part of the workbook is compressed beyond any spreadsheet's")]
    WorkbookCompression,
    #[error("the sheet uses {rows} rows × {columns} columns")]
    SheetTooLarge {
        rows: u64,
        columns: u64,
        max_rows: u64,
        max_columns: u64,
        max_cells: u64,
    },
    /// A CSV problem (empty file, broken quoting) as trama-tabular reports it.
    #[error("CSV problem")]
    Csv { issue: trama_tabular::Issue },
    #[error("sheet {sheet} is missing")]
    MissingSheet { sheet: String },
    #[error("column is missing")]
    MissingColumn,
    #[error("the form has no questions")]
    NoQuestions,
    #[error("value required")]
    Required,
    #[error("not a valid name")]
    InvalidName,
    #[error("name already used on row {first_row}")]
    DuplicateName { first_row: u64 },
    #[error("unknown type")]
    UnknownType,
    #[error("expression does not parse")]
    Unparsable { error: ParseError },
    #[error("refers to unknown item {name}")]
    UnknownReference { name: String },
    #[error("only rating items (select_one acuerdo5) take this column")]
    OnlyForRating,
    #[error("sub-dimension without a dimension")]
    SubdimensionWithoutDimension,
    #[error("sub-dimension already used in dimension {dimension} on row {first_row}")]
    SubdimensionInTwoDimensions { dimension: String, first_row: u64 },
    #[error("code not in list {list}")]
    UnknownCode { list: String },
    #[error("not 0/1")]
    NotZeroOne,
    #[error("not yes/no")]
    NotYesNo,
    #[error("Spanish label missing")]
    MissingLabel,
    #[error("unknown choice list {list}")]
    UnknownChoiceList { list: String },
    #[error("group {name} is never closed")]
    GroupNotClosed { name: String },
    #[error("end_group without begin_group")]
    GroupNotOpened,
    #[error("choice repeated in list {list} (row {first_row})")]
    DuplicateChoice { list: String, first_row: u64 },
    #[error("choice name with spaces")]
    ChoiceNameWithSpaces,
    #[error("acuerdo5 redefined with other values")]
    Acuerdo5Mismatch,
    #[error("unknown language")]
    UnknownLanguage,
    /// Shown as `U+0000`; the same sentence as the registry's.
    #[error("control character {found}")]
    ControlCharacter { found: String },
}

impl FormIssue {
    /// Problems with the workbook as a whole (a zip of parts, its sheets)
    /// rather than with a sheet's cells: they have no row or column to name.
    pub fn is_about_the_workbook(&self) -> bool {
        matches!(
            self,
            FormIssue::Unreadable
                | FormIssue::MissingSheet { .. }
                | FormIssue::WorkbookTooLarge { .. }
                | FormIssue::WorkbookTooManyParts { .. }
                | FormIssue::WorkbookCompression
                | FormIssue::SheetTooLarge { .. }
        )
    }

    pub fn message_id(&self) -> &'static str {
        match self {
            FormIssue::Unreadable => "instrument-unreadable",
            FormIssue::WorkbookTooLarge { .. } => "instrument-workbook-too-large",
            FormIssue::WorkbookTooManyParts { .. } => "instrument-workbook-too-many-parts",
            FormIssue::WorkbookCompression => "instrument-workbook-compression",
            FormIssue::SheetTooLarge { .. } => "instrument-sheet-too-large",
            FormIssue::Csv { .. } => "instrument-unreadable",
            FormIssue::MissingSheet { .. } => "instrument-missing-sheet",
            FormIssue::MissingColumn => "instrument-missing-column",
            FormIssue::NoQuestions => "instrument-no-questions",
            FormIssue::Required => "instrument-required",
            FormIssue::InvalidName => "instrument-invalid-name",
            FormIssue::DuplicateName { .. } => "instrument-duplicate-name",
            FormIssue::UnknownType => "instrument-unknown-type",
            FormIssue::Unparsable { .. } => "instrument-unparsable",
            FormIssue::UnknownReference { .. } => "instrument-unknown-reference",
            FormIssue::OnlyForRating => "instrument-only-for-rating",
            FormIssue::SubdimensionWithoutDimension => "instrument-subdimension-without-dimension",
            FormIssue::SubdimensionInTwoDimensions { .. } => {
                "instrument-subdimension-in-two-dimensions"
            }
            FormIssue::UnknownCode { .. } => "instrument-unknown-code",
            FormIssue::NotZeroOne => "instrument-not-zero-one",
            FormIssue::NotYesNo => "instrument-not-yes-no",
            FormIssue::MissingLabel => "instrument-missing-label",
            FormIssue::UnknownChoiceList { .. } => "instrument-unknown-choice-list",
            FormIssue::GroupNotClosed { .. } => "instrument-group-not-closed",
            FormIssue::GroupNotOpened => "instrument-group-not-opened",
            FormIssue::DuplicateChoice { .. } => "instrument-duplicate-choice",
            FormIssue::ChoiceNameWithSpaces => "instrument-choice-name-with-spaces",
            FormIssue::Acuerdo5Mismatch => "instrument-acuerdo5-mismatch",
            FormIssue::UnknownLanguage => "instrument-unknown-language",
            FormIssue::ControlCharacter { .. } => "problem-control-character",
        }
    }

    pub fn render(&self, lang: Lang) -> String {
        let mut args = FluentArgs::new();
        match self {
            FormIssue::Csv { issue } => return issue.render(lang),
            FormIssue::MissingSheet { sheet } => args.set("sheet", quoted(sheet)),
            FormIssue::ControlCharacter { found } => args.set("char", found.clone()),
            FormIssue::WorkbookTooLarge { limit_mib } => args.set("limit", *limit_mib),
            FormIssue::WorkbookTooManyParts { limit } => args.set("limit", *limit),
            FormIssue::SheetTooLarge {
                rows,
                columns,
                max_rows,
                max_columns,
                max_cells,
            } => {
                args.set("rows", *rows);
                args.set("columns", *columns);
                args.set("max_rows", *max_rows);
                args.set("max_columns", *max_columns);
                args.set("max_cells", *max_cells);
            }
            FormIssue::DuplicateName { first_row } => args.set("row", *first_row),
            FormIssue::Unparsable { error } => args.set("detail", quoted(&error.render(lang))),
            FormIssue::UnknownReference { name } => args.set("name", quoted(name)),
            FormIssue::SubdimensionInTwoDimensions {
                dimension,
                first_row,
            } => {
                args.set("dimension", quoted(dimension));
                args.set("row", *first_row);
            }
            FormIssue::UnknownCode { list } | FormIssue::UnknownChoiceList { list } => {
                args.set("list", quoted(list))
            }
            FormIssue::GroupNotClosed { name } => args.set("name", quoted(name)),
            FormIssue::DuplicateChoice { list, first_row } => {
                args.set("list", quoted(list));
                args.set("row", *first_row);
            }
            _ => {}
        }
        message(lang, self.message_id(), Some(&args))
    }
}

/// One problem in an instrument file.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{}", self.render(Lang::En))]
pub struct FormError {
    pub file: String,
    /// `survey`, `choices` or `settings`; `None` when the file is a CSV
    /// holding the survey sheet alone.
    pub sheet: Option<String>,
    /// Spreadsheet row, the header being row 1 (where problems with a whole
    /// sheet are placed too); `None` only for problems with the workbook as
    /// a whole ([`FormIssue::is_about_the_workbook`]), which has no rows.
    pub row: Option<u64>,
    pub column: Option<String>,
    /// For a CSV, the place (the first is 1) of a field without a header,
    /// as [`trama_tabular::CellError::position`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<u64>,
    pub value: Option<String>,
    pub issue: FormIssue,
}

impl FormError {
    /// `rme.xlsx: survey:12: relevant: "${q9} >" no se puede interpretar: …`,
    /// or for a CSV `rme.csv:12: relevant: …`.
    pub fn render(&self, lang: Lang) -> String {
        let mut s = self.file.clone();
        match (&self.sheet, self.row) {
            (Some(sheet), Some(row)) => s.push_str(&format!(": {sheet}:{row}")),
            (Some(sheet), None) => s.push_str(&format!(": {sheet}")),
            (None, Some(row)) => s.push_str(&format!(":{row}")),
            (None, None) => {}
        }
        s.push_str(": ");
        // Column names and values come from the file: echoed on one line,
        // cut short, control characters named.
        match (&self.column, self.position) {
            (Some(c), _) => {
                s.push_str(&echo(c));
                s.push_str(": ");
            }
            (None, Some(p)) => {
                s.push_str(&trama_i18n::t!(lang, "csv-unnamed-column", position = p));
                s.push_str(": ");
            }
            (None, None) => {}
        }
        if let Some(v) = &self.value {
            s.push_str(&format!("\"{}\" ", echo(v).replace('"', "\"\"")));
        }
        s.push_str(&self.issue.render(lang));
        s
    }
}

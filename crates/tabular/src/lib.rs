//! CSV input as Trama's users produce it: spreadsheets saved as UTF-8 (with or
//! without BOM) or Latin-1, separated by `,` or `;`, with headers in any case.
//!
//! Every problem is a [`CellError`] that names the file, the line (the header
//! is line 1), the column and the value, so a person can fix the file in one
//! pass. Nothing here touches a database: callers collect all errors and write
//! nothing when there is any.
//!
//! Trama's CSV writers put a `'` before cells a spreadsheet would run as a
//! formula ([`trama_stdx::csv::neutralise`]); the reader takes it off again
//! ([`trama_stdx::csv::restore`]), so an exported file imports as it was.

// Errors here are built once per bad cell and collected for the user; their
// size is irrelevant next to the I/O, so they are not boxed.
#![allow(clippy::result_large_err)]

pub mod lines;

use std::borrow::Cow;

use serde::Serialize;
use trama_domain::Problem;
use trama_i18n::{FluentArgs, Lang, message};
use trama_stdx::csv::restore;

/// Decodes bytes to text: UTF-8 (BOM stripped) when valid, else Windows-1252,
/// the superset of Latin-1 that spreadsheets actually write.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Cow::Owned(text.into_owned())
        }
    }
}

/// Picks `;` or `,` (or tab) by counting them in the header line outside quotes.
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for c in header.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => counts[0] += 1,
            ';' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// What is wrong, either a value problem shared with forms and the API, or a
/// file-level message from the translation files.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Issue {
    Problem(Problem),
    Message {
        id: &'static str,
        args: Vec<(&'static str, String)>,
    },
}

impl Issue {
    pub fn message(id: &'static str) -> Self {
        Issue::Message { id, args: vec![] }
    }

    pub fn with_args(id: &'static str, args: Vec<(&'static str, String)>) -> Self {
        Issue::Message { id, args }
    }

    pub fn render(&self, lang: Lang) -> String {
        match self {
            Issue::Problem(p) => p.render(lang),
            Issue::Message { id, args } => {
                let mut fa = FluentArgs::new();
                for (k, v) in args {
                    fa.set(*k, v.clone());
                }
                message(lang, id, Some(&fa))
            }
        }
    }
}

impl From<Problem> for Issue {
    fn from(p: Problem) -> Self {
        Issue::Problem(p)
    }
}

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellError {
    pub file: String,
    /// 1-based; the header is line 1. `None` for problems with the whole file.
    pub line: Option<u64>,
    pub column: Option<String>,
    pub value: Option<String>,
    pub issue: Issue,
}

impl CellError {
    /// `escuelas.csv:6: RBD: "10A48" no es un número entero`
    pub fn render(&self, lang: Lang) -> String {
        let mut s = self.file.clone();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
        }
        s.push_str(": ");
        if let Some(c) = &self.column {
            s.push_str(c);
            s.push_str(": ");
        }
        if let Some(v) = &self.value {
            // A refused control character is named, not sent to the terminal.
            let v = trama_stdx::text::visible(v);
            s.push_str(&format!("\"{}\" ", v.replace('"', "\"\"")));
        }
        s.push_str(&self.issue.render(lang));
        s
    }
}

/// A row of the file, with the line it starts on.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    fields: Vec<String>,
}

impl Row {
    /// The trimmed field at `idx`, empty when the row is short.
    pub fn get(&self, idx: usize) -> &str {
        self.fields.get(idx).map(|s| s.trim()).unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// A parsed CSV file: header and rows, each row knowing its line number.
#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// Parses a whole file. Blank lines are skipped. Errors are file-level
    /// (empty file, broken quoting); cell-level checks are the caller's.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<Table, CellError> {
        let text = decode(bytes);
        let delimiter = detect_delimiter(&text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let file_error = |line: Option<u64>, issue: Issue| CellError {
            file: file.to_owned(),
            line,
            column: None,
            value: None,
            issue,
        };
        let index = lines::LineIndex::of(text.as_bytes());
        let line_of = |p: Option<&csv::Position>| p.map(|p| index.line_of(p.byte()));
        let headers: Vec<String> = match records.next() {
            Some(Ok(h)) => h.iter().map(|s| restore(s).trim().to_owned()).collect(),
            Some(Err(e)) => {
                return Err(file_error(
                    line_of(e.position()),
                    Issue::message("csv-malformed"),
                ));
            }
            None => return Err(file_error(None, Issue::message("csv-empty"))),
        };
        if headers.iter().all(|h| h.is_empty()) {
            return Err(file_error(Some(1), Issue::message("csv-empty")));
        }
        let mut rows = vec![];
        for rec in records {
            match rec {
                Ok(r) => {
                    let line = line_of(r.position()).unwrap_or_default();
                    let row = Row {
                        line,
                        fields: r.iter().map(|f| restore(f).to_owned()).collect(),
                    };
                    if !row.is_empty() {
                        rows.push(row);
                    }
                }
                Err(e) => {
                    return Err(file_error(
                        line_of(e.position()),
                        Issue::message("csv-malformed"),
                    ));
                }
            }
        }
        Ok(Table {
            file: file.to_owned(),
            headers,
            rows,
        })
    }

    /// Index of a column by name, ignoring case and surrounding spaces.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    }

    /// Indices of the required columns, or one error per missing column.
    pub fn require(&self, names: &[&str]) -> Result<Vec<usize>, Vec<CellError>> {
        let mut found = vec![];
        let mut errors = vec![];
        for name in names {
            match self.column(name) {
                Some(i) => found.push(i),
                None => errors.push(CellError {
                    file: self.file.clone(),
                    line: Some(1),
                    column: Some((*name).to_owned()),
                    value: None,
                    issue: Issue::message("csv-missing-column"),
                }),
            }
        }
        if errors.is_empty() {
            Ok(found)
        } else {
            Err(errors)
        }
    }

    /// An error about one cell of `row`.
    pub fn cell_error(&self, row: &Row, col: usize, issue: impl Into<Issue>) -> CellError {
        let value = row.get(col);
        CellError {
            file: self.file.clone(),
            line: Some(row.line),
            column: self.headers.get(col).cloned(),
            value: (!value.is_empty()).then(|| value.to_owned()),
            issue: issue.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(s: &[u8]) -> Table {
        Table::parse("t.csv", s).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn semicolons_bom_and_line_numbers() {
        let t = table(b"\xEF\xBB\xBFRBD;NOM_RBD\n10048;Liceo A\n\n10049;\"Escuela\nB\"\n10050;C\n");
        assert_eq!(t.headers, vec!["RBD", "NOM_RBD"]);
        let lines: Vec<_> = t.rows.iter().map(|r| r.line).collect();
        // The blank line 3 is skipped; the quoted newline makes row 4 span two lines.
        assert_eq!(lines, vec![2, 4, 6]);
        assert_eq!(t.rows[1].get(1), "Escuela\nB");
    }

    #[test]
    fn latin1_is_decoded() {
        let t = table(b"id,nombre\n1,Pe\xF1alol\xE9n\n");
        assert_eq!(t.rows[0].get(1), "Peñalolén");
    }

    #[test]
    fn comma_wins_when_more_frequent() {
        assert_eq!(detect_delimiter("a,b,c\n1;2,3"), b',');
        assert_eq!(detect_delimiter("a;b;c"), b';');
        assert_eq!(detect_delimiter("\"a;b\",c"), b',');
    }

    #[test]
    fn missing_columns_are_all_reported() {
        let t = table(b"source\n1\n");
        let errs = t
            .require(&["source", "target", "weight"])
            .err()
            .unwrap_or_default();
        let cols: Vec<_> = errs.iter().filter_map(|e| e.column.clone()).collect();
        assert_eq!(cols, vec!["target", "weight"]);
    }

    #[test]
    fn rendered_error_names_file_line_column_value() {
        let t = table(b"RBD;NOM\n10A48;x\n");
        let e = t.cell_error(&t.rows[0], 0, Problem::NotAnInteger);
        assert_eq!(
            e.render(Lang::Es),
            "t.csv:2: RBD: \"10A48\" no es un número entero"
        );
        assert_eq!(
            e.render(Lang::En),
            "t.csv:2: RBD: \"10A48\" is not a whole number"
        );
    }

    #[test]
    fn cells_neutralised_on_export_read_back_as_written() {
        let t = table(b"id,nota\n\"'=HYPERLINK(\"\"x\"\")\",'-2+3\n'-3,'O'Higgins\n");
        assert_eq!(t.rows[0].get(0), "=HYPERLINK(\"x\")");
        assert_eq!(t.rows[0].get(1), "-2+3");
        // Only what the writer would have quoted loses its apostrophe.
        assert_eq!(t.rows[1].get(0), "'-3");
        assert_eq!(t.rows[1].get(1), "'O'Higgins");
    }

    #[test]
    fn empty_and_broken_files() {
        assert!(Table::parse("e.csv", b"").is_err());
        assert!(Table::parse("e.csv", b"\n\n").is_err());
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut seed = 12345u64;
        for _ in 0..2000 {
            let len = (seed % 64) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 33) as u8
                })
                .collect();
            let _ = Table::parse("r.csv", &bytes);
        }
    }
}

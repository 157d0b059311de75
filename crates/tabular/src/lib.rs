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
pub mod report;

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
                    // Arguments may quote the file (an id, a code): kept on
                    // one line and bounded, though longer than a value, as
                    // some are Trama's own lists (the accepted columns).
                    fa.set(
                        *k,
                        trama_stdx::text::echo(v, report::ARG_CHARS).into_owned(),
                    );
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
    /// 1-based; the header is line 1, which is also where problems with the
    /// whole file (an empty file, a missing column) are placed. `None` only
    /// for the count of problems left out ([`CellError::omitted`]).
    pub line: Option<u64>,
    /// The column's header, as the file wrote it.
    pub column: Option<String>,
    /// The column's place (the first is 1), for a field without a header:
    /// past the header's end, or in a file without one. Shown as
    /// "columna 7 (sin encabezado)" when `column` is `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<u64>,
    pub value: Option<String>,
    pub issue: Issue,
}

/// The message id of [`CellError::omitted`].
const OMITTED: &str = "csv-more-problems";

impl CellError {
    /// A problem with the file as a whole, or with its header: placed on
    /// line 1, at `column` (a header name) or, without one, at the first
    /// column.
    pub fn header(file: &str, column: Option<&str>, issue: impl Into<Issue>) -> CellError {
        CellError {
            file: file.to_owned(),
            line: Some(1),
            column: column.map(str::to_owned),
            position: column.is_none().then_some(1),
            value: None,
            issue: issue.into(),
        }
    }

    /// Stands for `count` problems a reader found but did not keep (a
    /// reader that streams a million rows keeps the first ones only). It is
    /// not a problem of its own: [`report::lines`] adds it to the count of
    /// those not shown.
    pub fn omitted(file: &str, count: u64) -> CellError {
        CellError {
            file: file.to_owned(),
            line: None,
            column: None,
            position: None,
            value: None,
            issue: Issue::with_args(
                OMITTED,
                vec![("count", count.to_string()), ("shown", count.to_string())],
            ),
        }
    }

    /// How many problems this stands for, when it is [`CellError::omitted`].
    pub fn omitted_count(&self) -> Option<u64> {
        match &self.issue {
            Issue::Message { id, args } if *id == OMITTED && self.line.is_none() => args
                .iter()
                .find(|(k, _)| *k == "count")
                .and_then(|(_, v)| v.parse().ok()),
            _ => None,
        }
    }

    /// `escuelas.csv:6: RBD: "10A48" no es un número entero`. Column names
    /// and values come from the file: they are echoed on one line, cut
    /// short, with control characters named ([`report::echo`]).
    pub fn render(&self, lang: Lang) -> String {
        let mut s = self.file.clone();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
        }
        s.push_str(": ");
        match (&self.column, self.position) {
            (Some(c), _) => {
                s.push_str(&report::echo(c));
                s.push_str(": ");
            }
            (None, Some(p)) => {
                s.push_str(&trama_i18n::t!(lang, "csv-unnamed-column", position = p));
                s.push_str(": ");
            }
            (None, None) => {}
        }
        if let Some(v) = &self.value {
            s.push_str(&format!("\"{}\" ", report::echo(v).replace('"', "\"\"")));
        }
        s.push_str(&self.issue.render(lang));
        s
    }
}

/// Whether a record's fields past the header's `width` carry anything: the
/// place (0-based) of the first that is not blank. Spreadsheets write
/// trailing separators after the last column (`a,b,c,,`) when some cell to
/// the right was ever touched; such empty fields say nothing and are
/// accepted. One that holds a value has no column to go to.
pub fn first_extra<'a>(fields: impl IntoIterator<Item = &'a [u8]>, width: usize) -> Option<usize> {
    fields
        .into_iter()
        .enumerate()
        .skip(width)
        .find(|(_, f)| !f.trim_ascii().is_empty())
        .map(|(i, _)| i)
}

/// The problem of a record with a value past the header's end: at that
/// field's place, which has no header.
pub fn long_row(
    file: &str,
    line: u64,
    at: usize,
    value: &str,
    found: usize,
    width: usize,
) -> CellError {
    CellError {
        file: file.to_owned(),
        line: Some(line),
        column: None,
        position: Some(at as u64 + 1),
        value: Some(value.trim().to_owned()),
        issue: Issue::with_args(
            "csv-long-row",
            vec![
                ("found", found.to_string()),
                ("expected", width.to_string()),
            ],
        ),
    }
}

/// The problem of a record of `found` fields that ends before the header
/// does, at column `col` (0-based, `found` or after), named by its header
/// or, when that is empty, by its place.
pub fn short_row(file: &str, line: u64, headers: &[String], found: usize, col: usize) -> CellError {
    let name = headers.get(col).filter(|h| !h.trim().is_empty());
    CellError {
        file: file.to_owned(),
        line: Some(line),
        column: name.cloned(),
        position: name.is_none().then_some(col as u64 + 1),
        value: None,
        issue: Issue::with_args(
            "csv-short-row",
            vec![
                ("found", found.to_string()),
                ("expected", headers.len().to_string()),
            ],
        ),
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
    /// Parses a whole file. Blank lines are skipped. Errors are about the
    /// file's shape: an empty file, broken quoting, a row with values past
    /// the header's end (each such row is named); cell-level checks are the
    /// caller's.
    ///
    /// Rows may be shorter than the header: Excel leaves out the separators
    /// of empty trailing cells on some rows, and people typing a file leave
    /// out a trailing optional value (`RME1,10048,2019` under
    /// `network,rbd,from_year,to_year`). The missing cells read as empty, so
    /// a short row is refused exactly when a cell it lacks needs a value:
    /// the caller's "value required" at that column is then told as the row
    /// ending early ([`Table::cell_error`]). Readers for which an empty cell
    /// is a valid answer, where a lost separator would shift values into
    /// the wrong columns unnoticed, refuse short rows with
    /// [`Table::require_full_rows`].
    pub fn parse(file: &str, bytes: &[u8]) -> Result<Table, Vec<CellError>> {
        let text = decode(bytes);
        let delimiter = detect_delimiter(&text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let index = lines::LineIndex::of(text.as_bytes());
        let line_of = |p: Option<&csv::Position>| p.map_or(1, |p| index.line_of(p.byte()));
        let malformed = |e: &csv::Error| {
            let field = match e.kind() {
                csv::ErrorKind::Utf8 { err, .. } => err.field() as u64 + 1,
                _ => 1,
            };
            CellError {
                file: file.to_owned(),
                line: Some(line_of(e.position())),
                column: None,
                position: Some(field),
                value: None,
                issue: Issue::message("csv-malformed"),
            }
        };
        let headers: Vec<String> = match records.next() {
            Some(Ok(h)) => h.iter().map(|s| restore(s).trim().to_owned()).collect(),
            Some(Err(e)) => return Err(vec![malformed(&e)]),
            None => {
                return Err(vec![CellError::header(
                    file,
                    None,
                    Issue::message("csv-empty"),
                )]);
            }
        };
        if headers.iter().all(|h| h.is_empty()) {
            return Err(vec![CellError::header(
                file,
                None,
                Issue::message("csv-empty"),
            )]);
        }
        let width = headers.len();
        let mut rows = vec![];
        let mut errors = vec![];
        for rec in records {
            match rec {
                Ok(r) => {
                    let line = line_of(r.position());
                    if let Some(at) = first_extra(r.as_byte_record(), width) {
                        let value = restore(r.get(at).unwrap_or_default());
                        errors.push(long_row(file, line, at, value, r.len(), width));
                        continue;
                    }
                    let row = Row {
                        line,
                        fields: r
                            .iter()
                            .take(width)
                            .map(|f| restore(f).to_owned())
                            .collect(),
                    };
                    if !row.is_empty() {
                        rows.push(row);
                    }
                }
                Err(e) => {
                    errors.push(malformed(&e));
                    break;
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Table {
            file: file.to_owned(),
            headers,
            rows,
        })
    }

    /// One problem per row shorter than the header, at the first column it
    /// lacks: for files where an empty cell is a valid answer (a responses
    /// file), so a lost separator cannot shift answers unnoticed.
    pub fn require_full_rows(&self) -> Result<(), Vec<CellError>> {
        let errors: Vec<CellError> = self
            .rows
            .iter()
            .filter(|r| r.len() < self.headers.len())
            .map(|r| short_row(&self.file, r.line, &self.headers, r.len(), r.len()))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Refuses every header cell that is not one of `accepted` (each a
    /// column's accepted names, the canonical one first; case and spaces
    /// around ignored), and every column given twice, on line 1, naming the
    /// column. For files of Trama's own formats, where an unknown column is
    /// almost always a typo (`emial`) whose values would be dropped
    /// unnoticed. Empty header cells are left alone. Linear in the header.
    pub fn check_columns(&self, accepted: &[&[&str]]) -> Vec<CellError> {
        let mut known: std::collections::HashMap<String, usize> = Default::default();
        for (i, names) in accepted.iter().enumerate() {
            for n in *names {
                known.entry(n.to_lowercase()).or_insert(i);
            }
        }
        let list = accepted
            .iter()
            .filter_map(|names| names.first().copied())
            .collect::<Vec<_>>()
            .join(", ");
        let mut seen = std::collections::HashSet::new();
        let mut errors = vec![];
        for h in &self.headers {
            let h = h.trim();
            if h.is_empty() {
                continue;
            }
            match known.get(&h.to_lowercase()) {
                None => errors.push(CellError::header(
                    &self.file,
                    Some(h),
                    Issue::with_args("csv-unknown-column", vec![("accepted", list.clone())]),
                )),
                Some(&i) if !seen.insert(i) => errors.push(CellError::header(
                    &self.file,
                    Some(h),
                    Issue::message("csv-duplicate-column"),
                )),
                Some(_) => {}
            }
        }
        errors
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
                None => errors.push(CellError::header(
                    &self.file,
                    Some(name),
                    Issue::message("csv-missing-column"),
                )),
            }
        }
        if errors.is_empty() {
            Ok(found)
        } else {
            Err(errors)
        }
    }

    /// An error about one cell of `row`. A value required in a cell the
    /// row does not reach is told as the row ending early, which is what
    /// the person has to fix.
    pub fn cell_error(&self, row: &Row, col: usize, issue: impl Into<Issue>) -> CellError {
        let issue = issue.into();
        if col >= row.len()
            && col < self.headers.len()
            && issue == Issue::Problem(Problem::Required)
        {
            return short_row(&self.file, row.line, &self.headers, row.len(), col);
        }
        let value = row.get(col);
        let name = self.headers.get(col).filter(|h| !h.is_empty());
        CellError {
            file: self.file.clone(),
            line: Some(row.line),
            column: name.cloned(),
            position: name.is_none().then_some(col as u64 + 1),
            value: (!value.is_empty()).then(|| value.to_owned()),
            issue,
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
        for empty in [&b""[..], b"\n\n", b";;\n"] {
            let errors = Table::parse("e.csv", empty).err().unwrap_or_default();
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!((errors[0].line, errors[0].position), (Some(1), Some(1)));
            assert_eq!(
                errors[0].render(Lang::Es),
                "e.csv:1: columna 1 (sin encabezado): el archivo está vacío"
            );
        }
    }

    #[test]
    fn values_past_the_header_are_refused_naming_line_and_place() {
        let errors = Table::parse("t.csv", b"a,b,c\n1,2,3,,\n4,5,6,7\n8,9,10, ,x\n11,12,13\n")
            .err()
            .unwrap_or_default();
        let rendered: Vec<String> = errors.iter().map(|e| e.render(Lang::Es)).collect();
        assert_eq!(
            rendered,
            [
                "t.csv:3: columna 4 (sin encabezado): \"7\" la fila tiene 4 campos y el encabezado 3",
                "t.csv:4: columna 5 (sin encabezado): \"x\" la fila tiene 5 campos y el encabezado 3",
            ]
        );
        assert_eq!(
            errors[0].render(Lang::En),
            "t.csv:3: column 4 (no header): \"7\" the row has 4 fields and the header 3"
        );
        // Trailing empty fields, as spreadsheets write them, are no problem.
        let t = table(b"a;b;c\n1;2;3;;\n4;5;6; \n");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].len(), 3);
    }

    #[test]
    fn a_short_row_reads_as_empty_cells_and_a_required_one_says_the_row_ends() {
        let t = table(b"a,b,c,d\n1,2\n");
        assert_eq!(t.rows[0].get(2), "");
        let e = t.cell_error(&t.rows[0], 3, Problem::Required);
        assert_eq!(
            e.render(Lang::En),
            "t.csv:2: d: the row ends before this column: it has 2 fields and the header 4"
        );
        // Any other problem of a missing cell is the reader's, as it said.
        let e = t.cell_error(&t.rows[0], 2, Problem::NotAnInteger);
        assert_eq!(e.render(Lang::En), "t.csv:2: c: is not a whole number");
        let strict = t.require_full_rows().err().unwrap_or_default();
        assert_eq!(strict.len(), 1);
        assert_eq!(
            strict[0].column.as_deref(),
            Some("c"),
            "the first missing column"
        );
        assert!(table(b"a,b\n1,2\n").require_full_rows().is_ok());
    }

    #[test]
    fn unknown_and_repeated_columns_are_named_on_line_1() {
        let t = table(b"name,emial,Name,,correo\nA,a@x.cl,B,,\n");
        let errors = t.check_columns(&[&["name", "nombre"], &["email", "correo"]]);
        let rendered: Vec<String> = errors.iter().map(|e| e.render(Lang::En)).collect();
        assert_eq!(
            rendered,
            [
                "t.csv:1: emial: is not a column of this file; the accepted ones are: name, email",
                "t.csv:1: Name: the column is repeated",
            ]
        );
    }

    #[test]
    fn a_hundred_thousand_columns_are_checked_in_linear_time() {
        // Not a timing test: a quadratic check would take minutes here.
        let header: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
        let text = format!("{}\n", header.join(","));
        let t = table(text.as_bytes());
        assert_eq!(t.check_columns(&[&["c0"]]).len(), 99_999);
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

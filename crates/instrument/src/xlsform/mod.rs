//! XLSForm in and out: the `.xlsx` workbook KoboToolbox and ODK users write,
//! or its `survey` sheet alone as CSV.
//!
//! Trama's own columns next to XLSForm's: `dimension`, `subdimension`,
//! `reverse` (0/1), `finding::es`, `finding::en`, on rating items
//! (`select_one acuerdo5`) only. A `choices` list named `dimension` or
//! `subdimension`, when present, labels those codes and every code used
//! must be in it.

mod errors;
mod guard;
mod read;
mod write;

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

pub use errors::{FormError, FormIssue};
pub use write::{WriteError, write_json, write_xlsx};

use crate::model::Instrument;

/// A sheet as rows of trimmed text, each with its spreadsheet row number.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sheet {
    pub name: &'static str,
    pub header_row: u64,
    pub headers: Vec<String>,
    /// Each normalised header → its first column, so finding a column does
    /// not go through every header (a CSV may have a hundred thousand).
    by_header: HashMap<String, usize>,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug, Clone)]
pub(crate) struct SheetRow {
    pub row: u64,
    pub cells: Vec<String>,
}

impl SheetRow {
    pub fn get(&self, col: Option<usize>) -> &str {
        col.and_then(|c| self.cells.get(c))
            .map(|s| s.trim())
            .unwrap_or_default()
    }
}

impl Sheet {
    fn from_rows(name: &'static str, rows: impl IntoIterator<Item = SheetRow>) -> Sheet {
        let mut rows = rows
            .into_iter()
            .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()));
        let Some(header) = rows.next() else {
            return Sheet {
                name,
                ..Sheet::default()
            };
        };
        let headers: Vec<String> = header.cells.iter().map(|c| c.trim().to_owned()).collect();
        let mut by_header = HashMap::with_capacity(headers.len());
        for (i, h) in headers.iter().enumerate() {
            by_header.entry(normalize_header(h)).or_insert(i);
        }
        Sheet {
            name,
            header_row: header.row,
            headers,
            by_header,
            rows: rows.collect(),
        }
    }

    fn from_table(name: &'static str, table: &trama_tabular::Table) -> Sheet {
        let rows = std::iter::once(SheetRow {
            row: 1,
            cells: table.headers.clone(),
        })
        .chain(table.rows.iter().map(|r| SheetRow {
            row: r.line,
            cells: (0..r.len()).map(|i| r.get(i).to_owned()).collect(),
        }));
        Sheet::from_rows(name, rows)
    }

    /// Index of a column, ignoring case and spaces around `::`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.by_header.get(&normalize_header(name)).copied()
    }
}

/// `Label :: Español (es)` → `label::es`; languages by code or name.
pub(crate) fn normalize_header(h: &str) -> String {
    let h = h.trim().to_lowercase();
    let Some((base, lang)) = h.split_once("::") else {
        return h;
    };
    let lang = lang.trim();
    let code = match lang.rsplit_once('(') {
        Some((_, rest)) => rest.trim_end_matches(')').trim(),
        None => lang,
    };
    let code = match code {
        "español" | "espanol" | "spanish" | "castellano" => "es",
        "english" | "inglés" | "ingles" => "en",
        c => trama_i18n::Lang::from_tag(c).map(|l| l.tag()).unwrap_or(c),
    };
    format!("{}::{code}", base.trim())
}

/// Reads an XLSForm workbook: sheets `survey` (required), `choices` and
/// `settings`. Every problem is reported, none of the form is returned when
/// there is any.
pub fn read_xlsx(file: &str, bytes: &[u8]) -> Result<Instrument, Vec<FormError>> {
    let file_error = |issue| {
        vec![FormError {
            file: file.to_owned(),
            sheet: None,
            row: None,
            column: None,
            position: None,
            value: None,
            issue,
        }]
    };
    // Before calamine, which trusts sizes and ranges (see guard).
    guard::check(file, bytes, &guard::LIMITS).map_err(|e| vec![e])?;
    let Ok(mut book) = Xlsx::new(Cursor::new(bytes)) else {
        return Err(file_error(FormIssue::Unreadable));
    };
    let names = book.sheet_names();
    let mut sheet = |wanted: &'static str| -> Result<Option<Sheet>, Vec<FormError>> {
        let Some(actual) = names.iter().find(|n| n.trim().eq_ignore_ascii_case(wanted)) else {
            return Ok(None);
        };
        let range = book
            .worksheet_range(actual)
            .map_err(|_| file_error(FormIssue::Unreadable))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let rows = range.rows().enumerate().map(|(i, cells)| SheetRow {
            row: u64::from(row0) + i as u64 + 1,
            // Leading empty columns are kept so indices match the letters.
            cells: std::iter::repeat_n(String::new(), col0 as usize)
                .chain(cells.iter().map(cell_text))
                .collect(),
        });
        Ok(Some(Sheet::from_rows(wanted, rows)))
    };
    let survey = sheet("survey")?;
    let choices = sheet("choices")?;
    let settings = sheet("settings")?;
    read::build(read::Sheets {
        file: file.to_owned(),
        workbook: true,
        survey,
        choices,
        settings,
    })
}

/// Reads a CSV file holding the `survey` sheet alone (UTF-8 with or without
/// BOM, or Latin-1; `,` or `;`). The form id is the file's name.
pub fn read_csv(file: &str, bytes: &[u8]) -> Result<Instrument, Vec<FormError>> {
    let survey = csv_sheet(file, "survey", bytes)?;
    read::build(read::Sheets {
        file: file.to_owned(),
        workbook: false,
        survey: Some(survey),
        choices: None,
        settings: None,
    })
}

/// Reads either format, telling them apart by content (an .xlsx is a zip).
pub fn read_form(file: &str, bytes: &[u8]) -> Result<Instrument, Vec<FormError>> {
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(file, bytes)
    } else {
        read_csv(file, bytes)
    }
}

/// The three sheets as separate CSV files: how the shipped forms are kept,
/// readable in a diff.
pub(crate) fn read_csv_sheets(
    file: &str,
    survey: &[u8],
    choices: &[u8],
    settings: &[u8],
) -> Result<Instrument, Vec<FormError>> {
    read::build(read::Sheets {
        file: file.to_owned(),
        workbook: true,
        survey: Some(csv_sheet(file, "survey", survey)?),
        choices: Some(csv_sheet(file, "choices", choices)?),
        settings: Some(csv_sheet(file, "settings", settings)?),
    })
}

fn csv_sheet(file: &str, name: &'static str, bytes: &[u8]) -> Result<Sheet, Vec<FormError>> {
    match trama_tabular::Table::parse(file, bytes) {
        Ok(table) => Ok(Sheet::from_table(name, &table)),
        Err(errors) => Err(errors
            .into_iter()
            .map(|e| FormError {
                file: file.to_owned(),
                sheet: None,
                row: e.line,
                column: e.column,
                position: e.position,
                value: e.value,
                issue: FormIssue::Csv { issue: e.issue },
            })
            .collect()),
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

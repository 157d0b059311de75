//! Anonymised exports of a campaign's responses for researchers.
//!
//! A [`Codebook`] says which variables an export has (the fixed columns
//! `response_id`, `region`, `deprov`, `network`, `role`, then the
//! instrument's questions), how they are labelled and which values are
//! declared missing. Three streaming writers turn rows into files:
//!
//! - [`CsvWriter`]: the responses-file format in codebook order, plus
//!   [`write_codebook_csv`];
//! - [`XlsxWriter`]: a data sheet (ratings as numbers) and a `codebook`
//!   sheet, the data sheet streamed through rust_xlsxwriter's constant-memory
//!   mode;
//! - [`SavWriter`]: an SPSS system file written to the documented format,
//!   with variable labels, value labels and "No aplica" declared missing.
//!
//! Rows are pushed one at a time as `&[Option<&str>]`, values in codebook
//! order spelled as in the responses file (`1`–`5`, `NA`, empty or `None`);
//! nothing holds more than one row, so memory does not grow with the
//! export. [`Exporter`] puts the three behind one type for callers that pick
//! the format at run time.
//!
//! Streaming a responses file into a `.sav` (the other formats differ only
//! in the [`Format`]):
//!
//! ```
//! use std::io::Cursor;
//! use trama_export::{Codebook, Exporter, Format, SavOptions};
//! use trama_i18n::Lang;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let survey = "type,name,label::es,label::en\n\
//!               select_one acuerdo5,conf_1,Confío en mi red,I trust my network\n";
//! let instrument = trama_instrument::read_csv("survey.csv", survey.as_bytes())
//!     .map_err(|e| format!("{e:?}"))?;
//! let codebook = Codebook::from_instrument(&instrument, Lang::Es)?;
//!
//! let responses = "response_id,region,deprov,network,role,submitted_at,conf_1\n\
//!                  r1,5,51,RME-V-01,director,,4\n\
//!                  r2,5,51,RME-V-01,docente,,NA\n";
//! let mut rdr = csv::Reader::from_reader(responses.as_bytes());
//! // Where each codebook variable is in the file; extra columns are ignored.
//! let positions = codebook.positions_in(&rdr.headers()?.iter().collect::<Vec<_>>())?;
//! let sink = Cursor::new(Vec::new()); // a File or a tempfile in practice
//! let mut out = Exporter::new(Format::Sav, sink, &codebook, &SavOptions::default())?;
//! let mut record = csv::StringRecord::new();
//! while rdr.read_record(&mut record)? {
//!     let row: Vec<Option<&str>> = positions.iter().map(|&p| record.get(p)).collect();
//!     out.write_row(&row)?;
//! }
//! let file = out.finish()?.into_inner();
//! assert!(file.starts_with(b"$FL2"));
//! # Ok(()) }
//! ```
//!
//! Anonymity is the caller's: rows come from the answer side only (no
//! person), scoped to what the reader may see. Nothing here aggregates, so
//! there is no group to suppress.

mod codebook;
mod csv_out;
pub mod sav;
mod table;
mod xlsx;

use std::io::{Seek, Write};

pub use codebook::{
    Codebook, CodebookOptions, FIXED_COLUMNS, MAX_STRING_WIDTH, Measure, MissingCode, NA_CODE,
    NA_TOKEN, SUBMITTED_AT, Value, ValueLabel, VarKind, Variable, fixed_variables,
};
pub use csv_out::{CsvWriter, write_codebook_csv};
pub use sav::{SavOptions, SavWriter};
pub use table::{TableCell, table_xlsx};
pub use xlsx::{XLSX_MAX_ROWS, XlsxWriter};

/// What can go wrong while exporting. Row numbers count data rows from 1.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("row {row}: {got} values for {expected} variables")]
    RowLength {
        row: u64,
        expected: usize,
        got: usize,
    },
    #[error("row {row}: {variable}: \"{value}\" is not a value of this variable")]
    BadValue {
        row: u64,
        variable: String,
        value: String,
    },
    #[error("row {row}: {variable}: {len} bytes do not fit the variable's {width}")]
    TooLong {
        row: u64,
        variable: String,
        len: usize,
        width: u16,
    },
    #[error("columns missing from the responses: {}", .0.join(", "))]
    MissingColumns(Vec<String>),
    #[error("more than {max} rows do not fit in one {format} file")]
    TooManyRows { format: &'static str, max: u64 },
    #[error("{expected} cases were announced but {written} were written")]
    CaseCount { expected: u64, written: u64 },
    #[error("codebook: {0}")]
    Codebook(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Sav,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::Xlsx, Format::Sav];

    /// `csv`, `xlsx` or `sav` (as a CLI flag or a URL segment says it).
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "sav" | "spss" => Some(Format::Sav),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Sav => "sav",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Sav => "application/x-spss-sav",
        }
    }
}

/// One writer of any format. The sink must be seekable because XLSX is a
/// zip and `.sav` records its case count in the header once it is known;
/// a file or a temporary file is the usual sink.
pub enum Exporter<W: Write + Seek + Send> {
    Csv(Box<CsvWriter<W>>),
    Xlsx(Box<XlsxWriter<W>>),
    Sav(Box<SavWriter<W>>),
}

impl<W: Write + Seek + Send> Exporter<W> {
    pub fn new(
        format: Format,
        out: W,
        codebook: &Codebook,
        sav: &SavOptions,
    ) -> Result<Exporter<W>, ExportError> {
        Ok(match format {
            Format::Csv => Exporter::Csv(Box::new(CsvWriter::new(out, codebook)?)),
            Format::Xlsx => Exporter::Xlsx(Box::new(XlsxWriter::new(out, codebook)?)),
            Format::Sav => Exporter::Sav(Box::new(SavWriter::new(out, codebook, sav)?)),
        })
    }

    /// Writes one row: values in codebook order, as the responses file
    /// spells them. A wrong value is an error and nothing of the row is
    /// written.
    pub fn write_row(&mut self, row: &[Option<&str>]) -> Result<(), ExportError> {
        match self {
            Exporter::Csv(w) => w.write_row(row),
            Exporter::Xlsx(w) => w.write_row(row),
            Exporter::Sav(w) => w.write_row(row),
        }
    }

    pub fn rows(&self) -> u64 {
        match self {
            Exporter::Csv(w) => w.rows(),
            Exporter::Xlsx(w) => w.rows(),
            Exporter::Sav(w) => w.rows(),
        }
    }

    /// Completes the file and hands the sink back.
    pub fn finish(self) -> Result<W, ExportError> {
        match self {
            Exporter::Csv(w) => w.finish(),
            Exporter::Xlsx(w) => w.finish(),
            Exporter::Sav(w) => w.finish_seekable(),
        }
    }
}

/// A respondent as stored: `response_id, region, deprov, network, role`
/// and the answers by item name.
pub type Respondent<'a> = ([&'a str; 5], &'a std::collections::BTreeMap<String, String>);

/// Writes `respondents` in `format` to memory, with `codebook`: the whole
/// file, for downloads of one campaign's responses.
pub fn export_to_vec<'a>(
    format: Format,
    codebook: &Codebook,
    respondents: impl IntoIterator<Item = Respondent<'a>>,
) -> Result<Vec<u8>, ExportError> {
    rows_to_vec(
        format,
        codebook,
        respondents
            .into_iter()
            .map(|(fixed, answers)| codebook.row(fixed, answers)),
    )
}

/// Writes rows already in codebook order (see [`Codebook::row_by`]) in
/// `format` to memory.
pub fn rows_to_vec<'a>(
    format: Format,
    codebook: &Codebook,
    rows: impl IntoIterator<Item = Vec<Option<&'a str>>>,
) -> Result<Vec<u8>, ExportError> {
    let mut out = Exporter::new(
        format,
        std::io::Cursor::new(vec![]),
        codebook,
        &SavOptions::default(),
    )?;
    for row in rows {
        out.write_row(&row)?;
    }
    Ok(out.finish()?.into_inner())
}

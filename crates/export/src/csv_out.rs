//! CSV: the responses-file format (UTF-8, comma, header first), columns in
//! codebook order, so Trama's own readers take it back. Ratings stay `1`–`5`
//! and `NA`; see the codebook module for why `NA` is not 9 here.
//!
//! Every cell goes through [`neutralise`]: an open answer such as
//! `=HYPERLINK(…)` is written `'=HYPERLINK(…)` so that a spreadsheet shows it
//! rather than running it. Plain numbers (`-3`) are left as they are.

use std::io::Write;

use trama_stdx::csv::neutralise;

use crate::ExportError;
use crate::codebook::{Cell, Codebook};

pub struct CsvWriter<W: Write> {
    out: csv::Writer<W>,
    codebook: Codebook,
    cells: Vec<Cell>,
    rows: u64,
}

impl<W: Write> CsvWriter<W> {
    /// Writes the header line.
    pub fn new(out: W, codebook: &Codebook) -> Result<CsvWriter<W>, ExportError> {
        let mut out = csv::Writer::from_writer(out);
        let header: Vec<_> = codebook.names().map(neutralise).collect();
        out.write_record(header.iter().map(|h| h.as_bytes()))?;
        Ok(CsvWriter {
            out,
            codebook: codebook.clone(),
            cells: Vec::with_capacity(codebook.len()),
            rows: 0,
        })
    }

    pub fn write_row(&mut self, row: &[Option<&str>]) -> Result<(), ExportError> {
        let row_no = self.rows + 1;
        self.codebook.encode(row_no, row, &mut self.cells)?;
        for ((v, cell), raw) in self.codebook.variables.iter().zip(&self.cells).zip(row) {
            let text = match cell {
                Cell::Empty => "",
                // Numbers as they came (trimmed), not reformatted: "3" stays
                // "3" rather than becoming "3.0".
                Cell::Number(_) => raw.unwrap_or_default().trim(),
                Cell::Missing(i) => v.missing[*i as usize].token.as_str(),
                Cell::Text => raw.unwrap_or_default(),
            };
            self.out.write_field(neutralise(text).as_bytes())?;
        }
        self.out.write_record(None::<&[u8]>)?;
        self.rows = row_no;
        Ok(())
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    pub fn finish(self) -> Result<W, ExportError> {
        self.out
            .into_inner()
            .map_err(|e| ExportError::Io(e.into_error()))
    }
}

/// The codebook as CSV: `variable,spss_name,label,type,format,measure,
/// value_labels,missing_values`, one line per variable.
pub fn write_codebook_csv<W: Write>(codebook: &Codebook, out: W) -> Result<W, ExportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CODEBOOK_COLUMNS)?;
    for row in codebook_rows(codebook) {
        let row: Vec<_> = row.iter().map(|cell| neutralise(cell)).collect();
        w.write_record(row.iter().map(|cell| cell.as_bytes()))?;
    }
    w.into_inner().map_err(|e| ExportError::Io(e.into_error()))
}

/// Column names of the codebook table (CSV and the XLSX sheet). Machine
/// names, like the responses file's, so scripts can rely on them.
pub(crate) const CODEBOOK_COLUMNS: [&str; 8] = [
    "variable",
    "spss_name",
    "label",
    "type",
    "format",
    "measure",
    "value_labels",
    "missing_values",
];

pub(crate) fn codebook_rows(codebook: &Codebook) -> impl Iterator<Item = [String; 8]> + '_ {
    codebook.variables.iter().map(|v| {
        [
            v.name.clone(),
            v.spss_name.clone(),
            v.label.clone(),
            if v.kind.is_numeric() {
                "numeric"
            } else {
                "string"
            }
            .to_owned(),
            v.kind.format(),
            v.measure.as_str().to_owned(),
            v.value_labels_text(),
            v.missing_text(),
        ]
    })
}

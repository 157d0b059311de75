//! XLSX: a data sheet ("datos" / "data") and a "codebook" sheet.
//!
//! Ratings are numbers so a spreadsheet can count and average them; "No
//! aplica" is the code 9, as in SPSS, and the codebook sheet says so (its
//! `missing_values` column). The data sheet is a constant-memory worksheet:
//! each row goes to rust_xlsxwriter's temporary file as soon as the next
//! begins, so a million rows need no more memory than one.

use std::io::{Seek, Write};

use rust_xlsxwriter::{Format, Workbook, Worksheet};
use trama_i18n::Lang;

use crate::ExportError;
use crate::codebook::{Cell, Codebook};
use crate::csv_out::{CODEBOOK_COLUMNS, codebook_rows};

/// Rows in an Excel worksheet, the header included.
pub const XLSX_MAX_ROWS: u32 = 1_048_576;

/// Deflate level of the zip. Compressing takes most of an XLSX export's
/// time: at 1,000,000 × 50 level 3 is about three times faster than the
/// default 6 for a file some 17 % larger (level 1 is larger and no faster).
const ZIP_LEVEL: u8 = 3;

/// Past 4 GiB of uncompressed sheet XML the zip needs ZIP64 extensions.
/// The sheet's size is estimated as it is written (generously: a cell's
/// markup plus its text, escaped at worst); below the limit the file stays
/// plain zip, which every reader opens.
const ZIP64_THRESHOLD: u64 = 3 << 30;
const CELL_MARKUP: u64 = 40;

pub struct XlsxWriter<W: Write + Seek + Send> {
    out: W,
    book: Workbook,
    sheet: Worksheet,
    codebook: Codebook,
    cells: Vec<Cell>,
    rows: u32,
    xml_estimate: u64,
}

impl<W: Write + Seek + Send> XlsxWriter<W> {
    /// Starts the data sheet with its header row (bold, frozen).
    pub fn new(out: W, codebook: &Codebook) -> Result<XlsxWriter<W>, ExportError> {
        XlsxWriter::start(out, codebook, None)
    }

    /// The same, with the data sheet's temporary file in `tempdir` rather
    /// than the system's: it grows to about 27 bytes per cell (1.5 GB for
    /// 1,000,000 × 55) until [`XlsxWriter::finish`] zips it.
    pub fn new_in(
        out: W,
        codebook: &Codebook,
        tempdir: &std::path::Path,
    ) -> Result<XlsxWriter<W>, ExportError> {
        XlsxWriter::start(out, codebook, Some(tempdir))
    }

    fn start(
        out: W,
        codebook: &Codebook,
        tempdir: Option<&std::path::Path>,
    ) -> Result<XlsxWriter<W>, ExportError> {
        let mut book = Workbook::new();
        if let Some(dir) = tempdir {
            book.set_tempdir(dir)?;
        }
        // A standalone worksheet rather than `add_worksheet_with_constant_memory`,
        // whose borrow of the workbook could not be kept between rows.
        let mut sheet = book.new_worksheet_with_constant_memory()?;
        sheet.set_name(match codebook.lang {
            Lang::Es => "datos",
            Lang::En => "data",
        })?;
        let bold = Format::new().set_bold();
        for (c, name) in codebook.names().enumerate() {
            sheet.write_string_with_format(0, col(c)?, name, &bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(XlsxWriter {
            out,
            book,
            sheet,
            codebook: codebook.clone(),
            cells: Vec::with_capacity(codebook.len()),
            rows: 0,
            xml_estimate: 0,
        })
    }

    pub fn write_row(&mut self, row: &[Option<&str>]) -> Result<(), ExportError> {
        let row_no = self.rows + 1;
        if row_no >= XLSX_MAX_ROWS {
            return Err(ExportError::TooManyRows {
                format: "XLSX",
                max: u64::from(XLSX_MAX_ROWS - 1),
            });
        }
        self.codebook
            .encode(u64::from(row_no), row, &mut self.cells)?;
        for (c, ((v, cell), raw)) in self
            .codebook
            .variables
            .iter()
            .zip(&self.cells)
            .zip(row)
            .enumerate()
        {
            let c = col(c)?;
            match cell {
                Cell::Empty => {}
                Cell::Number(n) => {
                    self.sheet.write_number(row_no, c, *n)?;
                }
                Cell::Missing(i) => {
                    self.sheet
                        .write_number(row_no, c, v.missing[*i as usize].code)?;
                }
                Cell::Text => {
                    let text = raw.unwrap_or_default();
                    self.xml_estimate += 6 * text.len() as u64;
                    self.sheet.write_string(row_no, c, text)?;
                }
            }
        }
        self.xml_estimate += CELL_MARKUP * row.len() as u64;
        self.rows = row_no;
        Ok(())
    }

    pub fn rows(&self) -> u64 {
        u64::from(self.rows)
    }

    /// Adds the codebook sheet, writes the workbook and hands the sink back.
    pub fn finish(mut self) -> Result<W, ExportError> {
        self.book.push_worksheet(self.sheet);
        let sheet = self.book.add_worksheet();
        sheet.set_name("codebook")?;
        let bold = Format::new().set_bold();
        for (c, name) in CODEBOOK_COLUMNS.iter().enumerate() {
            sheet.write_string_with_format(0, col(c)?, *name, &bold)?;
        }
        let mut r = 0u32;
        for row in codebook_rows(&self.codebook) {
            r += 1;
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    sheet.write_string(r, col(c)?, text)?;
                }
            }
        }
        // Notes after a blank line, in the label column where there is room.
        r += 1;
        for note in &self.codebook.notes {
            r += 1;
            sheet.write_string(r, 0, note)?;
        }
        for (c, width) in [18.0, 12.0, 60.0, 9.0, 8.0, 9.0, 70.0, 16.0]
            .iter()
            .enumerate()
        {
            sheet.set_column_width(col(c)?, *width)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        self.book.set_zip_compression_level(ZIP_LEVEL);
        self.book
            .use_zip_large_file(self.xml_estimate > ZIP64_THRESHOLD);
        self.book.save_to_writer(&mut self.out)?;
        Ok(self.out)
    }
}

fn col(c: usize) -> Result<u16, ExportError> {
    // Excel has 16,384 columns; an instrument is far from that, but a
    // wrong number must not wrap silently.
    u16::try_from(c)
        .ok()
        .filter(|c| *c < 16_384)
        .ok_or_else(|| ExportError::Codebook(format!("{} columns do not fit in XLSX", c + 1)))
}

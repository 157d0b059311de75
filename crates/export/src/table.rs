//! A plain table as a workbook: a header row (bold, frozen) and rows of
//! text and numbers — for tables that are not responses (the national
//! characterisation table), where a codebook would say nothing.

use rust_xlsxwriter::{Format, Workbook};

use crate::ExportError;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum TableCell {
    Text(String),
    Number(f64),
    Empty,
}

/// Writes `rows` under `header` on a sheet named `sheet`.
pub fn table_xlsx(
    sheet: &str,
    header: &[String],
    rows: &[Vec<TableCell>],
) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    for (c, name) in header.iter().enumerate() {
        ws.write_string_with_format(0, col(c)?, name, &bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| ExportError::TooManyRows {
            format: "XLSX",
            max: u64::from(crate::XLSX_MAX_ROWS - 1),
        })?;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                TableCell::Text(t) => {
                    ws.write_string(r, col(c)?, t)?;
                }
                TableCell::Number(n) => {
                    ws.write_number(r, col(c)?, *n)?;
                }
                TableCell::Empty => {}
            }
        }
    }
    Ok(book.save_to_buffer()?)
}

fn col(c: usize) -> Result<u16, ExportError> {
    u16::try_from(c).map_err(|_| ExportError::Codebook(format!("column {c} beyond XLSX's")))
}

//! Helpers shared by the integration tests.
#![allow(dead_code)]

use rust_xlsxwriter::Workbook;
use trama_i18n::Lang;
use trama_instrument::FormError;

/// A workbook with the given sheets, each a list of rows of text cells.
/// Cells that look like whole numbers are written as numbers, as Excel would.
pub fn xlsx(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap_or_else(|e| panic!("{e}"));
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let res = match cell.parse::<i32>() {
                    Ok(n) => sheet.write_number(r as u32, c as u16, n),
                    Err(_) => sheet.write_string(r as u32, c as u16, *cell),
                };
                res.unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
    book.save_to_buffer().unwrap_or_else(|e| panic!("{e}"))
}

/// Every rendered error, one per line, in a language.
pub fn rendered(errors: &[FormError], lang: Lang) -> String {
    errors
        .iter()
        .map(|e| e.render(lang))
        .collect::<Vec<_>>()
        .join("\n")
}

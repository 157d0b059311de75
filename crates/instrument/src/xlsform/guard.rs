//! Hostile workbooks refused before calamine parses them. An `.xlsx` is a
//! zip of XML, and calamine trusts both: a 10 MB zip bomb expands past the
//! machine's memory, and one cell at XFD1048576 makes it allocate the dense
//! range up to there (512 GiB). A questionnaire is a few hundred rows of a
//! few dozen columns, so the limits here are far above any real form and far
//! below what could hurt the server.
//!
//! Checked in order, each cheap: the zip's directory (number of entries,
//! declared sizes, compression ratios); then every entry is inflated once
//! into nothing, counting bytes, so a size the directory lies about is caught
//! too; worksheets are streamed through quick-xml on the way, reading only
//! the `dimension` and the row and cell positions.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::errors::{FormError, FormIssue};

/// What a workbook may hold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Uncompressed bytes of all entries together.
    pub total_bytes: u64,
    pub entries: usize,
    /// Uncompressed over compressed size, for entries above `ratio_floor`
    /// (tiny parts such as styles compress extremely well and are harmless).
    pub ratio: u64,
    pub ratio_floor: u64,
    /// A worksheet's used range: rows, columns, and their product.
    pub rows: u64,
    pub columns: u64,
    pub cells: u64,
}

pub(crate) const LIMITS: Limits = Limits {
    total_bytes: 64 << 20,
    entries: 1_000,
    ratio: 100,
    ratio_floor: 1 << 20,
    rows: 100_000,
    columns: 200,
    cells: 2_000_000,
};

/// `Ok` when calamine may open `bytes`; otherwise the one problem found,
/// naming the file (and the sheet, for a sheet too large).
// Built at most once per upload; boxing it would buy nothing.
#[allow(clippy::result_large_err)]
pub(crate) fn check(file: &str, bytes: &[u8], limits: &Limits) -> Result<(), FormError> {
    let error = |sheet: Option<String>, issue| FormError {
        file: file.to_owned(),
        sheet,
        row: None,
        column: None,
        position: None,
        value: None,
        issue,
    };
    let unreadable = || error(None, FormIssue::Unreadable);
    let too_large = || {
        error(
            None,
            FormIssue::WorkbookTooLarge {
                limit_mib: limits.total_bytes >> 20,
            },
        )
    };
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    if zip.len() > limits.entries {
        return Err(error(
            None,
            FormIssue::WorkbookTooManyParts {
                limit: limits.entries as u64,
            },
        ));
    }
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| unreadable())?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        declared = declared.saturating_add(size);
        if declared > limits.total_bytes {
            return Err(too_large());
        }
        if size > limits.ratio_floor && size / packed > limits.ratio {
            return Err(error(None, FormIssue::WorkbookCompression));
        }
    }
    let sheets = sheet_names(&mut zip);
    let mut budget = limits.total_bytes;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|_| unreadable())?;
        let path = entry.name().map_err(|_| unreadable())?.into_owned();
        // One byte more than the budget allows shows that it was exceeded.
        let mut counted = Counted {
            inner: entry.take(budget + 1),
            read: 0,
        };
        if is_worksheet(&path) {
            let name = sheets.get(&path).cloned().unwrap_or_else(|| path.clone());
            let mut xml = BufReader::new(&mut counted);
            match used_range(&mut xml, limits) {
                Ok(()) => {}
                Err(Scan::TooLarge(rows, columns)) => {
                    return Err(error(
                        Some(name),
                        FormIssue::SheetTooLarge {
                            rows,
                            columns,
                            max_rows: limits.rows,
                            max_columns: limits.columns,
                            max_cells: limits.cells,
                        },
                    ));
                }
                // Broken XML is calamine's to report, as before; but the
                // rest of the entry is still counted against the budget.
                Err(Scan::Unparsable) => {}
            }
            std::io::copy(&mut xml, &mut std::io::sink()).map_err(|_| unreadable())?;
        } else {
            std::io::copy(&mut counted, &mut std::io::sink()).map_err(|_| unreadable())?;
        }
        if counted.read > budget {
            return Err(too_large());
        }
        budget -= counted.read;
    }
    Ok(())
}

/// Counts what passes through.
struct Counted<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

fn is_worksheet(path: &str) -> bool {
    path.starts_with("xl/worksheets/") && path.ends_with(".xml") && !path.contains("/_rels/")
}

/// Worksheet paths (`xl/worksheets/sheet1.xml`) → the names people see
/// (`survey`), from the workbook and its relationships. Best effort: a
/// sheet missing here is named by its path.
fn sheet_names(zip: &mut ZipArchive<Cursor<&[u8]>>) -> HashMap<String, String> {
    let mut read = |path: &str| -> Option<Vec<u8>> {
        let entry = zip.by_name(path).ok()?;
        let mut out = vec![];
        // Both parts are small; the budget check has not run yet, so cap them.
        entry.take(1 << 20).read_to_end(&mut out).ok()?;
        Some(out)
    };
    let (Some(workbook), Some(rels)) =
        (read("xl/workbook.xml"), read("xl/_rels/workbook.xml.rels"))
    else {
        return HashMap::new();
    };
    let ids = attributes_of(&workbook, "sheet", "id", "name");
    let targets = attributes_of(&rels, "Relationship", "Id", "Target");
    targets
        .into_iter()
        .filter_map(|(id, target)| {
            let name = ids.iter().find(|(i, _)| *i == id)?.1.clone();
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_owned(),
                None => format!("xl/{target}"),
            };
            Some((path, name))
        })
        .collect()
}

/// `(key, value)` of every element `tag`, attributes matched by local name
/// (`r:id` is `id`).
fn attributes_of(xml: &[u8], tag: &str, key: &str, value: &str) -> Vec<(String, String)> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = vec![];
    let mut out = vec![];
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == tag => {
                if let (Some(k), Some(v)) = (attribute(&e, key), attribute(&e, value)) {
                    out.push((k, v));
                }
            }
            Ok(Event::Eof) | Err(_) => return out,
            Ok(_) => {}
        }
        buf.clear();
    }
}

fn attribute(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value.into_owned())
}

enum Scan {
    /// Rows and columns of the used range found so far.
    TooLarge(u64, u64),
    Unparsable,
}

/// Streams a worksheet and stops at the first sign that its used range
/// (declared in `<dimension ref>`, or reached by a row or cell) is too
/// large; rows and cells without an `r` follow the previous one, as in
/// Excel.
fn used_range(xml: &mut impl BufRead, limits: &Limits) -> Result<(), Scan> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = vec![];
    let (mut row, mut col) = (0u64, 0u64);
    let (mut first_row, mut last_row) = (u64::MAX, 0u64);
    let (mut first_col, mut last_col) = (u64::MAX, 0u64);
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|_| Scan::Unparsable)?;
        let (Event::Start(e) | Event::Empty(e)) = event else {
            if matches!(event, Event::Eof) {
                return Ok(());
            }
            buf.clear();
            continue;
        };
        match e.local_name().as_ref() {
            "dimension" => {
                if let Some((from, to)) = attribute(&e, "ref").as_deref().and_then(range_of) {
                    check_area(from, to, limits)?;
                }
            }
            "row" => {
                row = attribute(&e, "r")
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(row + 1);
                col = 0;
            }
            "c" => {
                match attribute(&e, "r").as_deref().and_then(cell_of) {
                    Some((r, c)) => (row, col) = (r, c),
                    None => col += 1,
                }
                first_row = first_row.min(row);
                last_row = last_row.max(row);
                first_col = first_col.min(col);
                last_col = last_col.max(col);
                check_area((first_row, first_col), (last_row, last_col), limits)?;
            }
            _ => {}
        }
        buf.clear();
    }
}

fn check_area(from: (u64, u64), to: (u64, u64), limits: &Limits) -> Result<(), Scan> {
    let rows = to.0.saturating_sub(from.0) + 1;
    let columns = to.1.saturating_sub(from.1) + 1;
    if rows > limits.rows || columns > limits.columns || rows.saturating_mul(columns) > limits.cells
    {
        return Err(Scan::TooLarge(rows, columns));
    }
    Ok(())
}

/// `A1:XFD1048576` (or a single cell, `B2`) → its corners, 1-based.
fn range_of(r: &str) -> Option<((u64, u64), (u64, u64))> {
    match r.split_once(':') {
        Some((a, b)) => Some((cell_of(a)?, cell_of(b)?)),
        None => cell_of(r).map(|c| (c, c)),
    }
}

/// `XFD1048576` → (1048576, 16384); `$A$1` as `A1`.
fn cell_of(r: &str) -> Option<(u64, u64)> {
    let r = r.trim().replace('$', "");
    let digits = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = r.split_at(digits);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let col = letters.bytes().fold(0u64, |n, b| {
        n * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    Some((number.parse().ok()?, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_are_read_as_excel_writes_them() {
        assert_eq!(cell_of("A1"), Some((1, 1)));
        assert_eq!(cell_of("$B$2"), Some((2, 2)));
        assert_eq!(cell_of("ZZ50000"), Some((50_000, 702)));
        assert_eq!(cell_of("XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell_of("1"), None);
        assert_eq!(cell_of("ABCD1"), None);
        assert_eq!(range_of("A1:C3"), Some(((1, 1), (3, 3))));
        assert_eq!(range_of("D4"), Some(((4, 4), (4, 4))));
    }

    #[test]
    fn rows_and_cells_without_positions_follow_the_previous_one() {
        let limits = Limits {
            columns: 3,
            ..LIMITS
        };
        let sheet = |cells: &str| {
            format!("<worksheet><sheetData><row>{cells}</row></sheetData></worksheet>")
        };
        let fits = sheet("<c/><c/><c/>");
        assert!(used_range(&mut fits.as_bytes(), &limits).is_ok());
        let wide = sheet("<c/><c/><c/><c/>");
        assert!(matches!(
            used_range(&mut wide.as_bytes(), &limits),
            Err(Scan::TooLarge(1, 4))
        ));
    }
}

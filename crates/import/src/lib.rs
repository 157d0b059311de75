//! Registry imports, first half: read a file and check every cell.
//!
//! Each parser returns either all rows, fully typed, or every problem it found
//! (never just the first). Checks that need the database, such as "does this
//! RBD exist?", happen in the store, which reports them against the same line
//! numbers carried by each row.

pub mod directorio;
pub mod memberships;
pub mod people;

use trama_tabular::{CellError, Row, Table};

pub use trama_tabular::{CellError as ImportError, Issue};

/// Finds a column by any of its accepted names (canonical first).
pub(crate) fn column(table: &Table, names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| table.column(n))
}

/// Like [`column`] but records a missing-column error under the canonical name.
pub(crate) fn required_column(table: &Table, names: &[&str], errors: &mut Vec<CellError>) -> usize {
    match column(table, names) {
        Some(i) => i,
        None => {
            if let Err(mut e) = table.require(&names[..1]) {
                errors.append(&mut e);
            }
            usize::MAX
        }
    }
}

/// Runs `parse` on a cell, recording the problem against the row and column.
pub(crate) fn cell<T>(
    table: &Table,
    row: &Row,
    col: usize,
    errors: &mut Vec<CellError>,
    parse: impl FnOnce(&str) -> Result<T, trama_domain::Problem>,
) -> Option<T> {
    match parse(row.get(col)) {
        Ok(v) => Some(v),
        Err(p) => {
            errors.push(table.cell_error(row, col, p));
            None
        }
    }
}

/// Like [`cell`] for an optional column: absent column or empty cell gives `None`.
pub(crate) fn optional_cell<T>(
    table: &Table,
    row: &Row,
    col: Option<usize>,
    errors: &mut Vec<CellError>,
    parse: impl FnOnce(&str) -> Result<T, trama_domain::Problem>,
) -> Option<T> {
    let col = col?;
    if row.get(col).is_empty() {
        return None;
    }
    cell(table, row, col, errors, parse)
}

/// A parsed whole number within bounds.
pub(crate) fn integer(s: &str, min: i64, max: i64) -> Result<i64, trama_domain::Problem> {
    use trama_domain::Problem;
    let s = s.trim();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    let v: i64 = s.parse().map_err(|_| Problem::NotAnInteger)?;
    if v < min || v > max {
        return Err(Problem::OutOfRange { min, max });
    }
    Ok(v)
}

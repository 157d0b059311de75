//! Every file the server sends goes through [`attachment`]: one place sets
//! the name it is saved under, its type, and that no cache may keep it (a
//! file may hold names, personal links or figures only some may read).

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// A download. The file name is reduced to safe characters, so nothing a
/// user typed can end up in the header.
pub fn attachment(content_type: &str, file: &str, bytes: Vec<u8>) -> Response {
    let name: String = file
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// Rows as a CSV download. Every cell goes through the formula-injection
/// rule, so a name typed as `=HYPERLINK(…)` opens as text in a spreadsheet.
pub fn csv<I, R, C>(file: &str, rows: I) -> Result<Response, AppError>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut w = csv::Writer::from_writer(vec![]);
    for row in rows {
        let cells: Vec<String> = row
            .into_iter()
            .map(|c| trama_stdx::csv::neutralise(c.as_ref()).into_owned())
            .collect();
        w.write_record(&cells)
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment("text/csv; charset=utf-8", file, bytes))
}

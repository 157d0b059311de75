//! Monitoring campaigns in the database: instrument versions, campaigns and
//! their invitations, answering through personal links, the mail queue, the
//! funnel and response files.
//!
//! The rules (validity, funnel counting, page checks, file format) live in
//! `trama-campaign`; this module only reads and writes. Identity stays on
//! the invitation side; `responses` and `answers` never name a person.

pub mod answering;
pub mod instruments;
pub mod invitations;
pub mod lifecycle;
pub mod mail_queue;
pub mod open_answers;
pub mod reports;
pub mod response_import;
pub mod results;
pub mod ties;

use sqlx::Row;
use sqlx::any::AnyRow;

pub(crate) fn text(row: &AnyRow, col: &str) -> Result<String, sqlx::Error> {
    row.try_get::<String, _>(col)
}

pub(crate) fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>, sqlx::Error> {
    row.try_get::<Option<String>, _>(col)
}

pub(crate) fn int(row: &AnyRow, col: &str) -> Result<i64, sqlx::Error> {
    row.try_get::<i64, _>(col)
}

pub(crate) fn opt_int(row: &AnyRow, col: &str) -> Result<Option<i64>, sqlx::Error> {
    row.try_get::<Option<i64>, _>(col)
}

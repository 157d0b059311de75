//! Questionnaire definitions for Trama's yearly monitoring rounds.
//!
//! Instruments are data: an [`Instrument`] is read from an XLSForm (`.xlsx`,
//! or its `survey` sheet as CSV), checked with every problem named by sheet,
//! row and column, and written back as XLSForm or JSON. Display conditions
//! are parsed into [`Expr`] and evaluated against answers. Nothing here
//! touches a database or the file system: bytes in, values out.
//!
//! Versions: item `name`s carry comparability across years; whether a newly
//! imported form differs from a stored one is [`Instrument::fingerprint`].

mod answer;
mod kinds;
mod model;
mod relevant;
mod rme;
mod xlsform;

pub use answer::AnswerProblem;
pub use kinds::{
    ACUERDO5, ACUERDO5_VALUES, COLLABORATION_LEVELS, FOCI, ItemKind, acuerdo5, focus_process,
};
pub use model::{
    Choice, ChoiceList, DIMENSION_LIST, Dimension, Instrument, Item, Page, SUBDIMENSION_LIST,
    Subdimension,
};
pub use relevant::{Answers, CmpOp, Expr, ParseError, ParseErrorKind, is_valid_name};
pub use rme::{RME_DIMENSIONS, RME_SUBDIMENSIONS, default_rme};
pub use xlsform::{
    FormError, FormIssue, WriteError, read_csv, read_form, read_xlsx, write_json, write_xlsx,
};

//! Results of a monitoring round, computed exactly as the reports define them.
//!
//! Inputs are a [`design::Design`] (the instrument's rating items with their
//! dimension, sub-dimension and reverse flag) and a [`responses::ResponseTable`]
//! (one row per respondent). Everything here is arithmetic on those two; the
//! CLI, the pages and the PDFs call the same functions, so a figure is the
//! same wherever it is shown, and suppression is applied before any figure
//! leaves this crate.

pub mod charts;
pub mod design;
pub mod disclosure;
pub mod findings;
pub mod likert;
pub mod rates;
pub mod reliability;
pub mod responses;
pub mod rounding;
pub mod suppress;
pub mod synth;

pub use design::{Design, Level, RatingItem};
pub use responses::{Answer, ResponseTable};

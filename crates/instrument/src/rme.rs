//! The default RME instrument: how a school improvement network works, as its
//! participants see it. Kept as XLSForm sheets in `forms/rme/` (CSV, so that
//! changes read well in a diff) and compiled into the binary.
//!
//! Item wording is Trama's own, written for school principals; it is not the
//! published instrument this one is adapted from.

use std::sync::LazyLock;

use crate::model::Instrument;

/// Dimension codes of the RME instrument, in order.
pub const RME_DIMENSIONS: [&str; 2] = ["capital_social", "organizacion_red"];

/// Sub-dimension codes of the RME instrument with their dimension, in order.
pub const RME_SUBDIMENSIONS: [(&str, &str); 10] = [
    ("capital_social", "confianza"),
    ("capital_social", "compromiso"),
    ("capital_social", "diversidad_participacion"),
    ("capital_social", "innovacion_colaborativa"),
    ("capital_social", "generacion_conocimiento"),
    ("organizacion_red", "corresponsabilidad"),
    ("organizacion_red", "transversalidad"),
    ("organizacion_red", "horizontalidad"),
    ("organizacion_red", "proyeccion"),
    ("organizacion_red", "colaboracion"),
];

static RME: LazyLock<Instrument> = LazyLock::new(|| {
    crate::xlsform::read_csv_sheets(
        "forms/rme",
        include_bytes!("../forms/rme/survey.csv"),
        include_bytes!("../forms/rme/choices.csv"),
        include_bytes!("../forms/rme/settings.csv"),
    )
    // The form is compiled in and `tests/rme.rs` reads it on every test run,
    // so failing here means the crate was built without its tests passing.
    .expect("the shipped RME form is valid (checked by tests/rme.rs)")
});

/// The default RME instrument (what `--demo` loads).
pub fn default_rme() -> Instrument {
    RME.clone()
}

pub(crate) fn default_rme_ref() -> &'static Instrument {
    &RME
}

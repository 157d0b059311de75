//! trama-export's tests: every integration test of the crate in one binary, so a
//! build links the crate's dependencies once rather than once per file.

mod common;
mod csv_xlsx;
mod sav_large;
mod sav_pspp;

//! trama-instrument's tests: every integration test of the crate in one binary, so a
//! build links the crate's dependencies once rather than once per file.

mod answers;
mod common;
mod csv_input;
mod hostile_xlsx;
mod never_panics;
mod relevant;
mod rme;
mod roundtrip;
mod validation;

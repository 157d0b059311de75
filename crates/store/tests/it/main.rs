//! trama-store's tests: every integration test of the crate in one binary, so a
//! build links the crate's dependencies once rather than once per file.

mod full_disk;
mod open_answers;
mod registry;

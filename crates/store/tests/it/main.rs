//! trama-store's tests: every integration test of the crate in one binary, so a
//! build links the crate's dependencies once rather than once per file.

mod demo_load;
mod full_disk;
mod maintenance;
mod open_answers;
mod registry;
mod response_pages;

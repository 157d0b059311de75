//! trama-web's tests: the server driven in process as every role — pages,
//! API, answering, results, maps, the route × role matrix and the holes it
//! closed — in one test binary so a build links the crate's dependencies
//! (typst among them) once rather than once per file.

mod common;

mod answering;
mod characterisation;
mod flows;
mod holes;
mod metrics;
mod microdata;
mod network_map;
mod open_answers;
mod openapi;
mod results;
mod results_pdf;
mod round;
mod routes;

//! trama's tests: the binary driven from outside (command line, server,
//! a real browser) and the tidy checks of the source tree, in one test
//! binary so a build links the workspace once rather than once per file.

mod browser;
mod campaign_cli;
mod characterise_cli;
mod cli;
mod disclosure_cli;
mod operations;
mod processes;
mod report_cli;
mod saves;
mod servers;
mod sessions_cli;
mod settings;
mod sna_cli;
mod tidy;

//! One module per subcommand of `trama`.

pub mod bench;
pub mod characterise;
pub mod db;
pub mod disclosure;
pub mod generate;
pub mod import;
pub mod instrument;
pub mod maintenance;
pub mod report;
pub mod report_pdf;
pub mod responses;
pub mod results;
pub mod serve;
pub mod sessions;
pub mod sna;
pub mod stats;
pub mod user;

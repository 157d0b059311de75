pub mod bench;
pub mod db;
pub mod generate;
pub mod import;
pub mod report;
pub mod serve;
pub mod user;

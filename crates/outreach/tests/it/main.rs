//! The outreach crate's integration tests, one binary: a monitoring round
//! end to end, and the work several servers share on one database.

mod campaign;
mod results_counts;
mod shared_work;

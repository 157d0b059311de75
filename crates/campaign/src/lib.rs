//! The rules of a monitoring campaign, kept apart from storage and the web so
//! they can be read and tested on their own: which responses count as valid,
//! how the response funnel is counted, when reminders fall due, how a page of
//! answers is checked, and the response file other tools exchange with Trama.

pub mod funnel;
pub mod network_map;
pub mod response_file;
pub mod roster;
pub mod schedule;
pub mod submission;
pub mod tally;
pub mod validity;

pub use funnel::{Coverage, FunnelCounts, FunnelRow, Grouping, InvitationFacts, coverage, funnel};
pub use response_file::{
    META_COLUMNS, ResponseRecord, codebook, export, read_responses, write_csv,
};
pub use schedule::{ReminderDays, ScheduleError};
pub use submission::{PageResult, check_page, rating_answered};
pub use validity::ValidityRule;

//! The registry: territory, networks, schools, people and bulk imports.
//!
//! Every record is found first ([`networks::find`], [`schools::find`],
//! [`people::find`]) with the target the store builds from it; use cases
//! then ask the policy about that target, never about a guessed one.

pub mod imports;
pub mod networks;
pub mod people;
pub mod schools;
pub mod territory;

use trama_domain::policy::{self, Action, Actor};

/// Whether the actor may create registry records somewhere (the "new"
/// buttons and forms; the record's own place is checked when it is saved).
pub fn may_create(actor: &Actor) -> bool {
    policy::allows_somewhere(actor, Action::EditRegistry)
}

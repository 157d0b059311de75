//! Asking the policy, in the shape use cases need: `Ok` or a refusal.
//!
//! These helpers decide nothing themselves; every answer comes from
//! `trama_domain::policy`.

use trama_domain::policy::{self, Action, Actor, Scope, Target};

use crate::{Error, Result};

/// The actor if they may do `action` on `target`.
pub fn allow(actor: &Actor, action: Action, target: &Target) -> Result<()> {
    if policy::allows(actor, action, target) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// For a thing with several places: allowed if any place is.
pub fn allow_any(actor: &Actor, action: Action, targets: &[Target]) -> Result<()> {
    if policy::allows_any(actor, action, targets) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Whether the policy allows it (for what a page offers, not for acting).
pub fn may(actor: &Actor, action: Action, target: &Target) -> bool {
    policy::allows(actor, action, target)
}

/// The part of the registry the actor lists, or a refusal.
pub fn registry_scope(actor: &Actor) -> Result<Scope> {
    allow(actor, Action::ViewRegistry, &Target::national())?;
    policy::registry_scope(actor).ok_or(Error::Forbidden)
}

//! What kind of network each one is, as the source study characterises
//! it: the network's year (plan and session log, [`year`]), its process
//! typology and place on the collaboration continuum, the Tetraedro's four
//! faces ([`profile`]), and the national table of all networks of a
//! campaign ([`table`]).
//!
//! The computing is `trama_characterise`'s (pure); this module gathers what
//! it reads — ties from the roster, sessions, plans, the questionnaire's
//! agreement as the results pages suppress it — and asks the policy:
//! [`Action::ReadCharacterisation`] to read a network's (members see theirs
//! at school level), [`Action::EditNetworkYear`] to write its plan and log,
//! [`Action::ReadNetworkPeople`] for names (attendance, system leaders).
//! Levels and typologies are about networks, not people: nothing is
//! suppressed for them, and none of them reveals a tie.

pub mod ficha;
mod measure;
pub mod profile;
pub mod table;
pub mod view;
pub mod year;

use trama_domain::network::NetworkCode;
use trama_domain::policy::{Action, Actor, Target};
use trama_domain::territory::RegionCode;

use crate::access::allow;
use crate::registry::networks::NetworkRef;
use crate::{App, Error, Result};
pub(crate) use measure::CharacterisationCache;
pub use measure::{Measured, NetworkRow};

/// How networks are characterised in a deployment: the continuum's rules
/// (the shipped `rules/continuum.toml` unless a deployment gives its own)
/// and the typology's minimum level and emphasis threshold.
#[derive(Debug, Clone)]
pub struct Characterising {
    pub rules: trama_characterise::Rules,
    pub options: trama_characterise::TypologyOptions,
}

impl Default for Characterising {
    fn default() -> Self {
        Characterising {
            rules: trama_characterise::Rules::defaults(),
            options: trama_characterise::TypologyOptions::default(),
        }
    }
}

/// A network being characterised, with its name and where it sits.
#[derive(Debug, Clone)]
pub struct Network {
    pub code: NetworkCode,
    pub id: i64,
    pub name: String,
    pub region: RegionCode,
    pub target: Target,
}

/// The network if `actor` may do `action` on it.
pub(crate) async fn network_for(
    app: &App,
    actor: &Actor,
    n: &NetworkRef,
    action: Action,
) -> Result<Network> {
    allow(actor, action, &n.target)?;
    let (_, name) = app
        .store
        .network_by_id(n.id)
        .await?
        .ok_or(Error::NotFound)?;
    let region = n.target.single_region().ok_or(Error::NotFound)?;
    Ok(Network {
        code: n.code.clone(),
        id: n.id,
        name,
        region,
        target: n.target.clone(),
    })
}

/// The network's level on the continuum in `campaign` (its latest when
/// `None`) for pages that show it beside other things — the map, the
/// network's page — or `None` when the viewer may not read it or there is
/// nothing to place.
pub async fn level(
    app: &App,
    actor: &Actor,
    n: &NetworkRef,
    campaign: Option<&str>,
) -> Result<Option<trama_characterise::Placement>> {
    if !crate::access::may(actor, Action::ReadCharacterisation, &n.target) {
        return Ok(None);
    }
    let campaigns = app.store.network_campaigns(n.id).await?;
    let Some(c) = (match campaign {
        Some(code) => campaigns.iter().find(|c| c.code == code),
        None => campaigns.first(),
    }) else {
        return Ok(None);
    };
    Ok(measure::campaign(app, c)
        .await?
        .row(n.id)
        .map(|r| r.measured.characterisation.continuum.clone()))
}

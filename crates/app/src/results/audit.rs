//! The attack audit of a campaign's outputs: every group a reader can
//! obtain through the results API (which the pages, PDFs, heat maps, rate
//! tables and characterisation read through the same [`Data::cell`]),
//! collected as that reader, then combined against every group below K.
//!
//! Year comparisons show each campaign's own published groups, read from
//! that campaign's decision; different campaigns hold different
//! respondents, so a difference between years isolates nobody beyond what
//! each year's audit covers.

use std::collections::{BTreeMap, BTreeSet};

use trama_domain::network::NetworkCode;
use trama_domain::policy::Actor;
use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_results::Level;
use trama_results::disclosure::audit::{self as attack, Audit, Seen};
use trama_results::disclosure::{Cell, Place};

use super::api::{self, Breakdown, Groups};
use super::data::Data;
use crate::campaigns::find;
use crate::{App, Error, Result};

/// What `reader` can obtain of `campaign`, and what of it reveals a group
/// below K.
pub async fn audit(app: &App, reader: &Actor, campaign: &str) -> Result<Audit> {
    let c = find(app, campaign).await?;
    let data = Data::load(app, c.campaign).await?;
    let code = data.campaign.code.clone();
    let (lang, level) = (Lang::Es, Level::Dimension);
    let mut seen: BTreeMap<Cell, BTreeSet<String>> = BTreeMap::new();
    let mut hidden: BTreeSet<Cell> = BTreeSet::new();
    let mut keep = |got: Result<Groups>, within: Place, source: String| -> Result<()> {
        let groups = match got {
            Ok(g) => g,
            Err(Error::Forbidden | Error::NotFound) => return Ok(()),
            Err(e) => return Err(e),
        };
        for g in groups.groups {
            let cell = match (g.by.as_str(), g.value) {
                ("national", _) => Cell::nation(),
                ("region", Some(v)) => Cell::at(Place::Region(v)),
                ("deprov", Some(v)) => Cell::at(Place::Deprov(v)),
                ("network", Some(v)) => Cell::at(Place::Network(v)),
                ("role", Some(v)) => Cell::with_role(within.clone(), &v),
                _ => continue,
            };
            if g.suppressed {
                hidden.insert(cell);
            } else {
                seen.entry(cell).or_default().insert(source.clone());
            }
        }
        Ok(())
    };
    for (by, name) in [
        (Breakdown::Region, "region"),
        (Breakdown::Deprov, "deprov"),
        (Breakdown::Network, "network"),
        (Breakdown::Role, "role"),
    ] {
        let got = api::campaign(app, reader, &code, by, level, lang).await;
        keep(got, Place::Nation, format!("results?by={name}"))?;
    }
    for region in data.regions() {
        let Ok(r) = RegionCode::parse(&region) else {
            continue;
        };
        for (by, name) in [(Breakdown::Network, "network"), (Breakdown::Role, "role")] {
            let got = api::region(app, reader, &code, r, by, level, lang).await;
            keep(
                got,
                Place::Region(region.clone()),
                format!("regions/{region}?by={name}"),
            )?;
        }
    }
    let networks: BTreeSet<&str> = data
        .atoms()
        .atoms
        .iter()
        .map(|a| a.network.as_str())
        .collect();
    for n in networks {
        let Ok(parsed) = NetworkCode::parse(n) else {
            continue;
        };
        let got = api::network(app, reader, &code, &parsed, level, lang).await;
        keep(got, Place::Nation, format!("networks/{n}"))?;
    }
    let seen: Vec<Seen> = seen
        .into_iter()
        .map(|(cell, sources)| Seen {
            cell,
            sources: sources.into_iter().collect(),
        })
        .collect();
    let hidden: Vec<Cell> = hidden.into_iter().collect();
    Ok(attack::audit(
        data.atoms(),
        data.min_group(),
        &seen,
        &hidden,
    ))
}

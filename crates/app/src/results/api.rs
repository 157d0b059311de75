//! The results as data for programs: the groups of each results page, in
//! the shape of `trama report likert`, from the campaign's one disclosure
//! decision and scoped by role exactly as the page they mirror.

use serde::Serialize;
use trama_domain::network::NetworkCode;
use trama_domain::policy::{Action, Actor, Results};
use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_results::Level;
use trama_results::disclosure::{Cell, Place};
use trama_results::likert::Group;

use super::data::Data;
use super::{campaign_for, network_for, region_for};
use crate::access::may;
use crate::campaigns::find;
use crate::{App, Error, Result};

/// How a page breaks its groups down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    National,
    Region,
    Deprov,
    Network,
    Role,
}

impl Breakdown {
    pub fn parse(s: &str) -> Option<Breakdown> {
        Some(match s {
            "national" => Breakdown::National,
            "region" => Breakdown::Region,
            "deprov" => Breakdown::Deprov,
            "network" => Breakdown::Network,
            "role" => Breakdown::Role,
            _ => return None,
        })
    }
}

/// Groups of one breakdown, as `trama report likert` writes them.
#[derive(Debug, Clone, Serialize)]
pub struct Groups {
    pub campaign: String,
    pub levels: Vec<Level>,
    pub min_group: u64,
    pub exclude_na: bool,
    pub groups: Vec<Group>,
}

fn groups(data: &Data, cells: &[Cell], level: Level, lang: Lang) -> Groups {
    Groups {
        campaign: data.campaign.code.clone(),
        levels: vec![level],
        min_group: data.min_group(),
        exclude_na: false,
        groups: cells
            .iter()
            .map(|c| data.cell(c, Some(level), lang))
            .collect(),
    }
}

fn roles(data: &Data, within: &Place) -> Vec<Cell> {
    let mut roles: Vec<&str> = data
        .atoms()
        .atoms
        .iter()
        .filter(|a| Cell::at(within.clone()).holds(&a.region, &a.deprov, &a.network, &a.role))
        .map(|a| a.role.as_str())
        .collect();
    roles.sort();
    roles.dedup();
    roles
        .into_iter()
        .map(|r| Cell::with_role(within.clone(), r))
        .collect()
}

/// Whether `actor` may read the network's report.
async fn may_network(app: &App, actor: &Actor, code: &str) -> Result<bool> {
    let Ok(parsed) = NetworkCode::parse(code) else {
        return Ok(false);
    };
    Ok(match app.store.network_target(&parsed).await? {
        Some(t) => may(actor, Action::ReadResults(Results::Network), &t),
        None => false,
    })
}

/// Whether `actor` may read the region's page.
async fn may_region(app: &App, actor: &Actor, region: &str) -> Result<bool> {
    let Ok(code) = RegionCode::parse(region) else {
        return Ok(false);
    };
    let place = app.store.region_target(code).await?;
    Ok(may(actor, Action::ReadResults(Results::Region), &place))
}

/// The national dashboard's groups: the nation, then `by`'s groups — the
/// regions and roles as the dashboard shows them, DEPROVs of the regions
/// the reader may open, networks whose reports the reader may read.
pub async fn campaign(
    app: &App,
    actor: &Actor,
    code: &str,
    by: Breakdown,
    level: Level,
    lang: Lang,
) -> Result<Groups> {
    let c = campaign_for(app, actor, code).await?;
    let data = Data::load(app, c.campaign).await?;
    let mut cells = vec![Cell::nation()];
    let mut seen = std::collections::BTreeSet::new();
    for a in &data.atoms().atoms {
        let cell = match by {
            Breakdown::National | Breakdown::Role => continue,
            Breakdown::Region => Cell::at(Place::Region(a.region.clone())),
            Breakdown::Deprov if may_region(app, actor, &a.region).await? => {
                Cell::at(Place::Deprov(a.deprov.clone()))
            }
            Breakdown::Network if may_network(app, actor, &a.network).await? => {
                Cell::at(Place::Network(a.network.clone()))
            }
            Breakdown::Deprov | Breakdown::Network => continue,
        };
        seen.insert(cell);
    }
    cells.extend(seen);
    if by == Breakdown::Role {
        cells.extend(roles(&data, &Place::Nation));
    }
    Ok(groups(&data, &cells, level, lang))
}

/// A region page's groups: the region, then its networks the reader may
/// open, or its roles.
pub async fn region(
    app: &App,
    actor: &Actor,
    code: &str,
    region: RegionCode,
    by: Breakdown,
    level: Level,
    lang: Lang,
) -> Result<Groups> {
    let c = campaign_for(app, actor, code).await?;
    region_for(app, actor, &c, region).await?;
    let data = Data::load(app, c.campaign).await?;
    let place = Place::Region(region.0.to_string());
    let mut cells = vec![Cell::at(place.clone())];
    match by {
        Breakdown::Network => {
            for n in data.networks_in(region) {
                if may_network(app, actor, &n).await? {
                    cells.push(Cell::at(Place::Network(n)));
                }
            }
        }
        Breakdown::Role => cells.extend(roles(&data, &place)),
        _ => return Err(Error::NotFound),
    }
    Ok(groups(&data, &cells, level, lang))
}

/// A network report's groups: the network, its region and the nation.
pub async fn network(
    app: &App,
    actor: &Actor,
    code: &str,
    network: &NetworkCode,
    level: Level,
    lang: Lang,
) -> Result<Groups> {
    let c = find(app, code).await?;
    let place = network_for(app, actor, &c, network).await?;
    let region = place.single_region().ok_or(Error::NotFound)?;
    let data = Data::load(app, c.campaign).await?;
    let cells = [
        Cell::at(Place::Network(network.to_string())),
        Cell::at(Place::Region(region.0.to_string())),
        Cell::nation(),
    ];
    Ok(groups(&data, &cells, level, lang))
}

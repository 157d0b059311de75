//! A network's profile in one campaign: its continuum level with the rules
//! that put it there, its process typology, the Tetraedro's four faces set
//! against its region, the nation and its previous campaign, its
//! trajectory across campaigns and — for those who may see people — its
//! system leaders.

use std::collections::BTreeMap;

use trama_campaign::roster::tie_changes;
use trama_characterise::Level;
use trama_characterise::tetraedro::Changes;
use trama_characterise::year::{Agreement, Plan, Session};
use trama_domain::policy::{Action, Actor};
use trama_store::campaigns::lifecycle::Campaign;

use super::measure::{self, Evidence, Measured};
use super::{Network, network_for};
use crate::access::may;
use crate::registry::networks::NetworkRef;
use crate::{App, Error, Result};

/// One campaign's level, for the trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub campaign: String,
    pub year: i32,
    pub level: Level,
    pub provisional: bool,
}

/// A system leader as the page shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Leader {
    pub name: String,
    pub role: String,
    pub school: String,
    pub schools_reached: usize,
    pub betweenness: f64,
}

pub struct Profile {
    pub network: Network,
    /// The network's campaigns, newest first.
    pub campaigns: Vec<Campaign>,
    pub campaign: Campaign,
    pub previous: Option<Campaign>,
    /// The network measured, its Tetraedro set against region, nation and
    /// the previous campaign.
    pub measured: Measured,
    pub previous_level: Option<Level>,
    pub plan: Option<Plan>,
    /// Oldest first.
    pub trajectory: Vec<Point>,
    /// `None` for viewers who may not see people.
    pub leaders: Option<Vec<Leader>>,
    /// Networks of the region and of the nation in the campaign.
    pub region_networks: usize,
    pub nation_networks: usize,
}

/// The profile of the network in `campaign` (the latest when `None`).
pub async fn profile(
    app: &App,
    actor: &Actor,
    n: &NetworkRef,
    campaign: Option<&str>,
) -> Result<Profile> {
    let network = network_for(app, actor, n, Action::ReadCharacterisation).await?;
    let campaigns = app.store.network_campaigns(network.id).await?;
    let chosen = match campaign {
        Some(c) => campaigns.iter().find(|x| x.code == c),
        None => campaigns.first(),
    }
    .cloned()
    .ok_or(Error::NotFound)?;
    let previous = campaigns.iter().find(|c| c.year < chosen.year).cloned();
    let all = measure::campaign(app, &chosen).await?;
    let region_code = i32::from(network.region.0);
    let region = all.mean(|r| r.facts.region_code == region_code);
    let nation = all.mean(|_| true);
    let before = match &previous {
        Some(p) => Some(measure::campaign(app, p).await?),
        None => None,
    };
    let before_row = before.as_ref().and_then(|b| b.row(network.id));

    // The network again, now with what changed since the previous year.
    let map = app.store.network_map(&chosen, network.id).await?;
    let detail = app
        .store
        .get_network(&network.code, Some(chosen.year))
        .await?
        .ok_or(Error::NotFound)?;
    let year = chosen.year;
    let joined = detail
        .school_history
        .iter()
        .filter(|s| s.from_year == year)
        .count();
    let left = detail
        .school_history
        .iter()
        .filter(|s| s.to_year == Some(year - 1))
        .count();
    let how = &app.settings().characterising;
    let (gained, lost) = match &previous {
        Some(p) => {
            let earlier = app.store.network_map(p, network.id).await?;
            let (g, l) = tie_changes(
                (&earlier.member_facts(), &earlier.ties),
                (&map.member_facts(), &map.ties),
                how.options.min_level,
            );
            (Some(g.len()), Some(l.len()))
        }
        None => (None, None),
    };
    let logged = app.store.sessions_of(&[network.id], year).await?;
    let sessions: Vec<Session> = logged.iter().map(|s| s.session.clone()).collect();
    let agreed: Vec<Agreement> = logged
        .iter()
        .flat_map(|s| s.agreements.iter().map(|a| a.agreement.clone()))
        .collect();
    let plan = app
        .store
        .network_plan(network.id, year)
        .await?
        .map(|p| p.plan);
    let schools: Vec<i64> = detail
        .schools_in_year
        .iter()
        .map(|s| i64::from(s.rbd))
        .collect();
    let agreement = all
        .row(network.id)
        .and_then(|r| r.measured.agreement.clone());
    let mut measured = measure::measure(
        &Evidence {
            map: &map,
            schools: &schools,
            sessions: &sessions,
            agreements: &agreed,
            plan: plan.as_ref(),
            agreement: agreement.as_ref(),
            changes: Changes {
                schools_joined: previous.as_ref().map(|_| joined),
                schools_left: previous.as_ref().map(|_| left),
                ties_gained: gained,
                ties_lost: lost,
            },
        },
        how,
    );
    if let (Some(region), Some(nation)) = (&region, &nation) {
        measured
            .tetraedro
            .compare(region, nation, before_row.map(|r| &r.measured.tetraedro));
    }
    // The questionnaire's references are the region's and the nation's own
    // figures, as their results pages show them, not means of networks.
    let reg = all.agreement.regions.get(&network.region.0.to_string());
    measured.tetraedro.set_questionnaire_references(
        |sub| reg.and_then(|g| g.get(sub)),
        |sub| all.agreement.nation.get(sub),
    );

    let mut trajectory = vec![];
    for c in campaigns.iter().rev() {
        let m = if c.id == chosen.id {
            Some(measured.characterisation.continuum.clone())
        } else {
            measure::campaign(app, c)
                .await?
                .row(network.id)
                .map(|r| r.measured.characterisation.continuum.clone())
        };
        if let Some(p) = m {
            trajectory.push(Point {
                campaign: c.code.clone(),
                year: c.year,
                level: p.level,
                provisional: p.provisional,
            });
        }
    }

    let leaders = may(actor, Action::ReadNetworkPeople, &network.target).then(|| {
        let names: BTreeMap<String, (&str, &str, Option<&str>)> = map
            .members
            .iter()
            .map(|m| {
                (
                    m.person_id.to_string(),
                    (m.name.as_str(), m.role.as_str(), m.school.as_deref()),
                )
            })
            .collect();
        measured
            .leaders
            .iter()
            .filter_map(|l| {
                let (name, role, school) = names.get(&l.id)?;
                Some(Leader {
                    name: (*name).to_owned(),
                    role: (*role).to_owned(),
                    school: school.unwrap_or_default().to_owned(),
                    schools_reached: l.schools_reached,
                    betweenness: l.betweenness,
                })
            })
            .collect()
    });
    Ok(Profile {
        region_networks: all
            .rows
            .iter()
            .filter(|r| r.facts.region_code == region_code)
            .count(),
        nation_networks: all.rows.len(),
        previous_level: before_row.map(|r| r.measured.characterisation.continuum.level),
        network,
        campaigns,
        campaign: chosen,
        previous,
        measured,
        plan,
        trajectory,
        leaders,
    })
}

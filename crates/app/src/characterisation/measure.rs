//! Every network of a campaign characterised at once — the national table,
//! the references a profile is set against, and a network's trajectory all
//! read it — and kept while nothing it reads has changed.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use trama_campaign::roster::StoredTie;
use trama_characterise::profile::{Faces, SystemLeader};
use trama_characterise::tetraedro::{self, Agreement, Changes, Tetraedro};
use trama_characterise::year::{self, Plan, Session, YearSummary};
use trama_characterise::{Characterisation, Focus, Member, Tie, characterise};
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::ties::NetworkMap;
use trama_store::network_year::CharacterisationStamp;
use trama_store::registry::networks::NetworkFacts;

use super::Characterising;
use crate::results::agreement::{CampaignAgreement, GroupAgreement, campaign_agreement};
use crate::{App, Result};

/// What was computed about one network in one campaign.
#[derive(Debug, Clone)]
pub struct Measured {
    pub characterisation: Characterisation,
    pub faces: Faces,
    /// Person ids as strings; names are the caller's to add, if allowed.
    pub leaders: Vec<SystemLeader>,
    pub year: YearSummary,
    pub tetraedro: Tetraedro,
    pub agreement: Option<GroupAgreement>,
}

/// One network of a campaign: its registry facts and what was measured.
#[derive(Debug, Clone)]
pub struct NetworkRow {
    pub facts: NetworkFacts,
    pub measured: Measured,
}

/// A campaign's networks, measured.
#[derive(Debug)]
pub struct CampaignNetworks {
    pub campaign: Campaign,
    pub rows: Vec<NetworkRow>,
    /// The questionnaire's agreement, suppressed as the results pages do.
    pub agreement: CampaignAgreement,
}

impl CampaignNetworks {
    pub fn row(&self, network_id: i64) -> Option<&NetworkRow> {
        self.rows.iter().find(|r| r.facts.id == network_id)
    }

    /// The mean Tetraedro of the networks `keep` selects.
    pub fn mean(&self, keep: impl Fn(&NetworkRow) -> bool) -> Option<Tetraedro> {
        let profiles: Vec<Tetraedro> = self
            .rows
            .iter()
            .filter(|r| keep(r))
            .map(|r| r.measured.tetraedro.clone())
            .collect();
        Tetraedro::mean(&profiles)
    }
}

/// What a kept measurement was read at: the characterisation's stamp and
/// the campaign's results version (its agreement comes from the results).
type Stamps = (CharacterisationStamp, Option<i64>);

/// Measured campaigns by id, with the stamps they were measured at.
#[derive(Default)]
pub(crate) struct CharacterisationCache(Mutex<HashMap<i64, (Stamps, Arc<CampaignNetworks>)>>);

/// The members of a network with a school (schools are what the study
/// characterises; a supervisor is not one of them) and its rated ties.
fn members_and_ties(map: &NetworkMap) -> (Vec<Member>, Vec<Tie>) {
    let members: Vec<Member> = map
        .members
        .iter()
        .filter_map(|m| {
            Some(Member {
                id: m.person_id.to_string(),
                school: m.rbd?.to_string(),
                role: m.role.clone(),
                responded: m.responded,
            })
        })
        .collect();
    let ties = map
        .ties
        .iter()
        .filter_map(|t: &StoredTie| {
            Some(Tie {
                source: t.ego.to_string(),
                target: t.alter.to_string(),
                level: t.level?,
                foci: t.foci.iter().filter_map(|f| Focus::parse(f)).collect(),
            })
        })
        .collect();
    (members, ties)
}

/// What a network's year, ties and questionnaire say about it.
pub(crate) struct Evidence<'a> {
    pub map: &'a NetworkMap,
    pub schools: &'a [i64],
    pub sessions: &'a [Session],
    pub agreements: &'a [year::Agreement],
    pub plan: Option<&'a Plan>,
    pub agreement: Option<&'a GroupAgreement>,
    pub changes: Changes,
}

pub(crate) fn measure(x: &Evidence<'_>, how: &Characterising) -> Measured {
    let (members, ties) = members_and_ties(x.map);
    let asked = |code: &str| x.agreement.and_then(|a| a.get(code));
    let foci = year::session_foci(x.sessions);
    let c = characterise(
        &members,
        &ties,
        &foci,
        (asked("colaboracion"), asked("corresponsabilidad")),
        &how.options,
        &how.rules,
    );
    let (mut faces, leaders) =
        trama_characterise::profile::profile(&members, &ties, how.options.min_level);
    // Organización counts everyone invited, supervisors too.
    faces.organizacion.members = x.map.members.len();
    faces.organizacion.by_role = BTreeMap::new();
    for m in &x.map.members {
        *faces
            .organizacion
            .by_role
            .entry(m.role.clone())
            .or_default() += 1;
    }
    let roles: Vec<(i64, String)> = x
        .map
        .members
        .iter()
        .map(|m| (m.person_id, m.role.clone()))
        .collect();
    let summary = year::summarise(
        x.sessions,
        x.schools,
        &roles,
        x.agreements,
        crate::results::today(),
    );
    let tetraedro = tetraedro::tetraedro(&tetraedro::Inputs {
        faces: (!x.map.members.is_empty()).then_some(&faces),
        typology: Some(&c.typology),
        year: (!x.sessions.is_empty()).then_some(&summary),
        plan: x.plan,
        agreement: Agreement {
            confianza: asked("confianza"),
            horizontalidad: asked("horizontalidad"),
            corresponsabilidad: asked("corresponsabilidad"),
            generacion_conocimiento: asked("generacion_conocimiento"),
            suppressed: x.agreement.is_some_and(|a| a.suppressed),
        },
        changes: x.changes.clone(),
    });
    Measured {
        characterisation: c,
        faces,
        leaders,
        year: summary,
        tetraedro,
        agreement: x.agreement.cloned(),
    }
}

/// Above this many networks whose questionnaire agreement moved, the whole
/// campaign is measured again rather than those networks one by one.
const REMEASURE_AT_MOST: usize = 20;

/// Every network the campaign invited, measured (kept between requests
/// while its ties, sessions, plans, memberships and responses are as they
/// were). When only responses changed, only the networks whose agreement
/// moved are measured again: an answer changes one network's figures, not
/// the ties of every network.
pub(crate) async fn campaign(app: &App, campaign: &Campaign) -> Result<Arc<CampaignNetworks>> {
    let stamp = app
        .store
        .characterisation_stamp(campaign.id, campaign.year)
        .await?;
    let answers = app.store.results_version(campaign.id).await?;
    let cache = &app.characterisation_cache().0;
    let stamps = (stamp, answers);
    let held = cache.lock().ok().and_then(|c| c.get(&campaign.id).cloned());
    let out = match held {
        Some((s, kept)) if s == stamps => return Ok(kept),
        Some((s, kept)) if s.0 == stamp => match remeasured(app, campaign, &kept).await? {
            Some(out) => out,
            None => measured(app, campaign).await?,
        },
        _ => measured(app, campaign).await?,
    };
    let out = Arc::new(out);
    if let Ok(mut c) = cache.lock() {
        c.insert(campaign.id, (stamps, out.clone()));
    }
    Ok(out)
}

/// `kept` with the networks whose agreement moved measured again, or
/// `None` when so many moved that measuring everything is cheaper.
async fn remeasured(
    app: &App,
    campaign: &Campaign,
    kept: &CampaignNetworks,
) -> Result<Option<CampaignNetworks>> {
    let agreement = campaign_agreement(app, campaign.clone()).await?;
    let moved: Vec<usize> = kept
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| agreement.networks.get(&r.facts.code) != r.measured.agreement.as_ref())
        .map(|(i, _)| i)
        .collect();
    if moved.len() > REMEASURE_AT_MOST {
        return Ok(None);
    }
    let mut rows = kept.rows.clone();
    for i in moved {
        let facts = &kept.rows[i].facts;
        let map = app.store.network_map(campaign, facts.id).await?;
        let logged = app.store.sessions_of(&[facts.id], campaign.year).await?;
        let plans = app.store.plans_of(&[facts.id], campaign.year).await?;
        rows[i] = row_of(
            app,
            facts,
            &map,
            &logged,
            plans.get(&facts.id).map(|p| &p.plan),
            agreement.networks.get(&facts.code),
        );
    }
    Ok(Some(CampaignNetworks {
        campaign: campaign.clone(),
        rows,
        agreement,
    }))
}

/// One network measured from what it is made of.
fn row_of(
    app: &App,
    facts: &NetworkFacts,
    map: &NetworkMap,
    logged: &[trama_store::network_year::StoredSession],
    plan: Option<&Plan>,
    agreement: Option<&GroupAgreement>,
) -> NetworkRow {
    let list: Vec<Session> = logged.iter().map(|s| s.session.clone()).collect();
    let agreed: Vec<year::Agreement> = logged
        .iter()
        .flat_map(|s| s.agreements.iter().map(|a| a.agreement.clone()))
        .collect();
    let measured = measure(
        &Evidence {
            map,
            schools: &facts.schools,
            sessions: &list,
            agreements: &agreed,
            plan,
            agreement,
            changes: Changes::default(),
        },
        &app.settings().characterising,
    );
    NetworkRow {
        facts: facts.clone(),
        measured,
    }
}

/// Every network of the campaign measured from scratch.
async fn measured(app: &App, campaign: &Campaign) -> Result<CampaignNetworks> {
    let maps = app.store.campaign_maps(campaign).await?;
    let ids: Vec<i64> = maps.keys().copied().collect();
    let facts: HashMap<i64, NetworkFacts> = app
        .store
        .network_facts(campaign.year)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let mut sessions: HashMap<i64, Vec<_>> = HashMap::new();
    for s in app.store.sessions_of(&ids, campaign.year).await? {
        sessions.entry(s.network_id).or_default().push(s);
    }
    let plans = app.store.plans_of(&ids, campaign.year).await?;
    let agreement = campaign_agreement(app, campaign.clone()).await?;
    let mut rows = vec![];
    for (id, map) in &maps {
        let Some(f) = facts.get(id) else { continue };
        let logged = sessions.get(id).map(Vec::as_slice).unwrap_or_default();
        rows.push(row_of(
            app,
            f,
            map,
            logged,
            plans.get(id).map(|p| &p.plan),
            agreement.networks.get(&f.code),
        ));
    }
    rows.sort_by(|a, b| {
        (a.facts.code.len(), &a.facts.code).cmp(&(b.facts.code.len(), &b.facts.code))
    });
    Ok(CampaignNetworks {
        campaign: campaign.clone(),
        rows,
        agreement,
    })
}

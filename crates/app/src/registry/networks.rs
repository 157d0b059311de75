//! Networks: list, detail by year, create, edit and school memberships.

use trama_domain::network::NetworkCode;
use trama_domain::policy::{Action, Actor, Target};
use trama_domain::school::Rbd;
use trama_domain::span::YearSpan;
use trama_store::registry::networks::{NetworkDetail, NetworkFilter, NetworkInput, NetworkSummary};
use trama_store::registry::{Page, PageRequest};

use crate::access::{allow, may, registry_scope};
use crate::{App, Error, Result, invalid};

/// A network found by its code, with where it sits for the policy.
#[derive(Debug, Clone)]
pub struct NetworkRef {
    pub code: NetworkCode,
    pub id: i64,
    pub target: Target,
}

/// The network a code names; not found for a malformed or unknown code.
pub async fn find(app: &App, code: &str) -> Result<NetworkRef> {
    let code = NetworkCode::parse(code).map_err(|_| Error::NotFound)?;
    let target = app
        .store
        .network_target(&code)
        .await?
        .ok_or(Error::NotFound)?;
    let id = *target.networks.first().ok_or(Error::NotFound)?;
    Ok(NetworkRef { code, id, target })
}

pub async fn list(
    app: &App,
    actor: &Actor,
    filter: &NetworkFilter,
    page: PageRequest,
) -> Result<Page<NetworkSummary>> {
    let scope = registry_scope(actor)?;
    Ok(app.store.list_networks(filter, &scope, page).await?)
}

/// A network as its page shows it, and whether the reader may edit it.
pub struct NetworkView {
    pub detail: NetworkDetail,
    pub may_edit: bool,
    /// Its level on the collaboration continuum in its latest campaign,
    /// when the viewer may read it.
    pub level: Option<trama_characterise::Placement>,
    /// The campaign its results page opens on, when the reader may read it.
    pub results_campaign: Option<String>,
}

/// The code of the campaign a network's results open on, if `actor` may
/// read them ([`crate::maps::default_campaign`]'s rule).
async fn results_campaign(
    app: &App,
    actor: &Actor,
    id: i64,
    target: &Target,
) -> Result<Option<String>> {
    if !may(
        actor,
        Action::ReadResults(trama_domain::policy::Results::Network),
        target,
    ) {
        return Ok(None);
    }
    let campaigns = app.store.network_campaigns(id).await?;
    Ok(crate::maps::default_campaign(&campaigns)
        .filter(|c| c.status != trama_store::campaigns::lifecycle::CampaignStatus::Draft)
        .map(|c| c.code.clone()))
}

pub async fn show(
    app: &App,
    actor: &Actor,
    n: &NetworkRef,
    year: Option<i32>,
) -> Result<NetworkView> {
    allow(actor, Action::ViewRegistry, &n.target)?;
    let detail = app
        .store
        .get_network(&n.code, year)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(NetworkView {
        detail,
        may_edit: may(actor, Action::EditRegistry, &n.target),
        level: crate::characterisation::level(app, actor, n, None).await?,
        results_campaign: results_campaign(app, actor, n.id, &n.target).await?,
    })
}

/// The network as its edit form starts.
pub async fn for_edit(app: &App, actor: &Actor, n: &NetworkRef) -> Result<NetworkDetail> {
    allow(actor, Action::EditRegistry, &n.target)?;
    app.store
        .get_network(&n.code, None)
        .await?
        .ok_or(Error::NotFound)
}

/// Creates a network in the region it names, if the actor may edit there.
pub async fn create(app: &App, actor: &Actor, input: &NetworkInput) -> Result<NetworkCode> {
    let valid = input.validate().map_err(Error::Invalid)?;
    allow(actor, Action::EditRegistry, &Target::region(valid.region))?;
    let mut tx = app.store.begin_write().await?;
    tx.create_network(&valid).await?;
    tx.audit(actor.audit_id(), "network.create", valid.code.as_str())
        .await?;
    tx.commit().await?;
    Ok(valid.code)
}

/// Replaces a network's fields; moving it to another region needs the
/// right to edit there too.
pub async fn update(
    app: &App,
    actor: &Actor,
    n: &NetworkRef,
    input: &NetworkInput,
) -> Result<NetworkCode> {
    allow(actor, Action::EditRegistry, &n.target)?;
    let valid = input.validate().map_err(Error::Invalid)?;
    allow(actor, Action::EditRegistry, &Target::region(valid.region))?;
    let mut tx = app.store.begin_write().await?;
    tx.update_network(n.id, &valid).await?;
    tx.audit(actor.audit_id(), "network.update", valid.code.as_str())
        .await?;
    tx.commit().await?;
    Ok(valid.code)
}

/// Adds a school to the network for a span of years. The school's own
/// region must be one the actor edits: a regional coordinator cannot pull
/// another region's school (and with it its staff) into their network.
pub async fn add_school(
    app: &App,
    actor: &Actor,
    n: &NetworkRef,
    rbd: Rbd,
    span: YearSpan,
) -> Result<()> {
    allow(actor, Action::EditRegistry, &n.target)?;
    let school = app
        .store
        .school_target(rbd)
        .await?
        .ok_or_else(|| invalid("rbd", trama_domain::Problem::UnknownSchool))?;
    allow(actor, Action::EditRegistry, &school)?;
    let mut tx = app.store.begin_write().await?;
    tx.add_school_to_network(n.id, rbd, span).await?;
    tx.audit(
        actor.audit_id(),
        "network.add_school",
        &format!("{} {}", n.code, rbd.0),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The networks the actor belongs to as a participant (their home page
/// links to these networks' reports and maps): (code, name).
/// A participant's own network as their home page lists it.
pub struct Own {
    pub code: String,
    pub name: String,
    /// The campaign whose report of the network they may read.
    pub results_campaign: Option<String>,
}

pub async fn own(app: &App, actor: &Actor) -> Result<Vec<Own>> {
    let mut out = vec![];
    if trama_domain::policy::registry_scope(actor).is_some() {
        return Ok(out);
    }
    for id in &actor.networks {
        if let Some((code, name)) = app.store.network_by_id(*id).await? {
            let target = Target::in_region(None, vec![*id]);
            if may(
                actor,
                Action::ReadResults(trama_domain::policy::Results::Network),
                &target,
            ) {
                out.push(Own {
                    code,
                    name,
                    results_campaign: results_campaign(app, actor, *id, &target).await?,
                });
            }
        }
    }
    Ok(out)
}

//! People and their roles over the years. A person's places are those of
//! their affiliations; names and e-mails are read only within one's scope.

use trama_domain::Problem;
use trama_domain::network::NetworkCode;
use trama_domain::person::Role;
use trama_domain::policy::{self, Action, Actor, Target};
use trama_domain::school::Rbd;
use trama_domain::span::YearSpan;
use trama_store::registry::people::{PersonDetail, PersonFilter, PersonInput, PersonSummary};
use trama_store::registry::{Page, PageRequest};

use crate::access::{allow, allow_any, registry_scope};
use crate::{App, Error, Result, invalid};

/// A person found by id, with the places of their affiliations.
#[derive(Debug, Clone)]
pub struct PersonRef {
    pub id: i64,
    pub targets: Vec<Target>,
}

pub async fn find(app: &App, id: &str) -> Result<PersonRef> {
    let id: i64 = id.trim().parse().map_err(|_| Error::NotFound)?;
    let targets = app.store.person_targets(id).await?.ok_or(Error::NotFound)?;
    Ok(PersonRef { id, targets })
}

pub async fn list(
    app: &App,
    actor: &Actor,
    filter: &PersonFilter,
    page: PageRequest,
) -> Result<Page<PersonSummary>> {
    let scope = registry_scope(actor)?;
    Ok(app.store.list_people(filter, &scope, page).await?)
}

/// A person as their page shows them. The national id is there only for
/// those who may edit the person.
pub struct PersonView {
    pub detail: PersonDetail,
    pub may_edit: bool,
    pub may_erase: bool,
}

pub async fn show(app: &App, actor: &Actor, p: &PersonRef) -> Result<PersonView> {
    allow_any(actor, Action::ViewRegistry, &p.targets)?;
    let mut detail = app.store.get_person(p.id).await?.ok_or(Error::NotFound)?;
    let may_edit = policy::allows_any(actor, Action::EditRegistry, &p.targets);
    if !may_edit {
        detail.national_id = None;
    }
    Ok(PersonView {
        detail,
        may_edit,
        may_erase: policy::allows(actor, Action::ManageAccounts, &Target::national()),
    })
}

pub async fn for_edit(app: &App, actor: &Actor, p: &PersonRef) -> Result<PersonDetail> {
    allow_any(actor, Action::EditRegistry, &p.targets)?;
    app.store.get_person(p.id).await?.ok_or(Error::NotFound)
}

/// Creates a person and returns the new record, which its creator reads
/// even before the person has a role. Who may edit somewhere may create;
/// others see the new person once given a role within their reach.
pub async fn create(app: &App, actor: &Actor, input: &PersonInput) -> Result<PersonDetail> {
    if !super::may_create(actor) {
        return Err(Error::Forbidden);
    }
    let valid = input.validate().map_err(Error::Invalid)?;
    let mut tx = app.store.begin_write().await?;
    let id = tx.create_person(&valid).await?;
    tx.audit(actor.audit_id(), "person.create", &id.to_string())
        .await?;
    tx.commit().await?;
    app.store.get_person(id).await?.ok_or(Error::NotFound)
}

pub async fn update(app: &App, actor: &Actor, p: &PersonRef, input: &PersonInput) -> Result<()> {
    allow_any(actor, Action::EditRegistry, &p.targets)?;
    let valid = input.validate().map_err(Error::Invalid)?;
    let mut tx = app.store.begin_write().await?;
    tx.update_person(p.id, &valid).await?;
    tx.audit(actor.audit_id(), "person.update", &p.id.to_string())
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A role to give: in a school (by RBD) or, for network-level roles, in a
/// network (by code).
pub struct AffiliationInput {
    pub role: Role,
    pub rbd: Option<Rbd>,
    pub network: Option<NetworkCode>,
    pub span: YearSpan,
}

/// Gives a person a role. The actor needs editing rights over the person
/// (anywhere, for someone without roles yet) and over the place of the role:
/// the school's real region, the network's.
pub async fn add_affiliation(
    app: &App,
    actor: &Actor,
    p: &PersonRef,
    a: &AffiliationInput,
) -> Result<()> {
    if p.targets.is_empty() {
        if !super::may_create(actor) {
            return Err(Error::Forbidden);
        }
    } else {
        allow_any(actor, Action::EditRegistry, &p.targets)?;
    }
    let network_id = match &a.network {
        Some(code) => {
            let t = app
                .store
                .network_target(code)
                .await?
                .ok_or_else(|| invalid("network", Problem::UnknownNetwork))?;
            allow(actor, Action::EditRegistry, &t)?;
            t.networks.first().copied()
        }
        None => None,
    };
    if let Some(rbd) = a.rbd {
        let t = app
            .store
            .school_target(rbd)
            .await?
            .ok_or_else(|| invalid("rbd", Problem::UnknownSchool))?;
        allow(actor, Action::EditRegistry, &t)?;
    }
    let mut tx = app.store.begin_write().await?;
    tx.add_affiliation(p.id, a.role, a.rbd.map(|r| r.0), network_id, a.span)
        .await?;
    tx.audit(
        actor.audit_id(),
        "person.add_affiliation",
        &format!("{} {}", p.id, a.role.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Erases a person (a data-protection request): registry entry, roles,
/// invitations and links go; their answers stay, anonymous. `confirmed`
/// is the explicit confirmation the form asks for.
pub async fn erase(app: &App, actor: &Actor, p: &PersonRef, confirmed: bool) -> Result<()> {
    allow(actor, Action::ManageAccounts, &Target::national())?;
    if !confirmed {
        return Err(invalid("confirm", Problem::Required));
    }
    let mut tx = app.store.begin_write().await?;
    tx.erase_person(p.id).await?;
    tx.audit(actor.audit_id(), "person.erase", &p.id.to_string())
        .await?;
    tx.commit().await?;
    Ok(())
}

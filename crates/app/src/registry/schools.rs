//! Schools: list, detail, create and edit. A school's place is its comuna's
//! region, as the registry records it.

use trama_domain::Problem;
use trama_domain::policy::{Action, Actor, Target};
use trama_domain::school::{Rbd, School};
use trama_domain::territory::RegionCode;
use trama_store::registry::schools::{SchoolDetail, SchoolFilter, SchoolSummary};
use trama_store::registry::{Page, PageRequest};

use crate::access::{allow, may, registry_scope};
use crate::{App, Error, Result, invalid};

/// A school found by its RBD, with where it sits.
#[derive(Debug, Clone)]
pub struct SchoolRef {
    pub rbd: Rbd,
    pub target: Target,
}

pub async fn find(app: &App, rbd: &str) -> Result<SchoolRef> {
    let rbd = Rbd::parse(rbd).map_err(|_| Error::NotFound)?;
    let target = app.store.school_target(rbd).await?.ok_or(Error::NotFound)?;
    Ok(SchoolRef { rbd, target })
}

pub async fn list(
    app: &App,
    actor: &Actor,
    filter: &SchoolFilter,
    page: PageRequest,
) -> Result<Page<SchoolSummary>> {
    let scope = registry_scope(actor)?;
    Ok(app.store.list_schools(filter, &scope, page).await?)
}

pub struct SchoolView {
    pub detail: SchoolDetail,
    pub may_edit: bool,
}

pub async fn show(app: &App, actor: &Actor, s: &SchoolRef) -> Result<SchoolView> {
    allow(actor, Action::ViewRegistry, &s.target)?;
    let detail = app.store.get_school(s.rbd).await?.ok_or(Error::NotFound)?;
    Ok(SchoolView {
        detail,
        may_edit: may(actor, Action::EditRegistry, &s.target),
    })
}

pub async fn for_edit(app: &App, actor: &Actor, s: &SchoolRef) -> Result<SchoolDetail> {
    allow(actor, Action::EditRegistry, &s.target)?;
    app.store.get_school(s.rbd).await?.ok_or(Error::NotFound)
}

/// Where a school in this comuna would sit: the region the registry records
/// for the comuna, which must exist and agree with the code's own region.
async fn comuna_place(app: &App, school: &School) -> Result<Target> {
    let comuna = app
        .store
        .get_comuna(school.comuna.0)
        .await?
        .ok_or_else(|| invalid("comuna", Problem::InvalidCode))?;
    if school.comuna.region().map(|r| i32::from(r.0)) != Some(comuna.region_code) {
        return Err(invalid("comuna", Problem::InvalidCode));
    }
    Ok(Target::region(RegionCode(comuna.region_code as i16)))
}

/// Creates a school where the actor may edit; an RBD already registered is
/// refused on its field.
pub async fn create(app: &App, actor: &Actor, school: &School) -> Result<Rbd> {
    allow(
        actor,
        Action::EditRegistry,
        &comuna_place(app, school).await?,
    )?;
    if app.store.school_target(school.rbd).await?.is_some() {
        return Err(invalid("rbd", Problem::AlreadyExists));
    }
    save(app, actor, school, "school.create").await
}

/// Replaces a school's fields; moving it to another region's comuna needs
/// the right to edit there too. The stored check digit is kept.
pub async fn update(app: &App, actor: &Actor, s: &SchoolRef, school: School) -> Result<Rbd> {
    allow(actor, Action::EditRegistry, &s.target)?;
    allow(
        actor,
        Action::EditRegistry,
        &comuna_place(app, &school).await?,
    )?;
    let existing = app.store.get_school(s.rbd).await?.ok_or(Error::NotFound)?;
    let school = School {
        rbd: s.rbd,
        check_digit: existing.check_digit,
        ..school
    };
    save(app, actor, &school, "school.update").await
}

async fn save(app: &App, actor: &Actor, school: &School, what: &str) -> Result<Rbd> {
    let mut tx = app.store.begin_write().await?;
    tx.save_school(school).await?;
    tx.audit(actor.audit_id(), what, &school.rbd.0.to_string())
        .await?;
    tx.commit().await?;
    Ok(school.rbd)
}

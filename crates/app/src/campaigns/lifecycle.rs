//! A campaign's life: created as a draft (with its invitations from the
//! registry), opened (invitations go out), reminded, closed.

use trama_domain::policy::{self, Action, Actor};
use trama_store::campaigns::instruments::VersionSummary;
use trama_store::campaigns::lifecycle::{Campaign, CampaignInput};

use super::CampaignRef;
use crate::access::{allow, may};
use crate::{App, Error, Result};

/// A campaign in the list, with what the reader may do with it.
pub struct Listed {
    pub campaign: Campaign,
    pub may_view: bool,
    pub may_export: bool,
}

/// The campaigns the actor follows (registry readers) or downloads from
/// (researchers), newest first.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<Listed>> {
    if policy::registry_scope(actor).is_none()
        && !policy::allows_somewhere(actor, Action::ExportResponses)
    {
        return Err(Error::Forbidden);
    }
    let mut out = vec![];
    for campaign in app.store.list_campaigns().await? {
        let target = app.store.campaign_target(&campaign).await?;
        let (may_view, may_export) = (
            may(actor, Action::ViewCampaigns, &target),
            may(actor, Action::ExportResponses, &target),
        );
        if may_view || may_export {
            out.push(Listed {
                campaign,
                may_view,
                may_export,
            });
        }
    }
    Ok(out)
}

/// Whether the actor may create campaigns anywhere (the "new" button).
pub fn may_create(actor: &Actor) -> bool {
    policy::allows_somewhere(actor, Action::ManageCampaigns)
}

/// The instruments a new campaign may use.
pub async fn instruments(app: &App, actor: &Actor) -> Result<Vec<VersionSummary>> {
    if !may_create(actor) {
        return Err(Error::Forbidden);
    }
    Ok(app.store.list_instruments().await?)
}

/// Creates a draft and invites, from the registry, everyone its scope
/// covers in its year. The actor must manage campaigns wherever the scope
/// reaches, checked on the scope as it would be, before anything is written.
pub async fn create(app: &App, actor: &Actor, input: &CampaignInput) -> Result<String> {
    let target = app.store.scope_target(&input.scope).await?;
    allow(actor, Action::ManageCampaigns, &target)?;
    let mut tx = app.store.begin_write().await?;
    let id = tx.create_campaign(input, actor.audit_id()).await?;
    let invited = tx.invite_from_registry(id).await?;
    tx.audit(
        actor.audit_id(),
        "campaign.create",
        &format!("{} ({invited} invited)", input.code),
    )
    .await?;
    tx.commit().await?;
    Ok(input.code.clone())
}

/// Opens a draft and hands its invitations to the mail queue (or the
/// outbox). Returns how many messages were written.
pub async fn open(app: &App, actor: &Actor, c: &CampaignRef) -> Result<u64> {
    allow(actor, Action::ManageCampaigns, &c.target)?;
    let mut tx = app.store.begin_write().await?;
    tx.open_campaign(c.campaign.id).await.map_err(refusal)?;
    tx.audit(actor.audit_id(), "campaign.open", &c.campaign.code)
        .await?;
    tx.commit().await?;
    let opened = app
        .store
        .campaign_by_id(c.campaign.id)
        .await?
        .ok_or(Error::NotFound)?;
    let sent = app.outreach().send_invitations(&app.store, &opened).await?;
    Ok(sent as u64)
}

pub async fn close(app: &App, actor: &Actor, c: &CampaignRef) -> Result<()> {
    allow(actor, Action::ManageCampaigns, &c.target)?;
    let mut tx = app.store.begin_write().await?;
    tx.close_campaign(c.campaign.id).await?;
    tx.audit(actor.audit_id(), "campaign.close", &c.campaign.code)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a reminder now to everyone who has not finished: a reminder run
/// due now, written here and, if this is cut short, resumed by the worker.
pub async fn remind(app: &App, actor: &Actor, c: &CampaignRef) -> Result<u64> {
    allow(actor, Action::ManageCampaigns, &c.target)?;
    if c.campaign.status != trama_store::campaigns::lifecycle::CampaignStatus::Open {
        return Err(trama_outreach::OutreachError::NotOpen.into());
    }
    let run = trama_store::now();
    app.store.start_reminder_run(c.campaign.id, run).await?;
    let n = app
        .outreach()
        .send_reminders(&app.store, &c.campaign, run)
        .await?;
    app.store.finish_reminder_run(c.campaign.id, run).await?;
    app.audit(
        actor,
        "campaign.remind",
        &format!("{} ({n})", c.campaign.code),
    )
    .await?;
    Ok(n as u64)
}

/// The state a campaign's status refuses an action in (not a draft any
/// more, nobody invited) is a refusal the page explains, not a form error.
fn refusal(e: trama_store::StoreError) -> Error {
    match e {
        trama_store::StoreError::Invalid(p) if p.len() == 1 => Error::Refused(
            p.into_iter()
                .next()
                .map(|p| p.problem)
                .unwrap_or(trama_domain::Problem::Required),
        ),
        other => other.into(),
    }
}

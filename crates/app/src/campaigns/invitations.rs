//! A campaign's page and its invitation list: who is invited, added by hand
//! or taken off. Only people and networks within the coordinator's own
//! reach can be invited, and a person outside it is as unknown as one who
//! does not exist: the list is no way to learn names from e-mails.

use trama_domain::Problem;
use trama_domain::network::NetworkCode;
use trama_domain::person::Role;
use trama_domain::policy::{self, Action, Actor};
use trama_store::campaigns::invitations::{Invitation, InvitationFilter};
use trama_store::campaigns::lifecycle::CampaignStatus;

use super::CampaignRef;
use crate::access::{allow, may};
use crate::{App, Error, Result, invalid};

/// A campaign's page: its invitations (for those who manage it), message
/// counts, and what the reader may do.
pub struct CampaignView {
    pub invitations: Vec<Invitation>,
    /// Invitations matching the filter (all of them when none is set).
    pub matching: i64,
    pub message_counts: Vec<(String, i64)>,
    /// Everyone invited (not removed), whatever the filter.
    pub invited: i64,
    /// Invited who have not submitted.
    pub unfinished: i64,
    pub may_manage: bool,
    pub may_export: bool,
}

pub async fn show(
    app: &App,
    actor: &Actor,
    c: &CampaignRef,
    filter: &InvitationFilter,
) -> Result<CampaignView> {
    allow(actor, Action::ViewCampaigns, &c.target)?;
    let may_manage = may(actor, Action::ManageCampaigns, &c.target);
    let (invitations, matching) = if may_manage {
        app.store.list_invitations(c.campaign.id, filter).await?
    } else {
        (vec![], app.store.count_invitations(c.campaign.id).await?)
    };
    let invited = app.store.count_invitations(c.campaign.id).await?;
    Ok(CampaignView {
        invitations,
        matching,
        invited,
        unfinished: invited - app.store.count_completed(c.campaign.id).await?,
        message_counts: app.store.message_counts(c.campaign.id).await?,
        may_manage,
        may_export: may(actor, Action::ExportResponses, &c.target),
    })
}

/// Whom to invite by hand.
pub struct NewInvitation {
    pub email: String,
    pub network: String,
    pub role: String,
}

/// Invites one person into one of the campaign's networks. Refused, as an
/// unknown person, for someone outside the coordinator's reach; refused for
/// a network the campaign does not cover or the coordinator does not reach.
pub async fn add(app: &App, actor: &Actor, c: &CampaignRef, new: &NewInvitation) -> Result<()> {
    allow(actor, Action::ManageCampaigns, &c.target)?;
    let role = Role::parse(&new.role).map_err(|p| invalid("role", p))?;
    let code = NetworkCode::parse(&new.network).map_err(|p| invalid("network", p))?;
    app.store
        .network_target(&code)
        .await?
        .filter(|t| {
            // The campaign must cover the network, and the coordinator reach it.
            let id = t.networks.first().copied().unwrap_or_default();
            (c.target.national || c.target.networks.contains(&id))
                && policy::allows(actor, Action::InviteIntoCampaign, t)
        })
        .ok_or_else(|| invalid("network", Problem::UnknownNetwork))?;
    let unknown = || invalid("email", Problem::UnknownPerson);
    let person = app
        .store
        .person_by_email(new.email.trim())
        .await?
        .ok_or_else(unknown)?;
    let places = app.store.person_targets(person).await?.unwrap_or_default();
    if !policy::allows_any(actor, Action::InviteIntoCampaign, &places) {
        return Err(unknown());
    }
    let mut tx = app.store.begin_write().await?;
    let invitation = tx
        .invite_person(c.campaign.id, person, code.as_str(), role)
        .await?;
    tx.audit(
        actor.audit_id(),
        "campaign.invite",
        &format!("{} invitation {invitation}", c.campaign.code),
    )
    .await?;
    tx.commit().await?;
    if c.campaign.status == CampaignStatus::Open {
        app.outreach()
            .send_invitations(&app.store, &c.campaign)
            .await?;
    }
    Ok(())
}

/// Takes an invitation off the list (deleted from a draft, revoked once open).
pub async fn remove(app: &App, actor: &Actor, c: &CampaignRef, invitation: i64) -> Result<()> {
    allow(actor, Action::ManageCampaigns, &c.target)?;
    let mut tx = app.store.begin_write().await?;
    tx.remove_invitation(c.campaign.id, invitation)
        .await
        .map_err(|e| match e {
            trama_store::StoreError::NotFound => Error::NotFound,
            e => e.into(),
        })?;
    tx.audit(
        actor.audit_id(),
        "campaign.uninvite",
        &format!("{} invitation {invitation}", c.campaign.code),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

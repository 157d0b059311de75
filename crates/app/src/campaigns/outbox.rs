//! The outbox: messages waiting for a coordinator to send them with their
//! own mail tool when no SMTP relay is configured. Personal links are the
//! participants' keys: they leave the outbox once, in the export, and the
//! stored copies keep only the fact that they left, who took them and when.

use trama_domain::policy::{Action, Actor};
use trama_store::campaigns::mail_queue::{HandedOver, Handover, MessageKind};

use super::CampaignRef;
use crate::access::allow;
use crate::{App, Result};

/// A message as the outbox page lists it: never its link or its body.
pub struct Listed {
    pub to_name: String,
    pub to_email: String,
    pub kind: MessageKind,
    pub subject: String,
    pub status: String,
}

/// One waiting message of each kind and language, as it will read, its
/// personal links replaced by a marker.
pub struct Preview {
    pub kind: MessageKind,
    pub lang: String,
    pub subject: String,
    pub body: String,
}

pub struct OutboxView {
    pub messages: Vec<Listed>,
    pub previews: Vec<Preview>,
    /// Messages waiting to be exported.
    pub waiting: usize,
    pub handovers: Vec<Handover>,
    pub smtp: bool,
}

pub async fn view(app: &App, actor: &Actor, c: &CampaignRef) -> Result<OutboxView> {
    allow(actor, Action::ManageCampaigns, &c.target)?;
    let stored = app.store.campaign_messages(c.campaign.id, None).await?;
    let mut previews: Vec<Preview> = vec![];
    for m in stored.iter().filter(|m| m.status == "outbox") {
        if !previews
            .iter()
            .any(|p| p.kind == m.kind && p.lang == m.lang)
        {
            previews.push(Preview {
                kind: m.kind,
                lang: m.lang.clone(),
                subject: m.subject.clone(),
                body: m.preview(),
            });
        }
    }
    let messages: Vec<Listed> = stored
        .into_iter()
        .map(|m| Listed {
            to_name: m.to_name,
            to_email: m.to_email,
            kind: m.kind,
            subject: m.subject,
            status: m.status,
        })
        .collect();
    Ok(OutboxView {
        previews,
        waiting: messages.iter().filter(|m| m.status == "outbox").count(),
        messages,
        handovers: app.store.outbox_handovers(c.campaign.id).await?,
        smtp: app.settings().smtp,
    })
}

/// Takes the messages waiting in the outbox, links included, for a mail
/// merge. They count as sent from then on; a second export has only what
/// was queued since.
pub async fn export(app: &App, actor: &Actor, c: &CampaignRef) -> Result<Vec<HandedOver>> {
    allow(actor, Action::ExportOutbox, &c.target)?;
    let mut tx = app.store.begin_write().await?;
    let taken = tx.hand_over_outbox(c.campaign.id, actor.audit_id()).await?;
    tx.audit(
        actor.audit_id(),
        "campaign.outbox_export",
        &format!("{}: {} messages", c.campaign.code, taken.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(taken)
}

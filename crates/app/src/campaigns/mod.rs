//! Monitoring rounds from the coordinators' side: campaigns, their
//! invitation lists, the outbox, the response funnel and the researchers'
//! response files. Answering through a personal link is [`crate::answering`].

pub mod files;
pub mod funnel;
pub mod invitations;
pub mod lifecycle;
pub mod outbox;

use trama_domain::policy::Target;
use trama_store::campaigns::lifecycle::Campaign;

use crate::{App, Error, Result};

/// A campaign found by its code, with where its scope puts it.
#[derive(Debug, Clone)]
pub struct CampaignRef {
    pub campaign: Campaign,
    pub target: Target,
}

pub async fn find(app: &App, code: &str) -> Result<CampaignRef> {
    let campaign = app.store.campaign(code).await?.ok_or(Error::NotFound)?;
    let target = app.store.campaign_target(&campaign).await?;
    Ok(CampaignRef { campaign, target })
}

//! The response funnel (invited → opened → started → complete → valid) as
//! far as the reader reaches: a supervisor sees their networks, a regional
//! coordinator their region, even within a national campaign.

use trama_campaign::funnel::InvitationFacts;
use trama_domain::policy::{Action, Actor, Scope};
use trama_store::campaigns::reports::FunnelData;

use super::CampaignRef;
use crate::access::{allow, registry_scope};
use crate::{App, Result};

pub async fn facts(app: &App, actor: &Actor, c: &CampaignRef) -> Result<FunnelData> {
    allow(actor, Action::ViewCampaigns, &c.target)?;
    let scope = registry_scope(actor)?;
    let mut data = app.store.funnel_data(&c.campaign).await?;
    let keep: Box<dyn Fn(&InvitationFacts) -> bool + Send> = match scope {
        Scope::All => Box::new(|_| true),
        Scope::Region(r) => {
            let code = r.0.to_string();
            Box::new(move |f| f.region == code)
        }
        Scope::Networks(ids) => {
            let codes = app.store.network_codes(&ids).await?;
            Box::new(move |f| codes.contains(&f.network))
        }
    };
    data.facts.retain(|f| keep(f));
    Ok(data)
}

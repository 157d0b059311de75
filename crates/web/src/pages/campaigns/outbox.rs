//! The outbox page and its one-time export for a mail merge.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use trama_app::campaigns::outbox::{self, Listed};
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::mail_queue::Handover;

use crate::ctx::Ctx;
use crate::download;
use crate::error::AppError;
use crate::pages::{Chrome, render};
use crate::paths::CampaignPath;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "campaign_outbox.html")]
struct OutboxPage {
    c: Chrome,
    campaign: Campaign,
    messages: Vec<Listed>,
    previews: Vec<trama_app::campaigns::outbox::Preview>,
    waiting: usize,
    handovers: Vec<(String, String, i64)>,
    smtp: bool,
}

fn when(ctx: &Ctx, h: &Handover) -> (String, String, i64) {
    (
        trama_outreach::closing_date(ctx.lang, h.at),
        h.by.clone().unwrap_or_else(|| "—".to_owned()),
        h.messages,
    )
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
) -> Result<Response, AppError> {
    let view = outbox::view(&state.app, ctx.actor()?, &c).await?;
    render(&OutboxPage {
        handovers: view.handovers.iter().map(|h| when(&ctx, h)).collect(),
        c: Chrome::new(&ctx, "campaigns"),
        campaign: c.campaign,
        messages: view.messages,
        previews: view.previews,
        waiting: view.waiting,
        smtp: view.smtp,
    })
}

/// The waiting messages with their personal links, once: afterwards they
/// count as sent and only the fact of the export remains.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
) -> Result<Response, AppError> {
    let taken = outbox::export(&state.app, ctx.actor()?, &c).await?;
    let header = [
        "name",
        "email",
        "link",
        "kind",
        "lang",
        "subject",
        "opt_out_link",
        "body",
    ]
    .map(str::to_owned)
    .to_vec();
    let rows = std::iter::once(header).chain(taken.into_iter().map(|m| {
        vec![
            m.to_name,
            m.to_email,
            m.link,
            m.kind.as_str().to_owned(),
            m.lang,
            m.subject,
            m.opt_out_link,
            m.body,
        ]
    }));
    download::csv(&format!("{}-outbox.csv", c.campaign.code), rows)
}

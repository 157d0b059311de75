//! A campaign's page: its facts, the invitation list (for those who manage
//! it), and the actions of its life: open, remind, close, invite, remove.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trama_app::campaigns::{invitations, lifecycle};
use trama_domain::person::Role;
use trama_domain::territory::RegionCode;
use trama_store::campaigns::invitations::{Invitation, InvitationFilter};
use trama_store::campaigns::lifecycle::{Campaign, CampaignScope};

use super::{day, status_label};
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::pages::{Chrome, render};
use crate::paths::CampaignPath;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "campaign.html")]
struct DetailPage {
    c: Chrome,
    campaign: Campaign,
    status: String,
    opens: String,
    closes: String,
    scope: String,
    invitations: Vec<Invitation>,
    total: i64,
    network_filter: String,
    q: String,
    counts: Vec<(String, i64)>,
    can_manage: bool,
    can_export: bool,
    roles: Vec<(String, String)>,
    notice: String,
    error: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    #[serde(default)]
    network: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    notice: String,
    #[serde(default)]
    error: String,
}

fn scope_text(ctx: &Ctx, s: &CampaignScope) -> String {
    match s {
        CampaignScope::National => ctx.t("campaign-scope-national"),
        CampaignScope::Regions(r) => format!(
            "{}: {}",
            ctx.t("campaign-scope-regions"),
            r.iter()
                .map(|c| RegionCode(*c)
                    .region()
                    .map(|r| r.numeral)
                    .unwrap_or_default()
                    .to_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        CampaignScope::Networks(n) => {
            format!("{}: {}", ctx.t("campaign-scope-networks"), n.join(", "))
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
    Query(q): Query<DetailQuery>,
) -> Result<Response, AppError> {
    let filter = InvitationFilter {
        network: Some(q.network.clone()),
        q: Some(q.q.clone()),
        limit: 200,
        offset: 0,
    };
    let view = invitations::show(&state.app, ctx.actor()?, &c, &filter).await?;
    // Only messages the page itself names are shown from the query string.
    let pick = |id: &str| {
        if id.starts_with("campaign-") {
            ctx.t(id)
        } else {
            String::new()
        }
    };
    let campaign = c.campaign;
    render(&DetailPage {
        c: Chrome::new(&ctx, "campaigns"),
        status: status_label(&ctx, campaign.status),
        opens: day(ctx.lang, campaign.opens_at + 1),
        closes: day(ctx.lang, campaign.closes_at),
        scope: scope_text(&ctx, &campaign.scope),
        counts: view.message_counts,
        can_export: view.may_export,
        roles: Role::ALL
            .iter()
            .map(|r| (r.as_str().to_owned(), ctx.t(r.label_id())))
            .collect(),
        notice: pick(&q.notice),
        error: pick(&q.error),
        network_filter: q.network,
        q: q.q,
        campaign,
        invitations: view.invitations,
        total: view.matching,
        can_manage: view.may_manage,
    })
}

fn back(code: &str, key: &str, value: &str) -> Response {
    Redirect::to(&format!("/campaigns/{code}?{key}={value}")).into_response()
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

/// A use case's refusal as a message on the campaign's page, or the error.
fn back_refused(code: &str, e: trama_app::Error) -> Result<Response, AppError> {
    match e {
        trama_app::Error::Refused(p) => Ok(back(
            code,
            "error",
            &p.message_id().replacen("problem-", "campaign-problem-", 1),
        )),
        e => Err(e.into()),
    }
}

pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    match lifecycle::open(&state.app, ctx.actor()?, &c).await {
        Ok(_) => Ok(back(&c.campaign.code, "notice", "campaign-opened")),
        Err(e) => back_refused(&c.campaign.code, e),
    }
}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    lifecycle::close(&state.app, ctx.actor()?, &c).await?;
    Ok(back(&c.campaign.code, "notice", "campaign-closed"))
}

pub async fn remind(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    lifecycle::remind(&state.app, ctx.actor()?, &c).await?;
    Ok(back(&c.campaign.code, "notice", "campaign-reminded"))
}

#[derive(Debug, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    network: String,
    #[serde(default)]
    role: String,
}

pub async fn add_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
    CsrfForm(f): CsrfForm<AddForm>,
) -> Result<Response, AppError> {
    let new = invitations::NewInvitation {
        email: f.email,
        network: f.network,
        role: f.role,
    };
    let code = &c.campaign.code;
    match invitations::add(&state.app, ctx.actor()?, &c, &new).await {
        Ok(()) => Ok(back(code, "notice", "campaign-invited-one")),
        Err(trama_app::Error::Invalid(p)) => match p.first().map(|p| p.field.as_str()) {
            Some("email") => Ok(back(code, "error", "campaign-unknown-person")),
            Some("network") => Ok(back(code, "error", "campaign-unknown-network")),
            _ => Err(AppError::Invalid(p)),
        },
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
    Path(params): Path<std::collections::HashMap<String, String>>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let id: i64 = params
        .get("invitation")
        .and_then(|i| i.parse().ok())
        .ok_or(AppError::NotFound)?;
    invitations::remove(&state.app, ctx.actor()?, &c, id).await?;
    Ok(back(&c.campaign.code, "notice", "campaign-removed"))
}

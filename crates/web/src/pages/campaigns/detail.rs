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
use crate::pages::{Chrome, Pager, render};
use crate::paths::CampaignPath;
use crate::state::AppState;
use trama_store::registry::Page;

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
    pager: Pager,
    delivery: Delivery,
    /// Which confirmation to show opened ("open" or "close"), when a POST
    /// came without it.
    confirm: String,
}

/// What happened to the invitations' messages, in the words the campaign
/// page uses: the coordinator must see there, not in the outbox by chance,
/// whether anything was actually sent.
pub struct Delivery {
    pub smtp: bool,
    /// Waiting for the coordinator to send them (no mail server).
    pub outbox: i64,
    pub queued: i64,
    pub failed: i64,
    pub outbox_text: String,
    pub queued_text: String,
    pub failed_text: String,
    pub open_text: String,
    pub close_text: String,
}

const PER_PAGE: u32 = 100;

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
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    page: Option<u32>,
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
    let page = q.page.unwrap_or(1).max(1);
    let filter = InvitationFilter {
        network: Some(q.network.clone()),
        q: Some(q.q.clone()),
        limit: i64::from(PER_PAGE),
        offset: i64::from(page - 1) * i64::from(PER_PAGE),
    };
    let view = invitations::show(&state.app, ctx.actor()?, &c, &filter).await?;
    let pager = Pager::new(
        &ctx,
        &Page {
            items: Vec::<()>::new(),
            page,
            per_page: PER_PAGE,
            total: view.matching,
        },
        &format!("/campaigns/{}", c.campaign.code),
        &[("network", q.network.clone()), ("q", q.q.clone())],
    );
    let delivery = delivery(&ctx, &view, state.app.settings().smtp, &c.campaign);
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
        pager,
        delivery,
        confirm: q.confirm,
        network_filter: q.network,
        q: q.q,
        campaign,
        invitations: view.invitations,
        total: view.matching,
        can_manage: view.may_manage,
    })
}

fn delivery(
    ctx: &Ctx,
    view: &invitations::CampaignView,
    smtp: bool,
    campaign: &Campaign,
) -> Delivery {
    let count = |status: &str| {
        view.message_counts
            .iter()
            .filter(|(s, _)| s == status)
            .map(|(_, n)| *n)
            .sum::<i64>()
    };
    let (outbox, queued, failed) = (count("outbox"), count("queued"), count("failed"));
    let invited = view.invited;
    let closes = day(ctx.lang, campaign.closes_at);
    Delivery {
        smtp,
        outbox,
        queued,
        failed,
        outbox_text: trama_i18n::t!(ctx.lang, "campaign-delivery-outbox", count = outbox),
        queued_text: trama_i18n::t!(ctx.lang, "campaign-delivery-queued", count = queued),
        failed_text: trama_i18n::t!(ctx.lang, "campaign-delivery-failed", count = failed),
        open_text: if smtp {
            trama_i18n::t!(
                ctx.lang,
                "campaign-confirm-open-smtp",
                count = invited,
                closes = closes
            )
        } else {
            trama_i18n::t!(
                ctx.lang,
                "campaign-confirm-open-outbox",
                count = invited,
                closes = closes
            )
        },
        close_text: trama_i18n::t!(
            ctx.lang,
            "campaign-confirm-close-text",
            count = view.unfinished
        ),
    }
}

fn back(code: &str, key: &str, value: &str) -> Response {
    Redirect::to(&format!("/campaigns/{code}?{key}={value}")).into_response()
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

/// Opening (which mails everyone) and closing cannot be undone: their
/// forms carry the confirmation the page asked for; a POST without it
/// lands on the page with the confirmation shown.
#[derive(Debug, Deserialize)]
pub struct Confirm {
    #[serde(default)]
    confirm: String,
}

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
    CsrfForm(f): CsrfForm<Confirm>,
) -> Result<Response, AppError> {
    if f.confirm != "open" {
        return Ok(back(&c.campaign.code, "confirm", "open"));
    }
    match lifecycle::open(&state.app, ctx.actor()?, &c).await {
        Ok(_) => Ok(back(&c.campaign.code, "notice", "campaign-opened")),
        Err(e) => back_refused(&c.campaign.code, e),
    }
}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
    CsrfForm(f): CsrfForm<Confirm>,
) -> Result<Response, AppError> {
    if f.confirm != "close" {
        return Ok(back(&c.campaign.code, "confirm", "close"));
    }
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

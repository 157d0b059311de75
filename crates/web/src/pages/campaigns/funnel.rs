//! The live response funnel as pages and CSV, cut to the reader's reach.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use trama_app::campaigns::funnel::facts;
use trama_campaign::funnel::{Coverage, FunnelRow, Grouping, funnel};
use trama_domain::person::Role;
use trama_domain::territory::RegionCode;
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::reports::FunnelData;

use crate::ctx::Ctx;
use crate::download;
use crate::error::AppError;
use crate::pages::{Chrome, render};
use crate::paths::CampaignPath;
use crate::state::AppState;

pub struct FunnelTable {
    pub by: &'static str,
    pub title: String,
    /// Label, counts, the response rate in the reader's notation.
    pub rows: Vec<(String, FunnelRow, String)>,
}

fn rate_text(r: &FunnelRow, ctx: &Ctx) -> String {
    r.response_rate
        .map(|v| trama_i18n::number::percent1(v, ctx.lang))
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "campaign_funnel.html")]
struct FunnelPage {
    c: Chrome,
    campaign: Campaign,
    total: FunnelRow,
    /// "52,6 % (150 of 285)": valid over invited.
    total_rate: String,
    coverage: Coverage,
    tables: Vec<FunnelTable>,
}

fn label_for(data: &FunnelData, ctx: &Ctx, by: Grouping, key: &str) -> String {
    let named = |names: &std::collections::BTreeMap<String, String>| {
        names
            .get(key)
            .map(|n| format!("{key} · {n}"))
            .unwrap_or_else(|| key.to_owned())
    };
    match by {
        Grouping::Total => ctx.t("funnel-total"),
        Grouping::Region => data
            .region_names
            .get(key)
            .map(|n| {
                let numeral = key
                    .parse()
                    .ok()
                    .and_then(|c| RegionCode(c).region())
                    .map(|r| r.numeral)
                    .unwrap_or_default();
                format!("{numeral} · {n}")
            })
            .unwrap_or_else(|| key.to_owned()),
        Grouping::Deprov => named(&data.deprov_names),
        Grouping::Network => named(&data.network_names),
        Grouping::Role => Role::parse(key)
            .map(|r| ctx.t(r.label_id()))
            .unwrap_or_else(|_| key.to_owned()),
    }
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
) -> Result<Response, AppError> {
    let data = facts(&state.app, ctx.actor()?, &c).await?;
    let total = funnel(&data.facts, Grouping::Total)
        .pop()
        .unwrap_or(FunnelRow {
            key: String::new(),
            counts: Default::default(),
            response_rate: None,
        });
    let tables = [
        Grouping::Region,
        Grouping::Deprov,
        Grouping::Network,
        Grouping::Role,
    ]
    .into_iter()
    .map(|by| FunnelTable {
        by: by.as_str(),
        title: ctx.t(&format!("funnel-by-{}", by.as_str())),
        rows: funnel(&data.facts, by)
            .into_iter()
            .map(|r| (label_for(&data, &ctx, by, &r.key), rate_text(&r, &ctx), r))
            .map(|(label, rate, r)| (label, r, rate))
            .collect(),
    })
    .collect();
    render(&FunnelPage {
        c: Chrome::new(&ctx, "campaigns"),
        campaign: c.campaign,
        total_rate: trama_i18n::t!(
            ctx.lang,
            "funnel-rate-total",
            rate = rate_text(&total, &ctx),
            valid = i64::from(total.counts.valid),
            invited = i64::from(total.counts.invited)
        ),
        total,
        coverage: data.coverage,
        tables,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ByQuery {
    #[serde(default)]
    by: String,
}

pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
    Query(q): Query<ByQuery>,
) -> Result<Response, AppError> {
    let by = Grouping::parse(if q.by.is_empty() { "network" } else { &q.by })
        .ok_or(AppError::BadRequest)?;
    let data = facts(&state.app, ctx.actor()?, &c).await?;
    let header = [
        by.as_str(),
        "label",
        "invited",
        "opened",
        "started",
        "complete",
        "valid",
        "response_rate",
    ]
    .map(str::to_owned)
    .to_vec();
    let rows = std::iter::once(header).chain(funnel(&data.facts, by).into_iter().map(|r| {
        vec![
            r.key.clone(),
            label_for(&data, &ctx, by, &r.key),
            r.counts.invited.to_string(),
            r.counts.opened.to_string(),
            r.counts.started.to_string(),
            r.counts.complete.to_string(),
            r.counts.valid.to_string(),
            r.response_rate
                .map(|v| format!("{v:.1}"))
                .unwrap_or_default(),
        ]
    }));
    download::csv(
        &format!("{}-funnel-{}.csv", c.campaign.code, by.as_str()),
        rows,
    )
}

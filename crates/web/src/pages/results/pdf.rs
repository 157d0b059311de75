//! The national, regional and network reports as PDF downloads.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use trama_app::results::{self, ReportScope};
use trama_i18n::Lang;

use super::{network_segment, region_segment};
use crate::ctx::Ctx;
use crate::download::attachment;
use crate::error::AppError;
use crate::state::AppState;

/// `?lang=es|en` picks the PDF's language; the viewer's otherwise.
#[derive(Debug, Deserialize)]
pub struct PdfQuery {
    lang: Option<String>,
}

async fn download(
    state: &AppState,
    ctx: &Ctx,
    campaign: &str,
    scope: ReportScope,
    q: &PdfQuery,
) -> Result<Response, AppError> {
    let lang = q
        .lang
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(ctx.lang);
    let bytes = results::pdf(
        &state.app,
        ctx.actor()?,
        campaign,
        &scope,
        lang,
        results::today(),
    )
    .await?;
    let part = match &scope {
        ReportScope::National => String::new(),
        ReportScope::Region(r) => format!("-region-{}", r.0),
        ReportScope::Network(n) => format!("-{n}"),
    };
    Ok(attachment(
        "application/pdf",
        &format!("{campaign}{part}-{}.pdf", lang.tag()),
        bytes,
    ))
}

pub async fn national_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(campaign): Path<String>,
    Query(q): Query<PdfQuery>,
) -> Result<Response, AppError> {
    download(&state, &ctx, &campaign, ReportScope::National, &q).await
}

pub async fn region_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((campaign, region)): Path<(String, String)>,
    Query(q): Query<PdfQuery>,
) -> Result<Response, AppError> {
    ctx.actor()?;
    let scope = ReportScope::Region(region_segment(&region)?);
    download(&state, &ctx, &campaign, scope, &q).await
}

pub async fn network_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((campaign, network)): Path<(String, String)>,
    Query(q): Query<PdfQuery>,
) -> Result<Response, AppError> {
    ctx.actor()?;
    let scope = ReportScope::Network(network_segment(&network)?);
    download(&state, &ctx, &campaign, scope, &q).await
}

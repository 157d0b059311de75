//! The researchers' response files: CSV, Excel with its codebook, SPSS.

use axum::extract::State;
use axum::response::Response;
use trama_app::campaigns::files::{self, Format};

use crate::ctx::Ctx;
use crate::download::attachment;
use crate::error::AppError;
use crate::paths::CampaignPath;
use crate::state::AppState;

async fn responses(
    state: &AppState,
    ctx: &Ctx,
    c: &trama_app::campaigns::CampaignRef,
    format: Format,
) -> Result<Response, AppError> {
    let file = files::responses(&state.app, ctx.actor()?, c, format, ctx.lang).await?;
    Ok(attachment(file.content_type, &file.file_name, file.bytes))
}

pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
) -> Result<Response, AppError> {
    responses(&state, &ctx, &c, Format::Csv).await
}

pub async fn xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
) -> Result<Response, AppError> {
    responses(&state, &ctx, &c, Format::Xlsx).await
}

pub async fn sav(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
) -> Result<Response, AppError> {
    responses(&state, &ctx, &c, Format::Sav).await
}

/// What the anonymisation of the files kept, as a short text.
pub async fn note(
    State(state): State<AppState>,
    ctx: Ctx,
    CampaignPath(c): CampaignPath,
) -> Result<Response, AppError> {
    let file = files::note(&state.app, ctx.actor()?, &c, ctx.lang).await?;
    Ok(attachment(file.content_type, &file.file_name, file.bytes))
}

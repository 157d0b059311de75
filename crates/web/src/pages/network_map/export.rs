//! The network in a file: `gexf`, `graphml`, `edges.csv`, `nodes.csv`, or
//! the sociogram as `svg` or `png`; never cached, since it may hold names.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use trama_app::maps::export::{self, Contents, Format, drawing, file_name};

use super::MapQuery;
use super::compare::drawings;
use crate::ctx::Ctx;
use crate::download::{attachment, csv};
use crate::error::AppError;
use crate::state::AppState;

pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, format)): Path<(String, String)>,
    Query(q): Query<MapQuery>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    if format == "svg" || format == "png" {
        let (r, now, before) =
            drawing(&state.app, actor, &code, &q.query(), &format, ctx.lang).await?;
        let (svg, _) = drawings(&ctx, &r, &now, before.as_ref());
        let (bytes, content_type) = if format == "svg" {
            (svg.into_bytes(), "image/svg+xml")
        } else {
            let png = trama_sna::sociogram::svg_to_png(&svg, 1600)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            (png, "image/png")
        };
        return Ok(attachment(content_type, &file_name(&r, &format), bytes));
    }
    let format = Format::parse(&format);
    let f = export::file(&state.app, actor, &code, format, &q.query(), ctx.lang).await?;
    match f.contents {
        Contents::Rows(rows) => csv(&f.file_name, rows),
        Contents::Document {
            content_type,
            bytes,
        } => Ok(attachment(content_type, &f.file_name, bytes)),
    }
}

//! The home page: what the reader's scope holds, and a participant's own
//! networks.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::{Chrome, render};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    regions: usize,
    networks: i64,
    schools: i64,
    /// The networks a participant belongs to, whose reports and maps they
    /// may open: (code, name).
    my_networks: Vec<trama_app::registry::networks::Own>,
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let (regions, networks, schools) =
        trama_app::registry::territory::overview(&state.app, actor).await?;
    let my_networks = trama_app::registry::networks::own(&state.app, actor).await?;
    render(&HomePage {
        my_networks,
        c: Chrome::new(&ctx, "home"),
        regions,
        networks,
        schools,
    })
}

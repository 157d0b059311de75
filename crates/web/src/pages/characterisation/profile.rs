//! The network's profile page and its ficha (PDF), both from the
//! application layer's `ProfileView`.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use trama_app::characterisation::view::{ProfileView, view};
use trama_app::characterisation::{ficha, profile};
use trama_i18n::Lang;

use crate::ctx::Ctx;
use crate::download::attachment;
use crate::error::AppError;
use crate::pages::{Chrome, render};
use crate::paths::NetworkPath;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct ProfileQuery {
    campaign: Option<String>,
    /// The ficha's language (`es`, `en`); the reader's otherwise.
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "network_profile.html")]
struct ProfilePage {
    c: Chrome,
    v: ProfileView,
    campaigns: Vec<(String, String)>,
}

pub async fn profile(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    Query(q): Query<ProfileQuery>,
) -> Result<Response, AppError> {
    let p = profile::profile(&state.app, ctx.actor()?, &n, q.campaign.as_deref()).await?;
    let v = view(
        &p,
        ctx.lang,
        state.app.min_group(),
        &state.app.settings().characterising,
    );
    render(&ProfilePage {
        c: Chrome::new(&ctx, "networks"),
        campaigns: p
            .campaigns
            .iter()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        v,
    })
}

pub async fn ficha_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    NetworkPath(n): NetworkPath,
    Query(q): Query<ProfileQuery>,
) -> Result<Response, AppError> {
    let lang = q
        .lang
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(ctx.lang);
    let bytes = ficha::ficha(
        &state.app,
        ctx.actor()?,
        &n,
        q.campaign.as_deref(),
        lang,
        trama_app::results::today(),
    )
    .await?;
    let campaign = q.campaign.as_deref().unwrap_or("ultima");
    Ok(attachment(
        "application/pdf",
        &format!("ficha-{}-{campaign}-{}.pdf", n.code, lang.tag()),
        bytes,
    ))
}

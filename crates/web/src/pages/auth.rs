//! Signing in and out, and choosing the language.

use std::net::SocketAddr;

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;
use trama_i18n::Lang;

use super::{Chrome, render, safe_next};
use trama_app::accounts;

use crate::ctx::{CsrfForm, Ctx, LANG_COOKIE, SESSION_COOKIE, client_ip};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    next: String,
    email: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(ctx: Ctx, Query(q): Query<NextQuery>) -> Result<Response, AppError> {
    if ctx.user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    render(&LoginPage {
        c: Chrome::new(&ctx, "login"),
        next: safe_next(q.next.as_deref().unwrap_or("/")),
        email: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

fn session_cookie(state: &AppState, value: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build()
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, AppError> {
    let peer = peer.map(|Extension(ConnectInfo(a))| a.ip());
    let client = client_ip(&headers, peer, &state.settings.trusted_proxies);
    let old = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned());
    let signed = accounts::sign_in(
        &state.app,
        &form.email,
        &form.password,
        client,
        old.as_deref(),
    )
    .await?;
    let Some(signed) = signed else {
        let mut page = render(&LoginPage {
            c: Chrome::new(&ctx, "login"),
            next: safe_next(&form.next),
            email: form.email.clone(),
            error: Some(ctx.t("auth-login-failed")),
        })?;
        *page.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
        return Ok(page);
    };
    let mut jar = jar.add(session_cookie(
        &state,
        signed.session,
        trama_store::accounts::SESSION_TTL_SECS,
    ));
    if let Some(l) = signed.user.lang.as_deref().and_then(Lang::from_tag) {
        jar = jar.add(lang_cookie(&state, l));
    }
    Ok((jar, Redirect::to(&safe_next(&form.next))).into_response())
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        accounts::sign_out(&state.app, c.value()).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login")).into_response())
}

pub(crate) fn lang_cookie(state: &AppState, lang: Lang) -> Cookie<'static> {
    Cookie::build((LANG_COOKIE, lang.tag()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .max_age(cookie::time::Duration::days(365))
        .build()
}

#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
    #[serde(default)]
    next: String,
}

pub async fn switch_lang(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<LangForm>,
) -> Result<Response, AppError> {
    let lang = Lang::from_tag(&form.lang).ok_or(AppError::BadRequest)?;
    if let Some(u) = &ctx.user {
        accounts::set_language(&state.app, u.id, lang.tag()).await?;
    }
    Ok((
        jar.add(lang_cookie(&state, lang)),
        Redirect::to(&safe_next(&form.next)),
    )
        .into_response())
}

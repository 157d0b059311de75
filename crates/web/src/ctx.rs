//! The request context every handler starts from: the reader's language, the
//! signed-in account (by session cookie or API token) and its actor for the
//! policy, and the CSRF token forms must echo.

use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use trama_app::accounts;
use trama_domain::policy::{self, Action, Actor, Target};
use trama_i18n::Lang;
use trama_store::accounts::User;

use crate::error::AppError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "trama_session";
pub const LANG_COOKIE: &str = "trama_lang";
pub const CSRF_COOKIE: &str = "trama_csrf";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The anonymous CSRF token the middleware guarantees on every request.
#[derive(Debug, Clone)]
pub struct AnonCsrf(pub String);

/// How the account was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
}

#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub user: Option<User>,
    pub actor: Option<Actor>,
    pub via: Option<Via>,
    session_csrf: Option<String>,
    anon_csrf: String,
    /// Path and query of this request, for "come back here" links.
    pub path: String,
}

/// The reader's language: the `trama_lang` cookie, else `Accept-Language`.
pub fn lang_of(parts_headers: &axum::http::HeaderMap, jar: &CookieJar) -> Lang {
    if let Some(l) = jar.get(LANG_COOKIE).and_then(|c| Lang::from_tag(c.value())) {
        return l;
    }
    parts_headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::negotiate)
        .unwrap_or_default()
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(ctx.clone());
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let lang = lang_of(&parts.headers, &jar);
        // Nested routers see a stripped URI; the original is what users see.
        let original = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map(|u| u.0.clone())
            .unwrap_or_else(|| parts.uri.clone());
        let path = original
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        let anon_csrf = parts
            .extensions
            .get::<AnonCsrf>()
            .map(|a| a.0.clone())
            .unwrap_or_default();
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let (user, actor, via, session_csrf) = if let Some(token) = bearer {
            match accounts::by_token(&state.app, token).await? {
                Some((u, a)) => (Some(u), Some(a), Some(Via::Token), None),
                // A wrong token is an error, not an anonymous request.
                None => return Err(AppError::Unauthorized),
            }
        } else if let Some(cookie) = jar.get(SESSION_COOKIE) {
            match accounts::by_session(&state.app, cookie.value()).await? {
                Some((u, csrf, a)) => (Some(u), Some(a), Some(Via::Session), Some(csrf)),
                None => (None, None, None, None),
            }
        } else {
            (None, None, None, None)
        };
        let ctx = Ctx {
            lang,
            user,
            actor,
            via,
            session_csrf,
            anon_csrf,
            path,
        };
        // JSON clients authenticated by cookie must prove the request is
        // theirs; token clients carry no ambient authority.
        if original.path().starts_with("/api/")
            && ctx.via == Some(Via::Session)
            && is_unsafe(&parts.method)
        {
            let header = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            ctx.verify_csrf(header)?;
        }
        parts.extensions.insert(ctx.clone());
        Ok(ctx)
    }
}

pub fn is_unsafe(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl Ctx {
    /// The token forms must send back in `_csrf`.
    pub fn csrf_token(&self) -> &str {
        self.session_csrf.as_deref().unwrap_or(&self.anon_csrf)
    }

    pub fn verify_csrf(&self, presented: &str) -> Result<(), AppError> {
        let expected = self.csrf_token();
        if !expected.is_empty() && constant_time_eq(expected.as_bytes(), presented.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }

    /// The signed-in actor, or 401.
    pub fn actor(&self) -> Result<&Actor, AppError> {
        self.actor.as_ref().ok_or(AppError::Unauthorized)
    }

    /// The actor if the policy allows `action` on `target`; 401 or 403 otherwise.
    pub fn allow(&self, action: Action, target: &Target) -> Result<&Actor, AppError> {
        let actor = self.actor()?;
        if policy::allows(actor, action, target) {
            Ok(actor)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Like [`Ctx::allow`] for a thing with several places (a person with
    /// affiliations in many networks): allowed if any place is.
    pub fn allow_any(&self, action: Action, targets: &[Target]) -> Result<&Actor, AppError> {
        let actor = self.actor()?;
        if policy::allows_any(actor, action, targets) {
            Ok(actor)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn can(&self, action: Action, target: &Target) -> bool {
        self.actor
            .as_ref()
            .is_some_and(|a| policy::allows(a, action, target))
    }

    pub fn t(&self, id: &str) -> String {
        trama_i18n::message(self.lang, id, None)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Extracts the form with its CSRF field checked before the handler runs, so
/// no state-changing form handler can forget the check.
pub struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct CsrfOnly {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

impl<T> axum::extract::FromRequest<AppState> for CsrfForm<T>
where
    T: serde::de::DeserializeOwned + Send,
{
    type Rejection = AppError;

    async fn from_request(
        req: axum::extract::Request,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let ctx = Ctx::from_request_parts(&mut parts, state).await?;
        let bytes = axum::body::to_bytes(body, 4 * 1024 * 1024)
            .await
            .map_err(|_| AppError::BadRequest)?;
        let token: CsrfOnly = serde_urlencoded::from_bytes(&bytes).map_err(|_| AppError::Csrf)?;
        ctx.verify_csrf(&token.csrf)?;
        let value = serde_urlencoded::from_bytes(&bytes).map_err(|_| AppError::BadRequest)?;
        Ok(CsrfForm(value))
    }
}

/// The client's address: the peer, or, when the peer is a trusted reverse
/// proxy, the nearest address in `X-Forwarded-For` that is not one of the
/// trusted proxies. From anyone else the header is ignored, since a client
/// may write whatever it likes there.
pub fn client_ip(
    headers: &axum::http::HeaderMap,
    peer: Option<std::net::IpAddr>,
    trusted: &[std::net::IpAddr],
) -> Option<std::net::IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .or(Some(peer))
}

#[cfg(test)]
mod tests {
    use super::client_ip;
    use axum::http::HeaderMap;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "203.0.113.9, 10.0.0.2".parse().unwrap_or_else(|_| panic!()),
        );
        let proxy = ip("10.0.0.1");
        // From anyone else the header is the client's own claim: ignored.
        assert_eq!(
            client_ip(&h, Some(ip("198.51.100.7")), &[proxy]),
            Some(ip("198.51.100.7"))
        );
        // From the proxy: the nearest address that is not a trusted proxy.
        assert_eq!(
            client_ip(&h, Some(proxy), &[proxy, ip("10.0.0.2")]),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(client_ip(&h, Some(proxy), &[proxy]), Some(ip("10.0.0.2")));
        // A proxy that forwards nothing readable: the proxy itself.
        assert_eq!(
            client_ip(&HeaderMap::new(), Some(proxy), &[proxy]),
            Some(proxy)
        );
        assert_eq!(client_ip(&h, None, &[proxy]), None);
    }
}

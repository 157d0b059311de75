//! Accounts: signing in (slowed, never locked), sessions, API tokens, and
//! the operator's commands that create accounts.
//!
//! Sign-in attempts are counted per account and per client, failures only.
//! After a few failures each further attempt waits a growing delay before
//! the password is even checked; a correct password after the wait still
//! signs in. So guessing is slowed to a crawl, but nobody can lock someone
//! else out by failing on purpose, and many people behind one proxy never
//! lock each other out by succeeding.

use std::net::IpAddr;
use std::time::Duration;

use trama_domain::account::{AccountRole, check_password};
use trama_domain::network::NetworkCode;
use trama_domain::person::Email;
use trama_domain::policy::{Action, Actor, Target};
use trama_domain::territory::RegionCode;
use trama_store::Store;
use trama_store::accounts::User;

use crate::access::allow;
use crate::{App, Error, Result, invalid};

/// How sign-in attempts are slowed.
#[derive(Debug, Clone)]
pub struct LoginSettings {
    /// Failures allowed at full speed, per account and per client.
    pub free_failures: u32,
    /// The wait after the first failure beyond those; it doubles with each.
    pub first_delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
    /// Failures older than this are forgotten.
    pub window: Duration,
}

impl Default for LoginSettings {
    fn default() -> Self {
        LoginSettings {
            free_failures: 5,
            first_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// Recent failures by key (`account:…`, `client:…`), kept in the database
/// so that every server counts the same failures.
pub(crate) struct LoginThrottle {
    settings: LoginSettings,
}

impl LoginThrottle {
    pub(crate) fn new(settings: LoginSettings) -> Self {
        LoginThrottle { settings }
    }

    fn since(&self, t: i64) -> i64 {
        t - i64::try_from(self.settings.window.as_secs()).unwrap_or(i64::MAX / 2)
    }

    /// How long the next attempt with these keys must wait.
    async fn delay(&self, store: &Store, keys: &[String]) -> Result<Duration> {
        let worst = store
            .recent_login_failures(keys, self.since(trama_store::now()))
            .await?;
        Ok(delay_after(&self.settings, worst))
    }

    async fn failed(&self, store: &Store, keys: &[String]) -> Result<()> {
        let t = trama_store::now();
        Ok(store.record_login_failure(keys, t, self.since(t)).await?)
    }

    /// A success clears the account's count (the client's stays: one
    /// client may be guessing at many accounts).
    async fn succeeded(&self, store: &Store, account: &str) -> Result<()> {
        Ok(store.clear_login_failures(account).await?)
    }
}

/// The wait after `failures` recent failures.
pub fn delay_after(s: &LoginSettings, failures: u32) -> Duration {
    if failures < s.free_failures {
        return Duration::ZERO;
    }
    let doublings = (failures - s.free_failures).min(16);
    s.first_delay
        .saturating_mul(1u32 << doublings)
        .min(s.max_delay)
}

/// A new session: the cookie's secret and the CSRF token forms echo.
pub struct SignedIn {
    pub user: User,
    pub session: String,
    pub csrf: String,
}

/// Checks a password, waiting first if this account or client failed
/// often of late. `Ok(None)` is a refusal (wrong address or password,
/// disabled account: indistinguishably). `replaces` is the session the
/// browser held before, dropped so a planted id never becomes signed in.
pub async fn sign_in(
    app: &App,
    email: &str,
    password: &str,
    client: Option<IpAddr>,
    replaces: Option<&str>,
) -> Result<Option<SignedIn>> {
    let email = email.trim().to_lowercase();
    let account = format!("account:{email}");
    let mut keys = vec![account.clone()];
    if let Some(ip) = client {
        keys.push(format!("client:{ip}"));
    }
    let wait = app.login.delay(&app.store, &keys).await?;
    if !wait.is_zero() {
        // Logged without what was typed: a password typed into the e-mail
        // field must not end up in the log.
        tracing::warn!(client = ?client, wait_ms = wait.as_millis() as u64, "sign-in slowed after repeated failures");
        tokio::time::sleep(wait).await;
    }
    let Some(user) = app.store.authenticate(&email, password).await? else {
        app.login.failed(&app.store, &keys).await?;
        tracing::info!(client = ?client, "sign-in refused");
        return Ok(None);
    };
    app.login.succeeded(&app.store, &account).await?;
    if let Some(old) = replaces {
        app.store.delete_session(old).await?;
    }
    let (session, csrf) = app.store.create_session(user.id).await?;
    app.store.audit(Some(user.id), "login", &user.email).await?;
    Ok(Some(SignedIn {
        user,
        session,
        csrf,
    }))
}

pub async fn sign_out(app: &App, session: &str) -> Result<()> {
    Ok(app.store.delete_session(session).await?)
}

/// An account as the operator gives it: its role and, where the role needs
/// one, its scope (a region for regional coordinators; network codes for
/// supervisors and participants).
pub struct AccountInput {
    pub email: String,
    pub role: String,
    pub scope: Option<String>,
    pub password: String,
}

/// Creates an account or changes its role, scope and password.
pub async fn save_account(app: &App, actor: &Actor, a: &AccountInput) -> Result<i64> {
    allow(actor, Action::ManageAccounts, &Target::national())?;
    let email = Email::parse(&a.email).map_err(|p| invalid("email", p))?;
    let role = AccountRole::parse(&a.role).map_err(|p| invalid("role", p))?;
    check_password(&a.password).map_err(|p| invalid("password", p))?;
    let scope = a.scope.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let (region, networks) = match (role.needs_region(), scope) {
        (true, Some(s)) => (
            Some(RegionCode::parse(s).map_err(|p| invalid("scope", p))?),
            vec![],
        ),
        (true, None) => return Err(invalid("scope", trama_domain::Problem::Required)),
        (false, Some(s)) => (
            None,
            s.split(',')
                .map(|c| NetworkCode::parse(c).map(|c| c.to_string()))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|p| invalid("scope", p))?,
        ),
        (false, None) => (None, vec![]),
    };
    let mut tx = app.store.begin_write().await?;
    let id = tx
        .upsert_user(&email, role, region, &networks, Some(&a.password))
        .await?;
    tx.audit(actor.audit_id(), "user.add", email.as_str())
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// An API token for an existing account, returned once.
pub async fn create_token(
    app: &App,
    actor: &Actor,
    email: &str,
    label: &str,
) -> Result<(User, String)> {
    allow(actor, Action::ManageAccounts, &Target::national())?;
    let user = app
        .store
        .user_by_email(email)
        .await?
        .ok_or(Error::NotFound)?;
    let mut tx = app.store.begin_write().await?;
    let token = tx.create_api_token(user.id, label).await?;
    tx.audit(actor.audit_id(), "token.create", &user.email)
        .await?;
    tx.commit().await?;
    Ok((user, token))
}

/// The account a session cookie or an API token stands for, and its actor.
pub async fn by_session(app: &App, session: &str) -> Result<Option<(User, String, Actor)>> {
    match app.store.session(session).await? {
        Some(s) => {
            let actor = app.store.actor(&s.user).await?;
            Ok(Some((s.user, s.csrf_token, actor)))
        }
        None => Ok(None),
    }
}

pub async fn by_token(app: &App, token: &str) -> Result<Option<(User, Actor)>> {
    match app.store.user_by_api_token(token).await? {
        Some(u) => {
            let actor = app.store.actor(&u).await?;
            Ok(Some((u, actor)))
        }
        None => Ok(None),
    }
}

/// Remembers the language a signed-in person chose.
pub async fn set_language(app: &App, user_id: i64, tag: &str) -> Result<()> {
    Ok(app.store.set_user_lang(user_id, tag).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_the_free_failures_and_double_up_to_the_cap() {
        let s = LoginSettings::default();
        let ms = |n| delay_after(&s, n).as_millis();
        assert_eq!((ms(0), ms(4)), (0, 0));
        assert_eq!((ms(5), ms(6), ms(7)), (500, 1000, 2000));
        assert_eq!((ms(9), ms(40)), (8000, 8000));
    }

    async fn wait(t: &LoginThrottle, store: &Store, keys: &[String]) -> Duration {
        t.delay(store, keys).await.unwrap_or_else(|e| panic!("{e}"))
    }

    #[tokio::test]
    async fn failures_are_shared_through_the_database_and_a_success_clears_the_account() {
        let (store, _g) = trama_store::testing::test_store()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let settings = LoginSettings {
            free_failures: 1,
            ..Default::default()
        };
        // Two servers: each has its own throttle, both read one database.
        let (one, other) = (
            LoginThrottle::new(settings.clone()),
            LoginThrottle::new(settings),
        );
        let keys = ["account:a".to_owned(), "client:1".to_owned()];
        assert!(wait(&other, &store, &keys).await.is_zero());
        one.failed(&store, &keys)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        one.failed(&store, &keys)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !wait(&other, &store, &keys[..1]).await.is_zero(),
            "the other server slows it too"
        );
        other
            .succeeded(&store, "account:a")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            wait(&one, &store, &keys[..1]).await.is_zero(),
            "the account is free again"
        );
        assert!(
            !wait(&one, &store, &keys[1..]).await.is_zero(),
            "the client still waits"
        );
    }
}

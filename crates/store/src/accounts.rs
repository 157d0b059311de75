//! Accounts, password hashes (argon2id), browser sessions and API tokens.
//!
//! Session ids and API tokens are random 256-bit values shown once to their
//! holder; only their SHA-256 is stored, so a copy of the database grants no
//! access.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use rand::RngExt;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use trama_domain::account::AccountRole;
use trama_domain::person::Email;
use trama_domain::policy::Actor;
use trama_domain::territory::RegionCode;

use crate::db::Fetch;
use crate::registry::opt_i32;
use crate::{Store, StoreError, WriteTx, current_year, now};

/// How long a browser session lasts without being renewed by a new login.
pub const SESSION_TTL_SECS: i64 = 8 * 3600;

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: AccountRole,
    pub region: Option<RegionCode>,
    pub network_codes: Vec<String>,
    pub disabled: bool,
    pub lang: Option<String>,
}

/// A live session: who, and the CSRF token forms must echo.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: i64,
}

/// A fresh random secret, URL-safe.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

pub fn hash_password(password: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|_| StoreError::Hash)
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash no password matches, verified when the email is unknown so that
/// response times do not reveal which accounts exist.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&new_secret()).unwrap_or_default())
}

fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User, sqlx::Error> {
    let role: String = r.try_get("role")?;
    let codes: String = r.try_get("network_codes")?;
    Ok(User {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        // An account whose stored role is not one of ours is corrupt, not a
        // participant: refuse to read it rather than guess its rights.
        role: AccountRole::parse(&role).map_err(|p| sqlx::Error::Decode(Box::new(p)))?,
        region: opt_i32(r, "region_code")?.map(|c| RegionCode(c as i16)),
        network_codes: codes
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        lang: r.try_get("lang")?,
    })
}

const USER_COLUMNS: &str =
    "u.id, u.email, u.role, u.region_code, u.network_codes, u.disabled, u.lang";

/// Changes to accounts a use case makes, with its audit line, in one transaction.
impl WriteTx {
    /// Creates an account or, if the email exists, changes its role and scope.
    pub async fn upsert_user(
        &mut self,
        email: &Email,
        role: AccountRole,
        region: Option<RegionCode>,
        network_codes: &[String],
        password: Option<&str>,
    ) -> Result<i64, StoreError> {
        let hash = password.map(hash_password).transpose()?;
        let codes = network_codes.join(",");
        let row = sqlx::query(
            "INSERT INTO users (email, role, region_code, network_codes, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (email) DO UPDATE SET role = $2, region_code = $3, network_codes = $4, \
             password_hash = COALESCE($5, users.password_hash) RETURNING id",
        )
        .bind(email.as_str())
        .bind(role.as_str())
        .bind(region.map(|r| i32::from(r.0)))
        .bind(codes)
        .bind(hash)
        .bind(now())
        .fetch_one(&mut **self)
        .await?;
        Ok(row.try_get::<i64, _>(0)?)
    }

    pub async fn set_password(&mut self, user_id: i64, password: &str) -> Result<(), StoreError> {
        let hash = hash_password(password)?;
        sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(user_id)
            .bind(hash)
            .execute(&mut **self)
            .await?;
        // A new password ends every open session of the account.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut **self)
            .await?;
        Ok(())
    }

    /// Creates an API token for a user; the secret is returned once.
    pub async fn create_api_token(
        &mut self,
        user_id: i64,
        label: &str,
    ) -> Result<String, StoreError> {
        let token = format!("trama_{}", new_secret());
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4)")
            .bind(hash_secret(&token))
            .bind(user_id)
            .bind(label)
            .bind(now())
            .execute(&mut **self)
            .await?;
        Ok(token)
    }
}

impl Store {
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.email = $1"
        )))
        .bind(email.trim().to_lowercase())
        .read_optional(self.db())
        .await?;
        Ok(row.as_ref().map(user_from_row).transpose()?)
    }

    /// Checks a password; `None` for an unknown email, a wrong password or a
    /// disabled account (indistinguishably).
    pub async fn authenticate(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = $1"
        )))
        .bind(email.trim().to_lowercase())
        .read_optional(self.db())
        .await?;
        let Some(row) = row else {
            verify_password(password, decoy_hash());
            return Ok(None);
        };
        let hash: Option<String> = row.try_get("password_hash")?;
        let user = user_from_row(&row)?;
        let ok = verify_password(password, hash.as_deref().unwrap_or(decoy_hash()));
        if !ok || user.disabled || hash.is_none() {
            return Ok(None);
        }
        let id = user.id;
        self.write(async |tx| {
            sqlx::query("UPDATE users SET last_login_at = $2 WHERE id = $1")
                .bind(id)
                .bind(now())
                .execute(&mut **tx)
                .await?;
            Ok(())
        })
        .await?;
        Ok(Some(user))
    }

    /// Starts a session and returns its secret id (for the cookie). Any
    /// session id presented before login is discarded by the caller, so a
    /// planted id never becomes authenticated (rotation on login).
    pub async fn create_session(&self, user_id: i64) -> Result<(String, String), StoreError> {
        let token = new_secret();
        let csrf = new_secret();
        let t = now();
        self.write(async |tx| {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(hash_secret(&token))
            .bind(user_id)
            .bind(csrf.clone())
            .bind(t)
            .bind(t + SESSION_TTL_SECS)
            .execute(&mut **tx)
            .await?;
            // Expired sessions are swept opportunistically; no scheduler needed.
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                .bind(t)
                .execute(&mut **tx)
                .await?;
            Ok(())
        })
        .await?;
        Ok((token, csrf))
    }

    pub async fn session(&self, token: &str) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0"
        )))
        .bind(hash_secret(token))
        .bind(now())
        .read_optional(self.db())
        .await?;
        Ok(row
            .map(|r| {
                Ok::<_, sqlx::Error>(Session {
                    user: user_from_row(&r)?,
                    csrf_token: r.try_get("csrf_token")?,
                    expires_at: r.try_get("expires_at")?,
                })
            })
            .transpose()?)
    }

    pub async fn delete_session(&self, token: &str) -> Result<(), StoreError> {
        self.write(async |tx| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(hash_secret(token))
                .execute(&mut **tx)
                .await?;
            Ok(())
        })
        .await
    }

    pub async fn set_user_lang(&self, user_id: i64, lang: &str) -> Result<(), StoreError> {
        self.write(async |tx| {
            sqlx::query("UPDATE users SET lang = $2 WHERE id = $1")
                .bind(user_id)
                .bind(lang)
                .execute(&mut **tx)
                .await?;
            Ok(())
        })
        .await
    }

    pub async fn user_by_api_token(&self, token: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) \
             AND u.disabled = 0"
        )))
        .bind(hash_secret(token))
        .bind(now())
        .read_optional(self.db())
        .await?;
        Ok(row.as_ref().map(user_from_row).transpose()?)
    }

    /// The actor for the policy: a supervisor's networks are those named in
    /// the account's scope plus those the person with the same email
    /// supervises this year; a participant's, those of their schools.
    pub async fn actor(&self, user: &User) -> Result<Actor, StoreError> {
        let mut networks: Vec<i64> = vec![];
        if user.role.works_in_networks() {
            for code in &user.network_codes {
                if let Some(row) = sqlx::query("SELECT id FROM networks WHERE code = $1")
                    .bind(code.to_ascii_uppercase())
                    .read_optional(self.db())
                    .await?
                {
                    networks.push(row.try_get(0)?);
                }
            }
            let year = current_year();
            let rows = sqlx::query(
                "SELECT a.network_id AS id FROM affiliations a JOIN people p ON p.id = a.person_id \
                 WHERE p.email = $1 AND a.network_id IS NOT NULL AND a.from_year <= $2 AND (a.to_year IS NULL OR a.to_year >= $2) \
                 UNION SELECT ns.network_id AS id FROM affiliations a JOIN people p ON p.id = a.person_id \
                 JOIN network_schools ns ON ns.rbd = a.rbd \
                 WHERE p.email = $1 AND a.from_year <= $2 AND (a.to_year IS NULL OR a.to_year >= $2) \
                 AND ns.from_year <= $2 AND (ns.to_year IS NULL OR ns.to_year >= $2)",
            )
            .bind(user.email.clone())
            .bind(year)
            .read_all(self.db())
            .await?;
            for r in rows {
                networks.push(r.try_get("id")?);
            }
            networks.sort_unstable();
            networks.dedup();
        }
        Ok(Actor {
            user_id: user.id,
            role: user.role,
            region: user.region,
            networks,
        })
    }

    /// An audit line on its own, for what changes nothing else (a download).
    pub async fn audit(
        &self,
        user_id: Option<i64>,
        action: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.write(async |tx| tx.audit(user_id, action, detail).await)
            .await
    }

    /// The newest audit lines of one action, newest first: (at, user id, detail).
    pub async fn audit_entries(
        &self,
        action: &str,
        limit: i64,
    ) -> Result<Vec<(i64, Option<i64>, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, user_id, detail FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(action.to_owned())
        .bind(limit)
        .read_all(self.db())
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("at")?,
                    r.try_get("user_id")?,
                    r.try_get("detail")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM users")
            .read_one(self.db())
            .await?;
        Ok(row.try_get::<i64, _>(0)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_round_trip() {
        let h = hash_password("correct horse battery").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let a = new_secret();
        let b = new_secret();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(hash_secret(&a), hash_secret(&a));
        assert_ne!(hash_secret(&a), a);
    }
}

//! Failed sign-ins, counted in the database so every server behind the
//! load balancer slows the same guesser (a count per process would give an
//! attacker as many free tries as there are servers). Keys are hashed: the
//! address someone typed, or their client's, is never stored.

use crate::accounts::hash_secret;
use crate::db::Fetch;
use crate::sql::Sql;
use crate::{Store, StoreError};

impl Store {
    /// The most failures any of `keys` had, counting only keys whose last
    /// failure came after `since`.
    pub async fn recent_login_failures(
        &self,
        keys: &[String],
        since: i64,
    ) -> Result<u32, StoreError> {
        if keys.is_empty() {
            return Ok(0);
        }
        let hashes: Vec<String> = keys.iter().map(|k| hash_secret(k)).collect();
        let mut sql = Sql::new("SELECT MAX(failures) AS n FROM login_failures WHERE last_at > ");
        sql.bind(since).push(" AND key_hash IN ").bind_list(&hashes);
        let row = sql.query().read_one(self.db()).await?;
        let n = super::campaigns::opt_int(&row, "n")?.unwrap_or(0);
        Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
    }

    /// One more failure for each key at `t`; a key whose last failure is
    /// not after `since` starts again from one. Keys nobody failed with
    /// since then are forgotten.
    pub async fn record_login_failure(
        &self,
        keys: &[String],
        t: i64,
        since: i64,
    ) -> Result<(), StoreError> {
        self.write(async |tx| {
            for key in keys {
                sqlx::query(
                    "INSERT INTO login_failures (key_hash, failures, last_at) VALUES ($1, 1, $2) \
                     ON CONFLICT (key_hash) DO UPDATE SET last_at = $2, failures = CASE \
                     WHEN login_failures.last_at > $3 THEN login_failures.failures + 1 ELSE 1 END",
                )
                .bind(hash_secret(key))
                .bind(t)
                .bind(since)
                .execute(&mut **tx)
                .await?;
            }
            sqlx::query("DELETE FROM login_failures WHERE last_at <= $1")
                .bind(since)
                .execute(&mut **tx)
                .await?;
            Ok(())
        })
        .await
    }

    /// Forgets a key's failures (an account after its correct password).
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        self.write_one(
            sqlx::query("DELETE FROM login_failures WHERE key_hash = $1").bind(hash_secret(key)),
        )
        .await?;
        Ok(())
    }
}

//! Instruments are stored as versions: importing a form whose content
//! (fingerprint) is new adds a version; importing the same content again
//! returns the existing one. Campaigns pin a version id.

use crate::db::Fetch;
use serde::Serialize;
use trama_instrument::Instrument;

use super::{int, text};
use crate::{Store, StoreError, now};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionSummary {
    pub id: i64,
    pub code: String,
    /// 1, 2, 3… per instrument code.
    pub number: i64,
    /// The form's own version label.
    pub label: String,
    pub fingerprint: String,
    pub created_at: i64,
    pub title_es: String,
}

#[derive(Debug, Clone)]
pub struct StoredInstrument {
    pub version: VersionSummary,
    pub instrument: Instrument,
}

const SELECT_VERSION: &str = "SELECT v.id, i.code, v.number, v.label, v.fingerprint, v.created_at, v.definition \
     FROM instrument_versions v JOIN instruments i ON i.id = v.instrument_id";

fn decode(row: &sqlx::any::AnyRow) -> Result<StoredInstrument, StoreError> {
    let definition = text(row, "definition")?;
    let instrument: Instrument = serde_json::from_str(&definition)
        .map_err(|e| StoreError::Io(format!("stored instrument does not read back: {e}")))?;
    Ok(StoredInstrument {
        version: VersionSummary {
            id: int(row, "id")?,
            code: text(row, "code")?,
            number: int(row, "number")?,
            label: text(row, "label")?,
            fingerprint: text(row, "fingerprint")?,
            created_at: int(row, "created_at")?,
            title_es: instrument.title_es.clone(),
        },
        instrument,
    })
}

impl Store {
    /// Stores `instrument` under its `form_id`. Returns the version and
    /// whether it is new.
    pub async fn save_instrument(
        &self,
        instrument: &Instrument,
    ) -> Result<(VersionSummary, bool), StoreError> {
        let fingerprint = instrument.fingerprint();
        let definition = serde_json::to_string(instrument)
            .map_err(|e| StoreError::Io(format!("instrument does not serialize: {e}")))?;
        let mut tx = self.begin_write().await?;
        let now = now();
        sqlx::query("INSERT INTO instruments (code, created_at) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING")
            .bind(instrument.form_id.clone())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let id: i64 = sqlx::query("SELECT id FROM instruments WHERE code = $1")
            .bind(instrument.form_id.clone())
            .fetch_one(&mut *tx)
            .await
            .and_then(|r| int(&r, "id"))?;
        let existing = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT_VERSION} WHERE v.instrument_id = $1 AND v.fingerprint = $2"
        )))
        .bind(id)
        .bind(fingerprint.clone())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = existing {
            tx.commit().await?;
            return Ok((decode(&row)?.version, false));
        }
        let number: i64 = sqlx::query(
            "SELECT COALESCE(MAX(number), 0) + 1 AS n FROM instrument_versions WHERE instrument_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .and_then(|r| int(&r, "n"))?;
        let version_id: i64 = sqlx::query(
            "INSERT INTO instrument_versions (instrument_id, number, label, fingerprint, definition, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(number)
        .bind(instrument.version.clone())
        .bind(fingerprint.clone())
        .bind(definition)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .and_then(|r| int(&r, "id"))?;
        tx.commit().await?;
        Ok((
            VersionSummary {
                id: version_id,
                code: instrument.form_id.clone(),
                number,
                label: instrument.version.clone(),
                fingerprint,
                created_at: now,
                title_es: instrument.title_es.clone(),
            },
            true,
        ))
    }

    /// The newest version of every instrument.
    pub async fn list_instruments(&self) -> Result<Vec<VersionSummary>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT_VERSION} WHERE v.number = (SELECT MAX(w.number) FROM instrument_versions w \
             WHERE w.instrument_id = v.instrument_id) ORDER BY i.code"
        )))
        .read_all(self.db())
        .await?;
        rows.iter().map(|r| decode(r).map(|s| s.version)).collect()
    }

    /// Every version of one instrument, oldest first.
    pub async fn instrument_versions(&self, code: &str) -> Result<Vec<VersionSummary>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT_VERSION} WHERE i.code = $1 ORDER BY v.number"
        )))
        .bind(code.to_owned())
        .read_all(self.db())
        .await?;
        rows.iter().map(|r| decode(r).map(|s| s.version)).collect()
    }

    /// The newest version of `code`, or a given `number`.
    pub async fn instrument(
        &self,
        code: &str,
        number: Option<i64>,
    ) -> Result<Option<StoredInstrument>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT_VERSION} WHERE i.code = $1 AND ($2 = 0 OR v.number = $2) ORDER BY v.number DESC LIMIT 1"
        )))
        .bind(code.to_owned())
        .bind(number.unwrap_or(0))
        .read_optional(self.db())
        .await?;
        row.as_ref().map(decode).transpose()
    }

    pub async fn instrument_version(
        &self,
        id: i64,
    ) -> Result<Option<StoredInstrument>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT_VERSION} WHERE v.id = $1"
        )))
        .bind(id)
        .read_optional(self.db())
        .await?;
        row.as_ref().map(decode).transpose()
    }
}

/// An instrument version read inside a write transaction.
pub(crate) async fn version_in(
    conn: &mut sqlx::AnyConnection,
    id: i64,
) -> Result<Option<StoredInstrument>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_VERSION} WHERE v.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(decode).transpose()
}

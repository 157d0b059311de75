//! Bulk registry imports: the MINEDUC Directorio, network memberships and
//! people. Every row is parsed and checked against the registry, then all
//! are written in one transaction with their audit line, or none is and
//! every problem is reported by line and column. From the browser an import
//! is previewed (a dry run) and confirmed on the same bytes.

use std::collections::HashMap;
use std::sync::Mutex;

use trama_domain::policy::{Action, Actor, Target};
use trama_store::StoreError;
use trama_store::imports::ImportSummary;
use trama_tabular::CellError;

use crate::access::allow;
use crate::{App, Error, Result};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Schools,
    Networks,
    People,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "schools" => Some(Kind::Schools),
            "networks" => Some(Kind::Networks),
            "people" => Some(Kind::People),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Schools => "schools",
            Kind::Networks => "networks",
            Kind::People => "people",
        }
    }
}

/// An import's result: what it changed (or would), or every problem found.
pub type Outcome = std::result::Result<ImportSummary, Vec<CellError>>;

/// Parses, checks and (unless `dry_run`) writes a file.
pub async fn import(
    app: &App,
    actor: &Actor,
    kind: Kind,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<Outcome> {
    allow(actor, Action::ImportRegistry, &Target::national())?;
    let by = actor.audit_id();
    let store = &app.store;
    let result = match kind {
        Kind::Schools => match trama_import::directorio::parse(file_name, bytes) {
            Ok(rows) => store.import_directorio(&rows, dry_run, by).await,
            Err(e) => return Ok(Err(e)),
        },
        Kind::Networks => match trama_import::memberships::parse(file_name, bytes) {
            Ok(rows) => store.import_memberships(&rows, dry_run, by).await,
            Err(e) => return Ok(Err(e)),
        },
        Kind::People => match trama_import::people::parse(file_name, bytes) {
            Ok(rows) => store.import_people(&rows, dry_run, by).await,
            Err(e) => return Ok(Err(e)),
        },
    };
    match result {
        Ok(s) => Ok(Ok(s)),
        Err(StoreError::References(problems)) => Ok(Err(problems
            .into_iter()
            .map(|p| CellError {
                file: file_name.to_owned(),
                line: Some(p.line),
                column: Some(p.column.to_owned()),
                position: None,
                value: Some(p.value),
                issue: p.problem.into(),
            })
            .collect())),
        Err(e) => Err(e.into()),
    }
}

/// Uploads not confirmed within this time are forgotten.
const PENDING_TTL_SECS: i64 = 30 * 60;

/// An upload waiting for its confirmation after the preview.
struct Pending {
    user_id: i64,
    kind: Kind,
    file_name: String,
    bytes: Vec<u8>,
    created_at: i64,
}

/// Uploads previewed and not yet confirmed, by their one-time id.
#[derive(Default)]
pub struct PendingImports(Mutex<HashMap<String, Pending>>);

/// A dry run of an upload. When it found no problem, the upload is kept
/// under the returned id for [`confirm`].
pub async fn preview(
    app: &App,
    actor: &Actor,
    kind: Kind,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<(Option<String>, Outcome)> {
    let outcome = import(app, actor, kind, file_name, &bytes, true).await?;
    if outcome.is_err() {
        return Ok((None, outcome));
    }
    let id = trama_store::accounts::new_secret();
    let now = trama_store::now();
    let mut pending = app.pending_imports().0.lock().map_err(poisoned)?;
    pending.retain(|_, p| now - p.created_at < PENDING_TTL_SECS);
    pending.insert(
        id.clone(),
        Pending {
            user_id: actor.user_id,
            kind,
            file_name: file_name.to_owned(),
            bytes,
            created_at: now,
        },
    );
    Ok((Some(id), outcome))
}

/// Runs a previewed upload for real; only its uploader may confirm it.
pub async fn confirm(app: &App, actor: &Actor, id: &str) -> Result<(Kind, Outcome)> {
    allow(actor, Action::ImportRegistry, &Target::national())?;
    let pending = {
        let mut map = app.pending_imports().0.lock().map_err(poisoned)?;
        match map.get(id) {
            Some(p) if p.user_id == actor.user_id => map.remove(id),
            _ => None,
        }
    }
    .ok_or(Error::NotFound)?;
    let outcome = import(
        app,
        actor,
        pending.kind,
        &pending.file_name,
        &pending.bytes,
        false,
    )
    .await?;
    Ok((pending.kind, outcome))
}

fn poisoned<T>(_: T) -> Error {
    Error::Internal("pending imports lock poisoned".into())
}

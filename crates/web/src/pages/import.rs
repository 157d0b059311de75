//! Registry imports from the browser: upload → preview (a dry run listing
//! every problem by line and column) → confirm. The confirmed import re-runs
//! on the same bytes, in one transaction.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use trama_domain::policy::{Action, Target};
use trama_store::StoreError;
use trama_store::imports::ImportSummary;

use super::{Chrome, render};
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::state::{AppState, PendingImport};

/// Uploads not confirmed within this time are forgotten.
const PENDING_TTL_SECS: i64 = 30 * 60;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
}

pub async fn form(ctx: Ctx) -> Result<Response, AppError> {
    ctx.allow(Action::ImportRegistry, &Target::global())?;
    render(&ImportPage {
        c: Chrome::new(&ctx, "import"),
    })
}

#[derive(Template)]
#[template(path = "import_preview.html")]
struct PreviewPage {
    c: Chrome,
    id: String,
    file_name: String,
    kind_label: String,
    errors_title: String,
    errors: Vec<String>,
    summary: String,
}

#[derive(Template)]
#[template(path = "import_done.html")]
struct DonePage {
    c: Chrome,
    summary: String,
}

/// Runs an import of `kind` (dry or for real); `Err` holds the rendered problems.
pub async fn run_import(
    state: &AppState,
    lang: trama_i18n::Lang,
    kind: &str,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<Result<ImportSummary, Vec<String>>, AppError> {
    let render_cells = |errs: Vec<trama_tabular::CellError>| {
        errs.iter().map(|e| e.render(lang)).collect::<Vec<_>>()
    };
    let result = match kind {
        "schools" => match trama_import::directorio::parse(file_name, bytes) {
            Ok(rows) => state.store.import_directorio(&rows, dry_run).await,
            Err(e) => return Ok(Err(render_cells(e))),
        },
        "networks" => match trama_import::memberships::parse(file_name, bytes) {
            Ok(rows) => state.store.import_memberships(&rows, dry_run).await,
            Err(e) => return Ok(Err(render_cells(e))),
        },
        "people" => match trama_import::people::parse(file_name, bytes) {
            Ok(rows) => state.store.import_people(&rows, dry_run).await,
            Err(e) => return Ok(Err(render_cells(e))),
        },
        _ => return Err(AppError::BadRequest),
    };
    match result {
        Ok(s) => Ok(Ok(s)),
        Err(StoreError::References(problems)) => Ok(Err(problems
            .iter()
            .map(|p| {
                trama_tabular::CellError {
                    file: file_name.to_owned(),
                    line: Some(p.line),
                    column: Some(p.column.to_owned()),
                    value: Some(p.value.clone()),
                    issue: p.problem.clone().into(),
                }
                .render(lang)
            })
            .collect())),
        Err(e) => Err(e.into()),
    }
}

pub fn summary_text(lang: trama_i18n::Lang, s: &ImportSummary) -> String {
    trama_i18n::t!(
        lang,
        "import-summary",
        inserted = s.inserted,
        updated = s.updated,
        unchanged = s.unchanged
    )
}

pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let actor = ctx.allow(Action::ImportRegistry, &Target::global())?;
    let (mut csrf, mut kind, mut file_name, mut bytes) =
        (String::new(), String::new(), String::new(), Vec::new());
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest)?
    {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(|_| AppError::BadRequest)?,
            Some("kind") => kind = field.text().await.map_err(|_| AppError::BadRequest)?,
            Some("file") => {
                file_name = field.file_name().unwrap_or("archivo.csv").to_owned();
                bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest)?
                    .to_vec();
            }
            _ => {}
        }
    }
    ctx.verify_csrf(&csrf)?;
    let outcome = run_import(&state, ctx.lang, &kind, &file_name, &bytes, true).await?;
    let id = trama_store::accounts::new_secret();
    let (errors, summary) = match outcome {
        Ok(s) => {
            let now = trama_store::now();
            let mut pending = state
                .pending_imports
                .lock()
                .map_err(|_| AppError::Internal("lock".into()))?;
            pending.retain(|_, p| now - p.created_at < PENDING_TTL_SECS);
            pending.insert(
                id.clone(),
                PendingImport {
                    user_id: actor.user_id,
                    kind: kind.clone(),
                    file_name: file_name.clone(),
                    bytes,
                    created_at: now,
                },
            );
            (vec![], summary_text(ctx.lang, &s))
        }
        Err(e) => (e, String::new()),
    };
    let mut res = render(&PreviewPage {
        c: Chrome::new(&ctx, "import"),
        id,
        kind_label: ctx.t(&format!("import-kind-{kind}")),
        errors_title: trama_i18n::t!(ctx.lang, "import-errors-title", count = errors.len()),
        file_name,
        summary,
        errors: errors.clone(),
    })?;
    if !errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(serde::Deserialize)]
pub struct Empty {}

pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let actor = ctx.allow(Action::ImportRegistry, &Target::global())?;
    let pending = {
        let mut map = state
            .pending_imports
            .lock()
            .map_err(|_| AppError::Internal("lock".into()))?;
        match map.get(&id) {
            Some(p) if p.user_id == actor.user_id => map.remove(&id),
            _ => None,
        }
    }
    .ok_or(AppError::NotFound)?;
    match run_import(
        &state,
        ctx.lang,
        &pending.kind,
        &pending.file_name,
        &pending.bytes,
        false,
    )
    .await?
    {
        Ok(s) => {
            state
                .store
                .audit(
                    Some(actor.user_id),
                    &format!("import.{}.web", pending.kind),
                    &pending.file_name,
                )
                .await?;
            render(&DonePage {
                c: Chrome::new(&ctx, "import"),
                summary: summary_text(ctx.lang, &s),
            })
        }
        // The registry changed between preview and confirmation.
        Err(_) => Err(AppError::Invalid(vec![])),
    }
}

//! Registry imports from the browser: upload → preview (a dry run listing
//! every problem by line and column) → confirm. The confirmed import re-runs
//! on the same bytes, in one transaction.

use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, State};
use axum::response::Response;
use trama_app::registry::imports;
use trama_domain::policy::{self, Action};
use trama_store::imports::ImportSummary;

use super::{Chrome, render};
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
}

pub async fn form(ctx: Ctx) -> Result<Response, AppError> {
    if !policy::allows_somewhere(ctx.actor()?, Action::ImportRegistry) {
        return Err(AppError::Forbidden);
    }
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

/// The problems as the terminal shows them: the first hundred, then the
/// count of the rest (`trama_tabular::report`).
fn rendered(lang: trama_i18n::Lang, errors: &[trama_tabular::CellError]) -> Vec<String> {
    trama_tabular::report::lines(errors, lang)
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
    request: axum::extract::Request,
) -> Result<Response, AppError> {
    // Refused before the upload is read.
    if !policy::allows_somewhere(ctx.actor()?, Action::ImportRegistry) {
        return Err(AppError::Forbidden);
    }
    let mut multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|_| AppError::BadRequest)?;
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
    let kind = imports::Kind::parse(&kind).ok_or(AppError::BadRequest)?;
    let (id, outcome) = imports::preview(&state.app, ctx.actor()?, kind, &file_name, bytes).await?;
    let (errors, total, summary) = match outcome {
        Ok(s) => (vec![], 0, summary_text(ctx.lang, &s)),
        Err(e) => (
            rendered(ctx.lang, &e),
            trama_tabular::report::total(&e),
            String::new(),
        ),
    };
    let kind = kind.as_str();
    let mut res = render(&PreviewPage {
        c: Chrome::new(&ctx, "import"),
        id: id.unwrap_or_default(),
        kind_label: ctx.t(&format!("import-kind-{kind}")),
        errors_title: trama_i18n::t!(
            ctx.lang,
            "import-errors-title",
            count = total,
            shown = trama_i18n::number::integer(total, ctx.lang)
        ),
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
    let (_, outcome) = imports::confirm(&state.app, ctx.actor()?, &id).await?;
    match outcome {
        Ok(s) => render(&DonePage {
            c: Chrome::new(&ctx, "import"),
            summary: summary_text(ctx.lang, &s),
        }),
        // The registry changed between preview and confirmation.
        Err(_) => Err(AppError::Invalid(vec![])),
    }
}

//! The coding forms on a list: a theme assigned to or removed from an answer.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trama_app::open_answers::coding::{self, Coding};

use super::list_url;
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::pages::safe_next;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct CodingForm {
    #[serde(default)]
    response: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    back: String,
}

impl CodingForm {
    fn coding(&self) -> Result<Coding, AppError> {
        Ok(Coding {
            key: self.response.trim().to_owned(),
            theme: self
                .theme
                .trim()
                .parse()
                .map_err(|_| AppError::BadRequest)?,
        })
    }
}

/// Back to the list the form was on, or to the question's list.
fn back_to(code: &str, item: &str, back: &str) -> Response {
    let base = list_url(code, item);
    let next = safe_next(back);
    let target = if next == base || next.starts_with(&format!("{base}?")) {
        next
    } else {
        base
    };
    Redirect::to(&target).into_response()
}

pub async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<CodingForm>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    coding::assign(&state.app, actor, &code, &item, &f.coding()?).await?;
    Ok(back_to(&code, &item, &f.back))
}

pub async fn unassign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<CodingForm>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    coding::unassign(&state.app, actor, &code, &item, &f.coding()?).await?;
    Ok(back_to(&code, &item, &f.back))
}

//! The codebook's forms: a theme created, edited, deleted.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trama_app::open_answers::codebook;
use trama_store::campaigns::open_answers::ThemeInput;

use super::list_url;
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::pages::forms::{Field, form_page};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct ThemeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    label_es: String,
    #[serde(default)]
    label_en: String,
    #[serde(default)]
    description: String,
}

impl ThemeForm {
    fn input(&self) -> ThemeInput {
        ThemeInput {
            code: self.code.clone(),
            label_es: self.label_es.clone(),
            label_en: self.label_en.clone(),
            description: Some(self.description.clone()),
        }
    }

    fn fields(&self, ctx: &Ctx) -> Vec<Field> {
        vec![
            Field::text(ctx, "code", "open-theme-code", self.code.clone(), true),
            Field::text(
                ctx,
                "label_es",
                "open-theme-label-es",
                self.label_es.clone(),
                true,
            ),
            Field::text(
                ctx,
                "label_en",
                "open-theme-label-en",
                self.label_en.clone(),
                true,
            ),
            Field::text(
                ctx,
                "description",
                "open-theme-description",
                self.description.clone(),
                false,
            ),
        ]
    }
}

/// After saving: the codebook, or the form again with its problems.
fn saved(
    ctx: &Ctx,
    result: trama_app::Result<()>,
    (title, action): (&str, String),
    base: String,
    f: &ThemeForm,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{base}#codebook")).into_response()),
        Err(trama_app::Error::Invalid(p)) => form_page(
            ctx,
            "campaigns",
            ctx.t(title),
            action,
            base,
            f.fields(ctx),
            &p,
        ),
        Err(e) => Err(e.into()),
    }
}

pub async fn create_theme(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<ThemeForm>,
) -> Result<Response, AppError> {
    let result = codebook::create(&state.app, ctx.actor()?, &code, &item, &f.input()).await;
    let base = list_url(&code, &item);
    let action = format!("{base}/themes");
    saved(
        &ctx,
        result.map(|_| ()),
        ("open-theme-new", action),
        base,
        &f,
    )
}

pub async fn edit_theme(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item, id)): Path<(String, String, i64)>,
) -> Result<Response, AppError> {
    let t = codebook::theme(&state.app, ctx.actor()?, &code, &item, id).await?;
    let base = list_url(&code, &item);
    let f = ThemeForm {
        code: t.code,
        label_es: t.label_es,
        label_en: t.label_en,
        description: t.description.unwrap_or_default(),
    };
    form_page(
        &ctx,
        "campaigns",
        ctx.t("open-theme-edit"),
        format!("{base}/themes/{id}"),
        base,
        f.fields(&ctx),
        &[],
    )
}

pub async fn update_theme(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item, id)): Path<(String, String, i64)>,
    CsrfForm(f): CsrfForm<ThemeForm>,
) -> Result<Response, AppError> {
    let result = codebook::update(&state.app, ctx.actor()?, &code, &item, id, &f.input()).await;
    let base = list_url(&code, &item);
    let action = format!("{base}/themes/{id}");
    saved(&ctx, result, ("open-theme-edit", action), base, &f)
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn delete_theme(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item, id)): Path<(String, String, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    codebook::delete(&state.app, ctx.actor()?, &code, &item, id).await?;
    Ok(Redirect::to(&format!("{}#codebook", list_url(&code, &item))).into_response())
}

//! One template serves every create/edit form: a list of fields, each with
//! its label, value and, after a refused submit, its error next to it.

use askama::Template;
use axum::response::Response;
use trama_domain::problem::FieldProblem;

use super::{Chrome, render};
use crate::ctx::Ctx;
use crate::error::AppError;

pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub kind: &'static str,
    pub value: String,
    pub required: bool,
    pub options: Vec<(String, String)>,
    /// For a list of codes typed in the field: what a picker offers beside
    /// it, as (code, label, group) — searched and ticked in the page.
    pub picks: Vec<(String, String, String)>,
    pub error: Option<String>,
}

impl Field {
    pub fn text(
        ctx: &Ctx,
        name: &'static str,
        label_id: &str,
        value: impl Into<String>,
        required: bool,
    ) -> Self {
        Field {
            name,
            label: ctx.t(label_id),
            kind: "text",
            value: value.into(),
            required,
            options: vec![],
            picks: vec![],
            error: None,
        }
    }

    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    pub fn options(mut self, options: Vec<(String, String)>) -> Self {
        self.options = options;
        self
    }

    pub fn picks(mut self, picks: Vec<(String, String, String)>) -> Self {
        self.picks = picks;
        self
    }
}

#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    pub c: Chrome,
    pub title: String,
    pub action: String,
    pub cancel: String,
    pub fields: Vec<Field>,
    pub errors: Vec<(String, String)>,
}

/// Renders the form; with problems, marks each field and lists them on top
/// (status 422, so scripts and tests can tell a refusal from a page).
pub fn form_page(
    ctx: &Ctx,
    section: &'static str,
    title: String,
    action: String,
    cancel: String,
    mut fields: Vec<Field>,
    problems: &[FieldProblem],
) -> Result<Response, AppError> {
    let mut errors = vec![];
    for p in problems {
        let msg = p.problem.render(ctx.lang);
        let target = fields.iter_mut().find(|f| f.name == p.field);
        let label = target
            .as_ref()
            .map(|f| f.label.clone())
            .unwrap_or_else(|| p.field.clone());
        if let Some(f) = target {
            f.error = Some(msg.clone());
        }
        errors.push((p.field.clone(), format!("{label}: {msg}")));
    }
    let mut res = render(&FormPage {
        c: Chrome::new(ctx, section),
        title,
        action,
        cancel,
        fields,
        errors,
    })?;
    if !problems.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// After a use case refused a form: the form again with each problem at its
/// field, or, for any other refusal, the error as it is.
pub fn refused(
    e: trama_app::Error,
    show: impl FnOnce(Vec<FieldProblem>) -> Result<Response, AppError>,
) -> Result<Response, AppError> {
    match e {
        trama_app::Error::Invalid(p) => show(p),
        e => Err(e.into()),
    }
}

//! Answering a questionnaire through a personal link (no account): the
//! pages as HTML over `trama_app::answering`.
//!
//! One page per top-level group of the instrument (for the RME form: one
//! sub-dimension per page), plain HTML forms that work without JavaScript.
//! Every POST saves what is valid before anything else happens, so leaving
//! mid-way, a dropped connection after the save, a double submit or a second
//! tab loses nothing. The link itself is the credential: it is long, random
//! and stored hashed, so answer forms carry no CSRF token of their own.

mod roster;

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use trama_app::answering::{self, Answering, Closed};
use trama_i18n::Lang;
use trama_instrument::{Instrument, Item, ItemKind, Page};

use roster::{RosterView, roster_views};

use super::{Chrome, render};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

/// One answer option as the template draws it.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One question as the template draws it.
pub struct Question {
    pub name: String,
    pub kind: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub required: bool,
    pub value: String,
    pub choices: Vec<Choice>,
    pub error: Option<String>,
    /// Shown only when an earlier answer on this page asks for it.
    pub conditional: bool,
    /// The people to rate, for a roster question.
    pub roster: Option<RosterView>,
}

#[derive(Template)]
#[template(path = "answer_page.html")]
struct AnswerPage {
    c: Chrome,
    token: String,
    title: String,
    campaign: String,
    network: String,
    page: usize,
    pages: usize,
    percent: usize,
    page_title: String,
    questions: Vec<Question>,
    scale: Vec<String>,
    has_rating: bool,
    has_roster: bool,
    saved: bool,
    /// Back through the link with answers already saved.
    resumed: bool,
    errors_title: String,
    errors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "answer_review.html")]
struct ReviewPage {
    c: Chrome,
    token: String,
    title: String,
    sections: Vec<ReviewSection>,
    missing: Vec<(usize, String)>,
    answered: u32,
    rating_total: usize,
    /// What is missing for the response to count, in words.
    not_counting: String,
    /// Whether a submission now would count in the results.
    counts: bool,
    complete: bool,
    /// Page (1-based), its title, how many statements are unanswered there.
    unanswered: Vec<(usize, String, String)>,
    /// Set when a submission that would not count came without the
    /// person's confirmation.
    confirm_needed: bool,
}

pub struct ReviewSection {
    pub page: usize,
    pub title: String,
    pub rows: Vec<(String, String)>,
    /// Opened in the review when something on it is still unanswered.
    pub open: bool,
}

#[derive(Template)]
#[template(path = "answer_status.html")]
struct StatusPage {
    c: Chrome,
    title: String,
    message: String,
}

#[derive(Template)]
#[template(path = "answer_opt_out.html")]
struct OptOutPage {
    c: Chrome,
    token: String,
    done: bool,
}

fn status_page(
    ctx: &Ctx,
    status: StatusCode,
    title: &str,
    message: &str,
) -> Result<Response, AppError> {
    let page = render(&StatusPage {
        c: Chrome::new(ctx, "answer"),
        title: ctx.t(title),
        message: ctx.t(message),
    })?;
    Ok((status, page).into_response())
}

/// The page that says why a link cannot be answered.
fn closed_page(ctx: &Ctx, why: Closed) -> Result<Response, AppError> {
    let (status, title, message) = match why {
        Closed::Unknown => (
            StatusCode::NOT_FOUND,
            "answer-unknown-title",
            "answer-unknown",
        ),
        Closed::Revoked => (StatusCode::GONE, "answer-revoked-title", "answer-revoked"),
        Closed::Done => (StatusCode::OK, "answer-done-title", "answer-done"),
        Closed::NotYetOpen => (
            StatusCode::FORBIDDEN,
            "answer-not-open-title",
            "answer-not-open",
        ),
        Closed::Over => (StatusCode::GONE, "answer-closed-title", "answer-closed"),
    };
    status_page(ctx, status, title, message)
}

/// The questionnaire behind a link that can be answered; otherwise returns
/// the page that says why (unknown, cancelled, closed, already submitted —
/// which is also where a second submit from another tab lands).
macro_rules! answerable {
    ($state:expr, $ctx:expr, $token:expr) => {
        match answering::open(&$state.app, $token).await? {
            Ok(a) => a,
            Err(why) => return closed_page($ctx, why),
        }
    };
}

fn scale_labels(instrument: &Instrument, lang: Lang) -> Vec<String> {
    trama_instrument::ACUERDO5_VALUES
        .iter()
        .map(|v| instrument.scale_label(v, lang))
        .collect()
}

fn question(
    instrument: &Instrument,
    page: &Page<'_>,
    item: &Item,
    answers: &BTreeMap<String, String>,
    lang: Lang,
) -> Option<Question> {
    let on_page = |name: &str| page.items.iter().any(|i| i.name == name);
    let depends_on_page = item
        .relevant
        .as_ref()
        .is_some_and(|r| r.references().iter().any(|n| on_page(n)));
    if !depends_on_page && !instrument.is_relevant(item, answers) {
        return None;
    }
    let value = answers.get(&item.name).cloned().unwrap_or_default();
    let kind = match &item.kind {
        ItemKind::Note => "note",
        ItemKind::Rating => "rating",
        ItemKind::SelectOne { .. } => "one",
        ItemKind::SelectMultiple { .. } => "many",
        ItemKind::Integer => "integer",
        ItemKind::Decimal => "decimal",
        ItemKind::Text => "text",
        ItemKind::Roster => "roster",
        ItemKind::BeginGroup | ItemKind::EndGroup => return None,
    };
    let selected: Vec<&str> = value.split_whitespace().collect();
    let choices = instrument
        .choices_for(item)
        .map(|list| {
            list.choices
                .iter()
                .map(|c| Choice {
                    value: c.name.clone(),
                    label: c.label(lang).to_owned(),
                    checked: selected.contains(&c.name.as_str()),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Question {
        name: item.name.clone(),
        kind,
        label: item.label(lang).to_owned(),
        hint: item.hint(lang).map(str::to_owned),
        required: item.required,
        value,
        choices,
        error: None,
        conditional: depends_on_page && item.relevant.is_some(),
        roster: None,
    })
}

/// What the page says about saving: just saved, or back with answers kept.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SaveNote {
    None,
    Saved,
    Resumed,
    /// Kept on the page only because required questions are empty.
    Required,
}

#[allow(clippy::too_many_arguments)]
fn page_view(
    ctx: &Ctx,
    token: &str,
    a: &Answering,
    index: usize,
    answers: &BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    note: SaveNote,
    mut rosters: BTreeMap<String, RosterView>,
) -> Result<Response, AppError> {
    let instrument = &a.instrument;
    let pages = instrument.pages();
    let page = pages.get(index).ok_or(AppError::NotFound)?;
    let mut questions: Vec<Question> = page
        .items
        .iter()
        .filter_map(|i| question(instrument, page, i, answers, ctx.lang))
        .collect();
    for q in &mut questions {
        q.error = errors.get(&q.name).cloned();
        q.roster = rosters.remove(&q.name);
    }
    let error_list = questions
        .iter()
        .filter_map(|q| {
            q.error
                .as_ref()
                .map(|e| (q.name.clone(), format!("{}: {e}", q.label)))
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = render(&AnswerPage {
        c: Chrome::new(ctx, "answer"),
        token: token.to_owned(),
        title: instrument.title(ctx.lang).to_owned(),
        campaign: a.who.campaign.name.clone(),
        network: a.who.network_name.clone(),
        page: index + 1,
        pages: pages.len(),
        percent: (index * 100) / pages.len().max(1),
        page_title: page.label(ctx.lang).unwrap_or_default().to_owned(),
        has_rating: questions.iter().any(|q| q.kind == "rating"),
        has_roster: questions.iter().any(|q| q.roster.is_some()),
        questions,
        scale: scale_labels(instrument, ctx.lang),
        saved: note == SaveNote::Saved,
        resumed: note == SaveNote::Resumed,
        errors_title: ctx.t(if note == SaveNote::Required {
            "answer-required-title"
        } else {
            "answer-errors-title"
        }),
        errors: error_list,
    })?;
    Ok((status, html).into_response())
}

/// The link itself: resume where the person stopped.
pub async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let a = answerable!(&state, &ctx, &token);
    // Someone coming back is told their answers are there.
    let back = if a.who.response_id.is_some() {
        "?back=1"
    } else {
        ""
    };
    Ok(match a.resume_page() {
        None => Redirect::to(&format!("/r/{token}/review")),
        Some(page) => Redirect::to(&format!("/r/{token}/p/{}{back}", page + 1)),
    }
    .into_response())
}

#[derive(serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    back: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((token, page)): Path<(String, usize)>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let a = answerable!(&state, &ctx, &token);
    let answers = a.answers(&state.app).await?;
    let index = page.checked_sub(1).ok_or(AppError::NotFound)?;
    let pages = a.instrument.pages();
    let current = pages.get(index).ok_or(AppError::NotFound)?;
    let rosters = roster_views(&state, &ctx, &a, current).await?;
    page_view(
        &ctx,
        &token,
        &a,
        index,
        &answers,
        BTreeMap::new(),
        if q.back.is_some() && a.who.response_id.is_some() {
            SaveNote::Resumed
        } else {
            SaveNote::None
        },
        rosters,
    )
}

/// Saves a page, then moves as the pressed button says: `next`, `prev`, or
/// `stay` (save and keep the page; leaving is then safe). The language
/// switch of an answer page posts the form too (`_lang`): the page is saved,
/// then shown again in the other language.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Path((token, page)): Path<(String, usize)>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let a = answerable!(&state, &ctx, &token);
    let mut posted: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
    let index = page.checked_sub(1).ok_or(AppError::NotFound)?;
    let switch_to = posted
        .iter()
        .find(|(k, _)| k == "_lang")
        .and_then(|(_, v)| Lang::from_tag(v));
    if switch_to.is_some() {
        posted.retain(|(k, _)| k != "_nav");
        posted.push(("_nav".to_owned(), "stay".to_owned()));
    }
    let saved = answering::save_page(&state.app, &a, index, &posted).await?;
    state.metrics.page_saved();
    if let Some(lang) = switch_to {
        return Ok((
            jar.add(super::auth::lang_cookie(&state, lang)),
            Redirect::to(&format!("/r/{token}/p/{page}")),
        )
            .into_response());
    }
    let pages = a.instrument.pages();
    let current = pages.get(index).ok_or(AppError::NotFound)?;
    // Errors keep the person on the page; "save and stay" shows it saved.
    if !saved.errors.is_empty() || saved.nav == answering::Nav::Stay {
        let errors: BTreeMap<String, String> = saved
            .errors
            .iter()
            .map(|(k, p)| (k.clone(), p.render(ctx.lang)))
            .collect();
        let rosters = roster_views(&state, &ctx, &a, current).await?;
        let only_required = saved
            .errors
            .values()
            .all(|p| matches!(p, trama_instrument::AnswerProblem::Required));
        let note = match (errors.is_empty(), only_required) {
            (true, _) => SaveNote::Saved,
            (false, true) => SaveNote::Required,
            (false, false) => SaveNote::None,
        };
        return page_view(
            &ctx,
            &token,
            &a,
            index,
            &saved.answers,
            errors,
            note,
            rosters,
        );
    }
    if saved.next >= pages.len() {
        return Ok(Redirect::to(&format!("/r/{token}/review")).into_response());
    }
    Ok(Redirect::to(&format!("/r/{token}/p/{}", saved.next + 1)).into_response())
}

fn display_value(instrument: &Instrument, item: &Item, value: &str, lang: Lang) -> String {
    match instrument.choices_for(item) {
        Some(list) => value
            .split_whitespace()
            .map(|v| {
                list.choice(v)
                    .map(|c| c.label(lang).to_owned())
                    .unwrap_or_else(|| v.to_owned())
            })
            .collect::<Vec<_>>()
            .join(", "),
        None => value.to_owned(),
    }
}

fn review_page(
    ctx: &Ctx,
    token: &str,
    a: &Answering,
    r: &answering::Review,
    confirm_needed: bool,
) -> ReviewPage {
    let instrument = &a.instrument;
    let mut sections = vec![];
    let mut missing = vec![];
    for (p, page) in instrument.pages().iter().enumerate() {
        let mut rows = vec![];
        for item in page
            .items
            .iter()
            .filter(|i| i.is_question() && instrument.is_relevant(i, &r.answers))
        {
            let v = r.answers.get(&item.name).map(String::as_str).unwrap_or("");
            let shown = if v.is_empty() {
                ctx.t("answer-unanswered")
            } else {
                display_value(instrument, item, v, ctx.lang)
            };
            rows.push((item.label(ctx.lang).to_owned(), shown));
            if r.missing.contains(&item.name) {
                missing.push((p + 1, item.label(ctx.lang).to_owned()));
            }
        }
        for item in page.items.iter().filter(|i| i.kind == ItemKind::Roster) {
            let rated = r.rated.get(&item.name).copied().unwrap_or(0);
            rows.push((
                item.label(ctx.lang).to_owned(),
                trama_i18n::t!(ctx.lang, "answer-roster-rated", count = rated as i64),
            ));
        }
        sections.push(ReviewSection {
            page: p + 1,
            title: page.label(ctx.lang).unwrap_or_default().to_owned(),
            open: r.unanswered.iter().any(|(u, _)| *u == p)
                || missing.iter().any(|(m, _)| *m == p + 1),
            rows,
        });
    }
    let unanswered = r
        .unanswered
        .iter()
        .map(|(p, n)| {
            let title = sections
                .get(*p)
                .map(|s| s.title.clone())
                .unwrap_or_default();
            let left = trama_i18n::t!(ctx.lang, "answer-unanswered-count", count = i64::from(*n));
            (p + 1, title, left)
        })
        .collect();
    ReviewPage {
        c: Chrome::new(ctx, "answer"),
        token: token.to_owned(),
        title: instrument.title(ctx.lang).to_owned(),
        sections,
        missing,
        answered: r.rating_answered,
        rating_total: r.rating_total,
        not_counting: trama_i18n::t!(
            ctx.lang,
            "answer-not-counting",
            needed = i64::from(r.rating_needed),
            total = r.rating_total as i64,
            left = i64::from(r.rating_needed.saturating_sub(r.rating_answered))
        ),
        counts: r.counts(),
        complete: r.complete,
        unanswered,
        confirm_needed,
    }
}

pub async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let a = answerable!(&state, &ctx, &token);
    let r = answering::review(&state.app, &a).await?;
    render(&review_page(&ctx, &token, &a, &r, false))
}

/// The confirmation a person gives to send a questionnaire that will not
/// count in the results.
const CONFIRM_NOT_COUNTING: &str = "not-counting";

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let a = answerable!(&state, &ctx, &token);
    let posted: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
    let confirmed = posted
        .iter()
        .any(|(k, v)| k == "confirm" && v == CONFIRM_NOT_COUNTING);
    let (review, confirm_needed) = match answering::submit(&state.app, &a, confirmed).await? {
        Ok(()) => {
            state.metrics.response_submitted();
            return Ok(Redirect::to(&format!("/r/{token}")).into_response());
        }
        Err(answering::NotSent::Incomplete(r)) => (r, false),
        Err(answering::NotSent::WouldNotCount(r)) => (r, true),
    };
    let html = render(&review_page(&ctx, &token, &a, &review, confirm_needed))?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

pub async fn opt_out_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if !answering::opt_out_link(&state.app, &token).await? {
        return status_page(
            &ctx,
            StatusCode::NOT_FOUND,
            "answer-unknown-title",
            "answer-unknown",
        );
    }
    render(&OptOutPage {
        c: Chrome::new(&ctx, "answer"),
        token,
        done: false,
    })
}

pub async fn opt_out(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if !answering::opt_out(&state.app, &token).await? {
        return closed_page(&ctx, Closed::Unknown);
    }
    render(&OptOutPage {
        c: Chrome::new(&ctx, "answer"),
        token,
        done: true,
    })
}

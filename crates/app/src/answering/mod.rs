//! Answering a questionnaire through a personal link, without an account.
//!
//! The link is the credential: long, random, stored hashed. Every page save
//! writes what is valid before anything else happens, in one transaction,
//! so leaving mid-way, a double submit or a second tab loses nothing. The
//! roster question's rows must name people of the respondent's own network.

pub mod roster;

use std::collections::BTreeMap;
use std::sync::Arc;

use trama_campaign::roster::TieAnswer;
use trama_campaign::{check_page, rating_answered};
use trama_instrument::AnswerProblem;
use trama_instrument::Instrument;
use trama_store::campaigns::answering::{LinkState, Respondent};
use trama_store::campaigns::invitations::LinkPurpose;

use crate::{App, Error, Result};

/// Why a link cannot be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// Never issued, or revoked with its invitation.
    Unknown,
    /// The invitation was taken off the list.
    Revoked,
    /// Already submitted (also where a second submit lands).
    Done,
    /// The campaign has not opened yet.
    NotYetOpen,
    /// The campaign has closed.
    Over,
}

/// A link that can be answered: the respondent (no identity) and their
/// questionnaire.
pub struct Answering {
    pub who: Respondent,
    pub instrument: Arc<Instrument>,
}

/// The respondent behind a link, or why the link cannot be answered.
pub async fn open(app: &App, token: &str) -> Result<std::result::Result<Answering, Closed>> {
    Ok(match app.store.open_link(token).await? {
        LinkState::Active(who) => {
            let instrument = app.instrument(who.campaign.instrument_version_id).await?;
            Ok(Answering {
                who: *who,
                instrument,
            })
        }
        LinkState::Unknown => Err(Closed::Unknown),
        LinkState::Revoked => Err(Closed::Revoked),
        LinkState::Completed(_) => Err(Closed::Done),
        LinkState::NotOpen(c) if c.opened_at.is_none() => Err(Closed::NotYetOpen),
        LinkState::NotOpen(_) => Err(Closed::Over),
    })
}

impl Answering {
    /// The answers saved so far.
    pub async fn answers(&self, app: &App) -> Result<BTreeMap<String, String>> {
        Ok(match &self.who.response_id {
            Some(id) => app.store.answers(id).await?,
            None => BTreeMap::new(),
        })
    }

    /// The page (0-based) where the person stopped, or `None` when every
    /// page is behind them and the review is next.
    pub fn resume_page(&self) -> Option<usize> {
        let last = self.instrument.pages().len();
        let resume = usize::try_from(self.who.page).unwrap_or(0);
        if self.who.response_id.is_some() && resume >= last {
            None
        } else {
            Some(resume.min(last.saturating_sub(1)))
        }
    }
}

/// Where the respondent asked to go after saving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Next,
    Prev,
    /// Save and stay (leaving is then safe).
    Stay,
}

impl Nav {
    pub fn parse(s: Option<&str>) -> Nav {
        match s {
            Some("prev") => Nav::Prev,
            Some("stay") => Nav::Stay,
            _ => Nav::Next,
        }
    }
}

/// What saving a page did.
pub struct Saved {
    /// The answers as they now stand (saved and kept).
    pub answers: BTreeMap<String, String>,
    /// Items whose posted value was refused, with why (the stored answer is kept).
    pub errors: BTreeMap<String, AnswerProblem>,
    /// The page to show next (0-based; `pages()` = the review).
    pub next: usize,
    /// What the respondent pressed.
    pub nav: Nav,
}

/// Saves what is valid on page `index` (0-based), then says where to go:
/// forward only when the page has no errors, back or stay as asked.
pub async fn save_page(
    app: &App,
    a: &Answering,
    index: usize,
    posted: &[(String, String)],
) -> Result<Saved> {
    let pages = a.instrument.pages();
    let current = pages.get(index).ok_or(Error::NotFound)?;
    let stored = a.answers(app).await?;
    let result = check_page(&a.instrument, current, posted, &stored);
    let nav = Nav::parse(
        posted
            .iter()
            .find(|(k, _)| k == "_nav")
            .map(|(_, v)| v.as_str()),
    );
    let next = match nav {
        Nav::Prev => index.saturating_sub(1),
        Nav::Stay => index,
        Nav::Next if result.errors.is_empty() && result.missing.is_empty() => index + 1,
        Nav::Next => index,
    };
    let ties = roster::posted(app, &a.who, current, posted).await?;
    let mut answers = stored;
    if !result.accepted.is_empty() || !ties.is_empty() || a.who.response_id.is_none() {
        app.store
            .save_page_with_roster(
                &a.who,
                &a.instrument,
                &result.accepted,
                &ties,
                next.min(pages.len()) as i64,
            )
            .await?;
        answers.extend(result.accepted.clone());
    }
    // Going back never shows the errors of the page being left; a required
    // question stops only "continue" (saving to finish later is always fine).
    let errors = match nav {
        Nav::Prev => BTreeMap::new(),
        Nav::Stay => result.errors,
        Nav::Next => {
            let mut errors = result.errors;
            for name in result.missing {
                errors.insert(name, AnswerProblem::Required);
            }
            errors
        }
    };
    Ok(Saved {
        answers,
        errors,
        next,
        nav,
    })
}

/// What the review shows: the answers, the required questions still
/// missing (by page), how many ties each roster item holds.
pub struct Review {
    pub answers: BTreeMap<String, String>,
    /// Names of required questions not answered yet.
    pub missing: Vec<String>,
    /// Roster item → how many people were described.
    pub rated: BTreeMap<String, usize>,
    pub rating_answered: u32,
    pub rating_total: usize,
    /// Rating statements that must be answered for the response to count
    /// (the campaign's validity rule).
    pub rating_needed: u32,
    /// Page (0-based) → rating statements left unanswered there.
    pub unanswered: Vec<(usize, u32)>,
    /// Whether nothing required is missing (the questionnaire can be sent).
    pub complete: bool,
}

impl Review {
    /// Whether a submission now would count in the results.
    pub fn counts(&self) -> bool {
        self.rating_answered >= self.rating_needed
    }
}

/// Why a submission was not taken.
pub enum NotSent {
    /// Required questions are missing, or nothing at all was answered.
    Incomplete(Review),
    /// It would not count in the results; the person must confirm they
    /// still want to send it (and lock the link).
    WouldNotCount(Review),
}

/// The review of everything answered. Opening it is recorded in the audit
/// log (the invitation, never the link): coordinators who handed the links
/// out could open one, and whoever reads a questionnaire leaves a trace.
pub async fn review(app: &App, a: &Answering) -> Result<Review> {
    app.store
        .audit(
            None,
            "response.review",
            &format!("invitation {}", a.who.invitation_id),
        )
        .await?;
    review_of(app, a).await
}

async fn review_of(app: &App, a: &Answering) -> Result<Review> {
    let answers = a.answers(app).await?;
    let missing: Vec<String> = a
        .instrument
        .missing_required(&answers)
        .iter()
        .map(|i| i.name.clone())
        .collect();
    let mut rated = BTreeMap::new();
    for item in a
        .instrument
        .items
        .iter()
        .filter(|i| i.kind == trama_instrument::ItemKind::Roster)
    {
        let n = app
            .store
            .roster_answers(a.who.invitation_id, &item.name)
            .await?
            .len();
        rated.insert(item.name.clone(), n);
    }
    let answered = rating_answered(&a.instrument, &answers);
    let total = a.instrument.rating_items().len();
    let unanswered = a
        .instrument
        .pages()
        .iter()
        .enumerate()
        .filter_map(|(p, page)| {
            let n = page
                .items
                .iter()
                .filter(|i| i.kind == trama_instrument::ItemKind::Rating)
                .filter(|i| answers.get(&i.name).is_none_or(|v| v.trim().is_empty()))
                .count() as u32;
            (n > 0).then_some((p, n))
        })
        .collect();
    Ok(Review {
        rating_answered: answered,
        rating_total: total,
        rating_needed: a.who.campaign.validity().rating_needed(total as u32),
        unanswered,
        // Nothing answered is nothing to send: the link would lock on an
        // empty questionnaire.
        complete: missing.is_empty() && a.who.response_id.is_some() && (answered > 0 || total == 0),
        missing,
        rated,
        answers,
    })
}

/// Submits the questionnaire if nothing required is missing and, when it
/// would not count in the results, only once the person has confirmed it;
/// otherwise returns the review that says what is wrong.
pub async fn submit(
    app: &App,
    a: &Answering,
    confirmed_not_counting: bool,
) -> Result<std::result::Result<(), NotSent>> {
    let review = review_of(app, a).await?;
    if !review.complete {
        return Ok(Err(NotSent::Incomplete(review)));
    }
    if !review.counts() && !confirmed_not_counting {
        return Ok(Err(NotSent::WouldNotCount(review)));
    }
    app.store.submit_response(&a.who, &a.instrument).await?;
    Ok(Ok(()))
}

/// Whether an opt-out link exists.
pub async fn opt_out_link(app: &App, token: &str) -> Result<bool> {
    Ok(app
        .store
        .link_invitation(token, LinkPurpose::OptOut)
        .await?
        .is_some())
}

/// Records an opt-out: no further message reaches the person's address.
/// `false` when the link is unknown.
pub async fn opt_out(app: &App, token: &str) -> Result<bool> {
    match app
        .store
        .link_invitation(token, LinkPurpose::OptOut)
        .await?
    {
        Some(invitation) => {
            app.store.opt_out(invitation).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// The stored ties of one roster item.
pub async fn roster_answers(app: &App, a: &Answering, item: &str) -> Result<Vec<TieAnswer>> {
    Ok(app.store.roster_answers(a.who.invitation_id, item).await?)
}

//! Whether an answer fits its question, and which questions a set of answers
//! shows and still needs: what page saves and response imports check.

use serde::Serialize;
use trama_domain::Problem;
use trama_i18n::{Lang, message};

use crate::kinds::ItemKind;
use crate::model::{Instrument, Item};
use crate::relevant::Answers;

/// Why a value is not a valid answer to a question.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnswerProblem {
    #[error("{problem}")]
    Value { problem: Problem },
    #[error("not one of the choices")]
    NotAChoice { value: String },
    #[error("does not meet the question's condition")]
    Constraint,
    /// Notes and groups take no answer.
    #[error("not answerable")]
    NotAnswerable,
    /// A required question left empty when moving on.
    #[error("required")]
    Required,
}

impl AnswerProblem {
    pub fn render(&self, lang: Lang) -> String {
        match self {
            AnswerProblem::Value { problem } => problem.render(lang),
            AnswerProblem::NotAChoice { value } => {
                let mut args = trama_i18n::FluentArgs::new();
                args.set("value", value.clone());
                message(lang, "instrument-answer-not-a-choice", Some(&args))
            }
            AnswerProblem::Constraint => message(lang, "instrument-answer-constraint", None),
            AnswerProblem::NotAnswerable => message(lang, "instrument-answer-not-answerable", None),
            AnswerProblem::Required => message(lang, "instrument-answer-required", None),
        }
    }
}

impl Instrument {
    /// Checks one answer as stored: ratings `1`–`5` or `NA`, a choice's
    /// value, the values of a multiple choice separated by spaces, a number
    /// within the constraint. Blank is always accepted here; whether it may be
    /// blank is [`Instrument::missing_required`]'s question.
    pub fn check_answer(
        &self,
        item: &Item,
        value: &str,
        answers: &(impl Answers + ?Sized),
    ) -> Result<(), AnswerProblem> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(());
        }
        let in_list = |v: &str| {
            self.choices_for(item)
                .is_some_and(|l| l.choice(v).is_some())
        };
        match &item.kind {
            ItemKind::Note | ItemKind::BeginGroup | ItemKind::EndGroup | ItemKind::Roster => {
                return Err(AnswerProblem::NotAnswerable);
            }
            // Free text may span lines; other control characters (a NUL,
            // an escape) would corrupt exports and cannot be stored on
            // PostgreSQL at all.
            ItemKind::Text => {
                trama_domain::text::multiline(value)
                    .map_err(|problem| AnswerProblem::Value { problem })?;
            }
            ItemKind::Rating | ItemKind::SelectOne { .. } => {
                if !in_list(value) {
                    return Err(AnswerProblem::NotAChoice {
                        value: value.to_owned(),
                    });
                }
            }
            ItemKind::SelectMultiple { .. } => {
                if let Some(bad) = value.split_whitespace().find(|v| !in_list(v)) {
                    return Err(AnswerProblem::NotAChoice {
                        value: bad.to_owned(),
                    });
                }
            }
            ItemKind::Integer => {
                if value.parse::<i64>().is_err() {
                    return Err(AnswerProblem::Value {
                        problem: Problem::NotAnInteger,
                    });
                }
            }
            ItemKind::Decimal => {
                if !value.parse::<f64>().is_ok_and(f64::is_finite) {
                    return Err(AnswerProblem::Value {
                        problem: Problem::NotANumber,
                    });
                }
            }
        }
        match &item.constraint {
            Some(c) if !c.check(answers, value) => Err(match item.bounds() {
                // A plain range reads better as the range itself.
                (Some(min), Some(max))
                    if item.kind == ItemKind::Integer
                        && min.fract() == 0.0
                        && max.fract() == 0.0 =>
                {
                    AnswerProblem::Value {
                        problem: Problem::OutOfRange {
                            min: min as i64,
                            max: max as i64,
                        },
                    }
                }
                _ => AnswerProblem::Constraint,
            }),
            _ => Ok(()),
        }
    }

    /// Whether an item is shown given the answers so far: its own `relevant`
    /// and that of every group around it must hold.
    pub fn is_relevant(&self, item: &Item, answers: &(impl Answers + ?Sized)) -> bool {
        let Some(at) = self.items.iter().position(|i| std::ptr::eq(i, item)) else {
            return item.relevant.as_ref().is_none_or(|r| r.evaluate(answers));
        };
        let mut enclosing: Vec<&Item> = vec![];
        for i in &self.items[..at] {
            match i.kind {
                ItemKind::BeginGroup => enclosing.push(i),
                ItemKind::EndGroup => {
                    enclosing.pop();
                }
                _ => {}
            }
        }
        enclosing
            .into_iter()
            .chain(std::iter::once(item))
            .all(|i| i.relevant.as_ref().is_none_or(|r| r.evaluate(answers)))
    }

    /// Required questions that are shown and still blank, in order.
    pub fn missing_required(&self, answers: &(impl Answers + ?Sized)) -> Vec<&Item> {
        self.items
            .iter()
            .filter(|i| i.is_question() && i.required)
            .filter(|i| answers.answer(&i.name).is_none_or(|v| v.trim().is_empty()))
            .filter(|i| self.is_relevant(i, answers))
            .collect()
    }
}

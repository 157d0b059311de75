//! Why a use case did not do what was asked, in terms every adapter can
//! render: a page, a problem+json body, or an exit status.

use trama_domain::Problem;
use trama_domain::problem::FieldProblem;
use trama_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Nobody is signed in, and the use case needs someone.
    #[error("not signed in")]
    Unauthenticated,
    /// The policy refuses the actor this action on this target.
    #[error("forbidden")]
    Forbidden,
    /// The record does not exist (or, to this actor, as good as).
    #[error("not found")]
    NotFound,
    /// The input is wrong; each problem names its field.
    #[error("invalid fields: {0:?}")]
    Invalid(Vec<FieldProblem>),
    /// The request is well-formed but the record's state refuses it (a
    /// campaign that is not a draft any more).
    #[error("refused: {0:?}")]
    Refused(Problem),
    /// The database or the disk failed; nothing the user can fix.
    #[error(transparent)]
    Store(StoreError),
    /// A bug or a broken invariant.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Error::NotFound,
            StoreError::Invalid(p) => Error::Invalid(p),
            other => Error::Store(other),
        }
    }
}

impl From<trama_outreach::OutreachError> for Error {
    fn from(e: trama_outreach::OutreachError) -> Self {
        match e {
            trama_outreach::OutreachError::Store(e) => e.into(),
            // Use cases send only for open campaigns: anything else is a bug.
            trama_outreach::OutreachError::NotOpen => {
                Error::Internal("messages for a campaign that is not open".into())
            }
        }
    }
}

/// One field's problem as an error.
pub fn invalid(field: &str, problem: Problem) -> Error {
    Error::Invalid(vec![FieldProblem::new(field, problem)])
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

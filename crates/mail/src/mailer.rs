//! What a sender of mail promises, independent of how it sends.
//!
//! The outbox worker holds an `Arc<dyn Mailer>`: SMTP in production, a fake in
//! tests. The one decision it needs from a failure is whether trying again
//! later can help, hence two kinds of [`SendError`].

use std::future::Future;
use std::pin::Pin;

/// One message to one person, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub to_email: String,
    /// Display name for the `To:` header; may be empty.
    pub to_name: String,
    pub subject: String,
    /// Always present: the part every client can show.
    pub text_body: String,
    pub html_body: Option<String>,
    /// Opt-out URL for the `List-Unsubscribe` header, which lets mail clients
    /// offer their own "unsubscribe" button and large providers expect for
    /// bulk mail.
    pub list_unsubscribe: Option<String>,
    /// The `Message-ID`'s local part when the message has one of its own:
    /// the same at every attempt, so a relay that accepted a copy whose
    /// answer was lost can recognise the next one as the same message.
    pub message_key: Option<String>,
}

/// Accepted by the relay.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sent {
    /// The `Message-ID` the message was sent with, to match bounces later.
    pub message_id: Option<String>,
}

/// Why a message was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The network, the relay or our own setup failed for now (connection
    /// refused, timeout, SMTP 4xx, authentication): retry later.
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// The relay refused this message for good (SMTP 5xx such as 550 "no such
    /// user"), or the address is not an address: record a failure, do not retry.
    #[error("permanent failure: {0}")]
    Permanent(String),
}

impl SendError {
    pub fn is_temporary(&self) -> bool {
        matches!(self, SendError::Temporary(_))
    }

    /// The relay's or the network's own words.
    pub fn detail(&self) -> &str {
        match self {
            SendError::Temporary(d) | SendError::Permanent(d) => d,
        }
    }
}

/// The future returned by [`Mailer::send`].
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Sent, SendError>> + Send + 'a>>;

/// Something that delivers [`Envelope`]s. Object-safe, so a worker can hold
/// `Arc<dyn Mailer>`.
pub trait Mailer: Send + Sync {
    fn send<'a>(&'a self, envelope: &'a Envelope) -> SendFuture<'a>;
}

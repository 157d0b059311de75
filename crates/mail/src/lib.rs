//! E-mail for campaigns: every participant is invited personally, with a link
//! of their own, and reminded until the questionnaire closes.
//!
//! This crate holds what does not need the database: the settings
//! ([`MailConfig`], from environment variables or a config file), the texts
//! ([`render`], Spanish and English from the Fluent files) and delivery
//! ([`Mailer`], with [`SmtpMailer`] for a real relay). The outbox, its queue
//! and the rate limit's bookkeeping live with the campaign; they hold an
//! `Arc<dyn Mailer>` and use [`SendError::is_temporary`] to choose between
//! retrying and recording a failure.

mod config;
mod mailer;
mod smtp;
mod templates;

pub use config::{
    ConfigError, DEFAULT_FROM_NAME, DEFAULT_RATE_PER_HOUR, ENV_FROM, ENV_HOST, ENV_PASSWORD,
    ENV_PORT, ENV_RATE, ENV_SECURITY, ENV_USER, ENV_VARS, MailConfig, Security, Sender, SmtpConfig,
};
pub use mailer::{Envelope, Mailer, SendError, SendFuture, Sent};
pub use smtp::{COMMAND_TIMEOUT, DELIVERY_TIMEOUT, SmtpMailer};
pub use templates::{MessageKind, MessageVars, escape, render};

//! Delivery through an SMTP relay (lettre, tokio, rustls).
//!
//! One connection per message: at a few hundred messages an hour a pool buys
//! nothing and would hide a relay that dropped us. Failures are sorted for the
//! outbox: 5xx replies are the recipient's (permanent), everything else, and
//! 5xx replies that only mean our own login or setup is wrong, is worth
//! another try later.

use std::hash::{BuildHasher, Hasher};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{ConfigError, Security, SmtpConfig};
use crate::mailer::{Envelope, Mailer, SendError, SendFuture, Sent};

/// Limit for connecting and for each exchange with the relay.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// Limit for a whole delivery, against a relay that answers slowly but never
/// quite stops.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(120);

/// SMTP replies in the 5xx range that say our login or TLS setup is wrong, not
/// that the recipient is: 530 authentication required, 534 mechanism too
/// weak, 535 credentials invalid, 538 encryption required (RFC 4954).
const SETUP_REPLIES: [&str; 4] = ["530", "534", "535", "538"];

/// Sends through one relay as configured.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    message_id_domain: String,
    relay: String,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("relay", &self.relay)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// Prepares the transport; nothing is connected until the first send.
    pub fn new(config: &SmtpConfig) -> Result<Self, ConfigError> {
        let transport_error = |detail: String| ConfigError::Transport {
            host: config.host.clone(),
            detail,
        };
        let tls = match config.security {
            Security::Plain => Tls::None,
            Security::StartTls | Security::Tls => {
                let params = TlsParameters::new(config.host.clone())
                    .map_err(|e| transport_error(e.to_string()))?;
                if config.security == Security::Tls {
                    Tls::Wrapper(params)
                } else {
                    Tls::Required(params)
                }
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            .port(config.port)
            .tls(tls)
            .timeout(Some(COMMAND_TIMEOUT));
        if let (Some(user), Some(password)) = (&config.username, &config.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        let from = config.from.mailbox().map_err(|e| ConfigError::Invalid {
            var: crate::config::ENV_FROM,
            problem: e,
        })?;
        Ok(SmtpMailer {
            transport: builder.build(),
            from,
            message_id_domain: config.from.domain().to_owned(),
            relay: format!(
                "{}:{} ({})",
                config.host,
                config.port,
                config.security.as_str()
            ),
        })
    }

    fn build_message(&self, e: &Envelope) -> Result<(Message, String), SendError> {
        let address = Address::from_str(e.to_email.trim()).map_err(|err| {
            SendError::Permanent(format!(
                "invalid recipient address \"{}\": {err}",
                e.to_email
            ))
        })?;
        let name = one_line(&e.to_name);
        let to = Mailbox::new((!name.is_empty()).then_some(name), address);
        let message_id = match e.message_key.as_deref().filter(|k| usable_key(k)) {
            Some(key) => format!("<{key}@{}>", id_domain(&self.message_id_domain)),
            None => new_message_id(&self.message_id_domain),
        };

        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(one_line(&e.subject))
            .message_id(Some(message_id.clone()));
        if let Some(url) = &e.list_unsubscribe {
            let url = one_line(url);
            if url.is_ascii() && !url.contains(['<', '>', ' ']) {
                builder = builder.header(ListUnsubscribe(url));
            }
        }
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(e.text_body.clone());
        let built = match &e.html_body {
            None => builder.singlepart(text),
            Some(html) => builder.multipart(
                MultiPart::alternative().singlepart(text).singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html.clone()),
                ),
            ),
        };
        // Headers and addresses were checked above; what is left is ours to fix.
        let message = built.map_err(|err| SendError::Permanent(format!("cannot build: {err}")))?;
        Ok((message, message_id))
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, envelope: &'a Envelope) -> SendFuture<'a> {
        Box::pin(async move {
            let (message, message_id) = self.build_message(envelope)?;
            let delivery = self.transport.send(message);
            match tokio::time::timeout(DELIVERY_TIMEOUT, delivery).await {
                Err(_) => Err(SendError::Temporary(format!(
                    "{}: no answer within {} s",
                    self.relay,
                    DELIVERY_TIMEOUT.as_secs()
                ))),
                Ok(Err(err)) => {
                    let sorted = classify(&err);
                    tracing::debug!(relay = %self.relay, error = %err, temporary = sorted.is_temporary(), "SMTP delivery failed");
                    Err(sorted)
                }
                Ok(Ok(response)) => {
                    tracing::debug!(relay = %self.relay, code = %response.code(), "SMTP relay accepted a message");
                    Ok(Sent {
                        message_id: Some(message_id),
                    })
                }
            }
        })
    }
}

/// Sorts a lettre error into what the outbox should do about it.
pub(crate) fn classify(err: &lettre::transport::smtp::Error) -> SendError {
    let detail = err.to_string();
    let setup_reply = err
        .status()
        .is_some_and(|code| SETUP_REPLIES.contains(&code.to_string().as_str()));
    if err.is_permanent() && !setup_reply {
        SendError::Permanent(detail)
    } else {
        // 4xx, timeouts, refused connections, TLS and protocol trouble.
        SendError::Temporary(detail)
    }
}

/// Header values come from people's names and our templates: no line breaks
/// or other control characters reach the header encoder.
fn one_line(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `<time.counter.random@domain>`: unique per process and across restarts,
/// under the sender's own domain so spam filters see a consistent origin.
fn new_message_id(domain: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    // RandomState is seeded randomly per process; good enough for uniqueness.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(nanos);
    hasher.write_u64(count);
    format!(
        "<{nanos:x}.{count:x}.{:016x}@{}>",
        hasher.finish(),
        id_domain(domain)
    )
}

fn id_domain(domain: &str) -> &str {
    if domain.is_empty() {
        "localhost"
    } else {
        domain
    }
}

/// A stored key fit for a Message-ID's local part (RFC 5322 dot-atom text).
fn usable_key(key: &str) -> bool {
    (8..=128).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && !key.starts_with('.')
        && !key.ends_with('.')
        && !key.contains("..")
}

/// `List-Unsubscribe: <url>` (RFC 2369).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let url = s.trim().trim_start_matches('<').trim_end_matches('>');
        Ok(ListUnsubscribe(url.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_text_is_kept_on_one_line() {
        assert_eq!(
            one_line("Ana\r\nBcc: x@y.cl\t Pérez "),
            "Ana Bcc: x@y.cl Pérez"
        );
    }

    #[test]
    fn message_ids_are_unique_and_under_the_sender_domain() {
        let a = new_message_id("mineduc.cl");
        let b = new_message_id("mineduc.cl");
        assert_ne!(a, b);
        assert!(a.starts_with('<') && a.ends_with("@mineduc.cl>"), "{a}");
    }
}

//! Where mail goes, read from the environment (or a config file section).
//!
//! No SMTP host means no SMTP: messages are still rendered and queued in the
//! outbox, so a campaign can be prepared (and its links exported) on a machine
//! that may not send mail. A value that is set but wrong stops start-up with
//! the variable's name, rather than surfacing hours later as failed deliveries.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use lettre::Address;
use lettre::message::Mailbox;
use serde::Deserialize;

/// `TRAMA_SMTP_HOST`: the relay's host name. Unset or empty: no SMTP.
pub const ENV_HOST: &str = "TRAMA_SMTP_HOST";
/// `TRAMA_SMTP_PORT`: defaults to 587 (starttls), 465 (tls) or 25 (none).
pub const ENV_PORT: &str = "TRAMA_SMTP_PORT";
/// `TRAMA_SMTP_SECURITY`: `starttls` (default), `tls` or `none`.
pub const ENV_SECURITY: &str = "TRAMA_SMTP_SECURITY";
/// `TRAMA_SMTP_USER`: login for SMTP AUTH; needs `TRAMA_SMTP_PASSWORD`.
pub const ENV_USER: &str = "TRAMA_SMTP_USER";
/// `TRAMA_SMTP_PASSWORD`: password for SMTP AUTH; needs `TRAMA_SMTP_USER`.
pub const ENV_PASSWORD: &str = "TRAMA_SMTP_PASSWORD";
/// `TRAMA_MAIL_FROM`: `Name <address>` or a bare address (name "Trama").
/// Required when `TRAMA_SMTP_HOST` is set.
pub const ENV_FROM: &str = "TRAMA_MAIL_FROM";
/// `TRAMA_MAIL_RATE_PER_HOUR`: most messages sent per hour (default 500).
pub const ENV_RATE: &str = "TRAMA_MAIL_RATE_PER_HOUR";

/// Every variable read by [`MailConfig::from_env`], for `--help` texts and docs.
pub const ENV_VARS: [&str; 7] = [
    ENV_HOST,
    ENV_PORT,
    ENV_SECURITY,
    ENV_USER,
    ENV_PASSWORD,
    ENV_FROM,
    ENV_RATE,
];

/// Display name used when the from address comes without one.
pub const DEFAULT_FROM_NAME: &str = "Trama";
/// Default sending rate: well under what institutional relays tolerate.
pub const DEFAULT_RATE_PER_HOUR: u32 = 500;

/// A setting that is missing or wrong. `var` is the environment variable (or,
/// for a config file, the key) to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{var}: {problem}")]
    Invalid { var: &'static str, problem: String },
    #[error("{var} is required when {because} is set")]
    Missing {
        var: &'static str,
        because: &'static str,
    },
    #[error("cannot set up SMTP to {host}: {detail}")]
    Transport { host: String, detail: String },
}

impl ConfigError {
    /// The variable (or key) at fault, when there is one.
    pub fn var(&self) -> Option<&'static str> {
        match self {
            ConfigError::Invalid { var, .. } | ConfigError::Missing { var, .. } => Some(var),
            ConfigError::Transport { .. } => None,
        }
    }

    fn invalid(var: &'static str, problem: impl Into<String>) -> Self {
        ConfigError::Invalid {
            var,
            problem: problem.into(),
        }
    }
}

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    #[default]
    #[serde(rename = "starttls")]
    StartTls,
    /// TLS from the first byte, "SMTPS" (port 465).
    #[serde(rename = "tls")]
    Tls,
    /// No encryption: only for a relay on the same host or a test server (port 25).
    #[serde(rename = "none")]
    Plain,
}

impl Security {
    /// The port used when none is configured.
    pub fn default_port(self) -> u16 {
        match self {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::Plain => 25,
        }
    }

    /// The configuration spelling: `starttls`, `tls` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Security::StartTls => "starttls",
            Security::Tls => "tls",
            Security::Plain => "none",
        }
    }
}

impl FromStr for Security {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "starttls" => Ok(Security::StartTls),
            "tls" => Ok(Security::Tls),
            "none" => Ok(Security::Plain),
            other => Err(format!(
                "unknown security \"{other}\" (expected starttls, tls or none)"
            )),
        }
    }
}

/// The `From:` of every message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Sender {
    pub email: String,
    pub name: String,
}

impl Sender {
    /// The address's domain, used for Message-IDs.
    pub fn domain(&self) -> &str {
        self.email.rsplit_once('@').map_or("", |(_, d)| d)
    }

    pub(crate) fn mailbox(&self) -> Result<Mailbox, String> {
        let address = Address::from_str(&self.email).map_err(|e| e.to_string())?;
        Ok(Mailbox::new(Some(self.name.clone()), address))
    }
}

impl FromStr for Sender {
    type Err = String;

    /// `Name <address>`, `"Name" <address>` or a bare address.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let mailbox =
            Mailbox::from_str(s).map_err(|e| format!("\"{s}\" is not an e-mail address ({e})"))?;
        let name = mailbox
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(DEFAULT_FROM_NAME)
            .to_owned();
        Ok(Sender {
            email: mailbox.email.to_string(),
            name,
        })
    }
}

impl TryFrom<String> for Sender {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl fmt::Display for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} <{}>", self.name, self.email)
    }
}

/// An SMTP relay and the identity mail is sent under.
///
/// From a config file (`port` optional, `security` defaults to `starttls`):
///
/// ```toml
/// [mail.smtp]
/// host = "smtp.example.org"
/// security = "starttls"
/// username = "trama"
/// password = "..."
/// from = "Trama <no-reply@example.org>"
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "SmtpFile")]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: Sender,
}

// The password stays out of logs.
impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("from", &self.from)
            .finish()
    }
}

/// The file form of [`SmtpConfig`]: the port may be left to the security mode.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SmtpFile {
    host: String,
    port: Option<u16>,
    #[serde(default)]
    security: Security,
    username: Option<String>,
    password: Option<String>,
    from: Sender,
}

impl TryFrom<SmtpFile> for SmtpConfig {
    type Error = ConfigError;

    fn try_from(f: SmtpFile) -> Result<Self, Self::Error> {
        let host = f.host.trim().to_owned();
        if host.is_empty() {
            return Err(ConfigError::invalid("host", "empty"));
        }
        check_credentials(&f.username, &f.password, ("username", "password"))?;
        Ok(SmtpConfig {
            host,
            port: f.port.unwrap_or(f.security.default_port()),
            security: f.security,
            username: f.username,
            password: f.password,
            from: f.from,
        })
    }
}

fn check_credentials(
    user: &Option<String>,
    password: &Option<String>,
    (user_var, password_var): (&'static str, &'static str),
) -> Result<(), ConfigError> {
    match (user, password) {
        (Some(_), None) => Err(ConfigError::Missing {
            var: password_var,
            because: user_var,
        }),
        (None, Some(_)) => Err(ConfigError::Missing {
            var: user_var,
            because: password_var,
        }),
        _ => Ok(()),
    }
}

/// Everything the mail side needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// `None`: no SMTP configured; messages stay in the outbox.
    #[serde(default)]
    pub smtp: Option<SmtpConfig>,
    /// Most messages sent per hour, whatever the relay; never 0.
    #[serde(default = "default_rate", deserialize_with = "deserialize_rate")]
    pub rate_per_hour: u32,
}

fn default_rate() -> u32 {
    DEFAULT_RATE_PER_HOUR
}

fn deserialize_rate<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let rate = u32::deserialize(d)?;
    if rate == 0 {
        return Err(serde::de::Error::custom("rate_per_hour must be at least 1"));
    }
    Ok(rate)
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp: None,
            rate_per_hour: DEFAULT_RATE_PER_HOUR,
        }
    }
}

impl MailConfig {
    /// Reads the process environment (see [`ENV_VARS`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_env_map(|name| std::env::var(name).ok())
    }

    /// Reads settings through `get`, which returns a variable's value. Empty
    /// values count as unset, as container tools often write `VAR=`.
    pub fn from_env_map(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let rate_per_hour = match var(ENV_RATE) {
            None => DEFAULT_RATE_PER_HOUR,
            Some(v) => match v.parse::<u32>() {
                Ok(n) if n > 0 => n,
                _ => {
                    return Err(ConfigError::invalid(
                        ENV_RATE,
                        format!("\"{v}\" is not a whole number of messages per hour above 0"),
                    ));
                }
            },
        };
        let security = match var(ENV_SECURITY) {
            None => Security::default(),
            Some(v) => v
                .parse::<Security>()
                .map_err(|e| ConfigError::invalid(ENV_SECURITY, e))?,
        };
        let port = match var(ENV_PORT) {
            None => None,
            Some(v) => match v.parse::<u16>() {
                Ok(p) if p > 0 => Some(p),
                _ => {
                    return Err(ConfigError::invalid(
                        ENV_PORT,
                        format!("\"{v}\" is not a port number (1-65535)"),
                    ));
                }
            },
        };
        // Checked even without a host, so a typo shows before SMTP is switched on.
        let from = match var(ENV_FROM) {
            None => None,
            Some(v) => Some(
                v.parse::<Sender>()
                    .map_err(|e| ConfigError::invalid(ENV_FROM, e))?,
            ),
        };
        let username = var(ENV_USER);
        // Passwords may legitimately start or end with spaces: not trimmed.
        let password = get(ENV_PASSWORD).filter(|p| !p.is_empty());
        check_credentials(&username, &password, (ENV_USER, ENV_PASSWORD))?;

        let smtp = match var(ENV_HOST) {
            None => None,
            Some(host) => {
                let from = from.ok_or(ConfigError::Missing {
                    var: ENV_FROM,
                    because: ENV_HOST,
                })?;
                Some(SmtpConfig {
                    host,
                    port: port.unwrap_or(security.default_port()),
                    security,
                    username,
                    password,
                    from,
                })
            }
        };
        Ok(MailConfig {
            smtp,
            rate_per_hour,
        })
    }

    /// The pause between two messages that keeps to `rate_per_hour`.
    pub fn send_interval(&self) -> Duration {
        Duration::from_secs(3600) / self.rate_per_hour.max(1)
    }
}

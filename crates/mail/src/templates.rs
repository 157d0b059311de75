//! The invitation and the reminder, in the participant's language.
//!
//! Wording lives in `i18n/locales/*/mail.ftl`, one paragraph per message, so
//! translators never touch markup. This module lays the paragraphs out twice:
//! as plain text, with each URL alone on its line so every mail client makes it
//! clickable, and as minimal HTML where every paragraph, variables included, is
//! escaped (names like `O'Higgins & Cía` come from registry files).

use trama_i18n::{FluentArgs, Lang};
pub use trama_stdx::markup::escape;

use crate::mailer::Envelope;

/// Which message of a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// The first message: why, how, until when, confidentiality.
    Invitation,
    /// A shorter nudge to those who have not finished.
    Reminder,
}

impl MessageKind {
    pub const ALL: [MessageKind; 2] = [MessageKind::Invitation, MessageKind::Reminder];

    /// Stable name for storage: `invitation`, `reminder`.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Invitation => "invitation",
            MessageKind::Reminder => "reminder",
        }
    }

    /// The inverse of [`MessageKind::as_str`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// What a message says about one person in one campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageVars<'a> {
    /// May be empty: the greeting then addresses "participant".
    pub person_name: &'a str,
    pub network_name: &'a str,
    pub network_code: &'a str,
    pub campaign_name: &'a str,
    /// The person's own answering URL.
    pub link: &'a str,
    pub opt_out_link: &'a str,
    /// Closing date, already written out in `lang` by the caller.
    pub closes_on: &'a str,
}

/// One block of the message body.
enum Block {
    Para(String),
    Link(String),
    /// Sign-off and signature, on consecutive lines.
    Closing(String, String),
    /// The opt-out paragraph and its link, set apart at the bottom.
    Footer(String, String),
}

/// The message `kind` for one person, addressed to `to_email`.
pub fn render(kind: MessageKind, lang: Lang, to_email: &str, vars: &MessageVars<'_>) -> Envelope {
    let link = clean_url(vars.link);
    let opt_out = clean_url(vars.opt_out_link);
    let name = vars.person_name.trim();

    let mut args = FluentArgs::new();
    args.set("name", name);
    args.set("network", vars.network_name.trim());
    args.set("code", vars.network_code.trim());
    args.set("campaign", vars.campaign_name.trim());
    args.set("closes", vars.closes_on.trim());
    let t = |id: &str| text(lang, id, &args);

    let greeting = if name.is_empty() {
        t("mail-greeting-unnamed")
    } else {
        t("mail-greeting")
    };
    let closing = Block::Closing(t("mail-signoff"), t("mail-signature"));
    let footer = Block::Footer(t("mail-optout-intro"), opt_out.clone());
    let (subject, blocks) = match kind {
        MessageKind::Invitation => (
            t("mail-invitation-subject"),
            vec![
                Block::Para(greeting),
                Block::Para(t("mail-invitation-why")),
                Block::Para(t("mail-invitation-link-intro")),
                Block::Link(link),
                Block::Para(t("mail-invitation-closes")),
                Block::Para(t("mail-confidential")),
                Block::Para(t("mail-invitation-thanks")),
                closing,
                footer,
            ],
        ),
        MessageKind::Reminder => (
            t("mail-reminder-subject"),
            vec![
                Block::Para(greeting),
                Block::Para(t("mail-reminder-intro")),
                Block::Para(t("mail-reminder-link-intro")),
                Block::Link(link),
                Block::Para(t("mail-confidential")),
                Block::Para(t("mail-reminder-done")),
                closing,
                footer,
            ],
        ),
    };

    Envelope {
        to_email: to_email.trim().to_owned(),
        to_name: name.to_owned(),
        text_body: plain_text(&blocks),
        html_body: Some(html(lang, &subject, &blocks)),
        subject,
        list_unsubscribe: (!opt_out.is_empty()).then_some(opt_out),
        message_key: None,
    }
}

/// A message with its arguments. Fluent's Unicode isolation marks are off in
/// `trama_i18n`; they are removed here as well because in an e-mail they are
/// invisible characters glued to names and dates.
fn text(lang: Lang, id: &str, args: &FluentArgs<'_>) -> String {
    trama_i18n::message(lang, id, Some(args))
        .chars()
        .filter(|c| !is_invisible(*c))
        .collect()
}

/// Zero-width and bidirectional control characters.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// A URL as it must appear in a message: no surrounding or embedded
/// whitespace, control or invisible characters, which would break it in the
/// plain-text part.
fn clean_url(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !is_invisible(*c))
        .collect()
}

fn plain_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        match block {
            Block::Para(p) | Block::Link(p) => out.push_str(p),
            Block::Closing(a, b) => {
                out.push_str(a);
                out.push('\n');
                out.push_str(b);
            }
            Block::Footer(p, url) => {
                out.push_str("--\n");
                out.push_str(p);
                out.push('\n');
                out.push_str(url);
            }
        }
    }
    out.push('\n');
    out
}

fn html(lang: Lang, subject: &str, blocks: &[Block]) -> String {
    let mut out = String::with_capacity(2048);
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    out.push_str(lang.tag());
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>");
    out.push_str(&escape(subject));
    out.push_str("</title>\n</head>\n");
    out.push_str(
        "<body style=\"margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;\
         font-size:16px;line-height:1.5;color:#1f2933;\">\n\
         <div style=\"max-width:600px;\">\n",
    );
    for block in blocks {
        match block {
            Block::Para(p) => {
                out.push_str("<p>");
                out.push_str(&escape(p));
                out.push_str("</p>\n");
            }
            Block::Link(url) => {
                out.push_str("<p>");
                out.push_str(&anchor(url));
                out.push_str("</p>\n");
            }
            Block::Closing(a, b) => {
                out.push_str("<p>");
                out.push_str(&escape(a));
                out.push_str("<br>\n");
                out.push_str(&escape(b));
                out.push_str("</p>\n");
            }
            Block::Footer(p, url) => {
                out.push_str(
                    "<hr style=\"border:0;border-top:1px solid #d0d5dd;margin:24px 0 12px;\">\n\
                     <p style=\"font-size:13px;color:#52606d;\">",
                );
                out.push_str(&escape(p));
                out.push_str("<br>\n");
                out.push_str(&anchor(url));
                out.push_str("</p>\n");
            }
        }
    }
    out.push_str("</div>\n</body>\n</html>\n");
    out
}

/// A link that shows its own address, as in the plain-text part. Only web
/// addresses become links; anything else is shown as text.
fn anchor(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        let url = escape(url);
        format!("<a href=\"{url}\">{url}</a>")
    } else {
        escape(url).into_owned()
    }
}

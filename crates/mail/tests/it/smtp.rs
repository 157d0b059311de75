//! `SmtpMailer` against a small SMTP server on 127.0.0.1, over real TCP.
//!
//! The server is a hand-written state machine: enough of RFC 5321 for one
//! unencrypted delivery, with a configurable answer to RCPT TO (and AUTH), and
//! it records what the client said.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use trama_i18n::Lang;
use trama_mail::{
    ENV_FROM, ENV_HOST, ENV_PASSWORD, ENV_PORT, ENV_SECURITY, ENV_USER, Envelope, MailConfig,
    Mailer, MessageKind, MessageVars, SendError, SmtpConfig, SmtpMailer, render,
};

const LINK: &str = "https://trama.example.cl/responder/Xk3p9QzL2mTq8R?c=17&lang=es&utm=a-very-long-query-string-so-the-line-wraps";
const OPT_OUT: &str = "https://trama.example.cl/baja/Xk3p9QzL2mTq8R";

#[derive(Debug, Default)]
struct Captured {
    ehlo: Vec<String>,
    mail_from: Vec<String>,
    rcpt_to: Vec<String>,
    auth: Vec<String>,
    data: Option<String>,
    quit: bool,
}

#[derive(Clone, Copy)]
struct Script {
    rcpt: &'static str,
    /// `Some(reply)`: the server offers AUTH and answers it with `reply`.
    auth: Option<&'static str>,
}

const ACCEPT_ALL: Script = Script {
    rcpt: "250 2.1.5 Ok",
    auth: None,
};

/// Serves one connection, then returns what it saw.
async fn start_server(script: Script) -> (SocketAddr, JoinHandle<Captured>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("local_addr: {e}"));
    let handle = tokio::spawn(async move {
        let work = async {
            let (socket, _) = listener
                .accept()
                .await
                .unwrap_or_else(|e| panic!("accept: {e}"));
            serve(socket, script).await
        };
        tokio::time::timeout(Duration::from_secs(20), work)
            .await
            .unwrap_or_else(|_| panic!("test SMTP server timed out"))
    });
    (addr, handle)
}

async fn reply(w: &mut tokio::net::tcp::OwnedWriteHalf, text: &str) {
    w.write_all(text.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("write: {e}"));
}

async fn serve(socket: tokio::net::TcpStream, script: Script) -> Captured {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    let mut seen = Captured::default();
    reply(&mut write, "220 test.invalid ESMTP ready\r\n").await;
    loop {
        let mut line = String::new();
        let n = lines
            .read_line(&mut line)
            .await
            .unwrap_or_else(|e| panic!("read: {e}"));
        if n == 0 {
            break;
        }
        let command = line.trim_end().to_owned();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" | "HELO" => {
                seen.ehlo.push(command);
                if script.auth.is_some() {
                    reply(&mut write, "250-test.invalid\r\n250 AUTH PLAIN LOGIN\r\n").await;
                } else {
                    reply(&mut write, "250 test.invalid\r\n").await;
                }
            }
            "AUTH" => {
                seen.auth.push(command);
                let answer = script.auth.unwrap_or("502 5.5.1 not offered");
                reply(&mut write, &format!("{answer}\r\n")).await;
            }
            "MAIL" => {
                seen.mail_from.push(command);
                reply(&mut write, "250 2.1.0 Ok\r\n").await;
            }
            "RCPT" => {
                seen.rcpt_to.push(command);
                reply(&mut write, &format!("{}\r\n", script.rcpt)).await;
            }
            "DATA" => {
                reply(&mut write, "354 End data with <CR><LF>.<CR><LF>\r\n").await;
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    if lines
                        .read_line(&mut l)
                        .await
                        .unwrap_or_else(|e| panic!("read DATA: {e}"))
                        == 0
                    {
                        panic!("connection closed inside DATA");
                    }
                    if l == ".\r\n" {
                        break;
                    }
                    // Undo dot-stuffing (RFC 5321 §4.5.2).
                    match l.strip_prefix("..") {
                        Some(rest) => {
                            data.push('.');
                            data.push_str(rest);
                        }
                        None => data.push_str(&l),
                    }
                }
                seen.data = Some(data);
                reply(&mut write, "250 2.0.0 Ok: queued as TEST1\r\n").await;
            }
            "RSET" | "NOOP" => reply(&mut write, "250 2.0.0 Ok\r\n").await,
            "QUIT" => {
                seen.quit = true;
                reply(&mut write, "221 2.0.0 Bye\r\n").await;
                break;
            }
            _ => reply(&mut write, "502 5.5.2 command not recognized\r\n").await,
        }
    }
    seen
}

fn plain_config(addr: SocketAddr, extra: &[(&str, &str)]) -> SmtpConfig {
    let port = addr.port().to_string();
    let mut map: HashMap<&str, String> = HashMap::from([
        (ENV_HOST, "127.0.0.1".to_owned()),
        (ENV_PORT, port),
        (ENV_SECURITY, "none".to_owned()),
        (ENV_FROM, "Redes Mineduc <redes@example.cl>".to_owned()),
    ]);
    for (k, v) in extra {
        map.insert(k, (*v).to_owned());
    }
    MailConfig::from_env_map(|k| map.get(k).cloned())
        .unwrap_or_else(|e| panic!("config: {e}"))
        .smtp
        .unwrap_or_else(|| panic!("host is set"))
}

fn invitation() -> Envelope {
    render(
        MessageKind::Invitation,
        Lang::Es,
        "ana.perez@example.cl",
        &MessageVars {
            person_name: "Ana Pérez Ñúñez",
            network_name: "Red Valle del Elqui",
            network_code: "RME-04-012",
            campaign_name: "Monitoreo 2026",
            link: LINK,
            opt_out_link: OPT_OUT,
            closes_on: "15 de diciembre de 2026",
        },
    )
}

// --- A little MIME reading, enough for what lettre writes. ---

struct Parsed {
    headers: Vec<(String, String)>,
    /// (content type, decoded body) of each leaf part.
    parts: Vec<(String, String)>,
}

impl Parsed {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn part(&self, content_type: &str) -> &str {
        self.parts
            .iter()
            .find(|(ct, _)| ct.starts_with(content_type))
            .map(|(_, body)| body.as_str())
            .unwrap_or_else(|| panic!("no {content_type} part in {:?}", self.parts))
    }
}

fn split_head(message: &str) -> (Vec<(String, String)>, &str) {
    let (head, body) = message
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no blank line after headers in {message:?}"));
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let headers = unfolded
        .split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    (headers, body)
}

fn parse(message: &str) -> Parsed {
    let (headers, body) = split_head(message);
    let parsed = Parsed {
        headers,
        parts: vec![],
    };
    let content_type = parsed
        .header("Content-Type")
        .unwrap_or("text/plain")
        .to_owned();
    let parts = if content_type.starts_with("multipart/") {
        let boundary = content_type
            .split("boundary=")
            .nth(1)
            .unwrap_or_else(|| panic!("no boundary in {content_type}"))
            .trim_matches('"');
        body.split(&format!("--{boundary}"))
            .skip(1)
            .filter(|p| !p.starts_with("--"))
            .map(|p| {
                // The CRLF before a boundary belongs to the boundary (RFC 2046).
                let p = p.trim_start_matches("\r\n");
                leaf(p.strip_suffix("\r\n").unwrap_or(p))
            })
            .collect()
    } else {
        vec![decode_leaf(&parsed.headers, body)]
    };
    Parsed { parts, ..parsed }
}

fn leaf(part: &str) -> (String, String) {
    let (headers, body) = split_head(part);
    decode_leaf(&headers, body)
}

fn decode_leaf(headers: &[(String, String)], body: &str) -> (String, String) {
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.to_ascii_lowercase())
            .unwrap_or_default()
    };
    let bytes = match get("Content-Transfer-Encoding").as_str() {
        "quoted-printable" => quoted_printable(body),
        "base64" => base64::engine::general_purpose::STANDARD
            .decode(body.split_whitespace().collect::<String>())
            .unwrap_or_else(|e| panic!("base64 body: {e}")),
        _ => body.as_bytes().to_vec(),
    };
    let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("body is not UTF-8: {e}"));
    (get("Content-Type"), text.replace("\r\n", "\n"))
}

fn quoted_printable(body: &str) -> Vec<u8> {
    let joined = body.replace("=\r\n", "");
    let raw = joined.as_bytes();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'=' && i + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).unwrap_or("zz");
            out.push(u8::from_str_radix(hex, 16).unwrap_or_else(|e| panic!("QP =\"{hex}\": {e}")));
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

/// Decodes RFC 2047 `=?utf-8?b?...?=` words; whitespace between two encoded
/// words is dropped, as the RFC says.
fn decode_header(value: &str) -> String {
    let mut out = String::new();
    let mut previous_encoded = false;
    for token in value.split_whitespace() {
        let encoded = token
            .strip_prefix("=?")
            .and_then(|t| t.strip_suffix("?="))
            .and_then(|t| {
                let mut it = t.splitn(3, '?');
                let (charset, enc, text) = (it.next()?, it.next()?, it.next()?);
                (charset.eq_ignore_ascii_case("utf-8") && enc.eq_ignore_ascii_case("b"))
                    .then_some(text)
            });
        match encoded {
            Some(b64) => {
                if !previous_encoded && !out.is_empty() {
                    out.push(' ');
                }
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .unwrap_or_else(|e| panic!("encoded word {token}: {e}"));
                out.push_str(&String::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}")));
                previous_encoded = true;
            }
            None => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(token);
                previous_encoded = false;
            }
        }
    }
    out
}

// --- The tests. ---

#[tokio::test]
async fn a_message_is_delivered_with_subject_recipient_and_link() {
    let (addr, server) = start_server(ACCEPT_ALL).await;
    let mailer: Arc<dyn Mailer> = Arc::new(
        SmtpMailer::new(&plain_config(addr, &[])).unwrap_or_else(|e| panic!("mailer: {e}")),
    );
    let envelope = invitation();
    let sent = mailer
        .send(&envelope)
        .await
        .unwrap_or_else(|e| panic!("send: {e}"));
    let seen = server.await.unwrap_or_else(|e| panic!("server: {e}"));

    assert_eq!(seen.ehlo.len(), 1, "{seen:?}");
    assert_eq!(seen.mail_from, ["MAIL FROM:<redes@example.cl>"], "{seen:?}");
    assert_eq!(seen.rcpt_to, ["RCPT TO:<ana.perez@example.cl>"], "{seen:?}");
    assert!(seen.quit, "client should say QUIT");

    let data = seen.data.unwrap_or_else(|| panic!("no DATA"));
    if std::env::var_os("TRAMA_MAIL_SHOW_DATA").is_some() {
        eprintln!("{data}");
    }
    let message = parse(&data);
    // The Spanish subject is not ASCII, so it travels RFC 2047-encoded.
    let subject = message
        .header("Subject")
        .unwrap_or_else(|| panic!("no Subject in {data}"));
    assert!(
        subject.contains("=?utf-8?b?"),
        "expected encoded words: {subject}"
    );
    assert_eq!(decode_header(subject), envelope.subject);
    let to = decode_header(message.header("To").unwrap_or_default());
    assert!(
        to.contains("Ana Pérez Ñúñez") && to.contains("<ana.perez@example.cl>"),
        "{to}"
    );
    // lettre quotes display names that contain spaces.
    assert_eq!(
        decode_header(message.header("From").unwrap_or_default()),
        "\"Redes Mineduc\" <redes@example.cl>"
    );
    assert_eq!(
        message.header("List-Unsubscribe"),
        Some(format!("<{OPT_OUT}>").as_str())
    );
    assert_eq!(message.header("Message-ID"), sent.message_id.as_deref());
    assert!(
        sent.message_id
            .as_deref()
            .is_some_and(|id| id.ends_with("@example.cl>")),
        "{sent:?}"
    );

    let text = message.part("text/plain");
    assert_eq!(text, envelope.text_body.replace("\r\n", "\n"));
    assert!(
        text.lines().any(|l| l == LINK),
        "link not on its own line:\n{text}"
    );
    let html = message.part("text/html");
    assert!(
        html.contains(&format!("href=\"{}\"", LINK.replace('&', "&amp;"))),
        "{html}"
    );
}

#[tokio::test]
async fn a_busy_mailbox_is_a_temporary_failure() {
    let (addr, server) = start_server(Script {
        rcpt: "450 4.2.0 mailbox busy",
        auth: None,
    })
    .await;
    let mailer = SmtpMailer::new(&plain_config(addr, &[])).unwrap_or_else(|e| panic!("{e}"));
    let err = match mailer.send(&invitation()).await {
        Ok(sent) => panic!("450 should fail, got {sent:?}"),
        Err(e) => e,
    };
    assert!(matches!(err, SendError::Temporary(_)), "{err:?}");
    assert!(err.is_temporary());
    assert!(err.detail().contains("mailbox busy"), "{err}");
    let seen = server.await.unwrap_or_else(|e| panic!("server: {e}"));
    assert_eq!(seen.data, None, "no DATA after a refused recipient");
}

#[tokio::test]
async fn an_unknown_user_is_a_permanent_failure() {
    let (addr, server) = start_server(Script {
        rcpt: "550 5.1.1 no such user",
        auth: None,
    })
    .await;
    let mailer = SmtpMailer::new(&plain_config(addr, &[])).unwrap_or_else(|e| panic!("{e}"));
    let err = match mailer.send(&invitation()).await {
        Ok(sent) => panic!("550 should fail, got {sent:?}"),
        Err(e) => e,
    };
    assert!(matches!(err, SendError::Permanent(_)), "{err:?}");
    assert!(!err.is_temporary());
    assert!(err.detail().contains("no such user"), "{err}");
    let seen = server.await.unwrap_or_else(|e| panic!("server: {e}"));
    assert_eq!(seen.data, None);
}

#[tokio::test]
async fn a_refused_connection_is_a_temporary_failure() {
    // Take a free port, then close it so nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        l.local_addr().unwrap_or_else(|e| panic!("{e}")).port()
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mailer = SmtpMailer::new(&plain_config(addr, &[])).unwrap_or_else(|e| panic!("{e}"));
    let err = match mailer.send(&invitation()).await {
        Ok(sent) => panic!("nothing listens on {addr}, got {sent:?}"),
        Err(e) => e,
    };
    assert!(matches!(err, SendError::Temporary(_)), "{err:?}");
}

#[tokio::test]
async fn rejected_credentials_are_temporary_not_the_recipients_fault() {
    let (addr, server) = start_server(Script {
        rcpt: "250 2.1.5 Ok",
        auth: Some("535 5.7.8 authentication credentials invalid"),
    })
    .await;
    let config = plain_config(addr, &[(ENV_USER, "trama"), (ENV_PASSWORD, "wrong")]);
    let mailer = SmtpMailer::new(&config).unwrap_or_else(|e| panic!("{e}"));
    let err = match mailer.send(&invitation()).await {
        Ok(sent) => panic!("535 should fail, got {sent:?}"),
        Err(e) => e,
    };
    assert!(matches!(err, SendError::Temporary(_)), "{err:?}");
    let seen = server.await.unwrap_or_else(|e| panic!("server: {e}"));
    assert_eq!(
        seen.auth.len(),
        1,
        "the client should have tried AUTH: {seen:?}"
    );
    assert!(seen.rcpt_to.is_empty(), "{seen:?}");
}

#[tokio::test]
async fn an_invalid_recipient_address_is_permanent_without_connecting() {
    // Nothing listens here either: a permanent answer proves no connection was
    // needed to reach it.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        l.local_addr().unwrap_or_else(|e| panic!("{e}")).port()
    };
    let mailer = SmtpMailer::new(&plain_config(SocketAddr::from(([127, 0, 0, 1], port)), &[]))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut envelope = invitation();
    envelope.to_email = "ana.perez(at)example.cl".to_owned();
    let err = match mailer.send(&envelope).await {
        Ok(sent) => panic!("invalid address accepted: {sent:?}"),
        Err(e) => e,
    };
    assert!(matches!(err, SendError::Permanent(_)), "{err:?}");
}

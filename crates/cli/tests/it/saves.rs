//! Respondents saving questionnaire pages against a `trama serve` child
//! over plain HTTP/1.1, and the check that the database holds every save
//! the server acknowledged: for fault tests (a kill, a backup under load).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use trama_campaign::{ReminderDays, ValidityRule};
use trama_stdx::rng::SplitMix64;
use trama_store::Store;
use trama_store::campaigns::answering::LinkState;
use trama_store::campaigns::invitations::{Audience, LinkPurpose};
use trama_store::campaigns::lifecycle::{Campaign, CampaignInput, CampaignScope};

/// An open national campaign on the demo registry (which `store` must
/// hold), its own invitations still unsent.
pub(crate) async fn open_campaign(store: &Store, code: &str) -> Campaign {
    let version = store
        .instrument("rme", None)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the demo loads the RME instrument"))
        .version
        .id;
    let t = trama_store::now();
    let input = CampaignInput {
        code: code.into(),
        name: format!("Prueba {code}"),
        year: trama_store::current_year(),
        instrument_version_id: version,
        scope: CampaignScope::National,
        opens_at: t - 86_400,
        closes_at: t + 30 * 86_400,
        reminder_days: ReminderDays::default(),
        validity: ValidityRule::default(),
    };
    let id = store
        .write(async |tx| tx.create_campaign(&input, None).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .write(async |tx| tx.invite_from_registry(id).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .write(async |tx| tx.open_campaign(id).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .campaign_by_id(id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("campaign {code}"))
}

/// The form's plain rating pages and `n` answering links of `campaign`.
pub(crate) async fn respondents(
    store: &Store,
    campaign: &Campaign,
    n: usize,
) -> (Vec<(usize, Vec<String>)>, Vec<String>) {
    let pages = store
        .instrument("rme", None)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("instrument"))
        .instrument
        .plain_rating_pages();
    assert!(!pages.is_empty());
    let invited = store
        .recipients(campaign.id, Audience::Everyone, n as i64)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(invited.len(), n, "the demo has {n} invitees");
    let mut tokens = vec![];
    for r in invited {
        tokens.push(
            store
                .issue_link(r.invitation_id, LinkPurpose::Answer)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        );
    }
    (pages, tokens)
}

/// One request on a fresh connection: the status, and the first cookie the
/// server set.
fn request(
    addr: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: &str,
) -> std::io::Result<(u16, Option<String>)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAccept-Language: es\r\nConnection: close\r\n"
    );
    if let Some(c) = cookie {
        head.push_str(&format!("Cookie: {c}\r\n"));
    }
    if !body.is_empty() {
        head.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    s.write_all(head.as_bytes())?;
    s.write_all(body.as_bytes())?;
    let mut r = BufReader::new(s);
    let mut status_line = String::new();
    r.read_line(&mut status_line)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {status_line:?}")))?;
    let mut set_cookie = None;
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("set-cookie")
            && set_cookie.is_none()
        {
            set_cookie = value.trim().split(';').next().map(str::to_owned);
        }
    }
    let mut rest = vec![];
    r.read_to_end(&mut rest)?;
    Ok((status, set_cookie))
}

/// One page save as the client saw it.
#[derive(Debug, Clone)]
pub(crate) struct Attempt {
    pub(crate) values: Vec<(String, String)>,
    pub(crate) started: Instant,
    pub(crate) finished: Instant,
    /// The server answered 303: the save is acknowledged.
    pub(crate) acked: bool,
    /// The HTTP status, or `None` when the connection failed.
    pub(crate) status: Option<u16>,
}

/// Clients saving pages until `stop`, each with its own link; returns
/// every attempt per client (in order).
pub(crate) fn drive(
    addr: &str,
    pages: &[(usize, Vec<String>)],
    tokens: &[String],
    stop: Arc<AtomicBool>,
) -> Vec<std::thread::JoinHandle<Vec<Attempt>>> {
    tokens
        .iter()
        .enumerate()
        .map(|(n, token)| {
            let (addr, token, pages, stop) =
                (addr.to_owned(), token.clone(), pages.to_vec(), stop.clone());
            std::thread::spawn(move || save_pages(n, &addr, &token, &pages, &stop))
        })
        .collect()
}

fn save_pages(
    n: usize,
    addr: &str,
    token: &str,
    pages: &[(usize, Vec<String>)],
    stop: &AtomicBool,
) -> Vec<Attempt> {
    let values = ["1", "2", "3", "4", "5", "NA"];
    let mut rng = SplitMix64::new(0xFA17 ^ ((n as u64) << 16));
    let mut cookie = None;
    let mut attempts = vec![];
    let mut page = n % pages.len();
    while !stop.load(Ordering::Relaxed) {
        if cookie.is_none() {
            match request(addr, "GET", &format!("/r/{token}"), None, "") {
                Ok((303, c)) => cookie = c,
                _ => {
                    // The server is down (killed, restarting): try again.
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
            }
        }
        let (number, items) = &pages[page];
        page = (page + 1) % pages.len();
        let chosen: Vec<(String, String)> = items
            .iter()
            .map(|i| (i.clone(), (*rng.pick(&values)).to_owned()))
            .collect();
        let mut body: String = chosen.iter().map(|(i, v)| format!("{i}={v}&")).collect();
        body.push_str("_nav=next");
        let started = Instant::now();
        let outcome = request(
            addr,
            "POST",
            &format!("/r/{token}/p/{number}"),
            cookie.as_deref(),
            &body,
        );
        let status = outcome.as_ref().ok().map(|(s, _)| *s);
        attempts.push(Attempt {
            values: chosen,
            started,
            finished: Instant::now(),
            acked: status == Some(303),
            status,
        });
        if outcome.is_err() {
            cookie = None;
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    attempts
}

/// What a copy of the database taken between `from` and `to` must hold for
/// one client: for each item, the value of the last save acknowledged
/// before `from`, or one sent by a save that started before `to` (which
/// may or may not have made it in). Returns the items that break it.
pub(crate) fn missing(
    attempts: &[Attempt],
    stored: &BTreeMap<String, String>,
    from: Instant,
    to: Instant,
) -> Vec<String> {
    let mut wrong = vec![];
    let mut items: BTreeMap<&str, ()> = BTreeMap::new();
    for a in attempts {
        for (i, _) in &a.values {
            items.insert(i, ());
        }
    }
    for item in items.keys() {
        let touching: Vec<(usize, &Attempt, &str)> = attempts
            .iter()
            .enumerate()
            .filter_map(|(k, a)| {
                a.values
                    .iter()
                    .find(|(i, _)| i == item)
                    .map(|(_, v)| (k, a, v.as_str()))
            })
            .collect();
        let settled = touching
            .iter()
            .rev()
            .find(|(_, a, _)| a.acked && a.finished < from);
        let since = settled.map_or(0, |(k, _, _)| *k + 1);
        let mut allowed: Vec<&str> = touching
            .iter()
            .filter(|(k, a, _)| *k >= since && a.started < to)
            .map(|(_, _, v)| *v)
            .collect();
        allowed.extend(settled.map(|(_, _, v)| *v));
        let found = stored.get(*item).map(String::as_str);
        let ok = match (found, settled) {
            (Some(v), _) => allowed.contains(&v),
            (None, None) => true,
            (None, Some(_)) => false,
        };
        if !ok {
            wrong.push(format!(
                "{item}: saved {:?}, found {found:?}",
                settled.map(|s| s.2)
            ));
        }
    }
    wrong
}

/// Every client's answers as the database at `store` holds them.
pub(crate) async fn stored_answers(
    store: &Store,
    tokens: &[String],
) -> Vec<BTreeMap<String, String>> {
    let mut out = vec![];
    for token in tokens {
        let answers = match store
            .open_link(token)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
        {
            LinkState::Active(r) => match &r.response_id {
                Some(id) => store.answers(id).await.unwrap_or_else(|e| panic!("{e}")),
                None => BTreeMap::new(),
            },
            other => panic!("link is {other:?}"),
        };
        out.push(answers);
    }
    out
}

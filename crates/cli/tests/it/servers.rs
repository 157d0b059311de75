//! Two `trama serve` on one PostgreSQL, each running the campaign worker,
//! mailing through one loopback SMTP relay. Every queued message arrives
//! exactly once; when one server is killed in the middle of a delivery, the
//! other sends what the dead one held once its claim runs out, each still
//! once and with the Message-ID it always had.
//!
//! Runs with `TRAMA_TEST_DATABASE_URL=postgres://…` (CI runs it); on SQLite
//! one process runs the worker by design (`serve`'s worker lock).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use trama_store::Store;
use trama_store::campaigns::invitations::Audience;
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::mail_queue::{MessageKind, NewMessage};
use trama_store::testing::{MessageClaim, expire_message_claims, message_claims};

use crate::campaign_cli::runtime;
use crate::processes::{Killed, eventually, free_port, wait_for};
use crate::saves::open_campaign;

const MESSAGES: usize = 1_000;

/// One message as the relay accepted it.
#[derive(Debug, Clone)]
struct Accepted {
    rcpt: String,
    message_id: String,
}

#[derive(Default)]
struct Relay {
    accepted: Mutex<Vec<Accepted>>,
    /// When set, the DATA that would make this many accepted messages is
    /// never answered, and its recipient is sent here: a relay that stalls
    /// so the test can kill the server waiting on it.
    stall_at: Mutex<Option<(usize, mpsc::Sender<String>)>>,
}

impl Relay {
    fn accepted(&self) -> Vec<Accepted> {
        self.accepted.lock().map(|v| v.clone()).unwrap_or_default()
    }

    fn count(&self, prefix: &str) -> usize {
        self.accepted()
            .iter()
            .filter(|a| a.rcpt.starts_with(prefix))
            .count()
    }

    /// Decides, under one lock, whether this DATA is accepted or stalled.
    fn accept(&self, got: Accepted) -> bool {
        let Ok(mut accepted) = self.accepted.lock() else {
            return false;
        };
        if let Ok(mut stall) = self.stall_at.lock()
            && stall
                .as_ref()
                .is_some_and(|(n, _)| accepted.len() + 1 == *n)
            && let Some((_, tell)) = stall.take()
        {
            let _ = tell.send(got.rcpt);
            return false;
        }
        accepted.push(got);
        true
    }
}

/// Enough of RFC 5321 for lettre on a plain connection, one thread per
/// connection, several messages per connection.
fn start_relay(relay: Arc<Relay>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let relay = relay.clone();
            std::thread::spawn(move || serve_smtp(conn, &relay));
        }
    });
    port
}

fn serve_smtp(conn: TcpStream, relay: &Relay) {
    let Ok(read) = conn.try_clone() else { return };
    let mut lines = BufReader::new(read);
    let mut out = conn;
    let say = |out: &mut TcpStream, text: &str| out.write_all(text.as_bytes()).is_ok();
    if !say(&mut out, "220 relay.test ESMTP\r\n") {
        return;
    }
    let mut rcpt = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let upper = line.to_ascii_uppercase();
        let reply = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            "250 relay.test\r\n"
        } else if upper.starts_with("RCPT TO:") {
            rcpt = line[8..]
                .trim()
                .trim_matches(|c| c == '<' || c == '>')
                .to_owned();
            "250 2.1.5 Ok\r\n"
        } else if upper.starts_with("DATA") {
            if !say(&mut out, "354 go on\r\n") {
                return;
            }
            let mut message_id = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" {
                    break;
                }
                if line.to_ascii_lowercase().starts_with("message-id:") {
                    message_id = line[11..].trim().to_owned();
                }
            }
            // A relay takes its time; without it one server could drain
            // the queue before the other's first tick.
            std::thread::sleep(Duration::from_millis(3));
            let got = Accepted {
                rcpt: std::mem::take(&mut rcpt),
                message_id,
            };
            if !relay.accept(got) {
                // Stalled: never answer, until the client is gone.
                while lines.read_line(&mut line).unwrap_or(0) > 0 {}
                return;
            }
            "250 2.0.0 queued\r\n"
        } else if upper.starts_with("QUIT") {
            let _ = say(&mut out, "221 bye\r\n");
            return;
        } else {
            "250 Ok\r\n"
        };
        if !say(&mut out, reply) {
            return;
        }
    }
}

fn serve(url: &str, smtp_port: u16) -> (Killed, u32) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_trama"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(["--database-url", url, "--worker-interval", "1"])
        .env("TRAMA_SMTP_HOST", "127.0.0.1")
        .env("TRAMA_SMTP_PORT", smtp_port.to_string())
        .env("TRAMA_SMTP_SECURITY", "none")
        .env("TRAMA_MAIL_FROM", "Trama <trama@mineduc.test>")
        .env("TRAMA_MAIL_RATE_PER_HOUR", "100000")
        .env("TRAMA_PUBLIC_URL", "https://trama.mineduc.test")
        .env("TRAMA_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("trama serve: {e}"));
    let pid = child.id();
    let server = Killed(child);
    wait_for(&format!("127.0.0.1:{port}"));
    (server, pid)
}

/// An open campaign on the demo registry whose own invitations are already
/// in the outbox, so the workers send only what the test queues.
async fn campaign_without_mail(store: &Store) -> Campaign {
    store.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
    let campaign = open_campaign(store, "DOS-SERVIDORES").await;
    let outbox = trama_outreach::Outreach {
        base_url: "https://trama.mineduc.test".into(),
        smtp: false,
    };
    outbox
        .send_invitations(store, &campaign)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    campaign
}

/// Queues `MESSAGES` messages to `PREFIX0000@relay.test`…, spread over the
/// campaign's invitations.
async fn queue(store: &Store, campaign: &Campaign, prefix: &str) {
    let invitations = store
        .recipients(campaign.id, Audience::Everyone, 10_000)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!invitations.is_empty());
    let messages: Vec<NewMessage> = (0..MESSAGES)
        .map(|i| NewMessage {
            campaign_id: campaign.id,
            invitation_id: invitations[i % invitations.len()].invitation_id,
            kind: MessageKind::Invitation,
            to_name: format!("Persona {i}"),
            to_email: format!("{prefix}{i:04}@relay.test"),
            lang: "es".into(),
            subject: "Red de prueba: invitación".into(),
            body: format!("Su enlace: https://trama.mineduc.test/r/{prefix}{i}"),
            html_body: None,
            link: format!("https://trama.mineduc.test/r/{prefix}{i}"),
            unsubscribe: format!("https://trama.mineduc.test/baja/{prefix}{i}"),
            send: true,
            run_due_at: None,
        })
        .collect();
    store
        .write(async |tx| {
            for m in &messages {
                tx.enqueue_message(m).await?;
            }
            Ok(())
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// How many times each address of `prefix` was accepted, and whether every
/// copy carried the key stored with its message.
fn copies(relay: &Relay, prefix: &str) -> BTreeMap<String, Vec<String>> {
    let mut by_rcpt: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in relay.accepted() {
        if a.rcpt.starts_with(prefix) {
            by_rcpt.entry(a.rcpt).or_default().push(a.message_id);
        }
    }
    by_rcpt
}

fn assert_each_once(relay: &Relay, prefix: &str) {
    let by_rcpt = copies(relay, prefix);
    assert_eq!(by_rcpt.len(), MESSAGES, "every message arrived");
    let twice: Vec<_> = by_rcpt.iter().filter(|(_, ids)| ids.len() > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    let ids: std::collections::BTreeSet<_> = by_rcpt.values().flatten().collect();
    assert_eq!(ids.len(), MESSAGES, "each message has its own Message-ID");
}

fn claims(store: &Store) -> Vec<MessageClaim> {
    runtime()
        .block_on(message_claims(store))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The pid in a worker's name (`host:pid:nanos`, `outreach::instance_id`).
fn pid_of(worker: &str) -> Option<u32> {
    worker.split(':').nth(1)?.parse().ok()
}

#[test]
fn two_servers_on_one_postgres_send_each_message_once_and_survive_a_kill() {
    let Some(url) = crate::processes::postgres_under_test() else {
        return;
    };
    let rt = runtime();
    let (store, schema) = rt
        .block_on(trama_store::schema::open_in_new_schema(
            &url,
            "trama_servers",
            0,
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    let campaign = rt.block_on(campaign_without_mail(&store));
    rt.block_on(queue(&store, &campaign, "a"));

    let relay = Arc::new(Relay::default());
    let smtp_port = start_relay(relay.clone());
    let scoped = trama_store::schema::scoped_url(&url, &schema);
    let mut servers = vec![serve(&scoped, smtp_port), serve(&scoped, smtp_port)];

    // Both servers at work on one queue: each message once.
    assert!(
        eventually(120, || relay.count("a") >= MESSAGES),
        "only {} of {MESSAGES} arrived",
        relay.count("a")
    );
    std::thread::sleep(Duration::from_secs(2));
    assert_each_once(&relay, "a");
    let senders: BTreeMap<u32, usize> = claims(&store)
        .iter()
        .filter(|c| c.to_email.starts_with('a'))
        .filter_map(|c| pid_of(c.claimed_by.as_deref()?))
        .fold(BTreeMap::new(), |mut m, pid| {
            *m.entry(pid).or_insert(0) += 1;
            m
        });
    assert_eq!(senders.len(), 2, "both servers sent: {senders:?}");

    // The relay stalls on the 300th of a second thousand; the server it
    // stalls is killed while it waits.
    let (tell, stalled) = mpsc::channel();
    if let Ok(mut stall) = relay.stall_at.lock() {
        *stall = Some((MESSAGES + 300, tell));
    }
    rt.block_on(queue(&store, &campaign, "b"));
    let stalled_rcpt = stalled
        .recv_timeout(Duration::from_secs(120))
        .unwrap_or_else(|e| panic!("the relay never stalled: {e}"));
    let holder = claims(&store)
        .into_iter()
        .find(|c| c.to_email == stalled_rcpt)
        .and_then(|c| pid_of(c.claimed_by.as_deref()?))
        .unwrap_or_else(|| panic!("{stalled_rcpt} is claimed by a server"));
    let dead = servers
        .iter()
        .position(|(_, pid)| *pid == holder)
        .unwrap_or_else(|| panic!("pid {holder} is one of the servers"));
    let (mut killed, _) = servers.remove(dead);
    killed.0.kill().unwrap_or_else(|e| panic!("kill: {e}"));
    let _ = killed.0.wait();

    // What the dead server held waits for its claim to run out; everything
    // else the survivor sends.
    let held: Vec<String> = claims(&store)
        .into_iter()
        .filter(|c| c.live && c.claimed_by.as_deref().and_then(pid_of) == Some(holder))
        .map(|c| c.to_email)
        .collect();
    assert!(held.contains(&stalled_rcpt), "{held:?}");
    assert!(
        eventually(120, || relay.count("b") >= MESSAGES - held.len()),
        "the survivor sent {} of {}",
        relay.count("b"),
        MESSAGES - held.len()
    );
    std::thread::sleep(Duration::from_secs(2));
    let early: Vec<_> = copies(&relay, "b")
        .into_keys()
        .filter(|r| held.contains(r))
        .collect();
    assert!(
        early.is_empty(),
        "sent while another server held them: {early:?}"
    );

    // Once the claims run out, the survivor sends them: none lost.
    let expired = rt
        .block_on(expire_message_claims(&store))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(expired as usize, held.len());
    assert!(
        eventually(60, || relay.count("b") >= MESSAGES),
        "{} of {MESSAGES} arrived after the claims ran out",
        relay.count("b")
    );
    std::thread::sleep(Duration::from_secs(2));
    assert_each_once(&relay, "b");
    let unsent: Vec<_> = claims(&store)
        .into_iter()
        .filter(|c| c.to_email.ends_with("@relay.test") && c.status != "sent")
        .collect();
    assert!(unsent.is_empty(), "{unsent:?}");

    // Every copy carries the key stored with its message, the same at
    // every attempt, so a relay can drop a copy it already has.
    let keys: BTreeMap<String, String> = rt
        .block_on(store.campaign_messages(campaign.id, None))
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter_map(|m| Some((m.to_email, m.message_key?)))
        .collect();
    for (rcpt, ids) in copies(&relay, "") {
        let key = keys
            .get(&rcpt)
            .unwrap_or_else(|| panic!("{rcpt} has a key"));
        assert!(
            ids.iter().all(|id| id == &format!("<{key}@mineduc.test>")),
            "{rcpt}: {ids:?}"
        );
    }

    drop(servers);
    rt.block_on(store.close());
    rt.block_on(trama_store::schema::drop_schema(&url, &schema))
        .unwrap_or_else(|e| panic!("{e}"));
}

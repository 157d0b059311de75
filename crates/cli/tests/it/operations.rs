//! The operator's faults and tools against the real binary: a backup taken
//! while respondents save pages restores every accepted answer; `kill -9`
//! in the middle of concurrent saves loses no acknowledged save and makes
//! no duplicate; `db check` tells a sound database from a broken one.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use trama_store::Store;

use crate::campaign_cli::{runtime, trama};
use crate::processes::{Killed, free_port, wait_for};
use crate::saves::{Attempt, drive, missing, open_campaign, respondents, stored_answers};

const CLIENTS: usize = 12;

/// `trama serve` on the SQLite database in `data`, without SMTP.
fn serve(data: &Path, port: u16) -> Killed {
    let server = Killed(
        Command::new(env!("CARGO_BIN_EXE_trama"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(data)
            .env_remove("TRAMA_DATABASE_URL")
            .env_remove("TRAMA_SMTP_HOST")
            .env("TRAMA_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("trama serve: {e}")),
    );
    wait_for(&format!("127.0.0.1:{port}"));
    server
}

/// A data directory with the demo registry, an open campaign and the
/// answering links of `CLIENTS` respondents.
fn round(data: &Path) -> (Vec<(usize, Vec<String>)>, Vec<String>) {
    runtime().block_on(async {
        let store = Store::open_dir(data)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
        let campaign = open_campaign(&store, "CARGA").await;
        let r = respondents(&store, &campaign, CLIENTS).await;
        store.close().await;
        r
    })
}

fn join(handles: Vec<std::thread::JoinHandle<Vec<Attempt>>>) -> Vec<Vec<Attempt>> {
    handles
        .into_iter()
        .map(|h| h.join().unwrap_or_else(|_| panic!("a client panicked")))
        .collect()
}

fn acked_before(runs: &[Vec<Attempt>], t: Instant) -> usize {
    runs.iter()
        .flatten()
        .filter(|a| a.acked && a.finished < t)
        .count()
}

/// Every client's answers in the database at `data` against what the
/// server acknowledged, for a copy of the database taken in `[from, to]`.
fn assert_holds_every_save(
    data: &Path,
    tokens: &[String],
    runs: &[Vec<Attempt>],
    from: Instant,
    to: Instant,
) {
    let stored = runtime().block_on(async {
        let store = Store::open_dir(data)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let s = stored_answers(&store, tokens).await;
        store.close().await;
        s
    });
    let wrong: Vec<String> = runs
        .iter()
        .zip(&stored)
        .enumerate()
        .flat_map(|(n, (attempts, answers))| {
            missing(attempts, answers, from, to)
                .into_iter()
                .map(move |w| format!("client {n}: {w}"))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} answers lost or wrong: {wrong:?}",
        wrong.len()
    );
}

fn responses_in(data: &Path) -> i64 {
    let url = trama_store::sqlite_url_for_dir(data);
    let report = runtime()
        .block_on(trama_store::maintenance::check(&url))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.healthy(), "{report:?}");
    report.tables.get("responses").copied().unwrap_or(0)
}

#[test]
fn a_backup_taken_under_load_restores_every_accepted_answer() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let (pages, tokens) = round(&data);
    let port = free_port();
    let server = serve(&data, port);
    let stop = Arc::new(AtomicBool::new(false));
    let clients = drive(&format!("127.0.0.1:{port}"), &pages, &tokens, stop.clone());
    std::thread::sleep(Duration::from_millis(1500));

    let copy = dir.path().join("copia.db");
    let from = Instant::now();
    let r = trama(&["backup", "-o", &copy.display().to_string()], &data);
    let to = Instant::now();
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    let runs = join(clients);
    drop(server);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.out().contains("Copia de seguridad escrita en"),
        "{}",
        r.out()
    );
    assert!(
        acked_before(&runs, from) >= 30,
        "the load was real: {} saves before the backup",
        acked_before(&runs, from)
    );

    // The copy is never overwritten.
    let again = trama(&["backup", "-o", &copy.display().to_string()], &data);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(again.stderr.contains("ya existe"), "{}", again.stderr);

    let restored = dir.path().join("restaurada");
    let r = trama(&["restore", &copy.display().to_string()], &restored);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.out().contains("Copia restaurada"), "{}", r.out());
    let check = trama(&["db", "check", "--format", "json"], &restored);
    assert_eq!(check.code, 0, "{}{}", check.out(), check.stderr);
    let json: serde_json::Value =
        serde_json::from_slice(&check.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["healthy"], true);
    assert_eq!(
        json["check"]["migrations"]["pending"],
        serde_json::json!([])
    );
    assert_holds_every_save(&restored, &tokens, &runs, from, to);

    // A database that already holds data is never restored over.
    let r = trama(&["restore", &copy.display().to_string()], &restored);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("ya contiene una base de datos"),
        "{}",
        r.stderr
    );
}

#[test]
fn kill_9_during_concurrent_saves_loses_no_acknowledged_save_and_duplicates_none() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let (pages, tokens) = round(&data);
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut server = serve(&data, port);
    let stop = Arc::new(AtomicBool::new(false));
    let clients = drive(&addr, &pages, &tokens, stop.clone());
    std::thread::sleep(Duration::from_millis(1500));
    server.0.kill().unwrap_or_else(|e| panic!("kill: {e}"));
    let _ = server.0.wait();
    let killed_at = Instant::now();
    stop.store(true, Ordering::Relaxed);
    let runs = join(clients);
    assert!(acked_before(&runs, killed_at) >= 30, "the load was real");

    // Started again on the same database: every acknowledged save is there,
    // and each respondent has one response, however many saves they made.
    let _server = serve(&data, port);
    assert_holds_every_save(&data, &tokens, &runs, killed_at, killed_at);
    let responses = responses_in(&data);
    assert!(
        responses <= CLIENTS as i64 && responses > 0,
        "{responses} responses for {CLIENTS} respondents"
    );

    // And saving goes on where it stopped.
    let stop = Arc::new(AtomicBool::new(false));
    let clients = drive(&addr, &pages, &tokens, stop.clone());
    std::thread::sleep(Duration::from_millis(800));
    stop.store(true, Ordering::Relaxed);
    let resumed = join(clients);
    let end = Instant::now();
    assert!(
        acked_before(&resumed, end) > 0,
        "saves resume after the restart"
    );
    assert_holds_every_save(&data, &tokens, &resumed, end, end);
    assert!(responses_in(&data) <= CLIENTS as i64);
}

#[test]
fn db_check_tells_a_sound_database_from_one_that_lost_rows() {
    let (dir, data) = crate::campaign_cli::seeded();
    let r = trama(&["db", "check"], &data);
    assert_eq!(r.code, 0, "{}{}", r.out(), r.stderr);
    assert!(
        r.out().contains("La base de datos está sana."),
        "{}",
        r.out()
    );
    assert!(
        r.out().contains("Referencias: ninguna fila huérfana."),
        "{}",
        r.out()
    );

    // A school deleted behind Trama's back (foreign keys off, as a hand edit
    // or a broken copy would): its people and memberships are orphans.
    let deleted = runtime()
        .block_on(trama_store::testing::delete_unchecked(
            &trama_store::sqlite_url_for_dir(&data),
            "schools",
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(deleted > 0);
    let r = trama(&["db", "check", "--lang", "en"], &data);
    assert_eq!(r.code, 1, "{}", r.out());
    assert!(r.out().contains("Orphan rows:"), "{}", r.out());
    assert!(r.out().contains("find no row in schools"), "{}", r.out());
    assert!(
        r.stderr.contains("problems that need attention"),
        "{}",
        r.stderr
    );

    let missing = dir.path().join("nada");
    let r = trama(&["db", "check"], &missing);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("No hay base de datos"), "{}", r.stderr);
}

#[test]
fn cut_database_connections_fail_cleanly_and_the_server_recovers_by_itself() {
    let Some(url) = crate::processes::postgres_under_test() else {
        return;
    };
    let rt = runtime();
    let (store, schema) = rt
        .block_on(trama_store::schema::open_in_new_schema(
            &url,
            "trama_cut",
            0,
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    let (pages, tokens) = rt.block_on(async {
        store.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
        let campaign = open_campaign(&store, "CORTE").await;
        respondents(&store, &campaign, CLIENTS).await
    });
    // The server's connections carry a name of their own, so the test
    // cuts only them.
    let name = format!("trama-cut-{}", std::process::id());
    let server_url = format!(
        "{}&application_name={name}",
        trama_store::schema::scoped_url(&url, &schema)
    );
    let port = free_port();
    let server = Killed(
        Command::new(env!("CARGO_BIN_EXE_trama"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .args(["--database-url", &server_url])
            .env_remove("TRAMA_SMTP_HOST")
            .env("TRAMA_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("trama serve: {e}")),
    );
    wait_for(&format!("127.0.0.1:{port}"));
    let stop = Arc::new(AtomicBool::new(false));
    let clients = drive(&format!("127.0.0.1:{port}"), &pages, &tokens, stop.clone());
    std::thread::sleep(Duration::from_millis(1200));
    let cut_at = Instant::now();
    let cut = rt
        .block_on(trama_store::testing::terminate_connections(&url, &name))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(cut > 0, "the server had connections to cut");
    std::thread::sleep(Duration::from_millis(2000));
    stop.store(true, Ordering::Relaxed);
    let runs = join(clients);

    let all: Vec<&Attempt> = runs.iter().flatten().collect();
    assert!(acked_before(&runs, cut_at) >= 30, "the load was real");
    // Failing cleanly: the server stayed up and said "try again later".
    let unclean: Vec<_> = all
        .iter()
        .filter(|a| !a.acked && a.status != Some(503))
        .map(|a| a.status)
        .collect();
    assert!(unclean.is_empty(), "{unclean:?}");
    // Recovering by itself: a second after the cut every save goes through.
    let later: Vec<_> = all
        .iter()
        .filter(|a| a.started > cut_at + Duration::from_secs(1))
        .collect();
    assert!(!later.is_empty());
    assert!(
        later.iter().all(|a| a.acked),
        "{} of {} saves failed a second after the cut",
        later.iter().filter(|a| !a.acked).count(),
        later.len()
    );
    let end = Instant::now();
    let stored = rt.block_on(stored_answers(&store, &tokens));
    for (n, (attempts, answers)) in runs.iter().zip(&stored).enumerate() {
        let wrong = missing(attempts, answers, end, end);
        assert!(wrong.is_empty(), "client {n}: {wrong:?}");
    }
    drop(server);
    rt.block_on(store.close());
    rt.block_on(trama_store::schema::drop_schema(&url, &schema))
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_server_killed_while_loading_the_demo_leaves_none_of_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let staging = data.join("trama.db.demo-staging");
    let url = trama_store::sqlite_url_for_dir(&data);
    let port = free_port();
    let spawn = || {
        Killed(
            Command::new(env!("CARGO_BIN_EXE_trama"))
                .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
                .arg("--data-dir")
                .arg(&data)
                .env_remove("TRAMA_DATABASE_URL")
                .env_remove("TRAMA_SMTP_HOST")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("trama serve: {e}")),
        )
    };
    let table = |name: &str| {
        let r = runtime()
            .block_on(trama_store::maintenance::check(&url))
            .unwrap_or_else(|e| panic!("{e}"));
        r.tables.get(name).copied().unwrap_or(0)
    };
    let mut first = spawn();
    assert!(
        crate::processes::eventually(60, || staging.exists()),
        "the demo is built aside"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(staging.exists(), "still building when killed");
    first.0.kill().unwrap_or_else(|e| panic!("{e}"));
    let _ = first.0.wait();
    assert_eq!(table("schools"), 0, "no half-loaded registry");
    assert_eq!(table("responses"), 0, "no half-loaded round");

    let _second = spawn();
    wait_for(&format!("127.0.0.1:{port}"));
    assert!(!staging.exists());
    assert!(table("schools") > 0);
    assert!(table("answers") > 1000);
    assert_eq!(table("campaigns"), 2, "RME-2025 and RME-2026");
}

#[test]
fn a_postgres_backup_made_with_pg_dump_restores_into_an_empty_database() {
    let Some(url) = crate::processes::postgres_under_test() else {
        return;
    };
    let rt = runtime();
    let (store, schema) = rt
        .block_on(trama_store::schema::open_in_new_schema(
            &url,
            "trama_dump",
            0,
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    rt.block_on(async {
        store.seed_demo().await.unwrap_or_else(|e| panic!("{e}"));
        store
            .seed_demo_rounds()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    });
    let source = store.connection_url().to_owned();
    let before = rt
        .block_on(trama_store::maintenance::check(&source))
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dump = dir.path().join("trama.dump");
    let dump_arg = dump.display().to_string();
    let r = trama(
        &["backup", "--database-url", &source, "-o", &dump_arg],
        dir.path(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.out().contains("Copia de seguridad escrita en"),
        "{}",
        r.out()
    );

    // Into a database of its own, empty: the same rows, a sound database.
    let db = format!("trama_restore_{}", std::process::id());
    rt.block_on(trama_store::testing::postgres_database(&url, &db, true))
        .unwrap_or_else(|e| panic!("{e}"));
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let (server, _) = path.rsplit_once('/').unwrap_or((path, ""));
    let target = trama_store::schema::scoped_url(
        &if query.is_empty() {
            format!("{server}/{db}")
        } else {
            format!("{server}/{db}?{query}")
        },
        &schema,
    );
    let r = trama(
        &["restore", &dump_arg, "--database-url", &target],
        dir.path(),
    );
    let after = rt.block_on(trama_store::maintenance::check(&target));
    let again = trama(
        &["restore", &dump_arg, "--database-url", &target],
        dir.path(),
    );
    rt.block_on(trama_store::testing::postgres_database(&url, &db, false))
        .unwrap_or_else(|e| panic!("{e}"));
    rt.block_on(store.close());
    rt.block_on(trama_store::schema::drop_schema(&url, &schema))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let after = after.unwrap_or_else(|e| panic!("{e}"));
    assert!(after.healthy(), "{after:?}");
    assert_eq!(after.tables, before.tables);
    assert!(after.tables["answers"] > 1000);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(
        again.stderr.contains("ya contiene una base de datos"),
        "{}",
        again.stderr
    );
}

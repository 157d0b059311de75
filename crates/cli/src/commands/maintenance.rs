//! `trama backup`, `trama restore` and `trama db check`: the operator's
//! copies and examinations of the database.
//!
//! SQLite is copied by the store itself (`VACUUM INTO`, online). PostgreSQL
//! is copied with its own tools, `pg_dump` and `pg_restore` in their custom
//! format, which this module runs with the database URL (and the schema it
//! names, if any) and then checks: the archive must list the tables' data.

use std::path::{Path, PathBuf};
use std::process::Command;

use trama_i18n::{Lang, t};
use trama_store::maintenance::{CheckReport, MaintenanceError, check};
use trama_store::{Backend, Store};

use super::db::DbArgs;
use crate::exit::{CliResult, Failure};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  trama backup -o /var/backups/trama/2026-12-03.db\n  \
    trama backup --database-url postgres://trama@db/trama -o trama-2026-12-03.dump"
)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist): a SQLite file, or a
    /// `pg_dump` archive for PostgreSQL.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
    #[command(flatten)]
    db: DbArgs,
    /// Summary on standard output: text or json.
    #[arg(long, default_value = "text")]
    format: String,
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  trama restore 2026-12-03.db --data-dir /var/lib/trama")]
pub struct RestoreArgs {
    /// A copy made by `trama backup`.
    file: PathBuf,
    #[command(flatten)]
    db: DbArgs,
    /// Summary on standard output: text or json.
    #[arg(long, default_value = "text")]
    format: String,
}

#[derive(clap::Subcommand, Debug)]
pub enum DbCmd {
    /// Examine the database: integrity, migrations, rows whose parent is gone.
    #[command(after_help = "Example:\n  trama db check --format json")]
    Check {
        #[command(flatten)]
        db: DbArgs,
        /// Text or json.
        #[arg(long, default_value = "text")]
        format: String,
    },
}

/// The database the arguments name, as a URL.
fn url_of(db: &DbArgs) -> String {
    db.database_url
        .clone()
        .unwrap_or_else(|| trama_store::sqlite_url_for_dir(&db.data_dir))
}

fn backend_of(url: &str) -> Backend {
    if url.starts_with("sqlite:") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    }
}

pub async fn backup(args: BackupArgs, lang: Lang) -> CliResult {
    if args.output.exists() {
        return Err(Failure::input(vec![t!(
            lang,
            "ops-backup-exists",
            file = args.output.display().to_string()
        )]));
    }
    let url = url_of(&args.db);
    let (bytes, report) = match backend_of(&url) {
        Backend::Sqlite => {
            let store = args.db.open(lang).await?;
            let done = store.backup_sqlite(&args.output).await;
            store.close().await;
            let r = done.map_err(|e| maintenance_failure(lang, e))?;
            (r.bytes, r.check)
        }
        Backend::Postgres => {
            let tables = pg_dump(&url, &args.output, lang)?;
            let bytes = std::fs::metadata(&args.output).map_or(0, |m| m.len());
            let report = check(&url).await.map_err(|e| Failure::store(lang, e))?;
            if tables == 0 {
                return Err(Failure::env(t!(
                    lang,
                    "ops-dump-empty",
                    file = args.output.display().to_string()
                )));
            }
            (bytes, report)
        }
    };
    if args.format == "json" {
        print_json(&serde_json::json!({
            "file": args.output,
            "bytes": bytes,
            "database": trama_store::redact(&url),
            "check": report,
        }));
    } else {
        println!(
            "{}",
            t!(
                lang,
                "ops-backup-done",
                file = args.output.display().to_string(),
                size = human_size(bytes),
                responses = count(&report, "responses", lang),
                answers = count(&report, "answers", lang)
            )
        );
    }
    Ok(())
}

pub async fn restore(args: RestoreArgs, lang: Lang) -> CliResult {
    let url = url_of(&args.db);
    let kind = archive_kind(&args.file).map_err(|e| {
        Failure::input(vec![t!(
            lang,
            "cli-cannot-read",
            file = args.file.display().to_string(),
            detail = e.to_string()
        )])
    })?;
    let backend = backend_of(&url);
    let matches = matches!(
        (kind, backend),
        (Archive::Sqlite, Backend::Sqlite) | (Archive::PgDump, Backend::Postgres)
    );
    if !matches {
        return Err(Failure::input(vec![t!(
            lang,
            "ops-restore-wrong-kind",
            file = args.file.display().to_string()
        )]));
    }
    match backend {
        Backend::Sqlite => {
            let dest = trama_store::sqlite_file(&url).ok_or_else(|| {
                Failure::input(vec![t!(lang, "ops-restore-no-file", url = url.clone())])
            })?;
            trama_store::maintenance::restore::restore_sqlite(&args.file, &dest)
                .await
                .map_err(|e| maintenance_failure(lang, e))?;
        }
        Backend::Postgres => {
            let there = check(&url).await.map_err(|e| Failure::store(lang, e))?;
            if !there.is_empty() {
                return Err(Failure::input(vec![t!(
                    lang,
                    "ops-restore-not-empty",
                    database = trama_store::redact(&url)
                )]));
            }
            pg_restore(&url, &args.file, lang)?;
        }
    }
    // Opening applies the migrations a newer build knows.
    let store = Store::open(&url)
        .await
        .map_err(|e| Failure::store(lang, e))?;
    store.close().await;
    let report = check(&url).await.map_err(|e| Failure::store(lang, e))?;
    if args.format == "json" {
        print_json(&serde_json::json!({
            "file": args.file,
            "database": trama_store::redact(&url),
            "check": report,
        }));
    } else {
        println!(
            "{}",
            t!(
                lang,
                "ops-restore-done",
                database = trama_store::redact(&url),
                responses = count(&report, "responses", lang),
                answers = count(&report, "answers", lang)
            )
        );
    }
    if !report.healthy() {
        return Err(unhealthy(lang, &report));
    }
    Ok(())
}

pub async fn db(cmd: DbCmd, lang: Lang) -> CliResult {
    let DbCmd::Check { db, format } = cmd;
    let url = url_of(&db);
    if backend_of(&url) == Backend::Sqlite
        && trama_store::sqlite_file(&url).is_some_and(|f| !f.exists())
    {
        return Err(Failure::input(vec![t!(
            lang,
            "ops-check-no-database",
            database = trama_store::redact(&url)
        )]));
    }
    let report = check(&url).await.map_err(|e| Failure::store(lang, e))?;
    if format == "json" {
        print_json(&serde_json::json!({
            "database": trama_store::redact(&url),
            "healthy": report.healthy(),
            "check": report,
        }));
    } else {
        for line in describe(lang, &trama_store::redact(&url), &report) {
            println!("{line}");
        }
    }
    if report.healthy() {
        Ok(())
    } else {
        Err(Failure {
            code: 1,
            lines: vec![t!(lang, "ops-check-unhealthy")],
        })
    }
}

/// The report in sentences, one finding a line.
fn describe(lang: Lang, database: &str, r: &CheckReport) -> Vec<String> {
    let mut lines = vec![t!(
        lang,
        "ops-check-database",
        database = database.to_owned(),
        backend = r.backend
    )];
    if r.integrity.is_empty() {
        lines.push(t!(lang, "ops-check-integrity-ok"));
    }
    for problem in &r.integrity {
        lines.push(t!(
            lang,
            "ops-check-integrity-problem",
            problem = problem.clone()
        ));
    }
    let m = &r.migrations;
    lines.push(t!(
        lang,
        "ops-check-migrations",
        applied = m.applied as i64,
        known = m.known as i64
    ));
    let versions = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    for (id, list) in [
        ("ops-check-migrations-pending", &m.pending),
        ("ops-check-migrations-unknown", &m.unknown),
        ("ops-check-migrations-failed", &m.failed),
        ("ops-check-migrations-changed", &m.changed),
    ] {
        if !list.is_empty() {
            lines.push(t!(lang, id, versions = versions(list)));
        }
    }
    if r.orphans.is_empty() {
        lines.push(t!(lang, "ops-check-orphans-none"));
    }
    for o in &r.orphans {
        lines.push(t!(
            lang,
            "ops-check-orphans",
            rows = trama_i18n::number::integer(u64::try_from(o.rows).unwrap_or(0), lang),
            table = o.table.clone(),
            columns = o.columns.join(", "),
            parent = o.parent.clone()
        ));
    }
    lines.push(t!(
        lang,
        "ops-check-rows",
        responses = count(r, "responses", lang),
        answers = count(r, "answers", lang),
        invitations = count(r, "invitations", lang),
        messages = count(r, "messages", lang)
    ));
    lines.push(if r.healthy() {
        t!(lang, "ops-check-healthy")
    } else {
        t!(lang, "ops-check-unhealthy")
    });
    lines
}

/// A table's row count as the reader writes numbers (11.108 in Spanish).
fn count(r: &CheckReport, table: &str, lang: Lang) -> String {
    let n = r.tables.get(table).copied().unwrap_or(0);
    trama_i18n::number::integer(u64::try_from(n).unwrap_or(0), lang)
}

fn print_json(v: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

fn human_size(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= MB {
        format!("{:.1} MB", bytes as f64 / MB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

fn unhealthy(lang: Lang, r: &CheckReport) -> Failure {
    let mut lines = describe(lang, "", r);
    lines.remove(0);
    Failure { code: 1, lines }
}

fn maintenance_failure(lang: Lang, e: MaintenanceError) -> Failure {
    match e {
        MaintenanceError::Exists(p) => Failure::input(vec![t!(
            lang,
            "ops-backup-exists",
            file = p.display().to_string()
        )]),
        MaintenanceError::NotEmpty(place) => {
            Failure::input(vec![t!(lang, "ops-restore-not-empty", database = place)])
        }
        MaintenanceError::NotTrama(file) => {
            Failure::input(vec![t!(lang, "ops-restore-not-trama", file = file)])
        }
        MaintenanceError::Unhealthy(r) => unhealthy(lang, &r),
        MaintenanceError::NotSqlite => Failure::env(e.to_string()),
        MaintenanceError::Store(e) => Failure::store(lang, e),
    }
}

#[derive(Debug, Clone, Copy)]
enum Archive {
    Sqlite,
    PgDump,
    Other,
}

/// What a file is, from its first bytes.
fn archive_kind(file: &Path) -> std::io::Result<Archive> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(file)?;
    let n = f.read(&mut head)?;
    Ok(if head[..n].starts_with(b"SQLite format 3\0") {
        Archive::Sqlite
    } else if head[..n].starts_with(b"PGDMP") {
        Archive::PgDump
    } else {
        Archive::Other
    })
}

/// libpq's view of a Trama URL: the URL itself, and the schema its
/// `search_path` option names, if any (only that schema is Trama's).
fn pg_target(url: &str) -> (String, Option<String>) {
    let decoded = url
        .replace("%20", " ")
        .replace("%3D", "=")
        .replace("%3d", "=");
    let schema = decoded
        .split_once("search_path=")
        .map(|(_, rest)| {
            rest.split(['&', ' ', ','])
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .filter(|s| !s.is_empty());
    (url.to_owned(), schema)
}

/// Runs `pg_dump` into `dest` (through a temporary name) and lists the
/// archive: returns how many tables' data it holds.
fn pg_dump(url: &str, dest: &Path, lang: Lang) -> Result<usize, Failure> {
    let (conn, schema) = pg_target(url);
    let mut partial = dest.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let mut cmd = Command::new("pg_dump");
    cmd.args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(&partial);
    if let Some(s) = &schema {
        cmd.arg(format!("--schema={s}"));
    }
    cmd.arg(conn);
    run_tool(cmd, "pg_dump", lang)?;
    restrict(&partial);
    let listing = run_tool(
        {
            let mut c = Command::new("pg_restore");
            c.arg("--list").arg(&partial);
            c
        },
        "pg_restore",
        lang,
    )?;
    let tables = listing
        .lines()
        .filter(|l| l.contains(" TABLE DATA "))
        .count();
    std::fs::rename(&partial, dest)
        .map_err(|e| Failure::env(format!("{}: {e}", dest.display())))?;
    Ok(tables)
}

fn pg_restore(url: &str, file: &Path, lang: Lang) -> Result<(), Failure> {
    let (conn, _) = pg_target(url);
    let mut cmd = Command::new("pg_restore");
    cmd.args([
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--dbname",
    ])
    .arg(conn)
    .arg(file);
    run_tool(cmd, "pg_restore", lang).map(|_| ())
}

/// Runs one of PostgreSQL's tools; its standard output, or why it failed.
fn run_tool(mut cmd: Command, name: &str, lang: Lang) -> Result<String, Failure> {
    let out = cmd.output().map_err(|e| {
        Failure::env(t!(
            lang,
            "ops-tool-missing",
            tool = name.to_owned(),
            detail = e.to_string()
        ))
    })?;
    if !out.status.success() {
        return Err(Failure::env(t!(
            lang,
            "ops-tool-failed",
            tool = name.to_owned(),
            detail = String::from_utf8_lossy(&out.stderr).trim().to_owned()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A dump holds every answer and address: readable by its owner only.
fn restrict(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
}

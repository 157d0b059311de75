//! The architecture's invariants, checked on the source tree (in the manner
//! of rust-analyzer's `tidy`): what the compiler cannot see, a test can.
//! Each rule says why it exists; an allowance says why it is one.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Every `.rs` file under `crates/*/src`, as (path relative to the
/// workspace, text).
fn sources() -> Vec<(String, String)> {
    let mut out = vec![];
    let mut stack = vec![workspace().join("crates")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p
                    .strip_prefix(workspace())
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                if rel.contains("/src/") {
                    out.push((rel, std::fs::read_to_string(&p).unwrap_or_default()));
                }
            }
        }
    }
    out.sort();
    out
}

/// Lines outside `#[cfg(test)]` modules (a module's tests may build what
/// they check).
fn production_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let cut = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..cut].lines().enumerate().map(|(i, l)| (i + 1, l))
}

fn violations(allowed: &[&str], matches: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out = vec![];
    for (path, text) in sources() {
        if allowed.iter().any(|a| path.starts_with(a)) {
            continue;
        }
        for (n, line) in production_lines(&text) {
            if !line.trim_start().starts_with("//") && matches(line) {
                out.push(format!("{path}:{n}: {}", line.trim()));
            }
        }
    }
    out
}

#[test]
fn only_the_policy_decides_by_role() {
    // Who may do what is decided in one place; elsewhere a role is only
    // stored, parsed, labelled or used to create demo and benchmark data.
    let roles = [
        "AccountRole::NationalCoordinator",
        "AccountRole::RegionalCoordinator",
        "AccountRole::Supervisor",
        "AccountRole::Participant",
        "AccountRole::Researcher",
    ];
    let found = violations(
        &[
            "crates/domain/src/policy.rs",
            // The account model: the roles themselves, their names and labels.
            "crates/domain/src/account.rs",
            // The demo's accounts, one per role: data, not a decision.
            "crates/store/src/demo.rs",
            // Benchmarks sign in as a national coordinator to time the pages.
            "crates/cli/src/commands/bench/",
        ],
        |l| roles.iter().any(|r| l.contains(r)),
    );
    assert!(
        found.is_empty(),
        "roles compared outside the policy:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_store_speaks_sql() {
    let found = violations(&["crates/store/src/"], |l| {
        l.contains("sqlx::") || l.contains("use sqlx")
    });
    assert!(
        found.is_empty(),
        "sqlx outside the store:\n{}",
        found.join("\n")
    );
    for manifest in std::fs::read_dir(workspace().join("crates"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("Cargo.toml"))
    {
        let text = std::fs::read_to_string(&manifest).unwrap_or_default();
        let is_store = manifest.parent().is_some_and(|p| p.ends_with("store"));
        assert!(
            is_store || !text.lines().any(|l| l.trim_start().starts_with("sqlx")),
            "{} depends on sqlx",
            manifest.display()
        );
    }
}

#[test]
fn the_pool_is_reachable_only_through_reads_and_write_transactions() {
    // Readers get a handle that can only fetch; writes need `begin_write`.
    // The type system enforces it as long as nothing else holds the pool.
    let found = violations(
        &["crates/store/src/db.rs", "crates/store/src/lib.rs"],
        |l| l.contains("AnyPool") || l.contains(".begin_with(") || l.contains("pool.begin("),
    );
    assert!(
        found.is_empty(),
        "the pool outside db.rs:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_download_goes_through_attachment() {
    // One place sets a file's name, its type and `no-store`.
    let found = violations(&["crates/web/src/download.rs"], |l| {
        l.contains("CONTENT_DISPOSITION") || l.to_ascii_lowercase().contains("content-disposition")
    });
    assert!(
        found.is_empty(),
        "Content-Disposition outside attachment():\n{}",
        found.join("\n")
    );
}

#[test]
fn every_module_says_what_it_is_for() {
    let missing: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| {
            !text
                .lines()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.starts_with("//!"))
        })
        .map(|(p, _)| p)
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a `//!` line:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_application_layer_knows_no_http_and_the_cli_no_web_internals() {
    let app =
        std::fs::read_to_string(workspace().join("crates/app/Cargo.toml")).unwrap_or_default();
    for dep in ["axum", "askama", "tower", "hyper"] {
        assert!(
            !app.lines().any(|l| l.trim_start().starts_with(dep)),
            "trama-app depends on {dep}"
        );
    }
    // The CLI runs the server and drives it in benchmarks; use cases it
    // calls through trama-app, never through the web crate.
    let found = violations(&[], |l| l.contains("trama_web::"))
        .into_iter()
        .filter(|v| v.starts_with("crates/cli/src/"))
        .filter(|v| {
            !v.starts_with("crates/cli/src/commands/serve.rs")
                && !v.starts_with("crates/cli/src/commands/bench/")
        })
        .collect::<Vec<_>>();
    assert!(
        found.is_empty(),
        "the CLI reaches into trama_web:\n{}",
        found.join("\n")
    );
}

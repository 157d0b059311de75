//! `trama.toml`: the server takes its settings from the file, under the
//! environment; a misspelt key stops it with the line, in Spanish.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::processes::{Killed, free_port, wait_for};

/// GET `path` on a fresh connection with extra header lines: status and
/// the whole response, head and body.
fn get(addr: &str, path: &str, headers: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("{addr}: {e}"));
    let _ = s.set_read_timeout(Some(Duration::from_secs(20)));
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n");
    s.write_all(head.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    let status = raw
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, raw)
}

fn trama() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_trama"));
    for var in [
        "TRAMA_DATABASE_URL",
        "TRAMA_DATA_DIR",
        "TRAMA_ADDR",
        "TRAMA_CONFIG",
        "TRAMA_METRICS_ALLOW",
        "TRAMA_METRICS_TOKEN",
        "TRAMA_SMTP_HOST",
        "LC_ALL",
        "LC_MESSAGES",
    ] {
        c.env_remove(var);
    }
    c.env("LANG", "es_CL.UTF-8");
    c
}

#[test]
fn the_server_reads_its_settings_file_and_the_environment_wins() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let data = dir.path().join("datos");
    let file = dir.path().join("trama.toml");
    std::fs::write(
        &file,
        format!(
            "addr = \"{addr}\"\ndata_dir = \"{}\"\nworker_interval = 3600\nsecure_cookies = true\n\n\
             [metrics]\nallow = [\"192.0.2.1\"]\ntoken = \"from-the-file\"\n",
            data.display()
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let server = Killed(
        trama()
            .args(["--config"])
            .arg(&file)
            .arg("serve")
            .env("TRAMA_METRICS_TOKEN", "from-the-environment")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn: {e}")),
    );
    // The address and the database are the file's.
    wait_for(&addr);
    assert!(data.join("trama.db").exists(), "no database in data_dir");
    assert_eq!(get(&addr, "/health", "").0, 200);
    // A switch from the file: cookies are marked Secure.
    let (status, login) = get(&addr, "/login", "");
    assert_eq!(status, 200);
    let cookie = login
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap_or_default();
    assert!(cookie.contains("Secure"), "{login}");

    // Loopback is not in the file's list, and the environment's token
    // replaced the file's.
    assert_eq!(get(&addr, "/metrics", "").0, 403);
    assert_eq!(
        get(&addr, "/metrics", "Authorization: Bearer from-the-file\r\n").0,
        403
    );
    let (status, body) = get(
        &addr,
        "/metrics",
        "Authorization: Bearer from-the-environment\r\n",
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(
            "trama_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 1"
        ),
        "{body}"
    );
    drop(server);
}

#[test]
fn a_misspelt_key_stops_start_up_with_its_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("trama.toml");
    std::fs::write(
        &file,
        "addr = \"127.0.0.1:1\"\n\n[smtp]\nhots = \"smtp.example.cl\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = trama()
        .env("TRAMA_CONFIG", &file)
        .args(["serve"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("línea 4: «hots» no es una opción de configuración"),
        "{stderr}"
    );
}

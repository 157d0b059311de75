//! `trama serve` as a child process: started on a free port, waited for,
//! and killed with the test (or on purpose, with SIGKILL, mid-work).

use std::net::TcpListener;
use std::process::Child;
use std::time::{Duration, Instant};

/// A child that is killed when dropped, so a failing test leaves no server.
pub(crate) struct Killed(pub(crate) Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// Waits until something accepts connections at `addr`.
pub(crate) fn wait_for(addr: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(addr).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{addr} did not come up");
}

/// Polls `done` every 50 ms until it holds or `secs` pass; false on timeout.
pub(crate) fn eventually(secs: u64, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
}

/// `TRAMA_TEST_DATABASE_URL` when it names PostgreSQL; `None` (the test is
/// skipped, saying so) otherwise.
pub(crate) fn postgres_under_test() -> Option<String> {
    match std::env::var("TRAMA_TEST_DATABASE_URL") {
        Ok(u) if u.starts_with("postgres") => Some(u),
        _ => {
            eprintln!("skipped: needs TRAMA_TEST_DATABASE_URL=postgres://…");
            None
        }
    }
}

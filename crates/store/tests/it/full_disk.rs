//! A full disk under SQLite: saves fail with an error that says so, every
//! save accepted before stays, and once there is space again the same
//! store saves again, without a restart. The disk is a small tmpfs mounted
//! for the test (it needs the right to mount, which CI has; elsewhere the
//! test says it cannot run and passes).

use std::path::{Path, PathBuf};
use std::process::Command;

use trama_store::{Store, StoreError};

/// A tmpfs of `mb` MiB mounted on a fresh directory, unmounted on drop.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(mb: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Fills the disk with one file, leaving about `leave` bytes free.
fn fill(disk: &Path, leave: u64) -> PathBuf {
    let filler = disk.join("filler");
    let mut size = 64 * 1024 * 1024;
    // tmpfs refuses a write past its size; halve until one fits, then top up.
    let mut written = 0u64;
    while size >= 4096 {
        let chunk = vec![0u8; size];
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&filler)
            .unwrap_or_else(|e| panic!("{e}"));
        use std::io::Write;
        if f.write_all(&chunk).is_ok() && f.sync_all().is_ok() {
            written += size as u64;
        } else {
            let _ = f.set_len(written);
            size /= 2;
        }
    }
    let _ = std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .and_then(|f| f.set_len(written.saturating_sub(leave)));
    filler
}

/// Takes whatever space is left.
fn fill_more(disk: &Path) -> PathBuf {
    use std::io::Write;
    let rest = disk.join("rest");
    let mut f = std::fs::File::create(&rest).unwrap_or_else(|e| panic!("{e}"));
    let block = [0u8; 512];
    while f.write_all(&block).is_ok() {}
    let _ = f.sync_all();
    rest
}

async fn save(store: &Store, n: usize) -> Result<(), StoreError> {
    store
        .write(async |tx| {
            tx.audit(None, "test.fill", &format!("{n} {}", "x".repeat(20_000)))
                .await
        })
        .await
}

async fn saved(store: &Store) -> usize {
    store
        .audit_entries("test.fill", 100_000)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .len()
}

#[tokio::test]
async fn a_full_disk_refuses_saves_clearly_keeps_the_earlier_ones_and_recovers_without_a_restart() {
    if trama_store::testing::backend_under_test() != "sqlite" {
        return;
    }
    let Some(disk) = SmallDisk::mount(16) else {
        eprintln!("cannot mount a tmpfs here: the full-disk test did not run");
        return;
    };
    let store = Store::open_dir(disk.path())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let filler = fill(disk.path(), 600 * 1024);
    let mut accepted = 0;
    let mut refused = None;
    for n in 0..2_000 {
        match save(&store, n).await {
            Ok(()) => accepted += 1,
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    let refused = refused.unwrap_or_else(|| panic!("the disk never filled ({accepted} saves)"));
    assert!(refused.is_disk_full(), "{refused}");
    assert!(refused.is_environment());
    // The last bytes taken too: every save of this size is refused.
    let rest = fill_more(disk.path());
    // More attempts while full, across the pool's connections.
    for n in 0..12 {
        let e = save(&store, 10_000 + n).await.err();
        assert!(e.as_ref().is_some_and(StoreError::is_disk_full), "{e:?}");
    }
    std::fs::remove_file(&filler).unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_file(&rest).unwrap_or_else(|e| panic!("{e}"));
    for n in 0..20 {
        save(&store, 20_000 + n)
            .await
            .unwrap_or_else(|e| panic!("save {n} after space came back: {e}"));
    }
    store
        .ping()
        .await
        .unwrap_or_else(|e| panic!("ready again: {e}"));
    assert_eq!(
        saved(&store).await,
        accepted + 20,
        "every accepted save is there"
    );
}

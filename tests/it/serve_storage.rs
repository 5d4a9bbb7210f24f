//! `logs serve`'s storage over time through the real binary: closed hours
//! become `.gz` (which `logs check` and `logs rollback` read as they are,
//! and which a restart reads back for `/status` and the dedupe window),
//! retention deletes old hours, and a write the disk refuses gets a 500
//! and a loud line, never a 200. Every wait is a bounded loop.

use std::path::Path;
use std::time::Duration;

use crate::common::{Dir, check_json};
use crate::serve::{Server, gzip, ndjson, sample_lines, stored_files};

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn closed_hours_are_gzipped_read_back_and_retained() {
    let tmp = Dir::new();
    let dir = tmp.path().join("drain");
    let lines = sample_lines();
    let (older, newer) = lines.split_at(300);
    // An hour from long ago (past --retain-days), and an hour left open
    // by an earlier run: closed once this run writes a later hour.
    let ancient = dir.join("2020-01-01/00.ndjson.gz");
    write(&ancient, &gzip(b"{\"id\":\"ancient\"}\n"));
    let open = dir.join("2026-11-30/05.ndjson");
    write(&open, ndjson(older).as_bytes());
    let server = Server::start(&dir, &["--retain-days", "30000"]);
    // Read back on start: a retry of stored records is stored once.
    let (code, text) = server.post(ndjson(&lines[..10]).as_bytes(), &[]);
    assert!(
        text.contains("{\"stored\":0,\"duplicates\":10}"),
        "{code} {text}"
    );
    assert_eq!(server.post(ndjson(newer).as_bytes(), &[]).0, 200);
    let gz = dir.join("2026-11-30/05.ndjson.gz");
    for _ in 0..400 {
        if gz.exists() && !open.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    assert!(gz.exists() && !open.exists(), "{:?}", stored_files(&dir));
    assert!(ancient.exists(), "kept: 30000 days");
    drop(server);
    let files = stored_files(&dir);
    assert_eq!(files.len(), 3, "{files:?}");
    let args: Vec<String> = files[1..].iter().map(|f| f.display().to_string()).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, report) = check_json(&[&["--no-config"], args.as_slice()].concat(), None);
    assert_eq!(report["records"], lines.len(), "{report}");
    assert_eq!(report["malformed"], 0, "{report}");
    // A restart with a shorter retention deletes the ancient hour (and
    // its day), and still judges everything stored, .gz included.
    let server = Server::start(&dir, &["--retain-days", "30", "--canary", "auto"]);
    assert_eq!(server.post(b"{\"id\":\"one-more\"}\n", &[]).0, 200);
    for _ in 0..400 {
        if !dir.join("2020-01-01").exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    assert!(!dir.join("2020-01-01").exists(), "{:?}", stored_files(&dir));
    let (_, status) = server.request("GET", "/status", &[], b"");
    let body = status.split("\r\n\r\n").nth(1).unwrap_or("");
    let live: serde_json::Value = serde_json::from_str(body).expect("status JSON");
    assert_eq!(live["decision"], "rollback", "{status}");
}

/// The test hook points the data file at /dev/full (ENOSPC on every
/// write); where this sandbox allows `mount`, a real 256 KiB tmpfs fills
/// up and then turns read-only as well.
#[test]
fn a_refused_write_is_a_500_and_a_loud_line_never_a_200() {
    let tmp = Dir::new();
    let server = Server::start_with(
        tmp.path(),
        &[],
        &[("LOGS_SERVE_FAULT_DATA_FILE", "/dev/full")],
    );
    let (code, text) = server.post(ndjson(&sample_lines()[..20]).as_bytes(), &[]);
    assert_eq!(code, 500, "{text}");
    assert!(text.contains("No space left on device"), "{text}");
    server.said("ERROR: storing a batch");
    drop(server);
    let Some(full) = tmpfs(&tmp.path().join("full")) else {
        eprintln!("mount not permitted here: only the /dev/full hook was exercised");
        return;
    };
    let dir = full.0.join("drain");
    let server = Server::start(&dir, &[]);
    let mut answers = Vec::new();
    for b in sample_lines().chunks(200) {
        answers.push((server.post(ndjson(b).as_bytes(), &[]).0, b.len()));
    }
    let stored: usize = stored_files(&dir)
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read").lines().count())
        .sum();
    drop(server);
    assert!(
        answers.iter().any(|a| a.0 == 500),
        "the tmpfs never filled: {answers:?}"
    );
    assert!(
        answers.iter().all(|a| a.0 == 200 || a.0 == 500),
        "{answers:?}"
    );
    // Exactly the acknowledged batches are on disk, none half-stored.
    let acked: usize = answers.iter().filter(|a| a.0 == 200).map(|a| a.1).sum();
    assert_eq!(stored, acked, "{answers:?}");
    // Read-only: the directory is there, the hour file cannot be made.
    let Some(ro) = tmpfs(&tmp.path().join("ro")) else {
        panic!("a second tmpfs could not be mounted");
    };
    let dir = ro.0.join("drain");
    let server = Server::start(&dir, &[]);
    let remounted = std::process::Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&ro.0)
        .status()
        .is_ok_and(|s| s.success());
    assert!(remounted, "remount read-only");
    let (code, text) = server.post(ndjson(&sample_lines()[..5]).as_bytes(), &[]);
    assert_eq!(code, 500, "{text}");
    assert!(text.contains("Read-only file system"), "{text}");
    server.said("ERROR: storing a batch");
}

/// A 256 KiB tmpfs at `at`, unmounted when dropped; `None` where mounting
/// is not permitted.
struct Tmpfs(std::path::PathBuf);

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

fn tmpfs(at: &Path) -> Option<Tmpfs> {
    std::fs::create_dir_all(at).ok()?;
    std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(at)
        .output()
        .ok()?
        .status
        .success()
        .then(|| Tmpfs(at.to_path_buf()))
}

//! `logs serve`, the real binary on loopback (an ephemeral port): signed
//! batches stored byte for byte, refused ones (signature, size, gzip,
//! malformed record) leave nothing behind, retries are stored once, a
//! `kill -9` loses no acknowledged record, and `/status` is what `logs
//! rollback` says of the stored files. Every wait is a bounded loop.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::common::{Dir, check_json, logs};

pub(crate) const SECRET: &str = "drain-secret-for-tests";
pub(crate) const CANARY: &str = "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L";
pub(crate) const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/samples/canary-rollback.ndjson"
);

pub(crate) fn sample_lines() -> Vec<String> {
    std::fs::read_to_string(SAMPLE)
        .expect("sample")
        .lines()
        .map(str::to_string)
        .collect()
}

pub(crate) fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

/// A running `logs serve`, killed when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: String,
    /// What the server said on stderr so far.
    pub(crate) log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    pub(crate) fn start(dir: &Path, extra: &[&str]) -> Server {
        Server::start_with(dir, extra, &[])
    }

    pub(crate) fn start_with(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("logs"))
            .args(["--no-config", "serve", "--listen", "127.0.0.1:0"])
            .args(if extra.contains(&"--canary") {
                &[][..]
            } else {
                &["--canary", CANARY][..]
            })
            .arg("--dir")
            .arg(dir)
            .args(extra)
            .env_clear()
            .env("LOGS_DRAIN_SECRET", SECRET)
            .env("LOGS_DRAIN_VERIFY", "verify-me")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start logs serve");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut addr = None;
        // Bounded: the server prints a few lines before listening, or exits.
        for _ in 0..20 {
            let mut line = String::new();
            if stderr.read_line(&mut line).expect("stderr") == 0 {
                break;
            }
            if let Some(rest) = line.split("listening on http://").nth(1) {
                addr = rest.split(',').next().map(str::to_string);
                break;
            }
        }
        let addr = addr.expect("logs serve announced its address");
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let keep = log.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            while stderr.read_line(&mut line).is_ok_and(|n| n > 0) {
                if let Ok(mut log) = keep.lock() {
                    log.push_str(&line);
                }
                line.clear();
            }
        });
        Server { child, addr, log }
    }

    /// One request; returns (status, headers and body as text).
    pub(crate) fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\ncontent-length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).expect("send head");
        // The server may answer (413) before reading all of a large body.
        let _ = s.write_all(body);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        let text = String::from_utf8_lossy(&out).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no HTTP answer: {text:?}"));
        (status, text)
    }

    /// Waits (bounded) until the server has said `needle` on stderr.
    pub(crate) fn said(&self, needle: &str) -> String {
        for _ in 0..400 {
            let log = self.log.lock().map(|l| l.clone()).unwrap_or_default();
            if log.contains(needle) {
                return log;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        let log = self.log.lock().map(|l| l.clone()).unwrap_or_default();
        panic!("logs serve never said {needle:?}:\n{log}");
    }

    pub(crate) fn post(&self, body: &[u8], extra: &[(&str, &str)]) -> (u16, String) {
        let sig = sign(SECRET, body);
        let mut headers = vec![("x-vercel-signature", sig.as_str())];
        headers.extend_from_slice(extra);
        self.request("POST", "/", &headers, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every stored file, oldest first.
pub(crate) fn stored_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for day in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        for f in std::fs::read_dir(day.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            files.push(f.path());
        }
    }
    files.sort();
    files
}

pub(crate) fn stored(dir: &Path) -> String {
    stored_files(dir)
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read stored"))
        .collect()
}

pub(crate) fn ndjson(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn signed_batches_are_stored_byte_for_byte() {
    let tmp = Dir::new();
    let server = Server::start(tmp.path(), &[]);
    let lines = sample_lines();
    let (a, b) = (&lines[..40], &lines[40..80]);
    let (code, text) = server.post(ndjson(a).as_bytes(), &[]);
    assert_eq!(code, 200, "{text}");
    assert!(text.contains("x-vercel-verify: verify-me"), "{text}");
    assert!(text.contains("{\"stored\":40,\"duplicates\":0}"), "{text}");
    // A JSON array body (a JSON drain) stores the same lines.
    let array = format!("[{}]", b.join(","));
    let (code, text) = server.post(array.as_bytes(), &[]);
    assert_eq!(code, 200, "{text}");
    assert_eq!(stored(tmp.path()), ndjson(&lines[..80]));
    let (code, text) = server.request("GET", "/healthz", &[], b"");
    assert_eq!(code, 200, "{text}");
}

#[test]
fn missing_or_wrong_signatures_store_nothing() {
    let tmp = Dir::new();
    let server = Server::start(tmp.path(), &[]);
    let body = ndjson(&sample_lines()[..5]);
    let wrong_key = sign("another-secret", body.as_bytes());
    let tampered = sign(SECRET, format!("{body} ").as_bytes());
    let upper = sign(SECRET, body.as_bytes()).to_uppercase();
    for headers in [
        vec![],
        vec![("x-vercel-signature", wrong_key.as_str())],
        vec![("x-vercel-signature", tampered.as_str())],
        vec![("x-vercel-signature", upper.as_str())],
        vec![("x-vercel-signature", "")],
    ] {
        let (code, text) = server.request("POST", "/", &headers, body.as_bytes());
        assert_eq!(code, 403, "{headers:?}: {text}");
    }
    assert_eq!(stored(tmp.path()), "");
}

#[test]
fn size_gzip_and_malformed_bodies_get_their_status() {
    let tmp = Dir::new();
    let server = Server::start(
        tmp.path(),
        &["--max-body", "20000", "--max-decoded", "100000"],
    );
    let lines = sample_lines();
    // Larger than --max-body on the wire.
    let big = ndjson(&lines[..60]);
    assert!(big.len() > 20_000);
    assert_eq!(server.post(big.as_bytes(), &[]).0, 413);
    // A gzip bomb: small on the wire, over --max-decoded once decoded.
    let bomb = gzip(&vec![b' '; 1 << 20]);
    assert!(bomb.len() < 20_000);
    assert_eq!(server.post(&bomb, &[("content-encoding", "gzip")]).0, 413);
    // Truncated gzip.
    let good = gzip(ndjson(&lines[..10]).as_bytes());
    let cut = &good[..good.len() / 2];
    assert_eq!(server.post(cut, &[("content-encoding", "gzip")]).0, 400);
    // One malformed record refuses the whole batch.
    let mut bad = lines[..10].to_vec();
    bad[5] = "{\"id\":\"broken\",".into();
    let (code, text) = server.post(ndjson(&bad).as_bytes(), &[]);
    assert_eq!(code, 400, "{text}");
    assert!(text.contains("record 6"), "{text}");
    assert_eq!(stored(tmp.path()), "");
    // A gzip body within the limits is stored as its decoded records.
    let (code, text) = server.post(&good, &[("content-encoding", "gzip")]);
    assert_eq!(code, 200, "{text}");
    assert_eq!(stored(tmp.path()), ndjson(&lines[..10]));
}

#[test]
fn retried_deliveries_are_stored_once() {
    let tmp = Dir::new();
    let server = Server::start(tmp.path(), &[]);
    let lines = sample_lines();
    let body = ndjson(&lines[..20]);
    assert_eq!(server.post(body.as_bytes(), &[]).0, 200);
    let (code, text) = server.post(body.as_bytes(), &[]);
    assert_eq!(code, 200, "{text}");
    assert!(text.contains("{\"stored\":0,\"duplicates\":20}"), "{text}");
    // An overlapping batch stores only its new records.
    let (code, text) = server.post(ndjson(&lines[10..30]).as_bytes(), &[]);
    assert!(
        code == 200 && text.contains("{\"stored\":10,\"duplicates\":10}"),
        "{text}"
    );
    assert_eq!(stored(tmp.path()), ndjson(&lines[..30]));
}

/// `kill -9` while a client is delivering, a half-written line left at the
/// end as a crash mid-write leaves it, restart, redeliver everything (as
/// Vercel retries): every acknowledged record is stored exactly once.
#[test]
fn kill_9_loses_no_acknowledged_record() {
    let tmp = Dir::new();
    let lines = sample_lines();
    let batches: Vec<Vec<String>> = lines.chunks(25).map(<[String]>::to_vec).collect();
    let mut server = Server::start(tmp.path(), &[]);
    let (tx, rx) = std::sync::mpsc::channel::<usize>();
    let addr = server.addr.clone();
    let sending = batches.clone();
    let client = std::thread::spawn(move || {
        for (i, b) in sending.iter().enumerate() {
            let body = ndjson(b);
            let sig = sign(SECRET, body.as_bytes());
            let Ok(mut s) = TcpStream::connect(&addr) else {
                return;
            };
            let head = format!(
                "POST / HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: {}\r\nx-vercel-signature: {sig}\r\n\r\n",
                body.len()
            );
            let _ = s
                .write_all(head.as_bytes())
                .and_then(|()| s.write_all(body.as_bytes()));
            let mut out = String::new();
            let _ = s.read_to_string(&mut out);
            if !out.starts_with("HTTP/1.1 200") {
                return;
            }
            if tx.send(i).is_err() {
                return;
            }
        }
    });
    // Kill after a few acknowledgements, while the client keeps sending.
    let mut acked = Vec::new();
    for _ in 0..5 {
        acked.push(rx.recv().expect("an acknowledgement"));
    }
    server.child.kill().expect("kill -9");
    let _ = server.child.wait();
    let _ = client.join();
    acked.extend(rx.try_iter());
    let files = stored_files(tmp.path());
    let last = files.last().expect("a stored file");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(last)
        .expect("open");
    f.write_all(b"{\"id\":\"half-writ").expect("half line");
    drop(f);
    drop(server);
    let server = Server::start(tmp.path(), &[]);
    for b in &batches {
        let (code, text) = server.post(ndjson(b).as_bytes(), &[]);
        assert_eq!(code, 200, "{text}");
    }
    let text = stored(tmp.path());
    assert!(!text.contains("half-writ"));
    let stored_lines: Vec<&str> = text.lines().collect();
    for i in &acked {
        for l in &batches[*i] {
            assert_eq!(stored_lines.iter().filter(|s| **s == l).count(), 1);
        }
    }
    let mut sorted = stored_lines.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), stored_lines.len(), "a record stored twice");
    assert_eq!(stored_lines.len(), lines.len());
}

#[test]
fn other_commands_read_the_directory_and_status_agrees_with_rollback() {
    let tmp = Dir::new();
    let server = Server::start(tmp.path(), &[]);
    let lines = sample_lines();
    for b in lines.chunks(100) {
        assert_eq!(server.post(ndjson(b).as_bytes(), &[]).0, 200);
    }
    let files: Vec<String> = stored_files(tmp.path())
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let (code, report) = check_json(&[&["--no-config"], args.as_slice()].concat(), None);
    assert!(code == 0 || code == 1, "{report}");
    assert_eq!(report["records"], lines.len());
    assert_eq!(report["malformed"], 0);
    let (code, status) = server.request("GET", "/status", &[], b"");
    assert_eq!(code, 200, "{status}");
    let body = status.split("\r\n\r\n").nth(1).expect("a body");
    let live: serde_json::Value = serde_json::from_str(body).expect("status JSON");
    let out = logs()
        .args([
            "--no-config",
            "rollback",
            "--deployment",
            CANARY,
            "--format",
            "json",
        ])
        .args(&files)
        .output()
        .expect("run logs rollback");
    let batch: serde_json::Value = serde_json::from_slice(&out.stdout).expect("rollback JSON");
    assert_eq!(live["schema"], "logs.rollback/v1");
    assert_eq!(live["decision"], "rollback");
    assert_eq!(live, batch);
}

#[test]
fn the_secret_comes_from_a_file_or_the_environment_only() {
    let tmp = Dir::new();
    let out = logs()
        .args([
            "--no-config",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--canary",
            CANARY,
        ])
        .arg("--dir")
        .arg(tmp.path())
        .output()
        .expect("run logs serve");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("LOGS_DRAIN_SECRET"), "{stderr}");
    // --secret-file wins over the environment; one trailing newline is dropped.
    let file = tmp.file("secret", "from-the-file\n");
    let dir = tmp.path().join("drain");
    let server = Server::start(&dir, &["--secret-file", &file.display().to_string()]);
    let body = ndjson(&sample_lines()[..3]);
    let env_sig = sign(SECRET, body.as_bytes());
    let file_sig = sign("from-the-file", body.as_bytes());
    let post =
        |sig: &str| server.request("POST", "/", &[("x-vercel-signature", sig)], body.as_bytes());
    assert_eq!(post(&env_sig).0, 403);
    assert_eq!(post(&file_sig).0, 200);
    assert_eq!(stored(&dir), body);
}

//! `logs serve`'s live side through the real binary: the page on `GET /`
//! rendered by headless Chromium (escaped, redacted, self-contained), the
//! notification posted to a local receiver on a change of decision (one
//! failed try, then success), and `--canary auto` agreeing with `logs
//! rollback` on the stored files. Every wait is a bounded loop.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use crate::common::{Dir, logs};
use crate::serve::{CANARY, Server, ndjson, sample_lines, stored_files};

/// The sample with one signature line made hostile: markup, a script, an
/// email address and a bearer token in its message.
fn hostile_sample() -> Vec<String> {
    let mut lines = sample_lines();
    let i = (lines.iter())
        .rposition(|l| l.contains("invalid-use-server-value"))
        .expect("a signature line");
    let mut v: serde_json::Value = serde_json::from_str(&lines[i]).expect("json");
    let msg = v["message"].as_str().expect("message").to_string();
    v["message"] = format!(
        "<img src=x onerror=alert(1)><script>alert(2)</script> jane.doe@example.com Bearer abcdefghijklmnop0123456789 {msg}"
    )
    .into();
    lines[i] = v.to_string();
    lines
}

fn body(http: &str) -> &str {
    http.split("\r\n\r\n").nth(1).unwrap_or("")
}

#[test]
fn the_page_renders_in_headless_chromium_escaped_and_redacted() {
    let tmp = Dir::new();
    let server = Server::start(tmp.path(), &[]);
    assert_eq!(
        server.post(ndjson(&hostile_sample()).as_bytes(), &[]).0,
        200
    );
    let (code, page) = server.request("GET", "/", &[], b"");
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("content-type: text/html"), "{page}");
    let html = body(&page);
    for hostile in [
        "<img",
        "<script",
        "jane.doe@example.com",
        "abcdefghijklmnop0123456789",
    ] {
        assert!(
            !html.contains(hostile),
            "{hostile} reached the page:\n{html}"
        );
    }
    assert!(html.contains("&lt;img src=x"), "{html}");
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    assert!(html.contains("http-equiv=\"refresh\""), "{html}");
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
        .unwrap_or_else(|| {
            panic!("headless Chromium is needed for this test: apt-get install -y chromium (tests/run.sh installs it)")
        });
    let profile = tmp.path().join("chromium-profile");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("http://{}/", server.addr))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The browser built the tables from the page: the decision, each rule,
    // the minute bars and the latest signatures, and no element from a log.
    assert!(
        dom.contains("<h1 id=\"decision\" class=\"rollback\">ROLLBACK NOW"),
        "{dom}"
    );
    assert!(dom.contains("<table id=\"rules\">"), "{dom}");
    assert!(
        dom.contains("Server Action 500s right after deploy"),
        "{dom}"
    );
    assert!(dom.contains("<table id=\"per-minute\">"), "{dom}");
    assert!(dom.contains("next-invalid-use-server-export"), "{dom}");
    assert!(dom.contains("[email]"), "{dom}");
    assert!(!dom.contains("<img") && !dom.contains("<script"), "{dom}");
    assert_eq!(
        dom.matches("<tr class=").count(),
        8,
        "one row per rule: {dom}"
    );
}

/// Reads one HTTP request (head and content-length body).
fn read_request(stream: &mut std::net::TcpStream) -> (String, Vec<u8>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).expect("read request");
        assert!(n > 0, "request cut short");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = (head.lines())
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .expect("content-length");
            let mut body = buf[end + 4..].to_vec();
            while body.len() < len {
                let n = stream.read(&mut chunk).expect("read body");
                assert!(n > 0, "body cut short");
                body.extend_from_slice(&chunk[..n]);
            }
            return (head, body);
        }
    }
}

#[test]
fn a_change_of_decision_is_notified_with_retries() {
    let receiver = TcpListener::bind("127.0.0.1:0").expect("bind");
    receiver.set_nonblocking(true).expect("nonblocking");
    let url = format!(
        "http://{}/hooks/T0/B0",
        receiver.local_addr().expect("addr")
    );
    let tmp = Dir::new();
    let server = Server::start(tmp.path(), &["--notify", &url, "--notify-backoff-ms", "50"]);
    assert_eq!(server.post(ndjson(&sample_lines()).as_bytes(), &[]).0, 200);
    let mut got = Vec::new();
    // Bounded: a tick a second judges again; two tries are expected.
    for _ in 0..600 {
        match receiver.accept() {
            Ok((mut s, _)) => {
                s.set_nonblocking(false).expect("blocking");
                let (head, body) = read_request(&mut s);
                // The first try fails, the second succeeds.
                let answer = if got.is_empty() {
                    "500 Internal Server Error"
                } else {
                    "200 OK"
                };
                let _ = write!(
                    s,
                    "HTTP/1.1 {answer}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
                got.push((head, body));
                if got.len() == 2 {
                    break;
                }
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    assert_eq!(
        got.len(),
        2,
        "two tries: {:?}",
        server.log.lock().map(|l| l.clone())
    );
    assert_eq!(got[0].1, got[1].1, "the retry sends the same notice");
    let (head, body) = &got[1];
    assert!(head.starts_with("post /hooks/t0/b0 http/1.1"), "{head}");
    assert!(head.contains("content-type: application/json"), "{head}");
    let notice: serde_json::Value = serde_json::from_slice(body).expect("JSON notice");
    let text = notice["text"].as_str().expect("text");
    assert!(
        text.starts_with("ROLLBACK NOW — dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L"),
        "{text}"
    );
    assert!(
        text.contains("• server-action-500s (&gt; 3 unique in 10 min)"),
        "{text}"
    );
    assert!(text.contains("• error-rate-vs-baseline"), "{text}");
    assert!(
        text.contains(
            "Runbook: roll back if more than 3 unique Server Action 500s in the first 10 minutes"
        ),
        "{text}"
    );
    assert_eq!(notice["blocks"][0]["text"]["text"], text);
    assert_eq!(notice["decision"], "rollback");
    let log = server.log.lock().expect("log").clone();
    assert!(
        log.contains("notifying") && log.contains("answered 500"),
        "{log}"
    );
    // No change of decision, no second notice.
    assert_eq!(server.post(ndjson(&sample_lines()).as_bytes(), &[]).0, 200);
}

#[test]
fn notify_refuses_what_is_not_an_http_or_https_url() {
    let tmp = Dir::new();
    for url in ["ftp://hooks.example.com/x", "not a url", "https:///no-host"] {
        let out = logs()
            .args(["--no-config", "serve", "--canary", CANARY, "--notify", url])
            .arg("--dir")
            .arg(tmp.path())
            .env("LOGS_DRAIN_SECRET", "s")
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{url}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--notify"), "{err}");
    }
}

#[test]
fn canary_auto_judges_the_newest_production_deployment_as_rollback_does() {
    let tmp = Dir::new();
    let server = Server::start(tmp.path(), &["--canary", "auto"]);
    let lines = sample_lines();
    for b in lines.chunks(150) {
        assert_eq!(server.post(ndjson(b).as_bytes(), &[]).0, 200);
    }
    let (code, status) = server.request("GET", "/status", &[], b"");
    assert_eq!(code, 200, "{status}");
    let live: serde_json::Value = serde_json::from_str(body(&status)).expect("status JSON");
    assert_eq!(live["deployment"], CANARY);
    assert_eq!(live["baseline"], "dpl_8mFwq2XoYb7TcJ3hLk9sNv4RzPd1");
    let out = logs()
        .args(["--no-config", "rollback", "--deployment", CANARY])
        .args([
            "--baseline",
            "dpl_8mFwq2XoYb7TcJ3hLk9sNv4RzPd1",
            "--format",
            "json",
        ])
        .args(stored_files(tmp.path()))
        .output()
        .expect("run logs rollback");
    let batch: serde_json::Value = serde_json::from_slice(&out.stdout).expect("rollback JSON");
    assert_eq!(live, batch);
    let log = server.log.lock().expect("log").clone();
    assert!(
        log.contains("--canary auto: judging dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L"),
        "{log}"
    );
}

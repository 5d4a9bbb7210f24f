//! Redaction through the binary, in every output that shows log text: each
//! secret of the redaction corpus (`tests/real/redaction.toml`) and a few
//! more kinds (AWS key ids, IPv6, bare JWTs, Slack tokens, `sk_test_`,
//! US phone numbers) is put in the messages and paths of real-shaped
//! records, and must be absent from `check` (table, JSON, Markdown, GitHub,
//! JUnit), `audit` (table, JSON, Markdown, HTML, the `--suggest` stubs and
//! the `--save-state` file), `templates` (table, JSON; exports and plain
//! text) and `rollback` (table, JSON, Markdown).
//!
//! The same message repeats in each input, so a template would keep the
//! secret as a literal word unless redaction removed it.

use std::path::Path;

use crate::common::{Dir, logs};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct Corpus {
    secret: Vec<Secret>,
}

#[derive(Deserialize, Clone)]
struct Secret {
    text: String,
    gone: Vec<String>,
}

fn secrets() -> Vec<Secret> {
    let path = format!("{}/tests/real/redaction.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("redaction.toml");
    let mut all = toml::from_str::<Corpus>(&text).expect("parses").secret;
    let more: [(&str, &[&str]); 7] = [
        (
            "aws key id AKIAIOSFODNN7EXAMPLE refused",
            &["AKIAIOSFODNN7EXAMPLE"],
        ),
        (
            "client 2001:db8:85a3::8a2e:370:7334 blocked",
            &["2001:db8:85a3::8a2e:370:7334"],
        ),
        (
            "session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyXzQyIn0.c2lnbmF0dXJlXzEyMzQ1 expired",
            &["eyJhbGciOiJIUzI1NiJ9", "c2lnbmF0dXJlXzEyMzQ1"],
        ),
        (
            "slack xoxb-1234567890-abcdefghij failed",
            &["xoxb-1234567890-abcdefghij"],
        ),
        (
            "charge with sk_test_4eC39HqLyjWDarjtT1zdp7dc declined",
            &["sk_test_4eC39HqLyjWDarjtT1zdp7dc"],
        ),
        ("call (415) 555-0123 back", &["555-0123"]),
        (
            "reset link for bob.smith+crm@example.org sent",
            &["bob.smith+crm@example.org"],
        ),
    ];
    all.extend(more.iter().map(|(t, g)| Secret {
        text: t.to_string(),
        gone: g.iter().map(|s| s.to_string()).collect(),
    }));
    all
}

const T0: i64 = 1_768_813_200_000; // 2026-01-19T09:00:00Z
const NEW: &str = "dpl_NEW";
const OLD: &str = "dpl_OLD";

fn record(t: i64, deployment: &str, status: u16, level: &str, message: &str, path: &str) -> String {
    json!({
        "id": format!("{t}"),
        "deploymentId": deployment,
        "source": "lambda",
        "host": "app.vercel.app",
        "timestamp": t,
        "level": level,
        "message": message,
        "type": "stderr",
        "path": path,
        "statusCode": status,
        "environment": "production",
        "proxy": {"method": "POST", "path": path, "userAgent": ["Mozilla/5.0"], "statusCode": status}
    })
    .to_string()
}

/// An export for `secret`: known errors (the Prisma unique constraint) and
/// unknown ones carrying it, each three times, with paths holding it.
fn export(secret: &str) -> String {
    let mut lines = Vec::new();
    for k in 0..3 {
        let t = T0 + k * 60_000;
        let path = format!("/reset/{secret}");
        lines.push(record(
            t,
            NEW,
            500,
            "error",
            &format!("Unique constraint failed on the fields: (`email`) {secret}"),
            &path,
        ));
        lines.push(record(
            t + 1,
            NEW,
            500,
            "error",
            &format!("Webhook delivery rejected {secret}"),
            &path,
        ));
    }
    lines.join("\n") + "\n"
}

/// A canary with Server Action 500s carrying `secret` in their messages and
/// paths (the top offenders show both), against a clean baseline.
fn canary(secret: &str) -> String {
    let mut lines = Vec::new();
    for m in -30..20i64 {
        for k in 0..3 {
            let t = T0 + m * 60_000 + k * 1000;
            lines.push(record(t, OLD, 200, "info", "POST /leads/1 200", "/leads/1"));
        }
    }
    for m in 0..20i64 {
        let t = T0 + m * 60_000 + 500;
        lines.push(record(t, NEW, 200, "info", "POST /leads/2 200", "/leads/2"));
        let message = format!(
            "⨯ Error: sync failed {secret}\n{{ digest: '{}@E{m}' }}",
            1000 + m
        );
        let path = format!("/leads/3/{secret}");
        lines.push(record(t + 1, NEW, 500, "error", &message, &path));
    }
    lines.join("\n") + "\n"
}

fn leaks(secret: &Secret, what: &str, out: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(out);
    secret
        .gone
        .iter()
        .filter(|g| text.contains(g.as_str()))
        .map(|g| format!("{what} shows {g:?} (from {:?})", secret.text))
        .collect()
}

fn run(args: &[&str]) -> Vec<u8> {
    let out = logs().args(args).output().expect("run logs");
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "logs {args:?} exited {code:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    [out.stdout, out.stderr].concat()
}

fn folder_bytes(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(dir).expect("folder").flatten() {
        all.extend(std::fs::read(e.path()).expect("read"));
    }
    all
}

/// The outputs of every command for one secret (`all`: in every format;
/// else the JSON ones, the state and the stubs); the leaks found.
fn outputs_of(secret: &Secret, all: bool) -> Vec<String> {
    let formats = |every: &'static [&'static str]| -> &'static [&'static str] {
        if all { every } else { &every[..1] }
    };
    let d = Dir::new();
    let export = d.file("export.ndjson", export(&secret.text));
    let export = export.to_str().expect("path");
    let text = d.file("messages.txt", format!("{0}\n{0}\n{0}\n", secret.text));
    let text = text.to_str().expect("path");
    let canary = d.file("canary.ndjson", canary(&secret.text));
    let canary = canary.to_str().expect("path");
    let state = d.path().join("state.json");
    let stubs = d.path().join("stubs");
    let mut found = Vec::new();
    for &f in formats(&["json", "table", "markdown", "github", "junit"]) {
        let out = run(&["check", export, "--format", f]);
        found.extend(leaks(secret, &format!("check --format {f}"), &out));
    }
    for &f in formats(&["json", "table", "markdown", "html"]) {
        let out = run(&["audit", export, "--format", f]);
        found.extend(leaks(secret, &format!("audit --format {f}"), &out));
    }
    let state_s = state.to_str().expect("path");
    let stubs_s = stubs.to_str().expect("path");
    run(&[
        "audit",
        export,
        "--save-state",
        state_s,
        "--suggest",
        stubs_s,
    ]);
    found.extend(leaks(
        secret,
        "the audit state",
        &std::fs::read(&state).expect("state"),
    ));
    found.extend(leaks(secret, "the audit stubs", &folder_bytes(&stubs)));
    for &f in formats(&["json", "table"]) {
        let out = run(&["templates", export, "--format", f]);
        found.extend(leaks(secret, &format!("templates --format {f}"), &out));
        let out = run(&["templates", "--input-format", "text", text, "--format", f]);
        found.extend(leaks(
            secret,
            &format!("templates (text) --format {f}"),
            &out,
        ));
    }
    for &f in formats(&["json", "table", "markdown"]) {
        let out = run(&["rollback", canary, "--deployment", NEW, "--format", f]);
        found.extend(leaks(secret, &format!("rollback --format {f}"), &out));
    }
    found
}

#[test]
fn no_secret_reaches_any_output() {
    let all = secrets();
    assert!(all.len() >= 30, "{} secrets", all.len());
    // Every secret in the JSON outputs, the state and the stubs; one in
    // four in every format too (the printers show the strings the JSON
    // holds: this keeps the run to seconds). Two workers.
    let jobs: Vec<(usize, &Secret)> = all.iter().enumerate().collect();
    let (a, b) = jobs.split_at(jobs.len() / 2);
    let found: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = [a, b]
            .into_iter()
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .flat_map(|&(i, secret)| outputs_of(secret, i % 4 == 0))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    });
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_test_input_shows_its_text_where_nothing_is_secret() {
    // The inputs above reach every output: a harmless word in the secret's
    // place is shown by each of them.
    let word = Secret {
        text: "zebracorn".into(),
        gone: vec!["zebracorn".into()],
    };
    let found = outputs_of(&word, true);
    for what in [
        "check --format json",
        "check --format table",
        "check --format markdown",
        "check --format github",
        "check --format junit",
        "audit --format json",
        "audit --format html",
        "the audit state",
        "the audit stubs",
        "templates --format json",
        "templates (text) --format json",
        "rollback --format json",
        "rollback --format markdown",
    ] {
        assert!(
            found
                .iter()
                .any(|f| f.starts_with(&format!("{what} shows"))),
            "{what} never shows the message text: {found:#?}"
        );
    }
}

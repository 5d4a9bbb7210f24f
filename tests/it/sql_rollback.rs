//! `logs sql rollback` + `logs rollback --from-sql-results`: the rules'
//! measures computed by the generated SQL in ClickHouse (chdb), judged by
//! the Rust judge, give the same report as `logs rollback` on the same
//! drain files: decision, every rule's verdict, numbers and finding. Only
//! the top offenders (per-request evidence a measure does not carry) are
//! left out of the comparison.

use std::path::{Path, PathBuf};

use crate::common::chdb::{logs_text, run_sql};
use crate::common::{Dir, logs};
use logs::generate::{Event, Export, WriteOptions, merge, request, traffic, write_events};

const T0: i64 = 1_768_813_200_000;
const MIN: i64 = 60_000;
const OLD: &str = "dpl_8mFwq2XoYb7TcJ3hLk9sNv4RzPd1";
const NEW: &str = "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L";

fn drain_file(dir: &Dir, name: &str, events: Vec<Event>) -> PathBuf {
    let mut out = Vec::new();
    let shape = Export::from_name("drain-ndjson").expect("shape");
    write_events(shape, merge([events]), &WriteOptions::default(), &mut out).expect("write");
    dir.file(name, out)
}

/// A baseline from 30 minutes before the deploy, and a canary for
/// `minutes` after it, both clean, 7 requests a minute.
fn clean(minutes: u32) -> Vec<Event> {
    let mut all = traffic(3, OLD, T0 - 30 * MIN, 30 + minutes, 7);
    all.extend(traffic(4, NEW, T0, minutes, 7));
    all
}

/// (exit code, report JSON without the offenders).
fn report(args: &[&str]) -> (i32, serde_json::Value) {
    let out = logs()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run logs");
    let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "logs {args:?}: {e}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    json.as_object_mut().expect("object").remove("offenders");
    (out.status.code().unwrap_or(-1), json)
}

/// Runs both paths on `file` with `flags` and requires the same report;
/// returns the decision.
fn same_decision(file: &Path, flags: &[&str]) -> String {
    let path = file.to_str().unwrap();
    let mut scan_args = vec!["rollback", path];
    scan_args.extend(flags);
    let (scan_code, scan) = report(&scan_args);
    let mut sql_args = vec!["sql", "rollback"];
    sql_args.extend(flags);
    let rows = run_sql(&[file], &logs_text(&sql_args));
    let dir = Dir::new();
    let lines: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
    let results = dir.file("results.ndjson", lines.join("\n") + "\n");
    let mut judge_args = vec!["rollback", "--from-sql-results", results.to_str().unwrap()];
    judge_args.extend(flags);
    let (sql_code, sql) = report(&judge_args);
    assert_eq!(
        serde_json::to_string_pretty(&sql).unwrap(),
        serde_json::to_string_pretty(&scan).unwrap(),
        "{flags:?}: the SQL measures judge differently from the scan"
    );
    assert_eq!(sql_code, scan_code);
    scan["decision"].as_str().unwrap().to_string()
}

#[test]
fn the_canary_samples_decide_the_same() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/canary-rollback.ndjson");
    assert_eq!(same_decision(&sample, &["--deployment", NEW]), "rollback");
    assert_eq!(
        same_decision(&sample, &["--deployment", NEW, "--baseline", OLD]),
        "rollback"
    );
    let dir = Dir::new();
    let proceed = drain_file(&dir, "proceed.ndjson", clean(45));
    assert_eq!(same_decision(&proceed, &["--deployment", NEW]), "proceed");
    // The deployment named by its URL host, as users copy it.
    let early = drain_file(&dir, "early.ndjson", clean(8));
    assert_eq!(same_decision(&early, &["--deployment", NEW]), "hold");
}

#[test]
fn every_rule_fails_the_same_way() {
    let dir = Dir::new();
    // Auth failures: a third of the canary's requests answer 401.
    let mut auth = clean(40);
    for i in 0..120 {
        auth.push(request(
            T0 + i * 20_000,
            NEW,
            "GET",
            "/api/leads",
            "/api/leads",
            401,
        ));
    }
    let f = drain_file(&dir, "auth.ndjson", auth);
    assert_eq!(same_decision(&f, &["--deployment", NEW]), "rollback");
    // Database connectivity: P1001 three times in ten minutes.
    let mut db = clean(35);
    for i in 0..4 {
        db.push(
            request(T0 + 5 * MIN + i * 60_000, NEW, "GET", "/api/leads", "/api/leads", 500)
                .with_level("error")
                .with_message("PrismaClientInitializationError: Can't reach database server at `db.example.com`:`5432`"),
        );
    }
    let f = drain_file(&dir, "db.ndjson", db);
    assert_eq!(same_decision(&f, &["--deployment", NEW]), "rollback");
    // Latency: the canary's p95 above 1.5 s for two windows in a row.
    let mut slow = clean(35);
    for i in 0..200 {
        slow.push(
            request(T0 + i * 9_000, NEW, "GET", "/inbox", "/inbox", 200).with_duration(2_400),
        );
    }
    let f = drain_file(&dir, "slow.ndjson", slow);
    assert_eq!(same_decision(&f, &["--deployment", NEW]), "rollback");
    // Render errors from signatures, and a given deploy time and now.
    let mut render = clean(40);
    for i in 0..30 {
        render.push(
            request(T0 + i * 60_000, NEW, "GET", "/inbox", "/inbox", 500)
                .with_level("error")
                .with_message("Error: Minified React error #301; visit https://react.dev/errors/301 for the full message"),
        );
    }
    let f = drain_file(&dir, "render.ndjson", render);
    let flags = [
        "--deployment",
        NEW,
        "--deploy-time",
        "2026-01-19T09:00:00Z",
        "--now",
        "2026-01-19T09:35:00Z",
    ];
    assert_eq!(same_decision(&f, &flags), "rollback");
}

#[test]
fn results_of_another_canary_or_span_are_refused() {
    let dir = Dir::new();
    let f = drain_file(&dir, "c.ndjson", clean(10));
    let rows = run_sql(&[&f], &logs_text(&["sql", "rollback", "--deployment", NEW]));
    let lines: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
    let results = dir.file("r.ndjson", lines.join("\n") + "\n");
    let r = results.to_str().unwrap();
    logs()
        .args(["rollback", "--from-sql-results", r, "--deployment", OLD])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not \"dpl_8mFw"));
    logs()
        .args([
            "rollback",
            "--from-sql-results",
            r,
            "--deployment",
            NEW,
            "--now",
            "2026-01-19T10:00:00Z",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--now"));
    let bad = dir.file(
        "bad.ndjson",
        "{\"measure\":\"{\\\"rule\\\":\\\"latency\\\"}\"}\n",
    );
    logs()
        .args([
            "rollback",
            "--from-sql-results",
            bad.to_str().unwrap(),
            "--deployment",
            NEW,
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.ndjson:1:"));
}

//! `logs audit` output formats through the real binary: a self-contained
//! HTML page with one chart per signature, Markdown and table layouts,
//! redaction everywhere, stubs written by --suggest that the catalog
//! accepts, help, and errors.

use crate::common::weeks;

use crate::common::{Dir, logs};
use predicates::prelude::*;
use regex::Regex;
use weeks::write_weeks;

fn run(files: &[String], extra: &[&str]) -> (i32, String) {
    let out = logs()
        .arg("audit")
        .args(files)
        .args(extra)
        .output()
        .expect("run logs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn html_is_self_contained_with_one_chart_per_signature() {
    let d = Dir::new();
    let files = write_weeks(&d);
    let (code, html) = run(&files, &["--format", "html"]);
    assert_eq!(code, 0);
    let (_, json) = run(&files, &["--format", "json"]);
    let r: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.trim_end().ends_with("</html>"));
    let remote = Regex::new(r#"(?i)(src|href)\s*=\s*["']?\s*(https?:)?//"#).expect("regex");
    assert!(!remote.is_match(&html), "loads something from the network");
    assert!(!html.contains("<script"), "needs no JavaScript");
    assert!(!html.contains("<link"), "styles are inline");
    let signatures = r["signatures"].as_array().expect("signatures").len();
    assert_eq!(signatures, 3);
    assert_eq!(
        html.matches(r#"class="chart sig-chart""#).count(),
        signatures
    );
    assert_eq!(html.matches(r#"class="chart unknown-chart""#).count(), 1);
    for s in [
        "prisma-db-unreachable",
        "vercel-function-timeout",
        "Checkout failed for order &lt;*&gt;",
    ] {
        assert!(html.contains(s), "{s}");
    }
}

#[test]
fn markdown_and_table_call_out_new_and_resolved_first() {
    let d = Dir::new();
    let files = write_weeks(&d);
    let (code, md) = run(&files, &["--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(md.starts_with("## Error audit: 2026-W04"), "{md}");
    let new = md.find("New in 2026-W04").expect("new call-out");
    let resolved = md
        .find("Resolved (absent from 2026-W04)")
        .expect("resolved call-out");
    let table = md.find("### Known signatures").expect("signature table");
    assert!(new < table && resolved < table);
    assert!(md.contains("| W02 | W03 | W04 |"), "{md}");
    assert!(md.contains("```toml"));
    let (code, table) = run(&files, &[]);
    assert_eq!(code, 0, "an audit is a report: findings do not fail it");
    assert!(
        table.starts_with("AUDIT 2026-W02 to 2026-W04 (3 weeks)"),
        "{table}"
    );
    assert!(
        table.contains("NEW in 2026-W04") && table.contains("+ signature vercel-function-timeout")
    );
    assert!(table.contains("- signature prisma-db-unreachable"));
}

#[test]
fn examples_are_redacted_in_every_format() {
    let d = Dir::new();
    let line = |ts: i64, who: &str| {
        crate::common::drain(
            ts,
            &format!("Refund failed for {who} from 203.0.113.9: gateway said no"),
            "",
        )
    };
    let body = [
        line(1_768_813_460_000, "jane.doe@example.com"),
        line(1_768_813_470_000, "sam@example.org"),
    ]
    .join("\n");
    let p = d.file("x.ndjson", body).to_str().expect("path").to_string();
    for format in ["table", "markdown", "json", "html"] {
        let (_, out) = run(std::slice::from_ref(&p), &["--format", format]);
        assert!(out.contains("Refund failed for"), "{format}: {out}");
        assert!(
            !out.contains("jane.doe") && !out.contains("203.0.113.9"),
            "{format}: {out}"
        );
    }
}

#[test]
fn suggested_stubs_are_valid_catalog_files() {
    let d = Dir::new();
    let files = write_weeks(&d);
    let stubs = d.path().join("stubs");
    logs()
        .arg("audit")
        .args(&files)
        .arg("--suggest")
        .arg(&stubs)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("wrote 1 signature stub(s)"));
    let written: Vec<_> = std::fs::read_dir(&stubs).expect("stubs folder").collect();
    assert_eq!(written.len(), 1);
    logs()
        .args(["signatures", "test"])
        .arg(&stubs)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "1 signatures, 3 examples, 0 failed",
        ));
    // With the stub in the catalog, the unknown group becomes a signature.
    let out = logs()
        .arg("audit")
        .args(&files)
        .arg("--signatures")
        .arg(&stubs)
        .args(["--format", "json"])
        .output()
        .expect("run");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(r["unknown"].as_array().map(Vec::len), Some(0));
    assert!(
        r["signatures"]
            .as_array()
            .expect("list")
            .iter()
            .any(|s| s["total"] == 11)
    );
}

#[test]
fn help_bad_flags_and_bad_state() {
    logs()
        .args(["audit", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("--save-state audit-state.json"));
    let d = Dir::new();
    let files = write_weeks(&d);
    let bad = d.file("state.json", r#"{"schema":"logs.check/v1"}"#);
    logs()
        .arg("audit")
        .args(&files)
        .arg("--state")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an audit state file"));
    logs()
        .args(["audit", "--period", "month", &files[0]])
        .assert()
        .code(2);
    logs()
        .args(["audit", "/no/such/export.ndjson"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/no/such/export.ndjson"));
}

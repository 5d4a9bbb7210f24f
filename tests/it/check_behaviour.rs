//! `logs check` behaviour through the real binary: fields and look-alikes,
//! filters, severities, output formats, redaction, pipes.

use crate::common::{Dir, check_json, counts, drain, logs};
use predicates::prelude::*;

const P1001: &str = "PrismaClientInitializationError: Can't reach database server at `db.example.supabase.co`:`5432`";
const DEP: &str =
    "(node:4) [DEP0169] DeprecationWarning: `url.parse()` behavior is not standardized";

fn one(body: &str) -> (Dir, String) {
    let d = Dir::new();
    let p = d.file("x.ndjson", body).to_str().unwrap().to_string();
    (d, p)
}

#[test]
fn anchors_in_other_fields_or_inside_tokens_are_not_hits() {
    let body = [
        drain(1, "GET served in 12ms", r#","requestId":"P2002""#)
            .replace("/leads/42", "/docs/errors/P2002"),
        drain(2, "Invoice INV-P20021 paid", ""),
        drain(3, "Order SKU E352-blue shipped", ""),
        drain(4, "digest: '4171760897@E3521'", ""),
    ]
    .join("\n");
    let (_d, p) = one(&body);
    let (code, r) = check_json(&[&p], None);
    assert_eq!(code, 0);
    assert!(counts(&r).is_empty(), "{r}");
}

#[test]
fn a_record_counts_once_per_signature_and_distinct_fingerprints_are_counted() {
    let twice = format!("{P1001}\n{P1001}");
    let body = [
        drain(1, &twice, ""),
        drain(
            2,
            "Can't reach database server at `other-host.example.com`:`6543`",
            "",
        ),
        drain(3, P1001, ""),
    ]
    .join("\n");
    let (_d, p) = one(&body);
    let (_, r) = check_json(&[&p], None);
    let f = &r["findings"][0];
    assert_eq!(f["count"], 3);
    assert_eq!(f["distinct"], 2);
}

#[test]
fn fail_on_ignore_and_info_level() {
    let (_d, p) = one(&format!("{}\n", drain(1, DEP, "")));
    let (code, r) = check_json(&[&p], None);
    assert_eq!(code, 0, "info-level hits never fail by default");
    assert_eq!(counts(&r), [("node-deprecation-warning".to_string(), 1)]);
    assert_eq!(check_json(&[&p, "--fail-on", "info"], None).0, 1);
    let (_d2, p2) = one(&format!("{}\n", drain(1, P1001, "")));
    assert_eq!(check_json(&[&p2, "--fail-on", "critical"], None).0, 1);
    let (code, r) = check_json(&[&p2, "--ignore", "prisma-db-unreachable"], None);
    assert_eq!((code, counts(&r).len()), (0, 0));
    logs()
        .args(["check", &p2, "--ignore", "no-such-signature"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such signature"));
}

#[test]
fn filters_by_time_deployment_and_environment() {
    let t0 = 1_768_813_460_000i64;
    let body = [
        drain(t0, P1001, ""),
        drain(t0 + 60_000, P1001, "").replace("dpl_A", "dpl_B"),
        drain(t0 + 120_000, P1001, "").replace("production", "preview"),
    ]
    .join("\n");
    let (_d, p) = one(&body);
    let n = |args: &[&str]| {
        let mut all = vec![p.as_str()];
        all.extend_from_slice(args);
        counts(&check_json(&all, None).1).first().map_or(0, |c| c.1)
    };
    assert_eq!(n(&[]), 3);
    assert_eq!(n(&["--since", "2026-01-19T09:05:00Z"]), 2);
    assert_eq!(n(&["--until", "2026-01-19T09:05:00Z"]), 1);
    assert_eq!(n(&["--deployment", "dpl_B"]), 1);
    assert_eq!(n(&["--environment", "preview"]), 1);
    logs()
        .args(["check", &p, "--since", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("RFC 3339"));
}

#[test]
fn samples_are_redacted_in_every_format() {
    let msg = format!(
        "{P1001} for jane.doe@example.com from 203.0.113.7 with Bearer abcdefghijklmnop1234"
    );
    let (_d, p) = one(&format!("{}\n", drain(1, &msg, "")));
    for format in ["table", "json", "markdown", "github"] {
        let out = logs()
            .args(["check", &p, "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("jane.doe"), "{format}: {text}");
        assert!(!text.contains("203.0.113.7"), "{format}");
        assert!(!text.contains("abcdefghijklmnop1234"), "{format}");
        assert!(text.contains("prisma-db-unreachable"), "{format}");
    }
}

#[test]
fn json_is_the_versioned_contract() {
    let (_d, p) = one(&format!("{}\n", drain(1_768_813_460_047, P1001, "")));
    let (_, r) = check_json(&[&p], None);
    assert_eq!(r["schema"], "logs.check/v1");
    for key in ["records", "malformed", "inputs", "findings", "failed"] {
        assert!(r.get(key).is_some(), "{key}");
    }
    for key in ["path", "format", "records", "malformed", "bytes"] {
        assert!(r["inputs"][0].get(key).is_some(), "{key}");
    }
    let f = &r["findings"][0];
    for key in [
        "signature",
        "title",
        "severity",
        "count",
        "fingerprints",
        "first_seen",
        "last_seen",
        "routes",
        "deployments",
        "samples",
    ] {
        assert!(f.get(key).is_some(), "{key}");
    }
    assert_eq!(f["first_seen"], "2026-01-19T09:04:20.047Z");
    assert_eq!(f["routes"][0]["value"], "/leads/[id]");
    assert_eq!(f["deployments"][0]["value"], "dpl_A");
}

#[test]
fn table_markdown_and_github_outputs() {
    let (_d, p) = one(&format!("{}\n", drain(1_768_813_460_047, P1001, "")));
    logs()
        .args(["check", &p])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "FAILED: 1 finding (1 signature, 0 access checks) at or above low",
        ))
        .stdout(predicate::str::contains("what to do:"));
    logs()
        .args(["check", &p, "--format", "markdown"])
        .assert()
        .stdout(predicate::str::contains("| `prisma-db-unreachable`"))
        .stdout(predicate::str::contains("<details>"));
    logs()
        .args(["check", &p, "--format", "github"])
        .assert()
        .stdout(predicate::str::starts_with("::error file="))
        .stdout(predicate::str::contains(
            "title=prisma-db-unreachable (critical)",
        ));
    let (_d2, clean) = one(&format!("{}\n", drain(1, "GET / 200", "")));
    logs()
        .args(["check", &clean])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("PASSED:"));
}

#[test]
fn colour_follows_the_flag() {
    let (_d, p) = one(&format!("{}\n", drain(1, P1001, "")));
    logs()
        .args(["check", &p, "--color", "always"])
        .assert()
        .stdout(predicate::str::contains("\u{1b}["));
    logs()
        .args(["check", &p])
        .assert()
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut body = String::new();
    for i in 0..2000 {
        body.push_str(&drain(i, &format!("{P1001} {i}"), ""));
        body.push('\n');
    }
    let (_d, p) = one(&body);
    let sh = format!(
        "{} check {p} --format json | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}}",
        env!("CARGO_BIN_EXE_logs")
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(sh)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn help_teaches_exit_codes_and_examples() {
    logs()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("vercel logs"));
    logs()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("3  rollback only: hold"));
}

#[test]
fn builtin_signature_examples_pass() {
    logs()
        .args(["signatures", "test"])
        .assert()
        .success()
        .stdout(predicate::str::contains(", 0 failed"));
}

#[test]
fn an_invalid_catalog_names_file_signature_and_problem() {
    let d = Dir::new();
    let bad = d.file(
        "bad.toml",
        "[[signature]]\nid = \"mine\"\ntitle = \"t\"\nseverity = \"high\"\nmeaning = \"m\"\naction = \"a\"\nanchors = [\"abc\"]\nregex = \"(\"\n",
    );
    logs()
        .args(["check", "--signatures", bad.to_str().unwrap(), "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.toml: signature `mine`: invalid regex",
        ));
    let failing = d.file(
        "failing.toml",
        "[[signature]]\nid = \"mine\"\ntitle = \"t\"\nseverity = \"high\"\nmeaning = \"m\"\naction = \"a\"\nanchors = [\"boom\"]\nmatches = [\"kaboom\"]\n",
    );
    logs()
        .args(["signatures", "test", failing.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "signature `mine`: example should match but does not",
        ));
}

#[test]
fn user_signatures_extend_the_catalog() {
    let d = Dir::new();
    let mine = d.file(
        "mine.toml",
        "[[signature]]\nid = \"checkout-failed\"\ntitle = \"Checkout failed\"\nseverity = \"high\"\nmeaning = \"m\"\naction = \"a\"\nanchors = [\"Checkout failed\"]\n",
    );
    let (_d2, p) = one(&format!(
        "{}\n",
        drain(1, "Checkout failed for order 42", "")
    ));
    let (code, r) = check_json(&[&p, "--signatures", mine.to_str().unwrap()], None);
    assert_eq!(code, 1);
    assert_eq!(counts(&r), [("checkout-failed".to_string(), 1)]);
}

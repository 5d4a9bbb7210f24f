//! `logs check --format junit` through the real binary: valid against the
//! JUnit schemas CI systems use (validated with `xmllint`), one test case per
//! signature of the active catalog, failures carrying redacted samples,
//! input problems as errors (never an all-green report), malformed counts
//! visible, hostile log text escaped.

use std::path::Path;
use std::process::Command;

use crate::common::{Dir, drain, logs};

/// The schemas, vendored with their provenance in `tests/schemas/README.md`.
const SCHEMAS: [&str; 2] = ["ant-junit.xsd", "jenkins-junit-10.xsd"];

/// Fails (never skips) when `xmllint` is missing, saying how to install it.
fn xmllint() -> &'static str {
    let found = Command::new("xmllint").arg("--version").output().is_ok();
    assert!(
        found,
        "xmllint is needed to validate JUnit XML against its schemas: install Debian's \
         libxml2-utils (`apt-get install libxml2-utils`); .ci/run installs it"
    );
    "xmllint"
}

/// Validates `xml` against every vendored schema; panics with xmllint's words.
fn assert_valid(xml: &str, dir: &Dir) {
    let file = dir.file("report.xml", xml);
    for schema in SCHEMAS {
        let xsd = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/schemas")
            .join(schema);
        let out = Command::new(xmllint())
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(&file)
            .output()
            .expect("run xmllint");
        assert!(
            out.status.success(),
            "not valid against {schema}:\n{}\n{xml}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Runs `logs check --format junit ARGS`; returns (exit code, XML).
fn junit(args: &[&str]) -> (i32, String) {
    let out = logs()
        .args(["check", "--format", "junit"])
        .args(args)
        .output()
        .expect("run logs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 XML"),
    )
}

/// The built-in catalog's ids, from the binary.
/// The cron and webhook checks: test cases after the catalog's.
const ACCESS: [&str; 5] = [
    "cron-unauthenticated-success",
    "cron-rejected-platform-call",
    "cron-failing",
    "webhook-rejected",
    "webhook-unverified-success",
];

/// Every signature of the catalog, then the cron and webhook checks.
fn catalog_ids() -> Vec<String> {
    let mut ids = signature_ids();
    ids.extend(ACCESS.iter().map(|s| s.to_string()));
    ids
}

fn signature_ids() -> Vec<String> {
    let out = logs()
        .args(["signatures", "list", "--format", "json"])
        .output()
        .expect("run logs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let list = v.as_array().or_else(|| v["signatures"].as_array());
    list.expect("signature list")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_string())
        .collect()
}

struct Case {
    classname: String,
    name: String,
    /// `failure`, `error`, `skipped`, or empty when passed.
    outcome: String,
    message: String,
    text: String,
}

fn cases(xml: &str) -> Vec<Case> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|n| {
            let child = n.children().find(|c| c.is_element());
            Case {
                classname: n.attribute("classname").unwrap_or_default().to_string(),
                name: n.attribute("name").unwrap_or_default().to_string(),
                outcome: child.map_or_else(String::new, |c| c.tag_name().name().to_string()),
                message: child
                    .and_then(|c| c.attribute("message"))
                    .unwrap_or_default()
                    .to_string(),
                text: child.and_then(|c| c.text()).unwrap_or_default().to_string(),
            }
        })
        .collect()
}

fn suite_attr(xml: &str, name: &str) -> String {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("a testsuite");
    suite.attribute(name).unwrap_or_default().to_string()
}

#[test]
fn one_case_per_signature_and_input_valid_against_both_schemas() {
    let d = Dir::new();
    let (code, xml) = junit(&["samples/drain.ndjson"]);
    assert_eq!(code, 1, "the sample has findings");
    assert_valid(&xml, &d);
    let cases = cases(&xml);
    let ids = catalog_ids();
    let sig_names: Vec<&str> = cases
        .iter()
        .filter(|c| c.classname != "logs.check.inputs")
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        sig_names, ids,
        "one case per signature, in catalog order, then the cron and webhook checks"
    );
    assert_eq!(suite_attr(&xml, "tests"), (ids.len() + 1).to_string());
    // The sample's thirteen signatures and its failing cron fail at the
    // default --fail-on low.
    let failed: Vec<&Case> = cases.iter().filter(|c| c.outcome == "failure").collect();
    assert_eq!(failed.len(), 14);
    assert_eq!(suite_attr(&xml, "failures"), "14");
    assert!(failed.iter().any(|c| c.name == "cron-failing"));
    assert_eq!(suite_attr(&xml, "errors"), "0");
    let e352 = failed
        .iter()
        .find(|c| c.name == "next-invalid-use-server-export")
        .expect("E352 fails");
    assert_eq!(e352.classname, "logs.check.critical");
    assert!(
        e352.message.contains("2 hit(s) at or above low"),
        "{}",
        e352.message
    );
    for needle in [
        "2 hit(s), 1 distinct, first seen 2026-01-19T09:00:10.410Z",
        "routes: /leads/[id] (2)",
        "samples/drain.ndjson:233",
        "A \"use server\" file can only export async functions",
        "what to do:",
    ] {
        assert!(e352.text.contains(needle), "{needle:?} in {}", e352.text);
    }
    // Signatures not found pass.
    let passed = cases.iter().filter(|c| c.outcome.is_empty()).count();
    assert_eq!(passed, ids.len() - 14 + 1, "the rest and the input pass");
}

#[test]
fn ignore_drops_the_case_and_fail_on_decides_what_fails() {
    let d = Dir::new();
    let (code, xml) = junit(&[
        "samples/drain.ndjson",
        "--ignore",
        "next-invalid-use-server-export",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(code, 1);
    assert_valid(&xml, &d);
    let cases = cases(&xml);
    assert!(
        !cases
            .iter()
            .any(|c| c.name == "next-invalid-use-server-export")
    );
    assert_eq!(
        cases.len(),
        catalog_ids().len(),
        "one fewer signature, one input"
    );
    let mut failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.outcome == "failure")
        .map(|c| c.name.as_str())
        .collect();
    failed.sort();
    assert_eq!(
        failed,
        [
            "node-heap-out-of-memory",
            "node-process-crash",
            "prisma-db-unreachable"
        ]
    );
    // Found below the threshold: the case passes, the summary says so.
    let high = cases
        .iter()
        .find(|c| c.name == "next-server-components-render")
        .expect("case");
    assert!(high.outcome.is_empty());
    assert!(xml.contains("below the threshold: next-server-components-render [high]: 4 hit(s)"));
}

#[test]
fn a_clean_export_is_all_green() {
    let d = Dir::new();
    let p = d.file(
        "clean.ndjson",
        format!("{}\n", drain(1, "GET /inbox 200", "")),
    );
    let (code, xml) = junit(&[p.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_valid(&xml, &d);
    assert!(cases(&xml).iter().all(|c| c.outcome.is_empty()));
    assert_eq!(suite_attr(&xml, "failures"), "0");
    assert_eq!(suite_attr(&xml, "errors"), "0");
}

#[test]
fn an_unreadable_input_is_an_error_case_never_all_green() {
    let d = Dir::new();
    let missing = d.path().join("missing.ndjson");
    let (code, xml) = junit(&[missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_valid(&xml, &d);
    assert_eq!(suite_attr(&xml, "errors"), "1");
    let cases = cases(&xml);
    let input = cases
        .iter()
        .find(|c| c.classname == "logs.check.inputs")
        .expect("input case");
    assert_eq!(input.outcome, "error");
    assert!(
        input.message.contains("missing.ndjson"),
        "{}",
        input.message
    );
    assert!(input.text.contains("No signature was checked"));
    assert!(xml.contains("ERROR: the check is incomplete"));
}

#[test]
fn a_damaged_input_is_an_error_case() {
    let d = Dir::new();
    let gz = std::fs::read("samples/drain.ndjson.gz").expect("sample");
    let cut = d.file("cut.ndjson.gz", &gz[..gz.len() / 2]);
    let (code, xml) = junit(&[cut.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_valid(&xml, &d);
    let cases = cases(&xml);
    let input = cases
        .iter()
        .find(|c| c.classname == "logs.check.inputs")
        .expect("input case");
    assert_eq!(input.outcome, "error");
    assert!(input.text.contains("before the damage"), "{}", input.text);
    // Findings before the damage still fail.
    assert!(cases.iter().any(|c| c.outcome == "failure"));
}

#[test]
fn malformed_records_are_counted_skipped_and_an_error_under_strict() {
    let d = Dir::new();
    let body = format!(
        "{}\nnot json at all\n{{\"cut\": \n{}\n",
        drain(1, "GET /inbox 200", ""),
        drain(2, "GET /inbox 200", "")
    );
    let p = d.file("bad.ndjson", body);
    let p = p.to_str().unwrap();
    let (code, xml) = junit(&[p]);
    assert_eq!(
        code, 0,
        "malformed records alone do not fail without --strict"
    );
    assert_valid(&xml, &d);
    assert!(
        xml.contains(r#"<property name="malformed" value="2"/>"#),
        "{xml}"
    );
    assert_eq!(suite_attr(&xml, "skipped"), "1");
    let cases = cases(&xml);
    let input = cases
        .iter()
        .find(|c| c.classname == "logs.check.inputs")
        .expect("input case");
    assert_eq!(input.outcome, "skipped");
    assert!(input.message.contains("2 malformed record(s) skipped"));
    assert!(input.text.contains("line 2 (byte"), "{}", input.text);

    let (code, xml) = junit(&[p, "--strict"]);
    assert_eq!(code, 2);
    assert_valid(&xml, &d);
    assert_eq!(suite_attr(&xml, "errors"), "1");
}

#[test]
fn hostile_log_text_is_escaped_redacted_and_bounded() {
    let d = Dir::new();
    let nasty = "PrismaClientInitializationError: Can't reach database server at `db`:`5432` \
        ]]><script>alert(\"x\")</script> & \u{1b}[31mred\u{1b}[0m \u{0}\u{8}\u{b}\u{c}\u{7f}\u{85} \
        \u{fffe} jane.doe@example.com 'quoted' \r\n second line";
    let route = format!("/u/jane.doe@example.com/\"><x a='{}", "r".repeat(5000));
    let rec = drain(1, nasty, "").replace("/leads/[id]", &route.replace('"', "\\\""));
    let p = d.file("nasty.ndjson", format!("{rec}\n"));
    let (code, xml) = junit(&[p.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_valid(&xml, &d);
    assert!(!xml.contains("jane.doe@example.com"), "redacted");
    assert!(!xml.contains('\u{1b}') && !xml.contains('\u{0}'));
    assert!(!xml.contains("<script>"));
    let case = cases(&xml)
        .into_iter()
        .find(|c| c.name == "prisma-db-unreachable")
        .expect("case");
    assert_eq!(case.outcome, "failure");
    assert!(
        case.text.contains("<script>alert(\"x\")</script>"),
        "round-trips as text"
    );
    assert!(case.text.contains("routes: /u/[email]/"), "{}", case.text);
    assert!(case.text.len() < 8000, "bounded: {} bytes", case.text.len());
}

#[test]
fn junit_is_for_check_only() {
    logs()
        .args([
            "rollback",
            "samples/canary-rollback.ndjson",
            "--deployment",
            "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L",
            "--format",
            "junit",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("invalid value 'junit'"))
        .stderr(predicates::str::contains(
            "possible values: table, json, markdown",
        ));
}

//! `logs audit` over three generated weeks, through the real binary: a
//! signature that stops after week 1 is resolved, one that starts in week 3
//! is new, an unknown error that starts in week 2 is one group counted per
//! week, and the saved state makes nothing new on a re-run.

use crate::common::weeks;

use crate::common::{Dir, json_of};
use serde_json::Value;
use weeks::write_weeks;

fn audit_json(args: &[&str]) -> Value {
    json_of("audit", args)
}

fn ids(list: &Value, kind: &str) -> Vec<String> {
    let mut v: Vec<String> = list
        .as_array()
        .expect("array")
        .iter()
        .filter(|c| c["kind"] == kind)
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect();
    v.sort();
    v
}

fn counts(group: &Value) -> Vec<u64> {
    group["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .map(|p| p["count"].as_u64().expect("count"))
        .collect()
}

#[test]
fn three_weeks_new_resolved_unknown_and_state() {
    let d = Dir::new();
    let files = write_weeks(&d);
    let state = d.path().join("state.json");
    let state = state.to_str().expect("utf-8 path");
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend(["--save-state", state]);
    let r = audit_json(&args);

    assert_eq!(r["schema"], "logs.audit/v1");
    assert_eq!(r["latest"], "2026-W04");
    let labels: Vec<&str> = r["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .map(|p| p["label"].as_str().expect("label"))
        .collect();
    assert_eq!(labels, ["2026-W02", "2026-W03", "2026-W04"]);
    assert_eq!(ids(&r["new"], "signature"), ["vercel-function-timeout"]);
    assert_eq!(ids(&r["resolved"], "signature"), ["prisma-db-unreachable"]);
    let sigs = r["signatures"].as_array().expect("signatures");
    let abort = sigs
        .iter()
        .find(|s| s["signature"] == "abort-error")
        .expect("abort-error");
    assert_eq!(
        (abort["status"].as_str(), abort["total"].as_u64()),
        (Some("active"), Some(9))
    );
    let timeout = sigs
        .iter()
        .find(|s| s["signature"] == "vercel-function-timeout")
        .expect("timeout");
    assert_eq!(
        timeout["periods"][2]["routes"][0]["value"],
        "/api/cron/sync-sms"
    );

    let unknown = r["unknown"].as_array().expect("unknown");
    assert_eq!(unknown.len(), 1, "{unknown:#?}");
    let g = &unknown[0];
    assert!(
        g["template"]
            .as_str()
            .expect("template")
            .starts_with("Checkout failed for order <*>"),
        "{g}"
    );
    assert_eq!(counts(g), [0, 4, 7]);
    assert_eq!(
        g["status"], "active",
        "it started in week 2, so it is not new in week 3"
    );
    assert!(ids(&r["new"], "unknown").is_empty());
    let examples = g["examples"].as_array().expect("examples");
    assert!((2..=3).contains(&examples.len()));
    assert_eq!(g["routes"][0]["value"], "/api/checkout");
    let stub = g["suggestion"]["toml"].as_str().expect("a stub");
    assert!(
        stub.contains("anchors = [\"Checkout failed for order\"]"),
        "{stub}"
    );
    logs::signatures::parse_catalog("stub.toml", stub).expect("the stub parses");

    // The same audit again, knowing what was saved: nothing is new.
    let mut again: Vec<&str> = files.iter().map(String::as_str).collect();
    again.extend(["--state", state]);
    let r2 = audit_json(&again);
    assert_eq!(r2["new"].as_array().map(Vec::len), Some(0), "{}", r2["new"]);
    assert_eq!(r2["unknown"][0]["id"], g["id"]);
    assert_eq!(r2["state"]["known_templates"], 1);
}

#[test]
fn a_later_week_alone_recognises_what_the_state_knew() {
    let d = Dir::new();
    let files = write_weeks(&d);
    let state = d.path().join("state.json");
    let state = state.to_str().expect("utf-8 path");
    let first = audit_json(&[&files[0], &files[1], "--save-state", state]);
    assert_eq!(first["latest"], "2026-W03");
    assert_eq!(
        ids(&first["new"], "unknown").len(),
        1,
        "the checkout failure is new in week 2"
    );
    let r = audit_json(&[&files[2], "--state", state, "--save-state", state]);
    assert_eq!(ids(&r["new"], "signature"), ["vercel-function-timeout"]);
    assert!(ids(&r["new"], "unknown").is_empty(), "{}", r["new"]);
    let g = &r["unknown"][0];
    assert_eq!(g["id"], first["unknown"][0]["id"]);
    assert_eq!(g["status"], "active");
    assert!(
        g["known_since"]
            .as_str()
            .is_some_and(|t| t.starts_with("2026-01-13")),
        "{g}"
    );
    // prisma-db-unreachable was already gone at the last audit: not resolved again.
    assert!(
        ids(&r["resolved"], "signature").is_empty(),
        "{}",
        r["resolved"]
    );
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(state).expect("state")).expect("JSON");
    assert_eq!(saved["schema"], "logs.audit-state/v1");
    // Unseen for more than --forget-after weeks: forgotten.
    let r = audit_json(&[
        &files[2],
        "--state",
        state,
        "--save-state",
        state,
        "--forget-after",
        "1",
    ]);
    assert!(
        r["state"]["forgotten"].as_u64().is_some_and(|n| n >= 1),
        "{}",
        r["state"]
    );
}

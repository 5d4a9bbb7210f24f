//! Real Vercel payloads (`tests/real/payloads/`, listed with their sources in
//! `MANIFEST.toml`) through the binary: the shape, the record count, no
//! malformed record, and the signature counts, with nothing else found.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::common::check_json;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    payload: Vec<Payload>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload {
    file: String,
    source: String,
    #[serde(default)]
    format: Option<String>,
    shape: String,
    records: u64,
    signatures: BTreeMap<String, u64>,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/real/payloads")
}

fn manifest() -> Vec<Payload> {
    let text = std::fs::read_to_string(dir().join("MANIFEST.toml")).expect("read manifest");
    toml::from_str::<Manifest>(&text)
        .expect("manifest parses")
        .payload
}

/// What went wrong with one payload, or nothing.
fn problems(p: &Payload) -> Vec<String> {
    let path = dir().join(&p.file);
    let (code, report) = check_json(&[path.to_str().expect("utf-8 path")], None);
    let mut out = Vec::new();
    let input = &report["inputs"][0];
    if input["shape"] != p.shape.as_str() {
        out.push(format!("shape {} (want {})", input["shape"], p.shape));
    }
    if let Some(format) = &p.format {
        if input["format"] != format.as_str() {
            out.push(format!("format {} (want {format})", input["format"]));
        }
    }
    if input["records"] != p.records {
        out.push(format!("{} records (want {})", input["records"], p.records));
    }
    if input["malformed"] != 0 || !input["damage"].is_null() || !input["error"].is_null() {
        out.push(format!(
            "malformed {}, damage {}, error {}",
            input["malformed"], input["damage"], input["error"]
        ));
    }
    let found: BTreeMap<String, u64> = report["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|f| {
                    (
                        f["signature"].as_str().unwrap_or("?").to_string(),
                        f["count"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if found != p.signatures {
        out.push(format!("signatures {found:?} (want {:?})", p.signatures));
    }
    let want_code = if p.signatures.is_empty() { 0 } else { 1 };
    if code != want_code {
        out.push(format!("exit code {code} (want {want_code})"));
    }
    out
}

/// Runs every payload of the manifest that `pick` selects; returns the
/// failures.
fn run(pick: impl Fn(&Payload) -> bool) -> Vec<String> {
    let mut failures = Vec::new();
    let mut ran = 0;
    for p in manifest().into_iter().filter(|p| pick(p)) {
        ran += 1;
        assert!(!p.source.is_empty(), "{}: no source", p.file);
        let found = problems(&p);
        if !found.is_empty() {
            failures.push(format!("{}: {}", p.file, found.join("; ")));
        }
    }
    assert!(ran > 0, "no payload selected");
    failures
}

#[test]
fn drain_and_cli_payloads_parse_whole_and_find_what_they_hold() {
    let failures = run(|p| p.shape != "dashboard-copy");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The dashboard "Copy logs" text (header block, then JSONL) with the shape
/// name `dashboard-copy`.
#[test]
fn dashboard_copy_payloads_parse_whole_and_find_what_they_hold() {
    let failures = run(|p| p.shape == "dashboard-copy");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

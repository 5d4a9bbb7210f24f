//! Targets on the TOML a user writes: signature catalogs, rollback
//! policies and `logs.toml`. A catalog that parses must compile or be
//! refused with an error; a policy that parses must evaluate a real canary
//! without panicking, whatever its numbers.

use std::sync::OnceLock;

use logs::record::decode_json;
use logs::rollback::{
    DEFAULT_POLICY_TOML, Observation, RollbackInput, RollbackPolicy, evaluate, observe,
};
use logs::signatures::{BUILTIN_FILES, Field, SignatureSet, check_examples, parse_catalog};

use super::engine::{Target, fuzz};
use super::records::catalog;
use super::seeds;

const TOML_DICT: &[&[u8]] = &[
    b"[[signature]]\n",
    b"[rules.",
    b"]\n",
    b" = ",
    b"\"\"\"",
    b"'''",
    b"[",
    b"]",
    b"{",
    b"}",
    b"\n",
    b"#",
    b"true",
    b"false",
    b"inf",
    b"nan",
    b"-inf",
    b"1e999",
    b"0x7fffffffffffffff",
    b"2026-12-31",
    b"1979-05-27T07:32:00Z",
    b"\\u0000",
    b"\"/dev/zero\"",
    b"\"/proc/self/status\"",
    b"id = \"a\"\n",
    b"anchors = [\"",
    b"regex = '''",
    b"(?P<x>",
    b"a{1000}{1000}",
    b"(a*)*",
    b"sources = [\"build\"]",
    b"field = \"path\"",
    b"severity = \"critical\"",
    b"window_minutes = ",
    b"statuses = [",
    b"\"5xx\"",
    b"99999",
    b"signatures = [",
    b"enabled = false",
    b"required = true",
    b"advisory = true",
    b"[[suppress]]\n",
    b"until = ",
    b"[check]\n",
    b"[rollback.rules.latency-slo]\n",
    b"[audit]\n",
    b"forget_after = ",
    b"interval = ",
];

pub fn catalog_toml() {
    let mut seeds: Vec<Vec<u8>> = BUILTIN_FILES
        .iter()
        .map(|(_, text)| text.as_bytes().to_vec())
        .collect();
    seeds.push(seeds::read("signatures/team.toml"));
    let samples = [
        "P2002 Unique constraint failed",
        "⨯ Error: x",
        "GET /api 500",
        "",
    ];
    fuzz(
        Target {
            name: "catalog_toml",
            seeds,
            dict: TOML_DICT,
            max_len: 12 << 10,
            cases: 1500,
        },
        |bytes| {
            let text = String::from_utf8_lossy(bytes);
            let Ok(defs) = parse_catalog("fuzz.toml", &text) else {
                return;
            };
            for d in &defs {
                assert!(
                    !d.id.is_empty()
                        && d.id
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "accepted id {:?}",
                    d.id
                );
                for a in &d.anchors {
                    assert!(a.len() >= 3 && a.bytes().all(|b| (0x20..0x7f).contains(&b)));
                }
            }
            let Ok(set) = SignatureSet::new(defs) else {
                return;
            };
            let _ = check_examples(&set);
            let mut hits = Vec::new();
            for s in samples {
                set.match_text(Field::Message, s, 0, &mut hits);
            }
        },
    );
}

/// The canary sample reduced to observations, once.
fn canary() -> &'static RollbackInput {
    static INPUT: OnceLock<RollbackInput> = OnceLock::new();
    INPUT.get_or_init(|| {
        let bytes = seeds::read("samples/canary-rollback.ndjson");
        let mut observations: Vec<Observation> = Vec::new();
        let mut names = logs::rollback::Names::default();
        for line in bytes.split(|&b| b == b'\n').step_by(3) {
            let Ok(rec) = decode_json(line) else { continue };
            let mut hits = Vec::new();
            catalog().match_record(&rec, &mut hits);
            observations.extend(observe(&rec, &hits, catalog(), &mut names));
        }
        RollbackInput {
            canary: "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L".into(),
            observations: observations.into(),
            ..RollbackInput::default()
        }
    })
}

pub fn policy_toml() {
    let seeds = vec![
        DEFAULT_POLICY_TOML.as_bytes().to_vec(),
        b"[rules.server-action-500s]\nmax_unique_errors = 5\nwindow_minutes = 10\n".to_vec(),
        b"[rules.latency-slo]\nslo_ms = 800\npercentile = 99\nwindow_minutes = 1\nconsecutive_windows = 1\nmin_samples = 1\nrequired = true\n".to_vec(),
        b"[rules.error-rate-vs-baseline]\nstatuses = [\"5xx\", -1, \"crashed\"]\nmin_canary_requests = 1\nalpha = 0.5\n".to_vec(),
        b"[rules.db-connectivity]\nsignatures = [\"prisma-db-unreachable\"]\nwindow_minutes = 1\nthreshold = 1\n".to_vec(),
        b"[rules.observation]\nmin_minutes = 0\nmin_requests = 0\n".to_vec(),
        b"[rules.server-action-500s]\nmethods = [\"POST\", \"GET\"]\nexcluded_path_prefixes = []\nstatuses = [\"5xx\"]\n".to_vec(),
    ];
    fuzz(
        Target {
            name: "policy_toml",
            seeds,
            dict: TOML_DICT,
            max_len: 16 << 10,
            cases: 800,
        },
        |bytes| {
            let text = String::from_utf8_lossy(bytes);
            let Ok(policy) = RollbackPolicy::from_toml_str(&text) else {
                return;
            };
            let _ = policy.signature_references();
            let report = evaluate(canary(), &policy);
            let json = serde_json::to_string(&report).expect("JSON");
            let _: serde_json::Value = serde_json::from_str(&json).expect("the JSON parses");
            assert_eq!(report.rules.len(), logs::rollback::RuleId::ALL.len());
        },
    );
}

pub fn config_toml() {
    let seeds = vec![
        br#"signatures = ["team-signatures"]
no_builtin = false

[check]
fail_on = "medium"
ignore = ["node-deprecation-warning"]
allow_empty = true
format = "markdown"
environment = "production"

[rollback]
interval = 5.0
format = "json"

[rollback.rules.server-action-500s]
max_unique_errors = 5

[audit]
period = "week"
forget_after = 8
ignore = []

[templates]
format = "json"

[[suppress]]
signature = "prisma-unique-constraint"
fingerprint = "Unique constraint failed on the fields: (`dedupeKey`)"
until = 2026-12-31
reason = "dedupe race, fixed in #123"
"#
        .to_vec(),
        b"[rollback]\npolicy = \"policy.toml\"\n".to_vec(),
    ];
    let dir = tempfile::tempdir().expect("dir");
    fuzz(
        Target {
            name: "config_toml",
            seeds,
            dict: TOML_DICT,
            max_len: 8 << 10,
            cases: 1500,
        },
        |bytes| {
            let text = String::from_utf8_lossy(bytes);
            let _ = logs::config::parse("logs.toml", &text, dir.path());
        },
    );
}

//! The audit state file: a state that loads must carry an audit through,
//! and the state that audit saves must load again. A hand-edited state can
//! be refused, never crash the audit or poison the next state.

use std::sync::OnceLock;

use logs::audit::{self, AuditAnalysis, AuditConfig, AuditPartial, AuditState};
use logs::input::InputSpec;
use logs::record::time::parse_rfc3339;
use logs::scan::{ScanOutcome, ScanSettings, scan};
use logs::templates::decode_tokens;

use super::engine::{Target, fuzz};
use super::records::catalog;
use super::seeds;

fn now() -> i64 {
    parse_rfc3339("2026-02-01T00:00:00Z").expect("time")
}

fn config() -> AuditConfig {
    AuditConfig {
        now_ms: now(),
        ..AuditConfig::default()
    }
}

/// An audit scan of part of the drain sample, once.
fn outcome() -> &'static ScanOutcome<AuditPartial> {
    static OUTCOME: OnceLock<ScanOutcome<AuditPartial>> = OnceLock::new();
    OUTCOME.get_or_init(|| {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("drain.ndjson");
        let lines = seeds::windows("samples/drain.ndjson", 400, 1, 1).remove(0);
        std::fs::write(&path, lines).expect("write");
        let config = config();
        let settings = ScanSettings {
            threads: 1,
            ..ScanSettings::default()
        };
        scan(
            &[InputSpec::Path(path)],
            catalog(),
            &AuditAnalysis { config: &config },
            &settings,
        )
    })
}

fn state_seeds() -> Vec<Vec<u8>> {
    let (_, saved) = audit::build(outcome(), catalog(), &config(), None, None);
    let full = serde_json::to_vec_pretty(&saved).expect("state JSON");
    assert!(!saved.templates.is_empty(), "the seed state has templates");
    let empty = serde_json::to_vec(&AuditState::empty(audit::PeriodKind::Week)).expect("JSON");
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(&full);
    vec![full, empty, with_bom]
}

pub fn audit_state() {
    const DICT: &[&[u8]] = &[
        b"\"schema\": \"logs.audit-state/v1\"",
        b"\"period\": \"day\"",
        b"\"latest_period_start\": ",
        b"\"first_seen\": ",
        b"\"last_seen\": ",
        b"\"tokens\": [",
        b"\" <*>\"",
        b"\"<*>\"",
        b"\" \"",
        b"\"\"",
        b"\"2026-01-12T00:00:00.000Z\"",
        b"\"2026-01-19T09:00:00.000Z\"",
        b"\"2999-01-05T00:00:00.000Z\"",
        b"\"u-00000000\"",
        b"null",
        b"},{",
    ];
    fuzz(
        Target {
            name: "audit_state",
            seeds: state_seeds(),
            dict: DICT,
            max_len: 64 << 10,
            cases: 500,
        },
        |bytes| {
            state_property(bytes);
        },
    );
}

/// A state that loads carries the audit of part of the drain sample
/// through, and what that audit would save loads again (one odd state
/// never poisons the next). Returns the report, when the state loaded.
pub fn state_property(bytes: &[u8]) -> Option<audit::AuditReport> {
    let text = String::from_utf8_lossy(bytes);
    let state = AuditState::from_json("state.json", &text, now()).ok()?;
    for t in &state.templates {
        let _ = decode_tokens(&t.tokens);
    }
    let (report, next) = audit::build(outcome(), catalog(), &config(), Some(&state), None);
    let json = serde_json::to_string(&report).expect("report JSON");
    let _: serde_json::Value = serde_json::from_str(&json).expect("report JSON parses");
    let saved = serde_json::to_string_pretty(&next).expect("state JSON");
    if let Err(e) = AuditState::from_json("next.json", &saved, now()) {
        panic!("the state saved after a valid state does not load: {e}\n{saved}");
    }
    Some(report)
}

/// The report of an audit without a state (to find the ids it gives).
pub fn fresh_report() -> audit::AuditReport {
    audit::build(outcome(), catalog(), &config(), None, None).0
}

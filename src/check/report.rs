//! [`CheckReport`]: the result of `logs check` as plain data. Its JSON form is
//! the versioned contract `logs.check/v1`.

use std::collections::HashMap;

use serde::Serialize;

use super::{CheckConfig, CheckPartial};
use crate::record::time::format_ms;
use crate::scan::{InputSummary, ScanOutcome};
use crate::signatures::{Severity, SignatureSet};

/// Schema name and version of the JSON output.
pub const SCHEMA: &str = "logs.check/v1";

/// How many routes, deployments and fingerprints a finding lists.
const TOP: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub schema: &'static str,
    /// Records read from all inputs.
    pub records: u64,
    /// Malformed records skipped in all inputs.
    pub malformed: u64,
    pub inputs: Vec<InputReport>,
    pub findings: Vec<Finding>,
    pub fail_on: Severity,
    /// A finding at or above `fail_on`.
    pub failed: bool,
    /// An input could not be read, or was cut short.
    pub input_errors: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct InputReport {
    pub path: String,
    /// `ndjson`, `json-array`, `json-batches`, `json-document`, `csv`, `empty`,
    /// or null when unreadable.
    pub format: Option<String>,
    /// `drain`, `dashboard`, `cli`, `cli-legacy` or `unknown`.
    pub shape: Option<String>,
    pub gzip: bool,
    pub records: u64,
    pub malformed: u64,
    /// Bytes scanned (decompressed).
    pub bytes: u64,
    pub malformed_samples: Vec<MalformedReport>,
    /// What cut the input short, when something did.
    pub damage: Option<String>,
    /// Why the input could not be read at all.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MalformedReport {
    pub line: u64,
    pub offset: u64,
    pub problem: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub signature: String,
    pub title: String,
    pub severity: Severity,
    /// Records matching (each counts once per signature).
    pub count: u64,
    /// Distinct fingerprints.
    pub distinct: u64,
    /// The most frequent fingerprints (up to 10).
    pub fingerprints: Vec<Counted>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// The most frequent routes (or paths) (up to 10).
    pub routes: Vec<Counted>,
    pub deployments: Vec<Counted>,
    /// Redacted examples, one per fingerprint, in input order.
    pub samples: Vec<Sample>,
    pub meaning: String,
    pub action: String,
    /// At or above `fail_on`.
    pub fails: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Counted {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    pub input: String,
    pub line: u64,
    pub time: Option<String>,
    pub method: Option<String>,
    pub route: Option<String>,
    pub deployment: Option<String>,
    pub message: String,
}

/// The most frequent values (up to 10), ties by value.
pub(crate) fn top(map: HashMap<String, u64>) -> Vec<Counted> {
    let mut v: Vec<Counted> = map
        .into_iter()
        .map(|(value, count)| Counted { value, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v.truncate(TOP);
    v
}

pub(crate) fn input_report(s: &InputSummary) -> InputReport {
    InputReport {
        path: s.name.clone(),
        format: s.container.map(|c| c.to_string()),
        shape: s.shape.map(|sh| sh.as_str().to_string()),
        gzip: s.gzip,
        records: s.records,
        malformed: s.malformed,
        bytes: s.bytes,
        malformed_samples: s
            .malformed_samples
            .iter()
            .map(|m| MalformedReport {
                line: m.line,
                offset: m.offset,
                problem: m.problem.clone(),
            })
            .collect(),
        damage: s.damage.clone(),
        error: s.error.clone(),
    }
}

/// Builds the report from a finished scan.
pub fn build(
    outcome: ScanOutcome<CheckPartial>,
    signatures: &SignatureSet,
    config: &CheckConfig,
) -> CheckReport {
    let inputs: Vec<InputReport> = outcome.inputs.iter().map(input_report).collect();
    let mut findings = Vec::new();
    for (&sig, acc) in &outcome.partial.signatures {
        let def = &signatures.defs()[sig];
        let mut fps: Vec<Counted> = acc
            .fingerprints
            .values()
            .map(|f| Counted {
                value: f.text.clone(),
                count: f.count,
            })
            .collect();
        fps.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        fps.truncate(TOP);
        let samples = acc
            .samples
            .iter()
            .map(|s| Sample {
                input: outcome
                    .inputs
                    .get(s.at.input as usize)
                    .map_or_else(String::new, |i| i.name.clone()),
                line: outcome.line_of(&s.at),
                time: s.time_ms.map(format_ms),
                method: s.method.clone(),
                route: s.route.clone(),
                deployment: s.deployment.clone(),
                message: s.message.clone(),
            })
            .collect();
        findings.push(Finding {
            signature: def.id.clone(),
            title: def.title.clone(),
            severity: def.severity,
            count: acc.count,
            distinct: acc.fingerprints.len() as u64,
            fingerprints: fps,
            first_seen: acc.first_ms.map(format_ms),
            last_seen: acc.last_ms.map(format_ms),
            routes: top(acc.routes.clone()),
            deployments: top(acc.deployments.clone()),
            samples,
            meaning: def.meaning.trim().to_string(),
            action: def.action.trim().to_string(),
            fails: def.severity >= config.fail_on,
        });
    }
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.count.cmp(&a.count))
            .then_with(|| a.signature.cmp(&b.signature))
    });
    let failed = findings.iter().any(|f| f.fails);
    let input_errors = inputs
        .iter()
        .any(|i| i.error.is_some() || i.damage.is_some());
    CheckReport {
        schema: SCHEMA,
        records: outcome.records(),
        malformed: outcome.malformed(),
        inputs,
        findings,
        fail_on: config.fail_on,
        failed,
        input_errors,
    }
}

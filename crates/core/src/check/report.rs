//! [`CheckReport`]: the result of `logs check` as plain data. Its JSON form is
//! the versioned contract `logs.check/v1`.

use std::collections::HashMap;

use serde::Serialize;

pub use super::finding::{Counted, Finding, Sample};
pub(crate) use super::finding::{top, top_n};
use super::gate::{Suppression, judge_gate};
use super::{CheckConfig, CheckPartial};
use crate::inventory::Inventory;
use crate::record::time::format_ms;
use crate::redact::Deferred;
use crate::scan::ScanOutcome;
use crate::signatures::{Severity, SignatureSet};
pub use crate::summary::{InputReport, MalformedReport, any_problem, input_report};

pub use super::SCHEMA;

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub schema: &'static str,
    /// `pass`, `fail` or `error`: what the gate says. Never `pass` when an
    /// input could not be read, or when nothing was checked (unless
    /// `--allow-empty`).
    pub verdict: Verdict,
    /// Why the verdict is `error` (empty otherwise).
    pub errors: Vec<String>,
    /// Records read from all inputs.
    pub records: u64,
    /// Records that passed the filters: the records actually checked.
    pub checked: u64,
    /// The record filters asked for, when any.
    pub filters: Option<Filters>,
    /// When the filters left no records: what the input does hold.
    pub inventory: Option<Inventory>,
    /// Malformed records skipped in all inputs.
    pub malformed: u64,
    pub inputs: Vec<InputReport>,
    pub findings: Vec<Finding>,
    pub fail_on: Severity,
    /// A finding fails the check (at or above `fail_on`, not suppressed, and
    /// new against the baseline when one is given).
    pub failed: bool,
    /// An input could not be read, or was cut short.
    pub input_errors: bool,
    /// Suppressions whose date has passed: they no longer suppress.
    pub expired_suppressions: Vec<Suppression>,
    /// The previous report findings were compared with.
    pub baseline: Option<String>,
    /// What the cron and webhook checks could see (absent when none ran).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<super::finding::AccessSummary>,
}

/// The gate's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    Error,
}

/// The record filters of a run, as asked.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Filters {
    pub since: Option<String>,
    pub until: Option<String>,
    pub deployment: Option<String>,
    pub environment: Option<String>,
}

/// How many fingerprints a finding lists (what `--baseline-findings` can
/// compare with).
const FINGERPRINTS_LISTED: usize = 100;

/// Builds the report from a finished scan.
pub fn build(
    outcome: &ScanOutcome<CheckPartial>,
    signatures: &SignatureSet,
    config: &CheckConfig,
) -> CheckReport {
    let inputs: Vec<InputReport> = outcome.inputs.iter().map(input_report).collect();
    let (active, expired): (Vec<&Suppression>, Vec<&Suppression>) = config
        .suppressions
        .iter()
        .partition(|s| s.active(config.today));
    let mut findings = Vec::new();
    for (&sig, acc) in &outcome.partial.signatures {
        let def = &signatures.defs()[sig];
        let all: HashMap<String, u64> = acc
            .fingerprints
            .values()
            .map(|f| (f.text.shown(), f.count))
            .collect();
        let gate = judge_gate(&def.id, def.severity, &all, acc.count, &active, config);
        let samples = acc
            .samples
            .iter()
            .map(|s| Sample {
                input: outcome
                    .inputs
                    .get(s.at.input as usize)
                    .map_or_else(String::new, |i| i.name.clone()),
                line: outcome.line_of(&s.at),
                offset: s.at.offset,
                time: s.time_ms.map(format_ms),
                method: s.method.as_ref().map(Deferred::shown),
                route: s.route.as_ref().map(Deferred::shown),
                deployment: s.deployment.as_ref().map(Deferred::shown),
                message: s.message.shown(),
            })
            .collect();
        findings.push(Finding {
            signature: def.id.clone(),
            title: def.title.clone(),
            severity: def.severity,
            count: acc.count,
            distinct: acc.fingerprints.len() as u64,
            fingerprints: top_n(all.clone(), FINGERPRINTS_LISTED),
            first_seen: acc.first_ms.map(format_ms),
            last_seen: acc.last_ms.map(format_ms),
            routes: top(acc.routes.clone()),
            deployments: top(acc.deployments.clone()),
            samples,
            meaning: def.meaning.trim().to_string(),
            action: def.action.trim().to_string(),
            fails: gate.fails,
            suppressed: gate.suppressed,
            suppressions: gate.applied,
            new: gate.new,
            access: None,
        });
    }
    let access = super::access::findings(outcome, signatures, config, &active);
    findings.extend(access.findings);
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.count.cmp(&a.count))
            .then_with(|| a.signature.cmp(&b.signature))
    });
    let records = outcome.records();
    let malformed = outcome.malformed();
    let checked = if config.filter.is_set() {
        outcome.partial.admitted
    } else {
        records
    };
    let failed = findings.iter().any(|f| f.fails);
    let input_errors = any_problem(&inputs);
    // Input errors name their file already; damage does not.
    let mut errors: Vec<String> = inputs
        .iter()
        .filter_map(|i| {
            i.problem().map(|p| {
                if p.starts_with(&i.path) {
                    p.to_string()
                } else {
                    format!("{}: {p}", i.path)
                }
            })
        })
        .collect();
    if config.strict && malformed > 0 {
        errors.push(format!("--strict: {malformed} malformed record(s)"));
    }
    let mut inventory = None;
    if checked == 0 && !config.allow_empty && !input_errors {
        if records == 0 && malformed > 0 {
            errors.push(format!(
                "no records to check: every record of the input is malformed ({malformed})"
            ));
        } else if records == 0 {
            errors.push("no records to check: the input holds no log records".to_string());
        } else {
            errors.push(format!(
                "no records to check: the filters left none of the {} records",
                crate::summary::thousands(records)
            ));
            inventory = Some(outcome.partial.inventory.finish());
        }
    }
    let verdict = if !errors.is_empty() {
        Verdict::Error
    } else if failed {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    CheckReport {
        schema: SCHEMA,
        verdict,
        errors,
        records,
        checked,
        filters: config.filter.is_set().then(|| Filters {
            since: config.filter.since_ms.map(format_ms),
            until: config.filter.until_ms.map(format_ms),
            deployment: config.filter.deployment.clone(),
            environment: config.filter.environment.clone(),
        }),
        inventory,
        malformed,
        inputs,
        findings,
        fail_on: config.fail_on,
        failed,
        input_errors,
        expired_suppressions: expired.into_iter().cloned().collect(),
        baseline: config.baseline.as_ref().map(|b| b.path.clone()),
        access: access.summary,
    }
}

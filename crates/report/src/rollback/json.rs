//! The JSON printer: the versioned `logs.rollback/v1` contract, built from
//! the [`RollbackReport`] and the same wording the other printers use
//! (headline, reasons, windows, thresholds, evidence). Keys are only ever
//! added within `v1`.

use std::io::{self, Write};

use serde::Serialize;

use super::{labels, wording};
use logs_core::rollback::{
    Decision, Offender, RollbackReport, RuleId, RuleResult, RuleSeverity, Unit, Verdict,
};

/// Version of the JSON contract. Change it deliberately.
pub const SCHEMA: &str = "logs.rollback/v1";

/// The whole document.
#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    decision: Decision,
    /// The headline, e.g. `ROLLBACK NOW — dpl_x failed 2 critical rules: …`.
    summary: String,
    deployment: &'a str,
    baseline: Option<&'a str>,
    last_good: Option<&'a str>,
    deploy_time: Option<&'a str>,
    now: Option<&'a str>,
    observed_minutes: Option<f64>,
    rules: Vec<Rule>,
    offenders: &'a [Offender],
    runbook: &'a [String],
    runbook_threshold: Option<String>,
}

/// One rule, with its numbers and their wording.
#[derive(Serialize)]
struct Rule {
    id: RuleId,
    title: &'static str,
    verdict: Verdict,
    severity: RuleSeverity,
    advisory: bool,
    required: bool,
    /// Human label of the time span judged, e.g. `deploy+0–10 min`.
    window: String,
    unit: Unit,
    observed: Option<f64>,
    baseline: Option<f64>,
    /// The limit in words, e.g. `> 3 unique in 10 min`.
    threshold: String,
    samples: u64,
    baseline_samples: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p_value: Option<f64>,
    reason: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<String>,
}

fn rule(rule: &RuleResult, canary: &str) -> Rule {
    Rule {
        id: rule.id,
        title: labels::title(rule.id),
        verdict: rule.verdict,
        severity: rule.severity,
        advisory: rule.advisory,
        required: rule.required,
        window: labels::window(rule),
        unit: rule.unit,
        observed: rule.observed,
        baseline: rule.baseline,
        threshold: labels::threshold(rule),
        samples: rule.samples,
        baseline_samples: rule.baseline_samples,
        p_value: rule.p_value,
        reason: wording::reason(rule, canary),
        evidence: labels::evidence(rule),
    }
}

/// [`write_json`] into a string.
pub fn render_json(report: &RollbackReport) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_json(report, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes `report` as pretty-printed JSON, ending in a newline.
pub fn write_json(report: &RollbackReport, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        schema: SCHEMA,
        decision: report.decision,
        summary: wording::headline(report),
        deployment: &report.deployment,
        baseline: report.baseline.as_deref(),
        last_good: report.last_good.as_deref(),
        deploy_time: report.deploy_time.as_deref(),
        now: report.now.as_deref(),
        observed_minutes: report.observed_minutes,
        rules: (report.rules.iter())
            .map(|r| rule(r, &report.deployment))
            .collect(),
        offenders: &report.offenders,
        runbook: &report.runbook,
        runbook_threshold: report.runbook_threshold.map(wording::runbook_threshold),
    };
    // Plain structs with string keys always serialise (non-finite floats
    // become `null`): any error here is the writer's.
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}

//! `new-critical-signatures` (seed 001: "confirm no new error patterns"): a
//! signature of at least `min_severity` on the canary that the baseline never
//! showed, at any severity. With no baseline lines at all nothing can be
//! called new, so such signatures make the rule INCONCLUSIVE instead.

use std::collections::{BTreeMap, HashSet};

use super::super::input::Severity;
use super::super::policy::NewSignatureRule;
use super::super::report::{Unit, Verdict};
use super::super::scope::Scope;
use super::{Outcome, span_label};

pub fn evaluate(scope: &Scope, rule: &NewSignatureRule) -> Outcome {
    let known: HashSet<&str> = (scope.baseline_lines.iter())
        .flat_map(|o| o.signatures.iter().map(|(id, _)| id.as_str()))
        .collect();
    let mut new: BTreeMap<&str, (Severity, u64)> = BTreeMap::new();
    for line in &scope.canary_lines {
        for (id, severity) in &line.signatures {
            if *severity >= rule.min_severity && !known.contains(id.as_str()) {
                let entry = new.entry(id).or_insert((*severity, 0));
                entry.0 = entry.0.max(*severity);
                entry.1 += 1;
            }
        }
    }
    let evidence: Vec<String> = (new.iter())
        .map(|(id, (severity, n))| format!("{id} ({}, {n} lines)", severity.as_str()))
        .collect();
    let level = format!("{} or worse", rule.min_severity.as_str());
    let (verdict, reason) = if new.is_empty() {
        (
            Verdict::Pass,
            format!("no {level} signature that the baseline did not already show"),
        )
    } else if scope.baseline_lines.is_empty() {
        let reason = format!(
            "no baseline lines to compare with; canary shows {}",
            evidence.join(", ")
        );
        (Verdict::Inconclusive, reason)
    } else {
        (
            Verdict::Fail,
            format!("new on the canary: {}", evidence.join(", ")),
        )
    };
    Outcome {
        verdict,
        window: span_label(0, scope.now_ms - scope.deploy_ms),
        unit: Unit::Count,
        observed: Some(new.len() as f64),
        baseline: None,
        threshold: format!("any new {level}"),
        samples: scope.canary_lines.len() as u64,
        baseline_samples: Some(scope.baseline_lines.len() as u64),
        p_value: None,
        reason,
        evidence,
    }
}

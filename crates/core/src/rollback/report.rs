//! The plain data the analysis produces and the printers read:
//! [`RollbackReport`] (the `logs.rollback/v1` JSON contract), one
//! [`RuleResult`] per rule, and the [`Decision`] rule that combines them.

use serde::Serialize;

use super::policy::RuleSeverity;

/// Version of the JSON contract. Change it deliberately.
pub const SCHEMA: &str = "logs.rollback/v1";

/// What to do with the canary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Rollback,
    Hold,
    Proceed,
}

impl Decision {
    /// The process exit code: proceed 0, rollback 1, hold 3.
    pub fn exit_code(self) -> i32 {
        match self {
            Decision::Proceed => 0,
            Decision::Rollback => 1,
            Decision::Hold => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Rollback => "rollback",
            Decision::Hold => "hold",
            Decision::Proceed => "proceed",
        }
    }
}

/// One rule's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail,
    Inconclusive,
    NotApplicable,
}

impl Verdict {
    /// The word printed in tables: PASS, FAIL, INCONCLUSIVE, N/A.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
            Verdict::Inconclusive => "INCONCLUSIVE",
            Verdict::NotApplicable => "N/A",
        }
    }
}

/// What `observed` and `baseline` measure, so printers can format them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A plain count (unique errors, lines, signatures).
    Count,
    /// A fraction in [0, 1], printed as a percentage.
    Ratio,
    /// Milliseconds.
    Ms,
    /// Minutes.
    Minutes,
}

/// One rule's result, with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    pub id: String,
    pub title: String,
    pub verdict: Verdict,
    pub severity: RuleSeverity,
    pub advisory: bool,
    pub required: bool,
    /// Human label of the time span judged, e.g. `deploy+0–10 min`.
    pub window: String,
    pub unit: Unit,
    /// The canary's value; `null` when there was nothing to measure.
    pub observed: Option<f64>,
    /// The baseline's value for comparison, when the rule has one.
    pub baseline: Option<f64>,
    /// The limit in words, e.g. `> 3 unique`.
    pub threshold: String,
    /// Canary sample size (requests, lines or durations, per rule).
    pub samples: u64,
    pub baseline_samples: Option<u64>,
    /// One-sided p-value, for the rules that test significance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value: Option<f64>,
    /// One line a tired on-call engineer understands.
    pub reason: String,
    /// What was counted, e.g. the distinct errors or the new signatures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// A top offending error on the canary, for the rollback case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offender {
    pub error_key: String,
    pub route: String,
    pub count: u64,
    pub sample: Option<String>,
}

/// Everything the printers need; serialised as the JSON output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RollbackReport {
    pub schema: &'static str,
    pub decision: Decision,
    /// The headline, e.g. `ROLLBACK NOW — dpl_x failed 2 critical rules: …`.
    pub summary: String,
    /// The canary deployment id.
    pub deployment: String,
    /// The baseline deployment id given, or `null` (= all other deployments).
    pub baseline: Option<String>,
    /// The deployment the runbook promotes back to, when known.
    pub last_good: Option<String>,
    /// RFC 3339 UTC; `null` when the canary has no lines and none was given.
    pub deploy_time: Option<String>,
    pub now: Option<String>,
    pub observed_minutes: Option<f64>,
    pub rules: Vec<RuleResult>,
    pub offenders: Vec<Offender>,
    pub runbook: Vec<String>,
    /// The rollback runbook's rule as the policy in force sets it (`roll
    /// back if more than 3 unique Server Action 500s in the first 10
    /// minutes after a deploy`), cited with the runbook's commands; `null`
    /// without a runbook or when that rule is off.
    pub runbook_threshold: Option<String>,
}

/// ROLLBACK if any non-advisory rule failed; else HOLD if any rule is
/// inconclusive or an advisory rule failed; else PROCEED. (Required N/A rules
/// were already turned into INCONCLUSIVE.)
pub fn decide(rules: &[RuleResult]) -> Decision {
    if rules
        .iter()
        .any(|r| r.verdict == Verdict::Fail && !r.advisory)
    {
        Decision::Rollback
    } else if rules
        .iter()
        .any(|r| matches!(r.verdict, Verdict::Fail | Verdict::Inconclusive))
    {
        Decision::Hold
    } else {
        Decision::Proceed
    }
}

/// The headline for `decision`, worded so it cannot be misread.
pub fn summarize(decision: Decision, deployment: &str, rules: &[RuleResult]) -> String {
    match decision {
        Decision::Rollback => {
            let failed: Vec<&str> = (rules.iter())
                .filter(|r| r.verdict == Verdict::Fail && !r.advisory)
                .map(|r| r.id.as_str())
                .collect();
            let critical = (rules.iter())
                .filter(|r| r.verdict == Verdict::Fail && !r.advisory)
                .filter(|r| r.severity == RuleSeverity::Critical)
                .count();
            let what = match (failed.len(), critical) {
                (n, c) if n == c => format!("{n} critical {}", plural(n, "rule")),
                (n, 0) => format!("{n} {}", plural(n, "rule")),
                (n, c) => format!("{n} {} ({c} critical)", plural(n, "rule")),
            };
            format!(
                "ROLLBACK NOW — {deployment} failed {what}: {}",
                failed.join(", ")
            )
        }
        Decision::Hold => {
            // Lead with the observation rule's reason ("too early to
            // promote: …") when it holds, else the first holding rule's.
            let holding: Vec<&RuleResult> = (rules.iter())
                .filter(|r| matches!(r.verdict, Verdict::Fail | Verdict::Inconclusive))
                .collect();
            let lead = (holding.iter().find(|r| r.id == super::policy::OBSERVATION))
                .or(holding.first())
                .map_or(String::new(), |r| match r.verdict {
                    Verdict::Fail => format!("advisory rule {} failed: {}", r.id, r.reason),
                    _ => r.reason.clone(),
                });
            let others: Vec<&str> = (holding.iter())
                .filter(|r| !lead.contains(r.reason.as_str()))
                .map(|r| r.id.as_str())
                .collect();
            let also = if others.is_empty() {
                String::new()
            } else {
                format!("; also waiting on: {}", others.join(", "))
            };
            format!("HOLD — keep watching {deployment}, do not promote yet: {lead}{also}")
        }
        Decision::Proceed => {
            let passed = rules.iter().filter(|r| r.verdict == Verdict::Pass).count();
            let skipped = rules.len() - passed;
            let tail = if skipped == 0 {
                format!("{deployment} passed all {passed} rules")
            } else {
                format!("{deployment} passed {passed} rules ({skipped} not applicable)")
            };
            format!("PROCEED to the next stage — {tail}")
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_the_contract() {
        assert_eq!(Decision::Proceed.exit_code(), 0);
        assert_eq!(Decision::Rollback.exit_code(), 1);
        assert_eq!(Decision::Hold.exit_code(), 3);
    }
}

//! The plain data the analysis produces and the printers read:
//! [`RollbackReport`], one [`RuleResult`] per rule (an [`Outcome`] with the
//! rule's id and options), and the [`Decision`] rule that combines them.
//! No words here: the printers (`logs_report::rollback`) write the
//! headline, reasons and labels, and the `logs.rollback/v1` JSON.

use std::ops::Deref;

use serde::{Deserialize, Serialize};

use super::policy::{RuleOptions, RuleSeverity};
use super::rule_id::RuleId;
use super::rules::{Outcome, Verdict};

/// What to do with the canary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Rollback,
    Hold,
    Proceed,
}

impl Decision {
    /// The JSON name: `rollback`, `hold` or `proceed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Rollback => "rollback",
            Decision::Hold => "hold",
            Decision::Proceed => "proceed",
        }
    }
}

/// One rule's result: its [`Outcome`] (embedded, and reachable through
/// `Deref`, so `result.verdict` reads the outcome's) with the rule's id and
/// the options every rule shares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    pub id: RuleId,
    pub severity: RuleSeverity,
    pub advisory: bool,
    pub required: bool,
    /// A required rule that could not be judged: its N/A became
    /// INCONCLUSIVE.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unjudged: bool,
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl RuleResult {
    /// Applies the shared options: a required rule that does not apply holds.
    pub fn new(id: RuleId, options: RuleOptions, mut outcome: Outcome) -> Self {
        let unjudged =
            options.enabled && options.required && outcome.verdict == Verdict::NotApplicable;
        if unjudged {
            outcome.verdict = Verdict::Inconclusive;
        }
        RuleResult {
            id,
            severity: options.severity,
            advisory: options.advisory,
            required: options.required,
            unjudged,
            outcome,
        }
    }
}

impl Deref for RuleResult {
    type Target = Outcome;

    fn deref(&self) -> &Outcome {
        &self.outcome
    }
}

/// A top offending error on the canary, for the rollback case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offender {
    pub error_key: String,
    pub route: String,
    pub count: u64,
    pub sample: Option<String>,
}

/// Everything the printers need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RollbackReport {
    pub decision: Decision,
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
    /// The rollback runbook's rule as the policy in force sets it, cited
    /// with the runbook's commands; `None` without a runbook or when that
    /// rule is off.
    pub runbook_threshold: Option<RunbookThreshold>,
}

/// The runbook's rule in numbers: roll back if more than
/// `max_unique_errors` unique Server Action 500s in the first
/// `window_minutes` minutes after a deploy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RunbookThreshold {
    pub max_unique_errors: u64,
    pub window_minutes: u32,
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

//! The rules. Each submodule judges one thing and returns an [`Outcome`];
//! [`run_all`] runs the enabled ones in report order and applies the options
//! every rule shares (`enabled`, `required`, `advisory`, `severity`).

mod db;
mod latency;
mod new_signatures;
mod observation;
mod rates;
mod server_actions;

use super::input::RollbackInput;
use super::policy::*;
use super::report::{RuleResult, Unit, Verdict};
use super::scope::{MINUTE_MS, Scope};
use rates::RateKind;

/// A rule's judgement before the shared options are applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub window: String,
    pub unit: Unit,
    pub observed: Option<f64>,
    pub baseline: Option<f64>,
    pub threshold: String,
    pub samples: u64,
    pub baseline_samples: Option<u64>,
    pub p_value: Option<f64>,
    pub reason: String,
    pub evidence: Vec<String>,
}

impl Outcome {
    /// An outcome with no numbers, e.g. for a rule that could not run.
    fn bare(verdict: Verdict, reason: String) -> Self {
        Outcome {
            verdict,
            window: "—".into(),
            unit: Unit::Count,
            observed: None,
            baseline: None,
            threshold: "—".into(),
            samples: 0,
            baseline_samples: None,
            p_value: None,
            reason,
            evidence: Vec::new(),
        }
    }
}

/// Runs every rule of `policy` in [`RULE_IDS`] order. `scope` is `None` when
/// the canary's deploy time is unknown: the enabled rules are then
/// INCONCLUSIVE.
pub fn run_all(
    scope: Option<&Scope>,
    input: &RollbackInput,
    policy: &RollbackPolicy,
) -> Vec<RuleResult> {
    RULE_IDS
        .iter()
        .filter_map(|&id| {
            let options = policy.options(id)?;
            let outcome = if !options.enabled {
                Outcome::bare(Verdict::NotApplicable, "disabled in the policy".into())
            } else if let Some(scope) = scope {
                run_one(id, scope, policy)
            } else {
                let reason = format!(
                    "no lines from {} in the input and no deploy time given: check the deployment id",
                    input.canary
                );
                Outcome::bare(Verdict::Inconclusive, reason)
            };
            Some(finish(id, options, outcome))
        })
        .collect()
}

fn run_one(id: &str, scope: &Scope, policy: &RollbackPolicy) -> Outcome {
    match id {
        SERVER_ACTION_500S => server_actions::evaluate(scope, &policy.server_action_500s),
        ERROR_RATE => rates::evaluate(scope, &policy.error_rate, RateKind::Errors),
        AUTH_FAILURES => rates::evaluate(scope, &policy.auth_failures, RateKind::Auth),
        RENDER_ERRORS => rates::evaluate(scope, &policy.render_errors, RateKind::Render),
        LATENCY_SLO => latency::evaluate(scope, &policy.latency),
        DB_CONNECTIVITY => db::evaluate(scope, &policy.db_connectivity),
        NEW_SIGNATURES => new_signatures::evaluate(scope, &policy.new_signatures),
        _ => observation::evaluate(scope, &policy.observation),
    }
}

fn title(id: &str) -> &'static str {
    match id {
        SERVER_ACTION_500S => "Server Action 500s right after deploy",
        ERROR_RATE => "5xx/crash rate vs baseline",
        AUTH_FAILURES => "401/403 rate vs baseline",
        RENDER_ERRORS => "React #301 / error-boundary rate vs baseline",
        LATENCY_SLO => "p95 latency SLO",
        DB_CONNECTIVITY => "Database connectivity errors",
        NEW_SIGNATURES => "New high/critical error signatures",
        _ => "Minimum observation time and traffic",
    }
}

/// Applies the shared options: a required rule that does not apply holds.
fn finish(id: &str, options: RuleOptions, mut outcome: Outcome) -> RuleResult {
    if options.enabled && options.required && outcome.verdict == Verdict::NotApplicable {
        outcome.verdict = Verdict::Inconclusive;
        outcome.reason = format!("required rule cannot be judged: {}", outcome.reason);
    }
    RuleResult {
        id: id.to_string(),
        title: title(id).to_string(),
        verdict: outcome.verdict,
        severity: options.severity,
        advisory: options.advisory,
        required: options.required,
        window: outcome.window,
        unit: outcome.unit,
        observed: outcome.observed,
        baseline: outcome.baseline,
        threshold: outcome.threshold,
        samples: outcome.samples,
        baseline_samples: outcome.baseline_samples,
        p_value: outcome.p_value,
        reason: outcome.reason,
        evidence: outcome.evidence,
    }
}

/// `deploy+10–20 min`: a span given in milliseconds after deploy.
fn span_label(from_ms: i64, to_ms: i64) -> String {
    format!("deploy+{}–{} min", minutes(from_ms), minutes(to_ms))
}

/// Whole minutes when exact, else one decimal.
fn minutes(ms: i64) -> String {
    if ms % MINUTE_MS == 0 {
        (ms / MINUTE_MS).to_string()
    } else {
        format!("{:.1}", ms as f64 / MINUTE_MS as f64)
    }
}

/// `1 unique error` / `3 unique errors`.
fn count_of(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

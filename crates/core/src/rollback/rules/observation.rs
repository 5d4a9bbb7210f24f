//! `observation` (seed 003: "Minimum observation window per stage: 30
//! minutes"): a canary watched for less time, or with less traffic, than the
//! stage minimum is too early to promote, however clean it looks.

use super::super::policy::ObservationRule;
use super::super::report::{Unit, Verdict};
use super::super::scope::Scope;
use super::{Outcome, span_label};

pub fn evaluate(scope: &Scope, rule: &ObservationRule) -> Outcome {
    let minutes = scope.minutes_observed();
    let requests = scope.canary_requests.len() as u64;
    let mut short = Vec::new();
    if minutes < rule.min_minutes {
        short.push(format!("{minutes:.1} of {} min observed", rule.min_minutes));
    }
    if requests < rule.min_requests {
        short.push(format!("{requests} of {} requests", rule.min_requests));
    }
    let (verdict, reason) = if short.is_empty() {
        let reason = format!(
            "observed {minutes:.1} min and {requests} requests (minimum {} min, {} requests)",
            rule.min_minutes, rule.min_requests
        );
        (Verdict::Pass, reason)
    } else {
        (
            Verdict::Inconclusive,
            format!("too early to promote: {}", short.join(", ")),
        )
    };
    Outcome {
        verdict,
        window: span_label(0, scope.now_ms - scope.deploy_ms),
        unit: Unit::Minutes,
        observed: Some(minutes),
        baseline: None,
        threshold: format!(
            "≥ {} min and ≥ {} requests",
            rule.min_minutes, rule.min_requests
        ),
        samples: requests,
        baseline_samples: None,
        p_value: None,
        reason,
        evidence: Vec::new(),
    }
}

//! `observation` (seed 003: "Minimum observation window per stage: 30
//! minutes"): a canary watched for less time, or with less traffic, than the
//! stage minimum is too early to promote, however clean it looks.

use super::super::policy::ObservationRule;
use super::super::scope::{MINUTE_MS, Scope};
use super::measure::ObservationMeasure;
use super::outcome::{Finding, ObservationFinding, Outcome, Span};
use super::outcome::{Unit, Verdict};

pub fn measure(scope: &Scope, requests: u64) -> ObservationMeasure {
    ObservationMeasure {
        elapsed_ms: scope.now_ms - scope.deploy_ms,
        requests,
    }
}

/// Short of either minimum holds; both met passes.
pub fn judge(m: &ObservationMeasure, rule: &ObservationRule) -> Outcome {
    let minutes = m.elapsed_ms as f64 / MINUTE_MS as f64;
    let short_of_time = minutes < rule.min_minutes;
    let short_of_requests = m.requests < rule.min_requests;
    let verdict = if short_of_time || short_of_requests {
        Verdict::Inconclusive
    } else {
        Verdict::Pass
    };
    Outcome {
        verdict,
        unit: Unit::Minutes,
        observed: Some(minutes),
        baseline: None,
        span: Some(Span::since_deploy(m.elapsed_ms)),
        samples: m.requests,
        baseline_samples: None,
        p_value: None,
        finding: Finding::Observation(ObservationFinding {
            elapsed_ms: m.elapsed_ms,
            minutes,
            requests: m.requests,
            min_minutes: rule.min_minutes,
            min_requests: rule.min_requests,
            short_of_time,
            short_of_requests,
        }),
    }
}

//! The canary-vs-baseline rate rules (`error-rate-vs-baseline`,
//! `auth-failure-spike`, `render-errors-vs-baseline`).
//!
//! A request is "bad" when its status matches the rule's `statuses` or one of
//! its lines matched one of its `signatures`. Requests with no status and no
//! such signature are left out of both numerator and denominator (their
//! outcome is unknown). The canary FAILs only when its rate is both
//! *significant* — one-sided Fisher's exact test, p < `alpha` — and *large*:
//! at least `min_ratio` times the baseline and `min_difference_pp` points
//! above it. Significance alone would roll back on a 0.1% → 0.2% blip in a
//! big sample; size alone would roll back on 2 errors in 50 requests.

use super::super::policy::{RateRule, status_matches};
use super::super::report::{Unit, Verdict};
use super::super::scope::{Request, Scope};
use super::super::stats::fisher_greater;
use super::measure::{RateMeasure, Tally};
use super::outcome::{Finding, Outcome, RateCase, RateFinding, Span};

fn is_bad(request: &Request, rule: &RateRule) -> bool {
    request
        .status
        .is_some_and(|s| status_matches(&rule.statuses, s))
        || request.has_any_signature(&rule.signatures)
}

/// Bad of counted over `requests`.
fn tally(requests: &[Request], rule: &RateRule) -> Tally {
    requests.iter().fold(Tally::default(), |t, r| {
        let bad = is_bad(r, rule);
        let counted = bad || r.status.is_some();
        Tally {
            bad: t.bad + u64::from(bad),
            total: t.total + u64::from(counted),
        }
    })
}

/// Counts bad and counted requests on each side.
pub fn measure(scope: &Scope, rule: &RateRule) -> RateMeasure {
    RateMeasure {
        elapsed_ms: scope.now_ms - scope.deploy_ms,
        canary: tally(&scope.canary_requests, rule),
        baseline: tally(&scope.baseline_requests, rule),
    }
}

/// Significant and large fails; see the module doc.
pub fn judge(m: &RateMeasure, rule: &RateRule) -> Outcome {
    let (rate_c, rate_b) = (m.canary.rate(), m.baseline.rate());
    let mut p_value = None;
    let (verdict, case) = match (rate_c, rate_b) {
        (_, None) => (Verdict::NotApplicable, RateCase::NoBaseline),
        (None, Some(_)) => (Verdict::Inconclusive, RateCase::NoCanary),
        _ if m.canary.total < rule.min_canary_requests => {
            (Verdict::Inconclusive, RateCase::TooFewRequests)
        }
        (Some(rc), Some(rb)) => {
            let p = fisher_greater(
                m.canary.bad,
                m.canary.total,
                m.baseline.bad,
                m.baseline.total,
            );
            p_value = Some(p);
            let significant = p < rule.alpha;
            let ratio_ok = rc >= rule.min_ratio * rb && rc > rb;
            let gap_ok = (rc - rb) * 100.0 >= rule.min_difference_pp;
            if significant && ratio_ok && gap_ok {
                (Verdict::Fail, RateCase::Worse)
            } else if !significant {
                (Verdict::Pass, RateCase::NotSignificant)
            } else {
                (Verdict::Pass, RateCase::TooSmall)
            }
        }
    };
    let ratio = match (rate_c, rate_b) {
        (Some(rc), Some(rb)) if rb > 0.0 => Some(rc / rb),
        _ => None,
    };
    Outcome {
        verdict,
        unit: Unit::Ratio,
        observed: rate_c,
        baseline: rate_b,
        span: Some(Span::since_deploy(m.elapsed_ms)),
        samples: m.canary.total,
        baseline_samples: Some(m.baseline.total),
        p_value,
        finding: Finding::Rate(RateFinding {
            case,
            elapsed_ms: m.elapsed_ms,
            canary: m.canary,
            baseline: m.baseline,
            ratio,
            statuses: rule.statuses.clone(),
            by_signature: !rule.signatures.is_empty(),
            alpha: rule.alpha,
            min_ratio: rule.min_ratio,
            min_difference_pp: rule.min_difference_pp,
            min_canary_requests: rule.min_canary_requests,
        }),
    }
}

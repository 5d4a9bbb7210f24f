//! The canary-vs-baseline rate rules (`error-rate-vs-baseline`,
//! `auth-failure-spike`, `render-errors-vs-baseline`).
//!
//! A request is "bad" when its status matches the rule's `statuses` or one of
//! its lines matched one of its `signatures`. Requests with no status and no
//! such signature are left out of both numerator and denominator (their
//! outcome is unknown).
//!
//! The canary FAILs only when its rate is both *significant* and *large*:
//! - significant: the sequential test of `sequential.rs` gives an
//!   always-valid p-value below `alpha`, however many times the rule has
//!   been evaluated (`--follow` looks every `--interval`);
//! - large (the effect-size guards): at least `min_ratio` times the
//!   baseline rate *and* `min_difference_pp` points above it. Significance
//!   alone would roll back on a 0.1% → 0.2% blip in a big sample; size
//!   alone would roll back on 2 errors in 50 requests.
//!
//! There is no fixed minimum of requests. A canary that is not
//! significant PASSes once, at its own traffic, a 2× rise would have been
//! caught by now (expected counts, [`minutes_to_detect`]). Before that it
//! is INCONCLUSIVE until the observation window (`[rules.observation]
//! min_minutes`) ends; then it PASSes as *underpowered*, and the finding
//! says when a 2× rise would become detectable at the canary's traffic.

use super::super::policy::{RateRule, status_matches};
use super::super::scope::{MINUTE_MS, Request, Scope};
use super::super::sequential::{Limits, Traffic, always_valid_p, detect_target, minutes_to_detect};
use super::measure::{RateMeasure, Tally};
use super::outcome::{Finding, Outcome, RateCase, RateFinding, Span};
use super::outcome::{Unit, Verdict};

fn is_bad(request: &Request, rule: &RateRule) -> bool {
    request
        .status
        .is_some_and(|s| status_matches(&rule.statuses, s))
        || request.has_any_signature(&rule.signatures)
}

/// What a rate rule counts of the requests: sums, so the counts of two
/// sets of requests add up to those of both.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RateCounts {
    canary: Tally,
    baseline: Tally,
    baseline_since_deploy: u64,
}

impl RateCounts {
    /// Counts one of the canary's requests.
    pub fn add_canary(&mut self, request: &Request, rule: &RateRule) {
        let bad = is_bad(request, rule);
        self.canary.count(bad, bad || request.status.is_some());
    }

    /// Counts one of the baseline's requests.
    pub fn add_baseline(&mut self, request: &Request, rule: &RateRule, deploy_ms: i64) {
        let bad = is_bad(request, rule);
        let counted = bad || request.status.is_some();
        self.baseline.count(bad, counted);
        if request.time_ms >= deploy_ms {
            self.baseline_since_deploy += u64::from(counted);
        }
    }

    pub fn merge(&mut self, other: RateCounts) {
        self.canary.add(other.canary);
        self.baseline.add(other.baseline);
        self.baseline_since_deploy += other.baseline_since_deploy;
    }
}

/// Bad and counted requests on each side.
pub fn measure(scope: &Scope, counts: &RateCounts) -> RateMeasure {
    RateMeasure {
        elapsed_ms: scope.now_ms - scope.deploy_ms,
        canary: counts.canary,
        baseline: counts.baseline,
        baseline_since_deploy: counts.baseline_since_deploy,
    }
}

/// Significant and large fails; see the module doc.
/// `window_minutes` is the observation window: how long a canary without
/// evidence either way is held.
pub fn judge(m: &RateMeasure, rule: &RateRule, window_minutes: f64) -> Outcome {
    let limits = Limits {
        alpha: rule.alpha,
        min_ratio: rule.min_ratio,
        min_difference_pp: rule.min_difference_pp,
    };
    let (rate_c, rate_b) = (m.canary.rate(), m.baseline.rate());
    let minutes = m.elapsed_ms as f64 / MINUTE_MS as f64;
    let per_minute = (minutes > 0.0).then(|| m.canary.total as f64 / minutes);
    let detect_rate = rate_b.map(|rb| detect_target(rb, &limits));
    let traffic = per_minute.map(|canary| Traffic {
        canary,
        baseline: m.baseline_since_deploy as f64 / minutes,
        elapsed: minutes,
    });
    let detect_minutes = match (traffic, detect_rate) {
        (Some(traffic), Some(target)) => minutes_to_detect(&traffic, m.baseline, target, &limits),
        _ => None,
    };
    let mut p_value = None;
    let (verdict, case) = match (rate_c, rate_b) {
        (_, None) => (Verdict::NotApplicable, RateCase::NoBaseline),
        (None, Some(_)) => (Verdict::Inconclusive, RateCase::NoCanary),
        (Some(rc), Some(rb)) => {
            let p = always_valid_p(m.canary, m.baseline, rule.min_ratio);
            p_value = Some(p);
            let significant = p < rule.alpha;
            if significant && limits.large(rc, rb) {
                (Verdict::Fail, RateCase::Worse)
            } else if significant {
                (Verdict::Pass, RateCase::TooSmall)
            } else if detect_minutes.is_some_and(|d| d <= minutes) {
                (Verdict::Pass, RateCase::NotSignificant)
            } else if minutes >= window_minutes {
                (Verdict::Pass, RateCase::Underpowered)
            } else {
                (Verdict::Inconclusive, RateCase::TooFewRequests)
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
            canary_per_minute: per_minute,
            detect_rate,
            detect_minutes,
        }),
    }
}

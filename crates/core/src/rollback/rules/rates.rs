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
use super::{Outcome, span_label};

fn is_bad(request: &Request, rule: &RateRule) -> bool {
    request
        .status
        .is_some_and(|s| status_matches(&rule.statuses, s))
        || request.has_any_signature(&rule.signatures)
}

/// (bad, counted) over `requests`.
fn tally(requests: &[Request], rule: &RateRule) -> (u64, u64) {
    requests.iter().fold((0, 0), |(bad, total), r| {
        let b = is_bad(r, rule);
        let counted = b || r.status.is_some();
        (bad + u64::from(b), total + u64::from(counted))
    })
}

/// What the rule counts, in words: `5xx/crashed`, `401/403`, or `noun` when it
/// counts signatures (their ids are too long for a one-line reason).
fn label(rule: &RateRule, noun: &str) -> String {
    let mut parts: Vec<String> = rule.statuses.iter().map(|s| s.label()).collect();
    if !rule.signatures.is_empty() {
        parts.push(noun.to_string());
    }
    parts.join("/")
}

/// Which rate rule is running; only changes the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateKind {
    Errors,
    Auth,
    Render,
}

fn percent(rate: f64) -> String {
    format!("{:.2}%", rate * 100.0)
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        format!("p={p:.1e}")
    } else {
        format!("p={p:.3}")
    }
}

/// `RateKind::Auth` adds seed 001's warning about Supabase latency to a failure.
pub fn evaluate(scope: &Scope, rule: &RateRule, kind: RateKind) -> Outcome {
    let what = label(
        rule,
        if kind == RateKind::Render {
            "render-error"
        } else {
            "matching"
        },
    );
    let (bad_c, n_c) = tally(&scope.canary_requests, rule);
    let (bad_b, n_b) = tally(&scope.baseline_requests, rule);
    let rate = |bad: u64, n: u64| (n > 0).then(|| bad as f64 / n as f64);
    let (rate_c, rate_b) = (rate(bad_c, n_c), rate(bad_b, n_b));
    let mut outcome = Outcome {
        verdict: Verdict::Pass,
        window: span_label(0, scope.now_ms - scope.deploy_ms),
        unit: Unit::Ratio,
        observed: rate_c,
        baseline: rate_b,
        threshold: format!(
            "p < {}, ≥ {}× and ≥ +{} pp",
            rule.alpha, rule.min_ratio, rule.min_difference_pp
        ),
        samples: n_c,
        baseline_samples: Some(n_b),
        p_value: None,
        reason: String::new(),
        evidence: vec![format!(
            "canary {bad_c} of {n_c} requests {what}; baseline {bad_b} of {n_b}"
        )],
    };
    let (Some(rc), Some(rb)) = (rate_c, rate_b) else {
        outcome.verdict = if n_b == 0 {
            Verdict::NotApplicable
        } else {
            Verdict::Inconclusive
        };
        outcome.reason = if n_b == 0 {
            format!("no baseline requests to compare the {what} rate with")
        } else {
            format!(
                "no canary requests yet; need {} to compare {what} rates",
                rule.min_canary_requests
            )
        };
        return outcome;
    };
    if n_c < rule.min_canary_requests {
        outcome.verdict = Verdict::Inconclusive;
        outcome.reason = format!(
            "only {n_c} canary requests, need {} to compare {what} rates (so far {} vs {})",
            rule.min_canary_requests,
            percent(rc),
            percent(rb)
        );
        return outcome;
    }
    let p = fisher_greater(bad_c, n_c, bad_b, n_b);
    outcome.p_value = Some(p);
    let significant = p < rule.alpha;
    let ratio_ok = rc >= rule.min_ratio * rb && rc > rb;
    let gap_ok = (rc - rb) * 100.0 >= rule.min_difference_pp;
    let versus = format!(
        "canary {what} rate {} vs baseline {}",
        percent(rc),
        percent(rb)
    );
    outcome.reason = if significant && ratio_ok && gap_ok {
        outcome.verdict = Verdict::Fail;
        let times = if rb > 0.0 {
            format!("{:.1}×", rc / rb)
        } else {
            "new".into()
        };
        if kind == RateKind::Auth {
            outcome.evidence.push(
                "the rollback runbook warns: intermittent auth failures can be Supabase latency (look for AbortError), not missing credentials"
                    .into(),
            );
        }
        format!(
            "{versus} ({times}, {}): significantly and materially worse",
            p_text(p)
        )
    } else if !significant {
        format!("{versus}: not significantly higher ({})", p_text(p))
    } else {
        format!(
            "{versus}: higher ({}) but under {}× / +{} pp, too small to act on",
            p_text(p),
            rule.min_ratio,
            rule.min_difference_pp
        )
    };
    outcome
}

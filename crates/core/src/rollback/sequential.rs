//! The rate rules' statistic: a sequential Bayes-factor test (a mixture
//! sequential probability ratio test with beta-binomial mixtures) of "the
//! canary fails requests more often than the baseline", whose error rate
//! stays controlled however often it is looked at.
//!
//! The canary's bad requests, `x` of `n`, are compared under two
//! hypotheses about the canary's rate `p`:
//! - *same as the baseline*: `p` drawn from the baseline's posterior,
//!   Beta(bad + ½, good + ½) (Jeffreys prior): the baseline's own
//!   uncertainty is part of the null, so a small baseline cannot make a
//!   small canary look significant;
//! - *worse*: `p` drawn from a mixture of Beta(k, k(1 − μ)/μ) with
//!   k = [`ALT_STRENGTH`] pseudo-bad requests and means μ = r × the
//!   baseline's rate for the rises r of [`ALT_RISES`] (most weight on 3×,
//!   the middle of the rises worth a rollback; a little on 10× to 1000×,
//!   so a canary failing 4% of requests against a clean baseline is not
//!   "too far out" to count).
//!
//! The Bayes factor `B` (marginal likelihood of the canary's counts under
//! "worse" over that under "same") is, under "same", a non-negative
//! martingale in the canary's requests, so by Ville's inequality P(B ever
//! reaches 1/α) ≤ α: `1/B` is an always-valid p-value. A decision at a given
//! "now" depends only on the counts at that "now", so batch `rollback`,
//! `--follow` (which re-evaluates every `--interval`) and any other path
//! reach the same verdict on the same requests. Exact at any count, it
//! needs no minimum number of requests: a small canary with a large effect
//! decides early, and a small canary with no effect keeps holding.
//! (The baseline's posterior is re-read at each look, so the bound is
//! approximate; `benches/rollback_sim.rs` measures it, see
//! `benches/RESULTS-rollback.md`.)

use super::stats::{Tally, ln_gamma};

/// How concentrated the "worse" mixture is, in pseudo-bad requests: 4
/// spreads it over roughly 1×–6× its mean, so 2× and 5× rises both gather
/// evidence. Chosen by simulation (`benches/RESULTS-rollback.md`: 1, 2, 4,
/// 8 and 16 tried; 4 and more catch 3× rises sooner than 1, with the same
/// false rollbacks).
pub const ALT_STRENGTH: f64 = 4.0;

/// The "worse" mixture: rises over the baseline rate (at least the rule's
/// `min_ratio`) and their weights. 3× carries most of the weight (chosen
/// with [`ALT_STRENGTH`]); the far rises cost a factor 1.25 of evidence on
/// 2×–5× rises and keep huge ones decisive.
pub const ALT_RISES: [(f64, f64); 6] = [
    (3.0, 0.8),
    (10.0, 0.04),
    (30.0, 0.04),
    (100.0, 0.04),
    (300.0, 0.04),
    (1000.0, 0.04),
];

/// The rise [`minutes_to_detect`] is asked about: 2× the baseline rate.
pub const DETECT_RATIO: f64 = 2.0;

/// The longest detection time worth reporting: a week.
const MAX_MINUTES: f64 = 7.0 * 24.0 * 60.0;

fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// ln B for `x` bad of `n` canary requests (real-valued, so expected counts
/// can be asked about) against the baseline's counts, over the mixture
/// components `rises`.
fn ln_bayes_factor(
    x: f64,
    n: f64,
    (xb, nb): (f64, f64),
    min_ratio: f64,
    rises: &[(f64, f64)],
) -> f64 {
    let a0 = xb + 0.5;
    let b0 = (nb - xb).max(0.0) + 0.5;
    let same = ln_beta(a0 + x, b0 + n - x) - ln_beta(a0, b0);
    let base = a0 / (a0 + b0);
    // ln Σ w·B_r, summed around the largest term so nothing underflows.
    let terms: Vec<f64> = (rises.iter())
        .map(|&(rise, weight)| {
            let mean = (rise.max(min_ratio) * base).clamp(1e-9, 0.5);
            let a1 = ALT_STRENGTH;
            let b1 = ALT_STRENGTH * (1.0 - mean) / mean;
            weight.ln() + ln_beta(a1 + x, b1 + n - x) - ln_beta(a1, b1) - same
        })
        .collect();
    let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    top + terms.iter().map(|t| (t - top).exp()).sum::<f64>().ln()
}

/// The always-valid p-value that the canary fails more often than the
/// baseline: `min(1, 1/B)`, and 1 when the canary's rate is not above the
/// baseline's.
pub fn always_valid_p(canary: Tally, baseline: Tally, min_ratio: f64) -> f64 {
    let (Some(rc), Some(rb)) = (canary.rate(), baseline.rate()) else {
        return 1.0;
    };
    if rc <= rb {
        return 1.0;
    }
    let base = (baseline.bad as f64, baseline.total as f64);
    let ln_b = ln_bayes_factor(
        canary.bad as f64,
        canary.total as f64,
        base,
        min_ratio,
        &ALT_RISES,
    );
    (-ln_b).exp().min(1.0)
}

/// The limits a rate rule fails on: significance and both size guards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub alpha: f64,
    pub min_ratio: f64,
    pub min_difference_pp: f64,
}

impl Limits {
    /// The size guards: at least `min_ratio` times the baseline rate, and
    /// `min_difference_pp` points above it.
    pub fn large(&self, rate_c: f64, rate_b: f64) -> bool {
        rate_c > rate_b
            && rate_c >= self.min_ratio * rate_b
            && (rate_c - rate_b) * 100.0 >= self.min_difference_pp
    }
}

/// The rate [`minutes_to_detect`] asks about: [`DETECT_RATIO`] times the
/// baseline's, and at least the size guards above it.
pub fn detect_target(baseline_rate: f64, limits: &Limits) -> f64 {
    (DETECT_RATIO.max(limits.min_ratio) * baseline_rate)
        .max(baseline_rate + limits.min_difference_pp / 100.0)
        .min(1.0)
}

/// Requests per minute on each side since the deploy, `elapsed` minutes
/// ago.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traffic {
    pub canary: f64,
    pub baseline: f64,
    pub elapsed: f64,
}

/// Minutes after the deploy at which a canary with this `traffic`, failing
/// at `target` (see [`detect_target`]), would be rolled back by the
/// expected counts: the test is significant and both guards hold. The
/// baseline keeps its rate and traffic. `None` when that takes longer than
/// a week (or never).
pub fn minutes_to_detect(
    traffic: &Traffic,
    baseline: Tally,
    target: f64,
    limits: &Limits,
) -> Option<f64> {
    let rate_b = baseline.rate()?;
    if traffic.canary.is_nan() || traffic.canary <= 0.0 || !limits.large(target, rate_b) {
        return None;
    }
    let needed = (1.0 / limits.alpha).ln();
    let caught = |minutes: f64| {
        let n = traffic.canary * minutes;
        let more = traffic.baseline.max(0.0) * (minutes - traffic.elapsed).max(0.0);
        let base = (
            baseline.bad as f64 + rate_b * more,
            baseline.total as f64 + more,
        );
        // The component nearest the target alone: a lower bound on B (the
        // others only add), six times cheaper, and this runs at every look.
        let mean = (base.0 + 0.5) / (base.1 + 1.0);
        let distance = |&(rise, _): &(f64, f64)| (rise * mean / target).ln().abs();
        let nearest = (ALT_RISES.iter())
            .min_by(|a, b| distance(a).total_cmp(&distance(b)))
            .map_or(&ALT_RISES[..1], std::slice::from_ref);
        ln_bayes_factor(target * n, n, base, limits.min_ratio, nearest) >= needed
    };
    let mut hi = 1.0;
    while !caught(hi) {
        hi *= 2.0;
        if hi > MAX_MINUTES {
            return None;
        }
    }
    // To the nearest half minute (or 1%): the printers round up to minutes,
    // and this runs at every look.
    let mut lo = hi / 2.0;
    while hi - lo > (0.01 * hi).max(0.5) {
        let mid = (lo + hi) / 2.0;
        if caught(mid) { hi = mid } else { lo = mid }
    }
    Some(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(bad: u64, total: u64) -> Tally {
        Tally { bad, total }
    }

    const LIMITS: Limits = Limits {
        alpha: 0.025,
        min_ratio: 2.0,
        min_difference_pp: 0.5,
    };

    #[test]
    fn the_seeds_small_canary_is_decisive_and_a_lone_error_is_not() {
        // 14 failures in 120 canary requests against 2% of 2280.
        assert!(always_valid_p(t(14, 120), t(46, 2280), 2.0) < 0.001);
        // One error in the first 5 requests against a 0.1% baseline.
        assert!(always_valid_p(t(1, 5), t(1, 1200), 2.0) > 0.05);
        // A failing canary against a clean baseline is not "too far out".
        assert!(always_valid_p(t(40, 1040), t(0, 5000), 2.0) < 1e-6);
        // A better canary is never significant.
        assert_eq!(always_valid_p(t(0, 500), t(40, 2000), 2.0), 1.0);
    }

    #[test]
    fn more_traffic_detects_sooner() {
        let base = t(24, 1200);
        let target = detect_target(0.02, &LIMITS);
        assert!((target - 0.04).abs() < 1e-12);
        let at = |canary: f64| Traffic {
            canary,
            baseline: 20.0,
            elapsed: 0.0,
        };
        let slow = minutes_to_detect(&at(2.0), base, target, &LIMITS).expect("within a week");
        let fast = minutes_to_detect(&at(20.0), base, target, &LIMITS).expect("within a week");
        assert!(fast < slow, "{fast} vs {slow}");
        assert_eq!(minutes_to_detect(&at(0.0), base, target, &LIMITS), None);
    }
}

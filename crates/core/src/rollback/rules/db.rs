//! `db-connectivity`: at least `threshold` canary lines matching a database
//! signature (Prisma P1001 "Can't reach database server") inside any sliding
//! window of `window_minutes` means roll back. Sliding, not fixed buckets, so
//! a burst straddling a bucket edge still counts.

use super::super::flagged::Flagged;
use super::super::policy::SignatureBurstRule;
use super::super::scope::{MINUTE_MS, Scope};
use super::measure::{BurstMeasure, Peak};
use super::outcome::{BurstCase, BurstFinding, Finding, Outcome, Span};
use super::outcome::{Unit, Verdict};

/// The largest number of times within any `window_ms` span, with the span's
/// first and last time.
pub fn densest(mut times: Vec<i64>, window_ms: i64) -> (u64, i64, i64) {
    times.sort_unstable();
    let mut best = (0, 0, 0);
    let mut start = 0;
    for end in 0..times.len() {
        while times[end] - times[start] >= window_ms {
            start += 1;
        }
        let count = (end - start + 1) as u64;
        if count > best.0 {
            best = (count, times[start], times[end]);
        }
    }
    best
}

/// Times of `lines` matching one of the rule's signatures, ms after deploy.
fn matching_times(lines: &Flagged, rule: &SignatureBurstRule, deploy_ms: i64) -> Vec<i64> {
    let mut times = lines.times_of(&rule.signatures);
    times.iter_mut().for_each(|t| *t -= deploy_ms);
    times
}

fn peak(times: Vec<i64>, window_ms: i64) -> Peak {
    let (count, from_ms, to_ms) = densest(times, window_ms);
    Peak {
        count,
        from_ms,
        to_ms,
    }
}

/// Counts the matching lines and finds each side's densest window.
pub fn measure(scope: &Scope, rule: &SignatureBurstRule) -> BurstMeasure {
    let window_ms = i64::from(rule.window_minutes) * MINUTE_MS;
    let canary = matching_times(scope.canary_flagged, rule, scope.deploy_ms);
    let baseline = matching_times(&scope.baseline_flagged, rule, scope.deploy_ms);
    BurstMeasure {
        canary_lines: canary.len() as u64,
        canary_peak: peak(canary, window_ms),
        baseline_peak: peak(baseline, window_ms),
    }
}

/// `threshold` lines or more in one window fails.
pub fn judge(m: &BurstMeasure, rule: &SignatureBurstRule) -> Outcome {
    let (verdict, case) = if m.canary_peak.count >= rule.threshold {
        (Verdict::Fail, BurstCase::OverLimit)
    } else if m.canary_lines == 0 {
        (Verdict::Pass, BurstCase::NoLines)
    } else {
        (Verdict::Pass, BurstCase::UnderLimit)
    };
    Outcome {
        verdict,
        unit: Unit::Count,
        observed: Some(m.canary_peak.count as f64),
        baseline: Some(m.baseline_peak.count as f64),
        span: (case == BurstCase::OverLimit).then_some(Span {
            from_ms: m.canary_peak.from_ms,
            to_ms: m.canary_peak.to_ms,
        }),
        samples: m.canary_lines,
        baseline_samples: None,
        p_value: None,
        finding: Finding::Burst(BurstFinding {
            case,
            signatures: rule.signatures.clone(),
            window_minutes: rule.window_minutes,
            threshold: rule.threshold,
            peak: m.canary_peak,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn densest_uses_a_sliding_window() {
        let m = MINUTE_MS;
        // 8, 12 and 15 min straddle the 10-minute bucket edge but fit in 10 min.
        assert_eq!(
            densest(vec![15 * m, 8 * m, 12 * m, 30 * m], 10 * m),
            (3, 8 * m, 15 * m)
        );
        assert_eq!(densest(vec![0, 10 * m], 10 * m).0, 1);
        assert_eq!(densest(Vec::new(), 10 * m).0, 0);
    }
}

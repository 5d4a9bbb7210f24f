//! `db-connectivity`: at least `threshold` canary lines matching a database
//! signature (Prisma P1001 "Can't reach database server") inside any sliding
//! window of `window_minutes` means roll back. Sliding, not fixed buckets, so
//! a burst straddling a bucket edge still counts.

use super::super::input::Observation;
use super::super::policy::SignatureBurstRule;
use super::super::report::{Unit, Verdict};
use super::super::scope::{MINUTE_MS, Scope};
use super::{Outcome, span_label};

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

fn matching_times(lines: &[&Observation], rule: &SignatureBurstRule) -> Vec<i64> {
    (lines.iter())
        .filter(|o| {
            o.signatures
                .iter()
                .any(|(id, _)| rule.signatures.contains(id))
        })
        .map(|o| o.time_ms)
        .collect()
}

pub fn evaluate(scope: &Scope, rule: &SignatureBurstRule) -> Outcome {
    let window_ms = i64::from(rule.window_minutes) * MINUTE_MS;
    let canary = matching_times(&scope.canary_lines, rule);
    let baseline = matching_times(&scope.baseline_lines, rule);
    let total = canary.len() as u64;
    let (peak, from, to) = densest(canary, window_ms);
    let (baseline_peak, _, _) = densest(baseline, window_ms);
    let names = rule.signatures.join("/");
    let within = format!("{} min", rule.window_minutes);
    let (verdict, reason, window) = if peak >= rule.threshold {
        let reason = format!(
            "{peak} {names} lines within {within} on the canary (limit {}): it cannot reach the database",
            rule.threshold
        );
        (
            Verdict::Fail,
            reason,
            span_label(from - scope.deploy_ms, to - scope.deploy_ms),
        )
    } else if total == 0 {
        (
            Verdict::Pass,
            format!("no {names} lines on the canary"),
            format!("any {within}"),
        )
    } else {
        let reason = format!(
            "at most {peak} {names} lines within {within}, under the limit of {}",
            rule.threshold
        );
        (Verdict::Pass, reason, format!("any {within}"))
    };
    Outcome {
        verdict,
        window,
        unit: Unit::Count,
        observed: Some(peak as f64),
        baseline: Some(baseline_peak as f64),
        threshold: format!("≥ {} lines in {within}", rule.threshold),
        samples: total,
        baseline_samples: None,
        p_value: None,
        reason,
        evidence: Vec::new(),
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

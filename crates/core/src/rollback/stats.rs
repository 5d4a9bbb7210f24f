//! Statistics helpers: [`Tally`] (bad of total, what the rate tests
//! take), log-gamma (which the sequential rate test of
//! `sequential.rs` is built on), a one-sided Fisher's exact test on a 2×2
//! table, and a nearest-rank percentile, of a slice or of [`Values`]
//! (counts of distinct values, which add up).
//!
//! Fisher's test was the rate rules' test until they became sequential
//! (it is valid for one look at a fixed sample, not for `--follow`'s look
//! every few seconds); it stays as the fixed-sample reference: exact at any
//! size and, summed term by term with a recurrence, O(bad requests).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Requests counted on one side of a rate rule: `bad` of `total`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub bad: u64,
    pub total: u64,
}

impl Tally {
    /// Counts one request: `counted` of it, `bad` too.
    pub fn count(&mut self, bad: bool, counted: bool) {
        self.bad += u64::from(bad);
        self.total += u64::from(counted);
    }

    /// Adds `other`'s counts.
    pub fn add(&mut self, other: Tally) {
        self.bad += other.bad;
        self.total += other.total;
    }

    /// `bad / total`, or `None` for no requests.
    pub fn rate(self) -> Option<f64> {
        (self.total > 0).then(|| self.bad as f64 / self.total as f64)
    }
}

/// ln Γ(x) for x > 0, Lanczos approximation (g = 7, 9 coefficients),
/// accurate to ~1e-15 relative; reflection for x < 0.5.
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Γ(x)Γ(1−x) = π / sin(πx)
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).abs().ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

fn ln_choose(n: u64, k: u64) -> f64 {
    ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
}

/// One-sided Fisher's exact test that the canary's bad rate is *greater*
/// than the baseline's.
///
/// Table: canary `bad_a` of `total_a`, baseline `bad_b` of `total_b`. Returns
/// P(X ≥ bad_a) where X is hypergeometric with the table's margins fixed
/// (R: `fisher.test(m, alternative = "greater")`). Returns 1.0 for an empty
/// group or no canary failures. Counts must satisfy `bad ≤ total`.
pub fn fisher_greater(bad_a: u64, total_a: u64, bad_b: u64, total_b: u64) -> f64 {
    if bad_a == 0 || total_a == 0 || total_b == 0 || bad_a > total_a || bad_b > total_b {
        return 1.0;
    }
    let n = total_a + total_b; // population
    let k = bad_a + bad_b; // "successes" in the population
    let draws = total_a;
    let hi = k.min(draws);
    // First term, then the ratio P(x+1)/P(x) = (k−x)(draws−x) / ((x+1)(n−k−draws+x+1)),
    // all in log space: the first term can be far below f64's range (a canary
    // *better* than the baseline in a big sample) while the tail sums to ~1.
    let mut log_term = ln_choose(k, bad_a) + ln_choose(n - k, draws - bad_a) - ln_choose(n, draws);
    let mut log_p = log_term;
    let mut x = bad_a;
    while x < hi {
        let numerator = (k - x) as f64 * (draws - x) as f64;
        let denominator = (x + 1) as f64 * ((n - k + x + 1) - draws) as f64;
        log_term += (numerator / denominator).ln();
        log_p = log_add(log_p, log_term);
        x += 1;
        if log_term < log_p - 40.0 && numerator < denominator {
            break; // the remaining tail is below 1e-17 of the sum and shrinking
        }
    }
    log_p.exp().clamp(0.0, 1.0)
}

/// ln(eᵃ + eᵇ) without overflow or underflow.
fn log_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    hi + (lo - hi).exp().ln_1p()
}

/// A multiset of numbers kept as the count of each distinct one: the same
/// percentiles as the numbers themselves, in the memory of the distinct
/// ones (durations are whole milliseconds, or a few decimals of one), and
/// two sets merge by adding counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    /// By [`order_key`], which sorts as [`f64::total_cmp`].
    counts: BTreeMap<i64, u64>,
    len: u64,
}

/// A key that sorts as [`f64::total_cmp`] sorts the numbers; it is its own
/// inverse.
fn order_key(bits: i64) -> i64 {
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

impl Values {
    pub fn push(&mut self, value: f64) {
        *self
            .counts
            .entry(order_key(value.to_bits() as i64))
            .or_default() += 1;
        self.len += 1;
    }

    /// How many numbers.
    pub fn count(&self) -> u64 {
        self.len
    }

    /// Adds `other`'s numbers.
    pub fn merge(&mut self, other: Values) {
        for (key, n) in other.counts {
            *self.counts.entry(key).or_default() += n;
        }
        self.len += other.len;
    }

    /// The nearest-rank percentile, as [`percentile`] of the numbers.
    pub fn percentile(&self, pct: f64) -> Option<f64> {
        if self.len == 0 {
            return None;
        }
        let rank = ((pct / 100.0) * self.len as f64).ceil() as u64;
        let rank = rank.clamp(1, self.len);
        let mut below = 0;
        for (&key, &n) in &self.counts {
            below += n;
            if below >= rank {
                return Some(f64::from_bits(order_key(key) as u64));
            }
        }
        None
    }
}

/// Nearest-rank percentile (`pct` in (0, 100]) of unsorted values; `None`
/// when empty. p95 of 20 values is the 19th smallest. ([`Values`] is what
/// the rules use; this is its reference.)
#[cfg(test)]
pub fn percentile(values: &[f64], pct: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((pct / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        ((a - b) / b).abs() < tolerance
    }

    #[test]
    fn ln_gamma_known_values() {
        assert!(ln_gamma(1.0).abs() < 1e-14);
        assert!(ln_gamma(2.0).abs() < 1e-14);
        assert!(close(ln_gamma(0.5), 0.572_364_942_924_700_1, 1e-13)); // ln √π
        assert!(close(ln_gamma(10.0), 12.801_827_480_081_469, 1e-13)); // ln 9!
        assert!(close(ln_gamma(100.0), 359.134_205_369_575_4, 1e-13)); // ln 99!
        assert!(close(ln_gamma(1e6 + 1.0), 12_815_518.384_658_169, 1e-12)); // ln 10^6!
    }

    #[test]
    fn fisher_lady_tasting_tea() {
        // [[3,1],[1,3]]: P(X≥3) = (16 + 1) / 70.
        assert!(close(fisher_greater(3, 4, 1, 4), 17.0 / 70.0, 1e-12));
    }

    #[test]
    fn fisher_perfect_separation() {
        // [[10,0],[0,10]]: only the observed table is as extreme: 1 / C(20,10).
        assert!(close(fisher_greater(10, 10, 0, 10), 1.0 / 184_756.0, 1e-10));
    }

    #[test]
    fn fisher_matches_r() {
        // Wikipedia's worked example [[1,9],[11,3]]: one-tailed p = 0.001346076
        // (observed table) + 0.000033652 (the one more extreme) = 0.001379728.
        // R: fisher.test(matrix(c(1,11,9,3), 2), alternative = "less").
        assert!(close(
            fisher_greater(11, 14, 1, 10),
            0.001_379_728_092_61,
            1e-9
        ));
    }

    #[test]
    fn fisher_lower_tail_is_large() {
        assert_eq!(fisher_greater(0, 100, 10, 100), 1.0);
        assert!(fisher_greater(1, 100, 10, 100) > 0.99);
        assert_eq!(fisher_greater(0, 0, 3, 10), 1.0);
    }

    #[test]
    fn fisher_large_counts_stay_finite() {
        let p = fisher_greater(40, 1_000, 500, 1_000_000);
        assert!(p > 0.0 && p < 1e-20, "{p}");
        let same = fisher_greater(5, 1_000, 5_000, 1_000_000);
        assert!(same > 0.3, "{same}");
    }

    #[test]
    fn fisher_better_canary_in_a_big_sample_is_not_significant() {
        // 0.1% vs 1% over a million requests each: P(X = 1000) underflows
        // f64, yet the upper tail is ~1.
        let p = fisher_greater(1_000, 1_000_000, 10_000, 1_000_000);
        assert!(p > 0.999_999, "{p}");
    }

    #[test]
    fn percentile_nearest_rank() {
        let values: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&values, 95.0), Some(19.0));
        assert_eq!(percentile(&values, 100.0), Some(20.0));
        assert_eq!(percentile(&[7.0], 95.0), Some(7.0));
        assert_eq!(percentile(&[], 95.0), None);
    }

    use proptest::prelude::*;

    proptest! {
        /// Counted as distinct values, in two parts merged, numbers give
        /// the same percentile as the numbers themselves: negative ones,
        /// both zeros, fractions and repeats included.
        #[test]
        fn values_give_the_percentile_of_their_numbers(
            numbers in proptest::collection::vec(
                prop_oneof![
                    (0u32..50).prop_map(f64::from),
                    (-3i32..3).prop_map(|n| f64::from(n) / 4.0),
                    prop_oneof![Just(-0.0), Just(0.0)],
                    proptest::num::f64::NORMAL,
                ],
                0..60,
            ),
            cut in 0usize..60,
            pct in prop_oneof![Just(95.0), Just(100.0), 0.5f64..100.0],
        ) {
            let cut = cut.min(numbers.len());
            let mut values = Values::default();
            let mut rest = Values::default();
            numbers[..cut].iter().for_each(|&n| values.push(n));
            numbers[cut..].iter().for_each(|&n| rest.push(n));
            values.merge(rest);
            prop_assert_eq!(values.count(), numbers.len() as u64);
            let expected = percentile(&numbers, pct).map(f64::to_bits);
            prop_assert_eq!(values.percentile(pct).map(f64::to_bits), expected);
        }
    }
}

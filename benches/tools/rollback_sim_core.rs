//! The rollback rate rules under simulated canaries: seeded traffic, looks
//! every `--interval`, the real judge of `error-rate-vs-baseline` with the
//! built-in policy. Shared by `benches/tools/rollback_sim.rs` (the operating
//! characteristics table) and `tests/it/rollback_statistics.rs` (assertions on
//! the same numbers, never on timings).
//!
//! One canary: the baseline has served `history_min` minutes before the
//! deploy; then, every `interval_s` seconds, each side receives a Poisson
//! number of requests at its rate per minute, each one bad with its
//! probability, and the rule is judged on the counts so far (exactly what
//! `logs rollback` does at that "now"). The first FAIL is the rollback.

use logs::rollback::{Measure, RateMeasure, RollbackPolicy, Tally, Verdict, judge};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// One simulated setting.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// Canary requests per minute.
    pub canary_per_min: f64,
    /// Baseline requests per minute (before and after the deploy).
    pub baseline_per_min: f64,
    /// The baseline's bad-request probability.
    pub baseline_rate: f64,
    /// The canary's rate as a multiple of the baseline's.
    pub effect: f64,
    /// Minutes of baseline before the deploy.
    pub history_min: f64,
    /// Seconds between looks.
    pub interval_s: f64,
    /// Minutes observed after the deploy.
    pub horizon_min: f64,
}

/// Minutes after the deploy of the first FAIL, if any.
pub fn run_one(s: &Setting, policy: &RollbackPolicy, seed: u64) -> Option<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let canary_rate = (s.baseline_rate * s.effect).min(1.0);
    let mut baseline = draw(
        &mut rng,
        s.baseline_per_min * s.history_min,
        s.baseline_rate,
    );
    let mut canary = Tally::default();
    let mut since_deploy = 0;
    let looks = (s.horizon_min * 60.0 / s.interval_s).round() as u64;
    let per_look = s.interval_s / 60.0;
    for look in 1..=looks {
        let more = draw(&mut rng, s.baseline_per_min * per_look, s.baseline_rate);
        since_deploy += more.total;
        add(&mut baseline, more);
        add(
            &mut canary,
            draw(&mut rng, s.canary_per_min * per_look, canary_rate),
        );
        let elapsed_ms = (look as f64 * s.interval_s * 1000.0) as i64;
        let measure = Measure::ErrorRate(RateMeasure {
            elapsed_ms,
            canary,
            baseline,
            baseline_since_deploy: since_deploy,
        });
        if judge(&measure, policy).verdict == Verdict::Fail {
            return Some(elapsed_ms as f64 / 60_000.0);
        }
    }
    None
}

/// Detection times of `runs` canaries (seeds `seed0..seed0+runs`).
pub fn run_many(s: &Setting, policy: &RollbackPolicy, seed0: u64, runs: u64) -> Vec<Option<f64>> {
    (seed0..seed0 + runs)
        .map(|seed| run_one(s, policy, seed))
        .collect()
}

/// Share of runs rolled back by `minutes`.
pub fn caught_by(times: &[Option<f64>], minutes: f64) -> f64 {
    let caught = times
        .iter()
        .filter(|t| t.is_some_and(|t| t <= minutes))
        .count();
    caught as f64 / times.len().max(1) as f64
}

/// Median minutes to the rollback, when at least half were rolled back.
pub fn median(times: &[Option<f64>]) -> Option<f64> {
    let mut caught: Vec<f64> = times.iter().flatten().copied().collect();
    if caught.len() * 2 < times.len() {
        return None;
    }
    caught.sort_by(f64::total_cmp);
    caught.get((times.len() - 1) / 2).copied()
}

fn add(t: &mut Tally, more: Tally) {
    t.bad += more.bad;
    t.total += more.total;
}

/// A Poisson number of requests with mean `mean`, each bad with `p`.
fn draw(rng: &mut StdRng, mean: f64, p: f64) -> Tally {
    let total = poisson(rng, mean);
    let bad = (0..total).filter(|_| rng.random_bool(p)).count() as u64;
    Tally { bad, total }
}

/// Knuth's method in chunks of mean ≤ 30 (sums of Poissons are Poisson).
fn poisson(rng: &mut StdRng, mean: f64) -> u64 {
    let mut left = mean;
    let mut n = 0;
    while left > 0.0 {
        let chunk = left.min(30.0);
        left -= chunk;
        let limit = (-chunk).exp();
        let mut product: f64 = rng.random();
        while product > limit {
            n += 1;
            product *= rng.random::<f64>();
        }
    }
    n
}

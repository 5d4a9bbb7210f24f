//! The statistical properties of the rollback rate rules, on the seeded
//! simulation of `benches/tools/rollback_sim_core.rs` (the real judge of
//! `error-rate-vs-baseline`, built-in policy, a look every 5 s as
//! `--follow` does): false rollbacks stay within the test's level however
//! often it looks, large rises in small canaries are caught, and more
//! traffic decides sooner. Counts of canaries only; nothing is timed.
//! The full table is `cargo run --example rollback_sim`
//! (`benches/RESULTS-rollback.md`).

#[path = "../../benches/tools/rollback_sim_core.rs"]
#[allow(dead_code)]
mod sim;

use logs::rollback::RollbackPolicy;
use sim::{Setting, caught_by, run_many};

fn setting(canary: f64, baseline: f64, rate: f64, effect: f64) -> Setting {
    Setting {
        canary_per_min: canary,
        baseline_per_min: baseline,
        baseline_rate: rate,
        effect,
        history_min: 60.0,
        interval_s: 5.0,
        horizon_min: 60.0,
    }
}

#[test]
fn equal_rates_rarely_roll_back_under_a_look_every_five_seconds() {
    let policy = RollbackPolicy::default();
    // 720 looks per canary: the always-valid level (2.5%) still holds.
    for (canary, baseline, rate, runs) in [
        (20.0, 20.0, 0.02, 200),
        (2.0, 38.0, 0.02, 100),
        (200.0, 200.0, 0.10, 100),
        (2.0, 2.0, 0.10, 100),
    ] {
        let times = run_many(&setting(canary, baseline, rate, 1.0), &policy, 1, runs);
        let false_rollbacks = caught_by(&times, 60.0);
        assert!(
            false_rollbacks <= 0.025,
            "{canary}/{baseline} req/min at {rate}: {false_rollbacks}"
        );
    }
}

#[test]
fn large_rises_are_caught_even_in_a_small_canary() {
    let policy = RollbackPolicy::default();
    // The case: a 5% canary (2 of 40 requests a minute), 2% of
    // requests failing on the baseline and 5× that on the canary.
    let small = run_many(&setting(2.0, 38.0, 0.02, 5.0), &policy, 1, 100);
    assert!(
        caught_by(&small, 30.0) >= 0.5,
        "{}",
        caught_by(&small, 30.0)
    );
    assert!(
        caught_by(&small, 60.0) >= 0.85,
        "{}",
        caught_by(&small, 60.0)
    );
    // 3× at 20 requests a minute: most by minute 15, nearly all by 30.
    let three = run_many(&setting(20.0, 20.0, 0.02, 3.0), &policy, 1, 100);
    assert!(
        caught_by(&three, 15.0) >= 0.75,
        "{}",
        caught_by(&three, 15.0)
    );
    assert!(
        caught_by(&three, 30.0) >= 0.9,
        "{}",
        caught_by(&three, 30.0)
    );
}

#[test]
fn more_traffic_decides_sooner_and_rare_looks_change_nothing_material() {
    let policy = RollbackPolicy::default();
    let at = |traffic: f64| {
        let times = run_many(&setting(traffic, traffic, 0.02, 2.0), &policy, 1, 100);
        caught_by(&times, 30.0)
    };
    let (low, mid, high) = (at(2.0), at(20.0), at(200.0));
    assert!(low < mid && mid < high, "{low} {mid} {high}");
    // Canaries judged once a minute instead of every 5 s catch about as
    // many: the statistic is a function of the counts alone, so frequent
    // looks buy speed, not extra rollbacks.
    let every = |interval_s: f64| {
        let s = Setting {
            interval_s,
            ..setting(20.0, 20.0, 0.02, 3.0)
        };
        caught_by(&run_many(&s, &policy, 1, 100), 60.0)
    };
    assert!(every(60.0) <= every(5.0) + 0.05);
}

//! Operating characteristics of the rollback rate rules: false rollbacks
//! and time to detect, over traffic × effect × baseline rate, with a look
//! every 5 s (the `--follow` default) for 60 minutes. Deterministic seeds.
//!
//! `cargo run --example rollback_sim [-- RUNS]` (RUNS canaries per cell,
//! 200 by default). The numbers are in `benches/RESULTS-rollback.md`; the simulation
//! itself is `rollback_sim_core.rs`, shared with `tests/it/rollback_statistics.rs`.

#[path = "rollback_sim_core.rs"]
mod sim;

use logs::rollback::RollbackPolicy;
use sim::{Setting, caught_by, median, run_many};

fn main() {
    let runs: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let policy = RollbackPolicy::default();
    println!(
        "{runs} canaries per row; baseline served 60 min before the deploy; looks every 5 s for 60 min"
    );
    println!();
    println!(
        "| canary req/min | baseline req/min | baseline rate | effect | rolled back by 10 / 15 / 30 / 60 min | median minutes |"
    );
    println!("|---:|---:|---:|---:|---|---:|");
    for traffic in [2.0, 20.0, 200.0] {
        for rate in [0.001, 0.02, 0.10] {
            for effect in [1.0, 1.5, 2.0, 3.0, 5.0] {
                row(
                    &Setting {
                        canary_per_min: traffic,
                        baseline_per_min: traffic,
                        baseline_rate: rate,
                        effect,
                        history_min: 60.0,
                        interval_s: 5.0,
                        horizon_min: 60.0,
                    },
                    &policy,
                    runs,
                );
            }
        }
    }
    // A 5% canary of a small app (about 2 of 40 requests a minute).
    for effect in [1.0, 2.0, 5.0, 5.85] {
        row(
            &Setting {
                canary_per_min: 2.0,
                baseline_per_min: 38.0,
                baseline_rate: 0.02,
                effect,
                history_min: 60.0,
                interval_s: 5.0,
                horizon_min: 60.0,
            },
            &policy,
            runs,
        );
    }
}

fn row(s: &Setting, policy: &RollbackPolicy, runs: u64) {
    let times = run_many(s, policy, 1, runs);
    let pct = |m: f64| format!("{:.1}%", 100.0 * caught_by(&times, m));
    println!(
        "| {} | {} | {}% | {}× | {} / {} / {} / {} | {} |",
        s.canary_per_min,
        s.baseline_per_min,
        s.baseline_rate * 100.0,
        s.effect,
        pct(10.0),
        pct(15.0),
        pct(30.0),
        pct(60.0),
        median(&times).map_or("—".into(), |m| format!("{m:.1}")),
    );
}

//! The words of the rollback scenarios (`crate::rollback::scenarios*`,
//! which check the decisions): headlines, reasons, windows and evidence, as
//! the printers write them from the structured report.

use super::{evidence, headline, reason, threshold, window};
use logs_core::rollback::testkit::{BASELINE, CANARY, Traffic};
use logs_core::rollback::*;

fn run(input: &RollbackInput) -> RollbackReport {
    evaluate(input, &RollbackPolicy::default())
}

fn rule<'a>(report: &'a RollbackReport, id: &str) -> &'a RuleResult {
    (report.rules.iter())
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

fn why(report: &RollbackReport, id: &str) -> String {
    reason(rule(report, id), &report.deployment)
}

/// Baseline traffic for the hour before deploy and the 45 minutes after,
/// 0.4% 5xx.
fn with_baseline() -> Traffic {
    let mut t = Traffic::new();
    t.requests(BASELINE, -60.0, 45.0, 5_000, 200.0, (250, 500));
    t
}

/// 45 minutes of baseline and canary traffic with one bad request in
/// `base_every` and `canary_every`.
fn rates(n_base: usize, base_every: usize, n_canary: usize, canary_every: usize) -> RollbackInput {
    let mut t = Traffic::new();
    t.requests(BASELINE, -60.0, 45.0, n_base, 200.0, (base_every, 500));
    t.requests(CANARY, 0.0, 45.0, n_canary, 200.0, (canary_every, 500));
    t.input(45.0)
}

#[test]
fn headlines_say_the_decision_first() {
    let mut t = with_baseline();
    t.clean(CANARY, 0.0, 12.0, 60);
    for i in 0..5 {
        let route = format!("/leads/[id]/step{i}");
        t.failing(CANARY, 1.0 + 2.0 * i as f64, "POST", &route, 500, "E352");
    }
    let report = run(&t.input(12.0));
    // 5 failures in 65 requests against 0.4%: the sequential rate test
    // decides early too (issue 17).
    assert_eq!(
        headline(&report),
        "ROLLBACK NOW — dpl_NEW failed 2 critical rules: server-action-500s, error-rate-vs-baseline"
    );

    let mut t = with_baseline();
    t.clean(CANARY, 0.0, 6.0, 120);
    let hold = headline(&run(&t.input(6.0)));
    assert!(hold.starts_with("HOLD — keep watching dpl_NEW"), "{hold}");

    let mut t = with_baseline();
    t.requests(CANARY, 0.0, 45.0, 900, 250.0, (250, 500));
    t.requests(CANARY, 0.0, 45.0, 100, 300.0, (0, 200));
    let proceed = headline(&run(&t.input(45.0)));
    assert_eq!(
        proceed,
        "PROCEED to the next stage — dpl_NEW passed all 8 rules"
    );
}

#[test]
fn a_failed_rate_rule_is_named_in_the_headline() {
    let input = rates(5_000, 250, 1_000, 20); // 0.4% vs 5%
    let text = headline(&run(&input));
    assert!(
        text.contains("failed 1 critical rule: error-rate-vs-baseline"),
        "{text}"
    );
    let policy = RollbackPolicy::from_toml_str("[rules.error-rate-vs-baseline]\nadvisory = true")
        .expect("valid policy");
    let advisory = headline(&evaluate(&input, &policy));
    assert!(
        advisory.contains("advisory rule error-rate-vs-baseline failed: canary 5xx/crashed rate 5.00% vs baseline 0.40% (12.5×, p="),
        "{advisory}"
    );
}

#[test]
fn rate_reasons_give_both_rates_and_the_test() {
    let blip = run(&rates(5_000, 250, 300, 100)); // 0.4% vs 1.0%: 3 errors
    assert_eq!(
        why(&blip, "error-rate-vs-baseline"),
        "canary 5xx/crashed rate 1.00% vs baseline 0.40%: not significantly higher (p=0.692); \
         at 6.7 req/min, a rise to 0.90% in 5xx/crashed would be detectable after ~376 min"
    );
    let small = run(&rates(200_000, 250, 40_000, 140)); // 0.40% vs 0.71%
    let text = why(&small, "error-rate-vs-baseline");
    assert!(
        text.ends_with("but under 2× / +0.5 pp, too small to act on"),
        "{text}"
    );
    let r = rule(&small, "error-rate-vs-baseline");
    assert_eq!(threshold(r), "p < 0.025, ≥ 2× and ≥ +0.5 pp");
    assert_eq!(window(r), "deploy+0–45 min");
    assert_eq!(
        evidence(r),
        ["canary 286 of 40000 requests 5xx/crashed; baseline 800 of 200000"]
    );
}

#[test]
fn auth_failures_are_worded_with_the_runbooks_warning() {
    let mut t = with_baseline();
    t.requests(BASELINE, -60.0, 45.0, 2_000, 200.0, (200, 401)); // 0.5%
    t.requests(CANARY, 0.0, 45.0, 900, 200.0, (10, 403)); // 10%
    t.requests(CANARY, 0.0, 45.0, 100, 200.0, (5, 401));
    let report = run(&t.input(45.0));
    let text = why(&report, "auth-failure-spike");
    assert!(text.contains("401/403"), "{text}");
    assert!(
        evidence(rule(&report, "auth-failure-spike"))
            .iter()
            .any(|line| line.contains("Supabase latency")),
    );
}

#[test]
fn windows_name_the_span_judged() {
    let mut t = with_baseline();
    for w in 0..5 {
        let ms = if [1, 2].contains(&w) { 3_000.0 } else { 300.0 };
        let from = w as f64 * 10.0;
        t.requests(CANARY, from, (from + 10.0).min(45.0), 250, ms, (0, 200));
    }
    let report = run(&t.input(45.0));
    let r = rule(&report, "latency-slo");
    assert_eq!(window(r), "deploy+10–30 min");
    assert_eq!(
        reason(r, CANARY),
        "p95 3000 ms > SLO 1500 ms for 2 consecutive 10-min windows: users are waiting"
    );
    assert_eq!(threshold(r), "p95 ≤ 1500 ms, 2 windows in a row");

    let mut t = Traffic::new();
    t.clean(BASELINE, -60.0, 45.0, 2_000)
        .clean(CANARY, 0.0, 45.0, 1_000);
    for minute in [18.0, 22.0, 27.5] {
        t.signature(CANARY, minute, "prisma-db-unreachable", Severity::Critical);
    }
    let report = run(&t.input(45.0));
    assert_eq!(
        window(rule(&report, "db-connectivity")),
        "deploy+18–27.5 min"
    );
    assert_eq!(
        window(rule(&report, "server-action-500s")),
        "deploy+0–10 min"
    );
}

#[test]
fn latency_reasons_name_the_route_group() {
    let mut t = Traffic::new();
    t.clean(BASELINE, -60.0, 45.0, 2_000);
    t.requests(CANARY, 0.0, 45.0, 1_000, 2_000.0, (0, 200)); // /dashboard at 2 s
    let policy = RollbackPolicy::from_toml_str(
        "[rules.latency-slo]\nroutes = [{ exact = \"/dash\", slo_ms = 3000 }]",
    )
    .expect("valid policy");
    let report = evaluate(&t.input(45.0), &policy);
    let text = why(&report, "latency-slo");
    assert!(text.contains("on other routes"), "{text}");

    let mut t = Traffic::new();
    t.clean(BASELINE, -60.0, 45.0, 2_000);
    t.clean(CANARY, 0.0, 30.0, 600)
        .clean(CANARY, 30.0, 40.0, 5)
        .clean(CANARY, 40.0, 45.0, 100);
    let text = why(&run(&t.input(45.0)), "latency-slo");
    assert!(text.contains("fewer than 20"), "{text}");
}

#[test]
fn new_signatures_are_listed_with_severity_and_lines() {
    let mut t = Traffic::new();
    t.clean(BASELINE, -60.0, 45.0, 2_000)
        .clean(CANARY, 0.0, 45.0, 1_000);
    t.signature(CANARY, 20.0, "node-heap-oom", Severity::Critical);
    t.signature(CANARY, 21.0, "deprecation-warning", Severity::Low);
    let report = run(&t.input(45.0));
    let r = rule(&report, "new-critical-signatures");
    assert_eq!(evidence(r), ["node-heap-oom (critical, 1 lines)"]);
    assert_eq!(
        reason(r, CANARY),
        "new on the canary: node-heap-oom (critical, 1 lines)"
    );
    assert_eq!(threshold(r), "any new high or worse");
}

#[test]
fn rules_that_did_not_run_say_why() {
    let mut input = with_baseline().input(45.0);
    input.deploy_time_ms = None;
    let report = run(&input);
    assert!(why(&report, "server-action-500s").contains("no lines from dpl_NEW"));
    assert_eq!(window(&report.rules[0]), "—");
    assert_eq!(threshold(&report.rules[0]), "—");

    let policy = RollbackPolicy::from_toml_str(
        "[rules.observation]\nenabled = false\n[rules.error-rate-vs-baseline]\nrequired = true",
    )
    .expect("valid policy");
    let mut t = Traffic::new();
    t.clean(CANARY, 0.0, 45.0, 1_000);
    let report = evaluate(&t.input(45.0), &policy);
    assert_eq!(why(&report, "observation"), "disabled in the policy");
    assert_eq!(
        why(&report, "error-rate-vs-baseline"),
        "required rule cannot be judged: no baseline requests to compare the 5xx/crashed rate with"
    );
}

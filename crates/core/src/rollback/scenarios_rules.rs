//! Per-rule scenarios beyond the headline ones: the rate guards, required and
//! advisory options, database bursts, new signatures, per-route latency, and
//! the "all other deployments" baseline.

use super::input::RollbackInput;
use super::testkit::{BASELINE, CANARY, Traffic, at};
use super::*;

fn rule<'a>(report: &'a RollbackReport, id: &str) -> &'a RuleResult {
    report
        .rules
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

/// Which condition decided a rate rule.
fn rate_case(rule: &RuleResult) -> Option<RateCase> {
    match &rule.finding {
        Finding::Rate(f) => Some(f.case),
        _ => None,
    }
}

fn run(input: &RollbackInput) -> RollbackReport {
    evaluate(input, &RollbackPolicy::default())
}

fn with_policy(input: &RollbackInput, toml: &str) -> RollbackReport {
    evaluate(
        input,
        &RollbackPolicy::from_toml_str(toml).expect("valid policy"),
    )
}

/// 45 minutes: baseline of `n_base` requests with 1 bad in `base_every`,
/// canary of `n_canary` with 1 bad in `canary_every`, bad status `status`.
fn rates(
    n_base: usize,
    base_every: usize,
    n_canary: usize,
    canary_every: usize,
    status: i32,
) -> RollbackInput {
    let mut t = Traffic::new();
    t.requests(BASELINE, -60.0, 45.0, n_base, 200.0, (base_every, status));
    t.requests(CANARY, 0.0, 45.0, n_canary, 200.0, (canary_every, status));
    t.input(45.0)
}

#[test]
fn error_rate_far_above_baseline_rolls_back() {
    let report = run(&rates(5_000, 250, 1_000, 20, 503)); // 0.4% vs 5%
    let r = rule(&report, "error-rate-vs-baseline");
    assert_eq!(r.verdict, Verdict::Fail, "{r:?}");
    assert_eq!(report.decision, Decision::Rollback);
}

#[test]
fn crashes_count_as_errors() {
    let report = run(&rates(5_000, 250, 1_000, 20, -1));
    assert_eq!(
        rule(&report, "error-rate-vs-baseline").verdict,
        Verdict::Fail
    );
}

#[test]
fn error_rate_blip_is_not_significant() {
    let report = run(&rates(5_000, 250, 300, 100, 500)); // 0.4% vs 1.0%: 3 errors
    let r = rule(&report, "error-rate-vs-baseline");
    assert_eq!(r.verdict, Verdict::Pass, "{r:?}");
    // 300 requests in 45 min cannot show a 2× rise yet; past the
    // observation window that passes as underpowered (issue 17).
    assert_eq!(rate_case(r), Some(RateCase::Underpowered), "{r:?}");
    assert!(r.p_value.is_some_and(|p| p > 0.5), "{r:?}");
}

#[test]
fn significant_but_small_increase_passes() {
    let report = run(&rates(200_000, 250, 40_000, 140, 500)); // 0.40% vs 0.71%
    let r = rule(&report, "error-rate-vs-baseline");
    assert!(r.p_value.is_some_and(|p| p < 0.01), "{r:?}");
    assert_eq!(r.verdict, Verdict::Pass);
    assert_eq!(rate_case(r), Some(RateCase::TooSmall), "{r:?}");
}

#[test]
fn no_baseline_is_not_applicable_unless_required() {
    let mut t = Traffic::new();
    t.clean(CANARY, 0.0, 45.0, 1_000);
    let input = t.input(45.0);
    let report = run(&input);
    assert_eq!(
        rule(&report, "error-rate-vs-baseline").verdict,
        Verdict::NotApplicable
    );
    assert_eq!(report.decision, Decision::Proceed);
    let strict = with_policy(&input, "[rules.error-rate-vs-baseline]\nrequired = true");
    assert_eq!(
        rule(&strict, "error-rate-vs-baseline").verdict,
        Verdict::Inconclusive
    );
    assert_eq!(strict.decision, Decision::Hold);
}

#[test]
fn advisory_failure_holds_instead_of_rolling_back() {
    let input = rates(5_000, 250, 1_000, 20, 503);
    let report = with_policy(&input, "[rules.error-rate-vs-baseline]\nadvisory = true");
    assert_eq!(
        rule(&report, "error-rate-vs-baseline").verdict,
        Verdict::Fail
    );
    assert_eq!(report.decision, Decision::Hold);
}

#[test]
fn db_unreachable_burst_rolls_back() {
    let mut t = Traffic::new();
    t.clean(BASELINE, -60.0, 45.0, 2_000)
        .clean(CANARY, 0.0, 45.0, 1_000);
    for minute in [18.0, 22.0, 27.5] {
        t.signature(CANARY, minute, "prisma-db-unreachable", Severity::Critical);
    }
    t.signature(BASELINE, -30.0, "prisma-db-unreachable", Severity::Critical);
    let report = run(&t.input(45.0));
    let r = rule(&report, "db-connectivity");
    assert_eq!(
        (r.verdict, r.observed, r.baseline),
        (Verdict::Fail, Some(3.0), Some(1.0))
    );
    assert_eq!(
        r.span,
        Some(Span {
            from_ms: 18 * 60_000,
            to_ms: 27 * 60_000 + 30_000
        })
    );
    assert_eq!(
        rule(&report, "new-critical-signatures").verdict,
        Verdict::Pass,
        "seen on the baseline"
    );
    assert_eq!(report.decision, Decision::Rollback);
    assert_eq!(report.offenders[0].error_key, "prisma-db-unreachable");
}

#[test]
fn db_errors_spread_out_pass() {
    let mut t = Traffic::new();
    t.clean(BASELINE, -60.0, 45.0, 2_000)
        .clean(CANARY, 0.0, 45.0, 1_000);
    for minute in [1.0, 15.0, 30.0] {
        t.signature(CANARY, minute, "prisma-db-unreachable", Severity::High);
    }
    let report = run(&t.input(45.0));
    assert_eq!(rule(&report, "db-connectivity").verdict, Verdict::Pass);
}

#[test]
fn new_critical_signature_is_named() {
    let mut t = Traffic::new();
    t.clean(BASELINE, -60.0, 45.0, 2_000)
        .clean(CANARY, 0.0, 45.0, 1_000);
    t.signature(CANARY, 20.0, "node-heap-oom", Severity::Critical);
    t.signature(CANARY, 21.0, "deprecation-warning", Severity::Low);
    t.signature(BASELINE, -5.0, "supabase-refresh-token", Severity::High);
    t.signature(CANARY, 22.0, "supabase-refresh-token", Severity::High);
    let report = run(&t.input(45.0));
    let r = rule(&report, "new-critical-signatures");
    assert_eq!(r.verdict, Verdict::Fail);
    let expected = NewSignature {
        id: "node-heap-oom".into(),
        severity: Severity::Critical,
        lines: 1,
    };
    assert!(
        matches!(&r.finding, Finding::NewSignatures(f) if f.new == [expected]),
        "{r:?}"
    );
}

#[test]
fn critical_signature_without_baseline_is_inconclusive() {
    let mut t = Traffic::new();
    t.clean(CANARY, 0.0, 45.0, 1_000);
    t.signature(CANARY, 20.0, "node-heap-oom", Severity::Critical);
    let report = run(&t.input(45.0));
    assert_eq!(
        rule(&report, "new-critical-signatures").verdict,
        Verdict::Inconclusive
    );
}

#[test]
fn render_error_rate_above_baseline_rolls_back() {
    let mut t = Traffic::new();
    t.clean(BASELINE, -60.0, 45.0, 5_000)
        .clean(CANARY, 0.0, 45.0, 1_000);
    for i in 0..40 {
        let line = Observation {
            time_ms: at(1.0 + i as f64),
            deployment: Some(CANARY.into()),
            request_id: Some(format!("render-{i}").into()),
            status: Some(200),
            signatures: Box::new([("react-too-many-rerenders".into(), Severity::Medium)]),
            ..Observation::default()
        };
        t.lines.push(line);
    }
    let report = run(&t.input(45.0));
    assert_eq!(
        rule(&report, "render-errors-vs-baseline").verdict,
        Verdict::Fail
    );
}

#[test]
fn thin_latency_windows_are_inconclusive() {
    let mut t = Traffic::new();
    t.clean(BASELINE, -60.0, 45.0, 2_000);
    t.clean(CANARY, 0.0, 30.0, 600)
        .clean(CANARY, 30.0, 40.0, 5)
        .clean(CANARY, 40.0, 45.0, 100);
    let report = run(&t.input(45.0));
    let r = rule(&report, "latency-slo");
    assert_eq!(r.verdict, Verdict::Inconclusive);
    assert!(
        matches!(&r.finding, Finding::Latency(f) if matches!(f.case, LatencyCase::ThinWindows { .. }) && f.min_samples == 20),
        "{r:?}"
    );
}

#[test]
fn no_durations_anywhere_is_not_applicable() {
    let mut input = rates(5_000, 250, 1_000, 250, 500);
    input
        .observations
        .iter_mut()
        .for_each(|o| o.duration_ms = None);
    assert_eq!(
        rule(&run(&input), "latency-slo").verdict,
        Verdict::NotApplicable
    );
}

#[test]
fn per_route_slo_applies_to_its_routes_only() {
    let mut t = Traffic::new();
    t.clean(BASELINE, -60.0, 45.0, 2_000);
    t.requests(CANARY, 0.0, 45.0, 1_000, 2_000.0, (0, 200)); // /dashboard at 2 s
    let input = t.input(45.0);
    assert_eq!(rule(&run(&input), "latency-slo").verdict, Verdict::Fail);
    let relaxed = "[rules.latency-slo]\nroutes = [{ prefix = \"/dashboard\", slo_ms = 3000 }]";
    assert_eq!(
        rule(&with_policy(&input, relaxed), "latency-slo").verdict,
        Verdict::Pass
    );
    let other = "[rules.latency-slo]\nroutes = [{ exact = \"/dash\", slo_ms = 3000 }]";
    let report = with_policy(&input, other);
    assert_eq!(rule(&report, "latency-slo").verdict, Verdict::Fail);
    let r = rule(&report, "latency-slo");
    assert!(
        matches!(&r.finding, Finding::Latency(f) if matches!(f.case, LatencyCase::Breach(b) if b.group.is_none())),
        "the default SLO (other routes) failed: {r:?}"
    );
}

#[test]
fn without_a_baseline_id_every_other_deployment_is_the_baseline() {
    let mut t = Traffic::new();
    t.clean("dpl_OLDER", -120.0, -60.0, 2_000)
        .clean(BASELINE, -60.0, 0.0, 2_000);
    t.requests(CANARY, 0.0, 45.0, 1_000, 200.0, (10, 500));
    let mut input = t.input(45.0);
    input.baseline = None;
    input.deploy_time_ms = None;
    let report = run(&input);
    let r = rule(&report, "error-rate-vs-baseline");
    assert_eq!(
        (r.verdict, r.baseline_samples),
        (Verdict::Fail, Some(4_000))
    );
    assert_eq!(
        (report.baseline.as_deref(), report.last_good.as_deref()),
        (None, Some(BASELINE))
    );
    assert!(
        report.runbook[1].starts_with("vercel promote dpl_OLD "),
        "{:?}",
        report.runbook
    );
    assert_eq!(
        report.deploy_time.as_deref(),
        Some("2026-01-19T09:00:00.000Z")
    );
}

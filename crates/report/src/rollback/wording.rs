//! The sentences of a rollback report: each rule's one-line reason, worded
//! from the [`Finding`] the judge left (which condition decided, with its
//! numbers), and the headline that leads every output. A tired on-call
//! engineer reads these: they name the numbers and the limit, in the
//! runbooks' words.

use super::labels::{burst_names, counted, elapsed, evidence, latency_group, level};
use logs_core::rollback::{
    BurstCase, BurstFinding, Decision, Finding, LatencyCase, LatencyFinding, NewSignatureCase,
    NewSignatureFinding, ObservationFinding, RateCase, RateFinding, RollbackReport, RuleId,
    RuleResult, RuleSeverity, RunbookThreshold, ServerActionCase, ServerActionFinding, Verdict,
};

/// One line saying why the rule has its verdict. `canary` is the canary's
/// deployment id.
pub fn reason(rule: &RuleResult, canary: &str) -> String {
    let why = match &rule.finding {
        Finding::Disabled => "disabled in the policy".into(),
        Finding::NoDeployTime => format!(
            "no lines from {canary} up to now and no deploy time given: check the deployment id (and --now)"
        ),
        Finding::ServerActions(f) => server_actions(f),
        Finding::Rate(f) => rate(rule, f),
        Finding::Latency(f) => latency(f),
        Finding::Burst(f) => burst(f),
        Finding::NewSignatures(f) => new_signatures(rule, f),
        Finding::Observation(f) => observation(f),
    };
    if rule.unjudged {
        format!("required rule cannot be judged: {why}")
    } else {
        why
    }
}

/// `1 unique error` / `3 unique errors`.
fn count_of(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn server_actions(f: &ServerActionFinding) -> String {
    let errors = count_of(
        f.errors.len() as u64,
        "unique Server Action 500",
        "unique Server Action 500s",
    );
    let first = format!("the first {} min", f.window_minutes);
    let max = f.max_unique_errors;
    match f.case {
        ServerActionCase::OverLimit => {
            format!("{errors} in {first} (limit {max}): user actions are broken, roll back")
        }
        ServerActionCase::WindowOpen => format!(
            "only {} of {first} observed; {errors} so far (limit {max})",
            elapsed(f.elapsed_ms)
        ),
        ServerActionCase::NoActions => {
            format!("no Server Action requests (POST to a page route) in {first}, so no 500s")
        }
        ServerActionCase::WithinLimit => format!("{errors} in {first}, within the limit of {max}"),
    }
}

fn percent(rate: Option<f64>) -> String {
    format!("{:.2}%", rate.unwrap_or(0.0) * 100.0)
}

fn p_text(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => format!("p={p:.1e}"),
        Some(p) => format!("p={p:.3}"),
        None => "p=—".into(),
    }
}

fn rate(rule: &RuleResult, f: &RateFinding) -> String {
    let what = counted(rule.id, f);
    let (rc, rb) = (percent(rule.observed), percent(rule.baseline));
    let versus = format!("canary {what} rate {rc} vs baseline {rb}");
    let p = p_text(rule.p_value);
    match f.case {
        RateCase::NoBaseline => format!("no baseline requests to compare the {what} rate with"),
        RateCase::NoCanary => format!("no canary requests yet to compare {what} rates"),
        RateCase::TooFewRequests => format!(
            "not enough evidence yet ({rc} vs {rb}, {p}); {}",
            detectable(what.as_str(), f)
        ),
        RateCase::Worse => {
            let times = f.ratio.map_or("new".into(), |r| format!("{r:.1}×"));
            format!("{versus} ({times}, {p}): significantly and materially worse")
        }
        RateCase::NotSignificant => format!("{versus}: not significantly higher ({p})"),
        RateCase::Underpowered => format!(
            "{versus}: not significantly higher ({p}); {}",
            detectable(what.as_str(), f)
        ),
        RateCase::TooSmall => format!(
            "{versus}: higher ({p}) but under {}× / +{} pp, too small to act on",
            f.min_ratio, f.min_difference_pp
        ),
    }
}

/// When the canary's traffic would catch a rise: `at 2 req/min, a 2× rise
/// in 5xx/crashed would be detectable after ~41 min`.
fn detectable(what: &str, f: &RateFinding) -> String {
    let Some(per_minute) = f.canary_per_minute.filter(|r| *r > 0.0) else {
        return format!("no canary traffic yet to detect a rise in {what}");
    };
    let traffic = if per_minute >= 10.0 {
        format!("{per_minute:.0}")
    } else {
        format!("{per_minute:.1}")
    };
    let rise = match (f.detect_rate, f.baseline.rate()) {
        (Some(target), Some(rb)) if rb > 0.0 && (target / rb - 2.0).abs() < 1e-9 => {
            "a 2× rise".to_string()
        }
        (Some(target), _) => format!("a rise to {}", percent(Some(target))),
        (None, _) => "a 2× rise".to_string(),
    };
    match f.detect_minutes {
        Some(m) => format!(
            "at {traffic} req/min, {rise} in {what} would be detectable after ~{} min",
            m.ceil()
        ),
        None => format!("at {traffic} req/min, {rise} in {what} would take over a week to detect"),
    }
}

fn latency(f: &LatencyFinding) -> String {
    let p = f.percentile;
    let worst = f.worst.map_or(String::new(), |w| {
        format!(
            " (worst p{p} {:.0} ms{})",
            w.value,
            latency_group(f, w.group)
        )
    });
    match f.case {
        LatencyCase::NoDurations => "no request durations anywhere in the input".into(),
        LatencyCase::Breach(b) => format!(
            "p{p} {:.0} ms > SLO {:.0} ms for {} consecutive {}-min windows{}: users are waiting",
            b.value,
            b.slo_ms,
            f.consecutive_windows,
            f.window_minutes,
            latency_group(f, b.group)
        ),
        LatencyCase::NoCompleteWindow => format!(
            "no complete {}-min window yet ({} min observed)",
            f.window_minutes,
            elapsed(f.elapsed_ms)
        ),
        LatencyCase::NoCanaryDurations => "the canary reported no request durations".into(),
        LatencyCase::ThinWindows { thin } => format!(
            "{thin} window(s) had fewer than {} durations, cannot judge p{p}{worst}",
            f.min_samples
        ),
        LatencyCase::OpenStreak => {
            format!("the last window is above the SLO{worst}: the next window decides")
        }
        LatencyCase::WithinSlo => format!(
            "p{p} within the SLO over {} window(s){worst}",
            f.complete_windows
        ),
    }
}

fn burst(f: &BurstFinding) -> String {
    let names = burst_names(f);
    let within = format!("{} min", f.window_minutes);
    let (peak, limit) = (f.peak.count, f.threshold);
    match f.case {
        BurstCase::OverLimit => format!(
            "{peak} {names} lines within {within} on the canary (limit {limit}): it cannot reach the database"
        ),
        BurstCase::NoLines => format!("no {names} lines on the canary"),
        BurstCase::UnderLimit => {
            format!("at most {peak} {names} lines within {within}, under the limit of {limit}")
        }
    }
}

fn new_signatures(rule: &RuleResult, f: &NewSignatureFinding) -> String {
    let listed = evidence(rule).join(", ");
    match f.case {
        NewSignatureCase::NoneNew => format!(
            "no {} signature that the baseline did not already show",
            level(f.min_severity)
        ),
        NewSignatureCase::NoBaseline => {
            format!("no baseline lines to compare with; canary shows {listed}")
        }
        NewSignatureCase::New => format!("new on the canary: {listed}"),
    }
}

fn observation(f: &ObservationFinding) -> String {
    let minutes = format!("{:.1}", f.minutes);
    let mut short = Vec::new();
    if f.short_of_time {
        short.push(format!("{minutes} of {} min observed", f.min_minutes));
    }
    if f.short_of_requests {
        short.push(format!("{} of {} requests", f.requests, f.min_requests));
    }
    if short.is_empty() {
        format!(
            "observed {minutes} min and {} requests (minimum {} min, {} requests)",
            f.requests, f.min_minutes, f.min_requests
        )
    } else {
        format!("too early to promote: {}", short.join(", "))
    }
}

/// The headline for the report's decision, worded so it cannot be misread:
/// `ROLLBACK NOW — dpl_x failed 2 critical rules: …`, `HOLD — keep
/// watching …`, `PROCEED to the next stage — …`.
pub fn headline(report: &RollbackReport) -> String {
    let deployment = &report.deployment;
    let rules = &report.rules;
    match report.decision {
        Decision::Rollback => {
            let failed: Vec<&RuleResult> = (rules.iter())
                .filter(|r| r.verdict == Verdict::Fail && !r.advisory)
                .collect();
            let critical = (failed.iter())
                .filter(|r| r.severity == RuleSeverity::Critical)
                .count();
            let what = match (failed.len(), critical) {
                (n, c) if n == c => format!("{n} critical {}", plural(n, "rule")),
                (n, 0) => format!("{n} {}", plural(n, "rule")),
                (n, c) => format!("{n} {} ({c} critical)", plural(n, "rule")),
            };
            let names: Vec<&str> = failed.iter().map(|r| r.id.as_str()).collect();
            format!(
                "ROLLBACK NOW — {deployment} failed {what}: {}",
                names.join(", ")
            )
        }
        Decision::Hold => {
            // Lead with the observation rule's reason ("too early to
            // promote: …") when it holds, else the first holding rule's.
            let holding: Vec<(&RuleResult, String)> = (rules.iter())
                .filter(|r| matches!(r.verdict, Verdict::Fail | Verdict::Inconclusive))
                .map(|r| (r, reason(r, deployment)))
                .collect();
            let lead = (holding.iter().find(|(r, _)| r.id == RuleId::Observation))
                .or(holding.first())
                .map_or(String::new(), |(r, why)| match r.verdict {
                    Verdict::Fail => format!("advisory rule {} failed: {why}", r.id),
                    _ => why.clone(),
                });
            let others: Vec<&str> = (holding.iter())
                .filter(|(_, why)| !lead.contains(why.as_str()))
                .map(|(r, _)| r.id.as_str())
                .collect();
            let also = if others.is_empty() {
                String::new()
            } else {
                format!("; also waiting on: {}", others.join(", "))
            };
            format!("HOLD — keep watching {deployment}, do not promote yet: {lead}{also}")
        }
        Decision::Proceed => {
            let passed = rules.iter().filter(|r| r.verdict == Verdict::Pass).count();
            let skipped = rules.len() - passed;
            let tail = if skipped == 0 {
                format!("{deployment} passed all {passed} rules")
            } else {
                format!("{deployment} passed {passed} rules ({skipped} not applicable)")
            };
            format!("PROCEED to the next stage — {tail}")
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// The runbook's rule in words: `roll back if more than 3 unique Server
/// Action 500s in the first 10 minutes after a deploy`.
pub fn runbook_threshold(t: RunbookThreshold) -> String {
    format!(
        "roll back if more than {} unique Server Action 500s in the first {} minutes after a deploy",
        t.max_unique_errors, t.window_minutes
    )
}

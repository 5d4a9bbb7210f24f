//! `latency-slo` (seed 003): the canary's p95 duration, per fixed window since
//! deploy, above the SLO for N consecutive windows means roll back.
//!
//! Requests are split into groups by the per-route SLOs (first match on the
//! route pattern, else the path) plus a default group. Only complete windows
//! are judged. In a window with fewer than `min_samples` durations the p95 is
//! not judged: the streak breaks and the rule can at best be INCONCLUSIVE. A
//! streak still open at the last complete window also holds (the next window
//! decides). A group with no durations at all is skipped.

use std::collections::BTreeMap;

use super::super::policy::{LatencyRule, RouteMatch, RouteSlo, path_has_prefix};
use super::super::report::{Unit, Verdict};
use super::super::scope::{MINUTE_MS, Request, Scope};
use super::super::stats::percentile;
use super::{Outcome, span_label};

fn route_of<'a>(request: &Request<'a>) -> Option<&'a str> {
    request.route.or(request.path)
}

/// Index into `rule.routes` of the SLO `request` falls under, or `None` for
/// the default SLO.
fn group_of(request: &Request, routes: &[RouteSlo]) -> Option<usize> {
    let route = route_of(request)?;
    routes.iter().position(|slo| match slo.matching {
        RouteMatch::Exact => slo.route == route,
        RouteMatch::Prefix => path_has_prefix(route, &slo.route),
    })
}

/// The worst judged window so far, by p95 / SLO.
struct Worst {
    score: f64,
    p95: f64,
    group: usize,
    window: usize,
}

/// What a scan of every group's complete windows found.
#[derive(Default)]
struct Scan {
    /// Windows with too few durations to judge.
    thin: usize,
    /// A breach streak still short of `consecutive_windows` at the end.
    open_streak: bool,
    /// Durations in complete windows.
    samples: u64,
    /// The first streak long enough: group, its last window, that p95.
    failure: Option<(usize, usize, f64)>,
    worst: Option<Worst>,
}

/// `durations[group]`: window → durations (only windows with data, so the
/// memory is bounded by the data, never by the time span); `slo(group)`;
/// only groups in `seen` count. Windows without data are thin.
fn scan(
    durations: &[BTreeMap<usize, Vec<f64>>],
    seen: &[bool],
    complete: usize,
    rule: &LatencyRule,
    slo: impl Fn(usize) -> f64,
) -> Scan {
    let needed = rule.consecutive_windows as usize;
    let mut found = Scan::default();
    for g in (0..durations.len()).filter(|&g| seen[g]) {
        let mut streak = 0;
        let mut next = 0usize;
        for (&w, values) in durations[g].range(..complete) {
            if w > next {
                // Empty windows in between: thin, and the streak breaks.
                found.thin += w - next;
                streak = 0;
            }
            next = w + 1;
            found.samples += values.len() as u64;
            let enough = values.len() as u64 >= rule.min_samples;
            let Some(p95) = percentile(values, rule.percentile).filter(|_| enough) else {
                found.thin += 1;
                streak = 0;
                continue;
            };
            let score = p95 / slo(g);
            if found.worst.as_ref().is_none_or(|x| score > x.score) {
                found.worst = Some(Worst {
                    score,
                    p95,
                    group: g,
                    window: w,
                });
            }
            streak = if p95 > slo(g) { streak + 1 } else { 0 };
            if streak >= needed && found.failure.is_none() {
                found.failure = Some((g, w, p95));
            }
        }
        if next < complete {
            found.thin += complete - next;
            streak = 0;
        }
        found.open_streak |= streak > 0 && streak < needed;
    }
    found
}

pub fn evaluate(scope: &Scope, rule: &LatencyRule) -> Outcome {
    let window_ms = i64::from(rule.window_minutes) * MINUTE_MS;
    let complete = usize::try_from((scope.now_ms - scope.deploy_ms) / window_ms).unwrap_or(0);
    let group_count = rule.routes.len() + 1;
    // durations[group][window], default group last; the partial window is
    // `complete` (not judged).
    let mut durations: Vec<BTreeMap<usize, Vec<f64>>> = vec![BTreeMap::new(); group_count];
    let mut seen = vec![false; group_count];
    for request in &scope.canary_requests {
        let Some(d) = request.duration_ms else {
            continue;
        };
        let g = group_of(request, &rule.routes).unwrap_or(rule.routes.len());
        seen[g] = true;
        let w = usize::try_from((request.time_ms - scope.deploy_ms) / window_ms).unwrap_or(0);
        durations[g].entry(w.min(complete)).or_default().push(d);
    }
    let slo = |g: usize| rule.routes.get(g).map_or(rule.slo_ms, |r| r.slo_ms);
    let group_name = |g: usize| match rule.routes.get(g) {
        Some(r) if r.matching == RouteMatch::Prefix => format!(" on routes under {}", r.route),
        Some(r) => format!(" on {}", r.route),
        None if rule.routes.is_empty() => String::new(),
        None => " on other routes".into(),
    };
    let needed = rule.consecutive_windows as usize;
    let Scan {
        thin,
        open_streak,
        samples,
        failure,
        worst,
    } = scan(&durations, &seen, complete, rule, slo);
    let baseline_group = failure.map(|f| f.0).or(worst.as_ref().map(|x| x.group));
    let baseline: Vec<f64> = (scope.baseline_requests.iter())
        .filter(|r| {
            baseline_group
                .is_none_or(|g| group_of(r, &rule.routes).unwrap_or(rule.routes.len()) == g)
        })
        .filter_map(|r| r.duration_ms)
        .collect();
    let span =
        |w: usize, n: usize| span_label((w + 1 - n) as i64 * window_ms, (w + 1) as i64 * window_ms);
    let p = rule.percentile;
    let (verdict, reason, window, observed) = if !scope.any_duration {
        (
            Verdict::NotApplicable,
            "no request durations anywhere in the input".to_string(),
            "—".into(),
            None,
        )
    } else if let Some((g, w, p95)) = failure {
        let reason = format!(
            "p{p} {p95:.0} ms > SLO {:.0} ms for {needed} consecutive {}-min windows{}: users are waiting",
            slo(g),
            rule.window_minutes,
            group_name(g)
        );
        (Verdict::Fail, reason, span(w, needed), Some(p95))
    } else {
        let worst_window = worst.as_ref().map_or("—".into(), |x| span(x.window, 1));
        let observed = worst.as_ref().map(|x| x.p95);
        let worst_text = worst.as_ref().map_or(String::new(), |x| {
            format!(" (worst p{p} {:.0} ms{})", x.p95, group_name(x.group))
        });
        let (verdict, reason) = if complete == 0 {
            let seen = (scope.now_ms - scope.deploy_ms) as f64 / MINUTE_MS as f64;
            let reason = format!(
                "no complete {}-min window yet ({seen:.1} min observed)",
                rule.window_minutes
            );
            (Verdict::Inconclusive, reason)
        } else if !seen.iter().any(|&s| s) {
            (
                Verdict::Inconclusive,
                "the canary reported no request durations".to_string(),
            )
        } else if thin > 0 {
            let reason = format!(
                "{thin} window(s) had fewer than {} durations, cannot judge p{p}{worst_text}",
                rule.min_samples
            );
            (Verdict::Inconclusive, reason)
        } else if open_streak {
            let reason =
                format!("the last window is above the SLO{worst_text}: the next window decides");
            (Verdict::Inconclusive, reason)
        } else {
            let reason = format!("p{p} within the SLO over {complete} window(s){worst_text}");
            (Verdict::Pass, reason)
        };
        (verdict, reason, worst_window, observed)
    };
    Outcome {
        verdict,
        window,
        unit: Unit::Ms,
        observed,
        baseline: percentile(&baseline, p),
        threshold: format!(
            "p{p} ≤ {:.0} ms{}, {needed} windows in a row",
            rule.slo_ms,
            if rule.routes.is_empty() {
                ""
            } else {
                " (+ per-route SLOs)"
            }
        ),
        samples,
        baseline_samples: Some(baseline.len() as u64),
        p_value: None,
        reason,
        evidence: Vec::new(),
    }
}

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
use super::super::scope::{Frame, MINUTE_MS, Request, Scope};
use super::super::stats::Values;
use super::measure::{LatencyGroup, LatencyMeasure, LatencyWindow, Quantile};
use super::outcome::{Finding, LatencyCase, LatencyFinding, LatencyWindowRef, Outcome, Span};
use super::outcome::{Unit, Verdict};

fn route_of(request: &Request) -> Option<&str> {
    request.route().or(request.path())
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

/// What a scan of every group's complete windows found.
#[derive(Default)]
struct Scan {
    /// Windows with too few durations to judge (or none).
    thin: u64,
    /// A breach streak still short of `consecutive_windows` at the end.
    open_streak: bool,
    /// Durations in complete windows.
    samples: u64,
    /// The first streak long enough: its last window.
    failure: Option<LatencyWindowRef>,
    /// The worst judged window, by percentile / SLO.
    worst: Option<(f64, LatencyWindowRef)>,
}

/// Walks every group's complete windows; empty windows are thin.
fn scan(m: &LatencyMeasure, complete: u64, rule: &LatencyRule) -> Scan {
    let needed = u64::from(rule.consecutive_windows);
    let mut found = Scan::default();
    for group in &m.groups {
        let slo = slo_of(rule, group.route);
        let mut streak = 0;
        let mut next = 0u64;
        for w in group.windows.iter().filter(|w| w.index < complete) {
            if w.index > next {
                // Empty windows in between: thin, and the streak breaks.
                found.thin += w.index - next;
                streak = 0;
            }
            next = w.index + 1;
            found.samples += w.count;
            if w.count < rule.min_samples {
                found.thin += 1;
                streak = 0;
                continue;
            }
            let here = LatencyWindowRef {
                group: group.route,
                window: w.index,
                value: w.value,
                slo_ms: slo,
            };
            let score = w.value / slo;
            if found.worst.is_none_or(|(worst, _)| score > worst) {
                found.worst = Some((score, here));
            }
            streak = if w.value > slo { streak + 1 } else { 0 };
            if streak >= needed && found.failure.is_none() {
                found.failure = Some(here);
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

/// The SLO of group `route` (an index into `rule.routes`, `None` = default).
fn slo_of(rule: &LatencyRule, route: Option<usize>) -> f64 {
    route
        .and_then(|g| rule.routes.get(g))
        .map_or(rule.slo_ms, |r| r.slo_ms)
}

/// What the rule counts of the requests' durations: the canary's per SLO
/// group and complete window since deploy, the baseline's per group and in
/// all. Counts of values ([`Values`]), so the counts of two sets of
/// requests add up to those of both, percentiles included.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LatencyCounts {
    /// Per group, the default group last: whether the canary has any
    /// duration in it (in any window, complete or not).
    seen: Vec<bool>,
    /// Per group: the canary's durations per complete window.
    windows: Vec<BTreeMap<u64, Values>>,
    /// Per group: the baseline's durations.
    baseline: Vec<Values>,
    baseline_all: Values,
}

impl LatencyCounts {
    /// No durations, for `rule`'s groups.
    pub fn new(rule: &LatencyRule) -> Self {
        let groups = rule.routes.len() + 1;
        LatencyCounts {
            seen: vec![false; groups],
            windows: vec![BTreeMap::new(); groups],
            baseline: vec![Values::default(); groups],
            baseline_all: Values::default(),
        }
    }

    /// Counts one of the canary's requests, in the windows of `scope`.
    pub fn add_canary(&mut self, request: &Request, rule: &LatencyRule, scope: Frame) {
        let Some(d) = request.duration_ms() else {
            return;
        };
        let window_ms = i64::from(rule.window_minutes) * MINUTE_MS;
        let complete = u64::try_from((scope.now_ms - scope.deploy_ms) / window_ms).unwrap_or(0);
        let g = group_of(request, &rule.routes).unwrap_or(rule.routes.len());
        self.seen[g] = true;
        let w = u64::try_from((request.time_ms - scope.deploy_ms) / window_ms).unwrap_or(0);
        if w < complete {
            self.windows[g].entry(w).or_default().push(d);
        }
    }

    /// Counts one of the baseline's requests.
    pub fn add_baseline(&mut self, request: &Request, rule: &LatencyRule) {
        if let Some(d) = request.duration_ms() {
            self.baseline[group_of(request, &rule.routes).unwrap_or(rule.routes.len())].push(d);
            self.baseline_all.push(d);
        }
    }

    pub fn merge(&mut self, other: LatencyCounts) {
        for (mine, theirs) in self.seen.iter_mut().zip(other.seen) {
            *mine |= theirs;
        }
        for (mine, theirs) in self.windows.iter_mut().zip(other.windows) {
            for (w, values) in theirs {
                mine.entry(w).or_default().merge(values);
            }
        }
        for (mine, theirs) in self.baseline.iter_mut().zip(other.baseline) {
            mine.merge(theirs);
        }
        self.baseline_all.merge(other.baseline_all);
    }
}

/// The canary's durations by SLO group and complete window, with each
/// window's percentile, and the baseline's per group.
pub fn measure(scope: &Scope, counts: &LatencyCounts, rule: &LatencyRule) -> LatencyMeasure {
    let default = rule.routes.len();
    let quantile = |values: &Values| Quantile {
        count: values.count(),
        value: values.percentile(rule.percentile),
    };
    let groups = (0..=default)
        .filter(|&g| counts.seen[g])
        .map(|g| LatencyGroup {
            route: (g < default).then_some(g),
            windows: (counts.windows[g].iter())
                .filter_map(|(&index, values)| {
                    let value = values.percentile(rule.percentile)?;
                    Some(LatencyWindow {
                        index,
                        count: values.count(),
                        value,
                    })
                })
                .collect(),
            baseline: quantile(&counts.baseline[g]),
        })
        .collect();
    LatencyMeasure {
        elapsed_ms: scope.now_ms - scope.deploy_ms,
        any_duration: scope.any_duration,
        groups,
        baseline_all: quantile(&counts.baseline_all),
    }
}

/// `consecutive_windows` complete windows in a row over the SLO fails; a
/// thin window, an open streak or no complete window yet holds.
pub fn judge(m: &LatencyMeasure, rule: &LatencyRule) -> Outcome {
    let window_ms = i64::from(rule.window_minutes) * MINUTE_MS;
    let complete = u64::try_from(m.elapsed_ms / window_ms).unwrap_or(0);
    let Scan {
        thin,
        open_streak,
        samples,
        failure,
        worst,
    } = scan(m, complete, rule);
    let worst = worst.map(|(_, w)| w);
    let (verdict, case) = if !m.any_duration {
        (Verdict::NotApplicable, LatencyCase::NoDurations)
    } else if let Some(breach) = failure {
        (Verdict::Fail, LatencyCase::Breach(breach))
    } else if complete == 0 {
        (Verdict::Inconclusive, LatencyCase::NoCompleteWindow)
    } else if m.groups.is_empty() {
        (Verdict::Inconclusive, LatencyCase::NoCanaryDurations)
    } else if thin > 0 {
        (Verdict::Inconclusive, LatencyCase::ThinWindows { thin })
    } else if open_streak {
        (Verdict::Inconclusive, LatencyCase::OpenStreak)
    } else {
        (Verdict::Pass, LatencyCase::WithinSlo)
    };
    // The baseline of the failing (else the worst) group; of all groups
    // when nothing was judged.
    let judged = failure.or(worst).map(|w| w.group);
    let baseline = match judged {
        Some(group) => (m.groups.iter())
            .find(|g| g.route == group)
            .map_or_else(Quantile::default, |g| g.baseline),
        None => m.baseline_all,
    };
    // The span judged: the breaching windows, else the worst one.
    let span_of = |w: &LatencyWindowRef, n: u64| Span {
        from_ms: (w.window + 1).saturating_sub(n) as i64 * window_ms,
        to_ms: (w.window + 1) as i64 * window_ms,
    };
    let span = match case {
        LatencyCase::NoDurations => None,
        LatencyCase::Breach(breach) => Some(span_of(&breach, u64::from(rule.consecutive_windows))),
        _ => worst.as_ref().map(|w| span_of(w, 1)),
    };
    let observed = match case {
        LatencyCase::NoDurations => None,
        LatencyCase::Breach(breach) => Some(breach.value),
        _ => worst.map(|w| w.value),
    };
    Outcome {
        verdict,
        unit: Unit::Ms,
        observed,
        baseline: baseline.value,
        span,
        samples,
        baseline_samples: Some(baseline.count),
        p_value: None,
        finding: Finding::Latency(LatencyFinding {
            case,
            elapsed_ms: m.elapsed_ms,
            complete_windows: complete,
            percentile: rule.percentile,
            slo_ms: rule.slo_ms,
            window_minutes: rule.window_minutes,
            consecutive_windows: rule.consecutive_windows,
            min_samples: rule.min_samples,
            routes: rule.routes.clone(),
            worst,
        }),
    }
}

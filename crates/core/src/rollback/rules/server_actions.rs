//! `server-action-500s` (seed 001, RT-10): more than N unique Server Action
//! 500s in the first minutes after deploy means roll back.
//!
//! A Server Action request is a request whose method is in `methods` (POST)
//! to a page route, i.e. a path under none of `excluded_path_prefixes`
//! (`/api`, `/_next`). "Unique" is the distinct (error key, route) pair: one
//! broken action hammered a thousand times is one error. A 500 whose lines
//! carry no error key counts as `HTTP 500` on its route.

use std::collections::BTreeMap;

use super::super::policy::{ServerActionRule, path_has_prefix, status_matches};
use super::super::scope::{MINUTE_MS, Request, Scope};
use super::measure::{ErrorCount, ServerActionMeasure};
use super::outcome::{Finding, Outcome, ServerActionCase, ServerActionFinding, Span};
use super::outcome::{Unit, Verdict};

/// Whether `request` is a Server Action under `rule`.
pub fn is_server_action(request: &Request, rule: &ServerActionRule) -> bool {
    let method_ok = request.method().is_some_and(|m| {
        rule.methods
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(m))
    });
    let places: Vec<&str> = [request.path(), request.route()]
        .into_iter()
        .flatten()
        .collect();
    let excluded = places.iter().any(|p| {
        rule.excluded_path_prefixes
            .iter()
            .any(|prefix| path_has_prefix(p, prefix))
    });
    method_ok && !places.is_empty() && !excluded
}

/// What the rule counts of the canary's requests: its Server Actions in the
/// rule's first minutes, and of those with a matching status, how many per
/// (error key, route) pair. Sums, so the counts of two sets of requests
/// add up to those of both.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionCounts {
    actions: u64,
    /// By (error key, route as logged).
    errors: BTreeMap<(String, String), u64>,
}

impl ActionCounts {
    /// Counts one of the canary's requests.
    pub fn add(&mut self, request: &Request, rule: &ServerActionRule, deploy_ms: i64) {
        let end_ms = deploy_ms + i64::from(rule.window_minutes) * MINUTE_MS;
        if request.time_ms >= end_ms || !is_server_action(request, rule) {
            return;
        }
        self.actions += 1;
        let Some(status) = request
            .status
            .filter(|&s| status_matches(&rule.statuses, s))
        else {
            return;
        };
        let key = request
            .error_key()
            .map_or_else(|| format!("HTTP {status}"), str::to_string);
        let route = request.route_or_path().to_string();
        *self.errors.entry((key, route)).or_default() += 1;
    }

    pub fn merge(&mut self, other: ActionCounts) {
        self.actions += other.actions;
        for (pair, n) in other.errors {
            *self.errors.entry(pair).or_default() += n;
        }
    }
}

/// The Server Action requests in the rule's first minutes and their
/// failing (error key, route) pairs.
pub fn measure(scope: &Scope, counts: &ActionCounts) -> ServerActionMeasure {
    let mut errors: Vec<ErrorCount> = (counts.errors.iter())
        .map(|((error_key, route), &count)| ErrorCount {
            error_key: error_key.clone(),
            // A path from a log can carry a token or an email: redacted
            // here, where it leaves the measure for the report.
            route: crate::redact::sample(route, 200),
            count,
        })
        .collect();
    errors.sort_by(|a, b| {
        (b.count.cmp(&a.count))
            .then_with(|| a.error_key.cmp(&b.error_key))
            .then_with(|| a.route.cmp(&b.route))
    });
    ServerActionMeasure {
        elapsed_ms: scope.now_ms - scope.deploy_ms,
        actions: counts.actions,
        errors,
    }
}

/// More than `max_unique_errors` fails; within it passes once the window
/// is over, and holds until then.
pub fn judge(m: &ServerActionMeasure, rule: &ServerActionRule) -> Outcome {
    let count = m.errors.len() as u64;
    let complete = m.elapsed_ms >= i64::from(rule.window_minutes) * MINUTE_MS;
    let (verdict, case) = if count > rule.max_unique_errors {
        (Verdict::Fail, ServerActionCase::OverLimit)
    } else if !complete {
        (Verdict::Inconclusive, ServerActionCase::WindowOpen)
    } else if m.actions == 0 {
        (Verdict::Pass, ServerActionCase::NoActions)
    } else {
        (Verdict::Pass, ServerActionCase::WithinLimit)
    };
    Outcome {
        verdict,
        unit: Unit::Count,
        observed: Some(count as f64),
        baseline: None,
        span: Some(Span::since_deploy(
            i64::from(rule.window_minutes) * MINUTE_MS,
        )),
        samples: m.actions,
        baseline_samples: None,
        p_value: None,
        finding: Finding::ServerActions(ServerActionFinding {
            case,
            elapsed_ms: m.elapsed_ms,
            window_minutes: rule.window_minutes,
            max_unique_errors: rule.max_unique_errors,
            errors: m.errors.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollback::RollbackPolicy;
    use crate::rollback::input::Observation;
    use crate::rollback::request::group_requests;

    fn request(method: &str, path: &str) -> Observation {
        Observation {
            request_id: Some("r".into()),
            method: Some(method.into()),
            path: Some(path.into()),
            status: Some(500),
            ..Observation::default()
        }
    }

    #[test]
    fn only_posts_to_page_routes_are_server_actions() {
        let rule = RollbackPolicy::default().server_action_500s;
        let cases = [
            ("POST", "/leads/42", true),
            ("post", "/", true),
            ("GET", "/leads/42", false),
            ("POST", "/api/leads", false),
            ("POST", "/api", false),
            ("POST", "/apiary", true),
            ("POST", "/_next/data/x.json", false),
        ];
        for (method, path, expected) in cases {
            let line = request(method, path);
            let requests = group_requests(&[&line]);
            assert_eq!(
                is_server_action(&requests[0], &rule),
                expected,
                "{method} {path}"
            );
        }
    }
}

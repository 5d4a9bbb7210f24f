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
use super::super::report::{Unit, Verdict};
use super::super::scope::{MINUTE_MS, Request, Scope};
use super::{Outcome, count_of, span_label};

/// Whether `request` is a Server Action under `rule`.
pub fn is_server_action(request: &Request, rule: &ServerActionRule) -> bool {
    let method_ok = request.method.is_some_and(|m| {
        rule.methods
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(m))
    });
    let places: Vec<&str> = [request.path, request.route]
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

pub fn evaluate(scope: &Scope, rule: &ServerActionRule) -> Outcome {
    let window_ms = i64::from(rule.window_minutes) * MINUTE_MS;
    let end_ms = scope.deploy_ms + window_ms;
    let actions: Vec<&Request> = (scope.canary_requests.iter())
        .filter(|r| r.time_ms < end_ms && is_server_action(r, rule))
        .collect();
    let mut unique: BTreeMap<(String, &str), u64> = BTreeMap::new();
    for request in &actions {
        let Some(status) = request
            .status
            .filter(|&s| status_matches(&rule.statuses, s))
        else {
            continue;
        };
        let key = request
            .error_key
            .map_or_else(|| format!("HTTP {status}"), str::to_string);
        *unique.entry((key, request.route_or_path())).or_default() += 1;
    }
    let count = unique.len() as u64;
    let max = rule.max_unique_errors;
    let complete = scope.now_ms >= end_ms;
    let errors = count_of(
        count,
        "unique Server Action 500",
        "unique Server Action 500s",
    );
    let first = format!("the first {} min", rule.window_minutes);
    let (verdict, reason) = if count > max {
        let reason =
            format!("{errors} in {first} (limit {max}): user actions are broken, roll back");
        (Verdict::Fail, reason)
    } else if !complete {
        let seen = (scope.now_ms - scope.deploy_ms) as f64 / MINUTE_MS as f64;
        let reason = format!("only {seen:.1} of {first} observed; {errors} so far (limit {max})");
        (Verdict::Inconclusive, reason)
    } else if actions.is_empty() {
        let reason =
            format!("no Server Action requests (POST to a page route) in {first}, so no 500s");
        (Verdict::Pass, reason)
    } else {
        (
            Verdict::Pass,
            format!("{errors} in {first}, within the limit of {max}"),
        )
    };
    let mut ranked: Vec<_> = unique.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Outcome {
        verdict,
        window: span_label(0, window_ms),
        unit: Unit::Count,
        observed: Some(count as f64),
        baseline: None,
        threshold: format!("> {max} unique in {} min", rule.window_minutes),
        samples: actions.len() as u64,
        baseline_samples: None,
        p_value: None,
        reason,
        evidence: (ranked.into_iter())
            .map(|((key, route), n)| format!("{key} on {} ×{n}", crate::redact::sample(route, 200)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollback::RollbackPolicy;
    use crate::rollback::input::Observation;
    use crate::rollback::scope::group_requests;

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

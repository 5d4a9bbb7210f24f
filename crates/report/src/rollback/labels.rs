//! The short words of a rule's row: its title, the window judged, the
//! threshold, and its evidence lines, written from the structured
//! [`Finding`] the judge left. Wording only: the numbers come from the
//! report.

use logs_core::rollback::{
    BurstFinding, Finding, LatencyFinding, RateFinding, RuleId, RuleResult, Span, StatusPattern,
};

/// Minutes in a millisecond count.
const MINUTE_MS: i64 = 60_000;

/// The rule's one-line title.
pub fn title(id: RuleId) -> &'static str {
    match id {
        RuleId::ServerAction500s => "Server Action 500s right after deploy",
        RuleId::ErrorRate => "5xx/crash rate vs baseline",
        RuleId::AuthFailures => "401/403 rate vs baseline",
        RuleId::RenderErrors => "React #301 / error-boundary rate vs baseline",
        RuleId::LatencySlo => "p95 latency SLO",
        RuleId::DbConnectivity => "Database connectivity errors",
        RuleId::NewSignatures => "New high/critical error signatures",
        RuleId::Observation => "Minimum observation time and traffic",
    }
}

/// `deploy+10–20 min`, `any 10 min` (a sliding window), or `—`.
pub fn window(rule: &RuleResult) -> String {
    match (&rule.span, &rule.finding) {
        (Some(span), _) => span_label(*span),
        (None, Finding::Burst(burst)) => format!("any {} min", burst.window_minutes),
        (None, _) => "—".into(),
    }
}

/// `deploy+10–20 min`: a span given in milliseconds after deploy.
pub fn span_label(span: Span) -> String {
    format!(
        "deploy+{}–{} min",
        minutes(span.from_ms),
        minutes(span.to_ms)
    )
}

/// Whole minutes when exact, else one decimal.
pub fn minutes(ms: i64) -> String {
    if ms % MINUTE_MS == 0 {
        (ms / MINUTE_MS).to_string()
    } else {
        format!("{:.1}", ms as f64 / MINUTE_MS as f64)
    }
}

/// Minutes, one decimal, of a millisecond count: `11.9`.
pub fn elapsed(ms: i64) -> String {
    format!("{:.1}", ms as f64 / MINUTE_MS as f64)
}

/// When the rule fails, e.g. `> 3 unique in 10 min`.
pub fn threshold(rule: &RuleResult) -> String {
    match &rule.finding {
        Finding::Disabled | Finding::NoDeployTime => "—".into(),
        Finding::ServerActions(f) => {
            format!(
                "> {} unique in {} min",
                f.max_unique_errors, f.window_minutes
            )
        }
        Finding::Rate(f) => format!(
            "p < {}, ≥ {}× and ≥ +{} pp",
            f.alpha, f.min_ratio, f.min_difference_pp
        ),
        Finding::Latency(f) => latency_threshold(f),
        Finding::Burst(f) => format!("≥ {} lines in {} min", f.threshold, f.window_minutes),
        Finding::NewSignatures(f) => format!("any new {}", level(f.min_severity)),
        Finding::Observation(f) => {
            format!("≥ {} min and ≥ {} requests", f.min_minutes, f.min_requests)
        }
    }
}

fn latency_threshold(f: &LatencyFinding) -> String {
    format!(
        "p{} ≤ {:.0} ms{}, {} windows in a row",
        f.percentile,
        f.slo_ms,
        if f.routes.is_empty() {
            ""
        } else {
            " (+ per-route SLOs)"
        },
        f.consecutive_windows
    )
}

/// `high or worse`.
pub fn level(severity: logs_core::signatures::Severity) -> String {
    format!("{} or worse", severity.as_str())
}

/// What was counted, one line each: the distinct errors, the new
/// signatures, the rate's counts.
pub fn evidence(rule: &RuleResult) -> Vec<String> {
    match &rule.finding {
        Finding::ServerActions(f) => (f.errors.iter())
            .map(|e| format!("{} on {} ×{}", e.error_key, e.route, e.count))
            .collect(),
        Finding::Rate(f) => rate_evidence(rule, f),
        Finding::NewSignatures(f) => (f.new.iter())
            .map(|s| format!("{} ({}, {} lines)", s.id, s.severity.as_str(), s.lines))
            .collect(),
        Finding::Disabled
        | Finding::NoDeployTime
        | Finding::Latency(_)
        | Finding::Burst(_)
        | Finding::Observation(_) => Vec::new(),
    }
}

fn rate_evidence(rule: &RuleResult, f: &RateFinding) -> Vec<String> {
    let mut lines = vec![format!(
        "canary {} of {} requests {}; baseline {} of {}",
        f.canary.bad,
        f.canary.total,
        counted(rule.id, f),
        f.baseline.bad,
        f.baseline.total
    )];
    if rule.id == RuleId::AuthFailures && f.case == logs_core::rollback::RateCase::Worse {
        lines.push(
            "the rollback runbook warns: intermittent auth failures can be Supabase latency (look for AbortError), not missing credentials"
                .into(),
        );
    }
    lines
}

/// What a rate rule counts, in words: `5xx/crashed`, `401/403`, or a noun
/// when it counts signatures (their ids are too long for a one-line
/// reason).
pub fn counted(id: RuleId, f: &RateFinding) -> String {
    let mut parts: Vec<String> = f.statuses.iter().map(|s| status(*s)).collect();
    if f.by_signature {
        parts.push(match id {
            RuleId::RenderErrors => "render-error".into(),
            _ => "matching".into(),
        });
    }
    parts.join("/")
}

/// `5xx`, `401`, or `crashed` for `-1`.
pub fn status(pattern: StatusPattern) -> String {
    match pattern {
        StatusPattern::Exact(-1) => "crashed".to_string(),
        StatusPattern::Exact(code) => code.to_string(),
        StatusPattern::Class(class) => format!("{class}xx"),
    }
}

/// ` on /route`, ` on routes under /api`, ` on other routes`, or nothing
/// when the policy has no per-route SLOs.
pub fn latency_group(f: &LatencyFinding, group: Option<usize>) -> String {
    use logs_core::rollback::RouteMatch;
    match group.and_then(|g| f.routes.get(g)) {
        Some(r) if r.matching == RouteMatch::Prefix => format!(" on routes under {}", r.route),
        Some(r) => format!(" on {}", r.route),
        None if f.routes.is_empty() => String::new(),
        None => " on other routes".into(),
    }
}

/// The signature ids a burst rule counts, joined by `/`.
pub fn burst_names(f: &BurstFinding) -> String {
    f.signatures.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_in_minutes() {
        let span = |from_ms, to_ms| span_label(Span { from_ms, to_ms });
        assert_eq!(span(0, 600_000), "deploy+0–10 min");
        assert_eq!(span(1_080_000, 1_650_000), "deploy+18–27.5 min");
        assert_eq!(status(StatusPattern::Class(5)), "5xx");
        assert_eq!(status(StatusPattern::Exact(-1)), "crashed");
    }
}

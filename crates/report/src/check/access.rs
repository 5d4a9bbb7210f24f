//! The words every `logs check` printer uses for the cron and webhook
//! checks: each route of a finding in two lines (counts, times, statuses;
//! then user agents, client addresses and signatures, or "not applicable"),
//! and the note that says which requests the user-agent checks could not
//! judge. Plain text: each printer escapes it for its format.

use logs_core::check::report::{Counted, Finding};
use logs_core::check::{AccessSummary, CheckReport, Listing, RouteDetail};

use super::short_time;
use crate::thousands;

fn counted(values: &[Counted]) -> String {
    values
        .iter()
        .map(|c| format!("{} ({})", c.value, thousands(c.count)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn listing(l: &Listing) -> String {
    match l {
        Listing::Values(v) if v.is_empty() => "none".to_string(),
        Listing::Values(v) => counted(v),
        Listing::NotApplicable(words) => format!("{words} (the export does not carry it)"),
    }
}

/// Each route of an access finding, in two lines.
pub(crate) fn route_lines(f: &Finding) -> Vec<(String, String)> {
    f.access
        .as_ref()
        .map_or_else(Vec::new, |d| detail_lines(&d.routes))
}

/// Routes of an access check, in two lines each.
pub(crate) fn detail_lines(routes: &[RouteDetail]) -> Vec<(String, String)> {
    routes
        .iter()
        .map(|r| {
            let head = format!(
                "{}: {} of {} answered request(s), {} to {}, status {}",
                r.route,
                thousands(r.count),
                thousands(r.answered),
                short_time(&r.first_seen),
                short_time(&r.last_seen),
                counted(&r.statuses),
            );
            let mut rest = format!("user agents: {}", listing(&r.user_agents));
            rest.push_str(&format!(" · client IPs: {}", listing(&r.client_ips)));
            if matches!(r.client_ips, Listing::Values(_)) {
                rest.push_str(&format!(", {} distinct", thousands(r.distinct_client_ips)));
            }
            if !r.signatures.is_empty() {
                rest.push_str(&format!(" · signatures: {}", counted(&r.signatures)));
            }
            (head, rest)
        })
        .collect()
}

/// Which cron requests the user-agent checks could not judge, when any.
pub(crate) fn not_applicable_note(report: &CheckReport) -> Option<String> {
    summary_note(report.access.as_ref()?)
}

/// Which cron requests the user-agent checks could not judge, when any.
pub(crate) fn summary_note(a: &AccessSummary) -> Option<String> {
    let mut notes = Vec::new();
    if a.cron_without_user_agent > 0 {
        notes.push(format!(
            "cron-unauthenticated-success and cron-rejected-platform-call are not applicable to \
             {} of {} cron request(s): the export ({}) does not carry the user agent",
            thousands(a.cron_without_user_agent),
            thousands(a.cron_requests),
            a.shapes_without_user_agent.join(", ")
        ));
    }
    if a.dropped > 0 {
        notes.push(format!(
            "{} request(s) to cron and webhook paths were not judged (too many to keep)",
            thousands(a.dropped)
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

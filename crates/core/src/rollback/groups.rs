//! [`Group`]: how many requests (or lines) share an (error key, route)
//! pair, and the sample of the first; [`OffenderCounts`]: the canary's
//! failing requests so grouped, for the top offenders. Sums that merge, like
//! every count of the rules: the first sample is the one of the earliest
//! place in the input, whichever part counted it.

use std::collections::BTreeMap;

use super::request::{Request, is_failure_status};

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

    /// (error key, route), how many requests, and the first sample.
    pub fn groups(&self) -> impl Iterator<Item = (&str, &str, u64, Option<&str>)> {
        (self.groups.iter())
            .map(|((key, route), group)| (key.as_str(), route.as_str(), group.count, group.first()))
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
}

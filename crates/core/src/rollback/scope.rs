//! Turns a [`RollbackInput`] into what the rules read: the canary's and the
//! baseline's lines and requests, the deploy time and "now".
//!
//! A request is the lines sharing a `request_id`; a line without one but with
//! a status is a request by itself. Canary lines count from deploy time to
//! now; baseline lines count up to now (the baseline's pre-deploy history is
//! what the canary is compared with). Lines without a deployment id belong to
//! neither side.

use super::input::{Observation, RollbackInput};

pub const MINUTE_MS: i64 = 60_000;

/// One request, folded from its lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Request<'a> {
    /// The earliest line's time.
    pub time_ms: i64,
    pub method: Option<&'a str>,
    pub path: Option<&'a str>,
    pub route: Option<&'a str>,
    /// The latest line's non-zero status (`0` = logged before the response).
    pub status: Option<i32>,
    status_time: i64,
    /// The largest duration any line reported.
    pub duration_ms: Option<f64>,
    /// The earliest line's error key, with that line's sample.
    pub error_key: Option<&'a str>,
    error_time: i64,
    pub sample: Option<&'a str>,
    pub signatures: Vec<&'a str>,
}

impl<'a> Request<'a> {
    fn new(line: &'a Observation) -> Self {
        Request {
            time_ms: line.time_ms,
            method: None,
            path: None,
            route: None,
            status: None,
            status_time: i64::MIN,
            duration_ms: None,
            error_key: None,
            error_time: i64::MAX,
            sample: None,
            signatures: Vec::new(),
        }
    }

    fn absorb(&mut self, line: &'a Observation) {
        self.time_ms = self.time_ms.min(line.time_ms);
        self.method = self.method.or(line.method.as_deref());
        self.path = self.path.or(line.path.as_deref());
        self.route = self.route.or(line.route.as_deref());
        if let Some(status) = effective_status(line) {
            if line.time_ms >= self.status_time {
                self.status = Some(status);
                self.status_time = line.time_ms;
            }
        }
        if let Some(d) = line.duration_ms.filter(|d| d.is_finite()) {
            self.duration_ms = Some(self.duration_ms.map_or(d, |m| m.max(d)));
        }
        if let Some(key) = line.error_key.as_deref() {
            if line.time_ms < self.error_time {
                self.error_key = Some(key);
                self.error_time = line.time_ms;
                self.sample = line.sample.as_deref().or(self.sample);
            }
        } else if self.error_key.is_none() {
            self.sample = self.sample.or(line.sample.as_deref());
        }
        for (id, _) in &line.signatures {
            if !self.signatures.contains(&id.as_str()) {
                self.signatures.push(id);
            }
        }
    }

    /// The route pattern, else the concrete path.
    pub fn route_or_path(&self) -> &'a str {
        self.route.or(self.path).unwrap_or("(unknown route)")
    }

    pub fn has_any_signature(&self, ids: &[String]) -> bool {
        self.signatures.iter().any(|s| ids.iter().any(|id| id == s))
    }
}

fn effective_status(line: &Observation) -> Option<i32> {
    line.status.filter(|&s| s != 0)
}

/// Folds lines into requests, in order of first appearance.
pub fn group_requests<'a>(lines: &[&'a Observation]) -> Vec<Request<'a>> {
    let mut requests: Vec<Request<'a>> = Vec::new();
    // Request ids come from the logs: a seeded hash, faster than SipHash
    // and as hard to collide on purpose.
    // Sized for two lines per request (a drain logs a request's line and
    // its REPORT at least), so that it is not grown step by step.
    let mut by_id: foldhash::HashMap<&'a str, usize> =
        foldhash::HashMap::with_capacity_and_hasher(lines.len() / 2, Default::default());
    for &line in lines {
        let index = match line.request_id.as_deref().filter(|id| !id.is_empty()) {
            Some(id) => *by_id.entry(id).or_insert_with(|| {
                requests.push(Request::new(line));
                requests.len() - 1
            }),
            None if effective_status(line).is_some() => {
                requests.push(Request::new(line));
                requests.len() - 1
            }
            None => continue,
        };
        requests[index].absorb(line);
    }
    requests
}

/// What every rule reads.
#[derive(Debug)]
pub struct Scope<'a> {
    pub deploy_ms: i64,
    pub now_ms: i64,
    pub canary_lines: Vec<&'a Observation>,
    pub baseline_lines: Vec<&'a Observation>,
    pub canary_requests: Vec<Request<'a>>,
    pub baseline_requests: Vec<Request<'a>>,
    /// Whether any line of the whole input carries a duration.
    pub any_duration: bool,
}

impl<'a> Scope<'a> {
    /// `None` when the deploy time is unknown: not given and no canary line.
    pub fn new(input: &'a RollbackInput) -> Option<Self> {
        let canary = input.canary.as_str();
        let on_canary = |o: &Observation| o.deployment.as_deref() == Some(canary);
        let deploy_ms = input.deploy_time_ms.or_else(|| {
            input
                .observations
                .iter()
                .filter(|o| on_canary(o))
                .map(|o| o.time_ms)
                .min()
        })?;
        let last_ms = input.observations.iter().map(|o| o.time_ms).max();
        let now_ms = input.now_ms.or(last_ms).unwrap_or(deploy_ms).max(deploy_ms);
        let canary_lines: Vec<_> = (input.observations.iter())
            .filter(|o| on_canary(o) && o.time_ms >= deploy_ms && o.time_ms <= now_ms)
            .collect();
        let baseline_lines: Vec<_> = (input.observations.iter())
            .filter(|o| is_baseline(input, o) && o.time_ms <= now_ms)
            .collect();
        Some(Scope {
            deploy_ms,
            now_ms,
            canary_requests: group_requests(&canary_lines),
            baseline_requests: group_requests(&baseline_lines),
            canary_lines,
            baseline_lines,
            any_duration: input.observations.iter().any(|o| o.duration_ms.is_some()),
        })
    }
}

fn is_baseline(input: &RollbackInput, line: &Observation) -> bool {
    match (line.deployment.as_deref(), input.baseline.as_deref()) {
        (Some(d), Some(baseline)) => d == baseline,
        (Some(d), None) => d != input.canary,
        (None, _) => false,
    }
}

/// The deployment to promote back: the given baseline, else the other
/// deployment whose latest line before deploy time is the most recent.
pub fn last_good(input: &RollbackInput, deploy_ms: Option<i64>) -> Option<String> {
    if let Some(baseline) = &input.baseline {
        return Some(baseline.clone());
    }
    (input.observations.iter())
        .filter(|o| is_baseline(input, o) && deploy_ms.is_none_or(|d| o.time_ms < d))
        .max_by_key(|o| o.time_ms)
        .and_then(|o| o.deployment.as_deref().map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: Option<&str>, t: i64, status: Option<i32>, duration: Option<f64>) -> Observation {
        Observation {
            time_ms: t,
            request_id: id.map(std::sync::Arc::from),
            status,
            duration_ms: duration,
            ..Observation::default()
        }
    }

    #[test]
    fn lines_fold_into_requests() {
        let lines = [
            line(Some("r1"), 10, Some(0), None),
            line(Some("r1"), 12, Some(500), Some(40.0)),
            line(Some("r1"), 11, None, Some(900.0)),
            line(None, 20, Some(200), None),
            line(None, 30, None, None),
        ];
        let refs: Vec<&Observation> = lines.iter().collect();
        let requests = group_requests(&refs);
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].status, Some(500));
        assert_eq!(requests[0].duration_ms, Some(900.0));
        assert_eq!(requests[0].time_ms, 10);
        assert_eq!(requests[1].status, Some(200));
    }

    #[test]
    fn last_good_is_latest_before_deploy() {
        let mut input = RollbackInput {
            canary: "dpl_new".into(),
            ..RollbackInput::default()
        };
        for (d, t) in [("dpl_a", 5), ("dpl_b", 8), ("dpl_a", 50), ("dpl_new", 10)] {
            input.observations.push(Observation {
                time_ms: t,
                deployment: Some(d.into()),
                ..Observation::default()
            });
        }
        assert_eq!(last_good(&input, Some(10)), Some("dpl_b".into()));
        input.baseline = Some("dpl_a".into());
        assert_eq!(last_good(&input, Some(10)), Some("dpl_a".into()));
    }
}

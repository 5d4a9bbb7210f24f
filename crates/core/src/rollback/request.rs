//! [`Request`]: one request, folded from its lines as they are read, so
//! that a scan keeps one small record per request rather than every line.
//!
//! Folding is associative: folding lines one by one, or folding two runs
//! of lines apart and [`Request::merge`]-ing them in input order, gives the
//! same request. So each chunk of a parallel scan folds its own lines and
//! the chunks' requests are merged in order.

use std::sync::Arc;

use super::input::Observation;

/// One request, folded from its lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The earliest line's time.
    pub time_ms: i64,
    /// The first line's (in input order) that has one.
    pub method: Option<Arc<str>>,
    pub path: Option<Arc<str>>,
    pub route: Option<Arc<str>>,
    /// The latest line's non-zero status (`0` = logged before the
    /// response); of lines at the same time, the last in input order.
    pub status: Option<i32>,
    status_time: i64,
    /// The largest duration any line reported (minus infinity: none did,
    /// as only finite ones are taken; 8 bytes rather than an `Option`'s
    /// 16, in a record kept for every request).
    duration_ms: f64,
    /// Its error, sample and signatures, when it has any ([`Rare`]).
    rare: Option<Box<Rare>>,
    /// Where its first line is in the input ([`crate::scan::Location::order`]):
    /// orders requests counted apart (a large input is read in passes).
    first_at: u64,
}

/// The parts of a request that most requests lack, boxed apart so that
/// they cost one pointer where absent (48 bytes less a request).
#[derive(Debug, Clone, PartialEq)]
struct Rare {
    /// The earliest line's error key (of lines at the same time, the first
    /// in input order).
    error_key: Option<Box<str>>,
    /// Its time (`i64::MAX`: no error key).
    error_time: i64,
    /// The sample of the line holding the error key; without one, of the
    /// line holding the status when that status is a failure
    /// ([`is_failure_status`]). Only a failing request is shown with a
    /// sample, so a request that succeeded keeps none (most requests; a
    /// sample is the largest part of what a request keeps).
    sample: Option<Box<str>>,
    /// The signatures its lines matched, in order of first appearance.
    signatures: Vec<String>,
}

impl Default for Rare {
    fn default() -> Self {
        Rare {
            error_key: None,
            error_time: i64::MAX,
            sample: None,
            signatures: Vec::new(),
        }
    }
}

impl Request {
    /// A request of no line yet, whose first line is at `first_at`.
    pub fn new(time_ms: i64, first_at: u64) -> Self {
        Request {
            first_at,
            time_ms,
            method: None,
            path: None,
            route: None,
            status: None,
            status_time: i64::MIN,
            duration_ms: f64::NEG_INFINITY,
            rare: None,
        }
    }

    fn error_time(&self) -> i64 {
        self.rare.as_ref().map_or(i64::MAX, |r| r.error_time)
    }

    fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// Sets the sample that follows the status (no error key): kept only
    /// for a failing status, and no [`Rare`] is left empty (a request
    /// compares equal however its lines were folded).
    fn set_status_sample(&mut self, sample: Option<Box<str>>) {
        match (sample, &mut self.rare) {
            (Some(sample), _) => self.rare_mut().sample = Some(sample),
            (None, Some(rare)) => {
                rare.sample = None;
                if rare.error_key.is_none() && rare.signatures.is_empty() {
                    self.rare = None;
                }
            }
            (None, None) => {}
        }
    }

    /// Whether absorbing `line` would keep its sample: the caller makes
    /// the sample only then.
    pub fn wants_sample(&self, line: &Observation) -> bool {
        match line.error_key {
            Some(_) => line.time_ms < self.error_time(),
            None => {
                self.error_key().is_none()
                    && line.time_ms >= self.status_time
                    && effective_status(line).is_some_and(is_failure_status)
            }
        }
    }

    /// Folds `line` (the latest in input order) in; its sample is
    /// `sample`, taken when kept.
    pub fn absorb(&mut self, line: &Observation, sample: &mut Option<Box<str>>) {
        self.time_ms = self.time_ms.min(line.time_ms);
        fill(&mut self.method, &line.method);
        fill(&mut self.path, &line.path);
        fill(&mut self.route, &line.route);
        let status = effective_status(line).filter(|_| line.time_ms >= self.status_time);
        if let Some(status) = status {
            self.status = Some(status);
            self.status_time = line.time_ms;
        }
        if let Some(d) = line.duration_ms.filter(|d| d.is_finite()) {
            self.duration_ms = self.duration_ms.max(d);
        }
        if let Some(key) = line.error_key.as_deref() {
            if line.time_ms < self.error_time() {
                let rare = self.rare_mut();
                rare.error_key = Some(key.into());
                rare.error_time = line.time_ms;
                rare.sample = sample.take();
            }
        } else if let (None, Some(status)) = (self.error_key(), status) {
            self.set_status_sample(sample.take().filter(|_| is_failure_status(status)));
        }
        if !line.signatures.is_empty() {
            add_signatures(
                &mut self.rare_mut().signatures,
                line.signatures.iter().map(|(id, _)| id.clone()),
            );
        }
    }

    /// Folds in `later`: the same request's lines that come after this
    /// one's in input order.
    pub fn merge(&mut self, later: Request) {
        self.time_ms = self.time_ms.min(later.time_ms);
        self.first_at = self.first_at.min(later.first_at);
        self.method = self.method.take().or(later.method);
        self.path = self.path.take().or(later.path);
        self.route = self.route.take().or(later.route);
        let later_status = later.status.is_some() && later.status_time >= self.status_time;
        if later_status {
            self.status = later.status;
            self.status_time = later.status_time;
        }
        self.duration_ms = self.duration_ms.max(later.duration_ms);
        let Some(later) = later.rare else {
            if later_status && self.error_key().is_none() {
                self.set_status_sample(None);
            }
            return;
        };
        let Rare {
            error_key,
            error_time,
            sample,
            signatures,
        } = *later;
        if error_time < self.error_time() {
            let rare = self.rare_mut();
            rare.error_key = error_key;
            rare.error_time = error_time;
            rare.sample = sample;
        } else if later_status && self.error_key().is_none() {
            // Neither has an error key: `later`'s sample is its status's.
            self.set_status_sample(sample);
        }
        if !signatures.is_empty() {
            add_signatures(&mut self.rare_mut().signatures, signatures.into_iter());
        }
    }

    /// The largest duration any line reported.
    pub fn duration_ms(&self) -> Option<f64> {
        Some(self.duration_ms).filter(|&d| d != f64::NEG_INFINITY)
    }

    /// Where its first line is in the input.
    pub fn first_at(&self) -> u64 {
        self.first_at
    }

    pub fn method(&self) -> Option<&str> {
        self.method.as_deref()
    }

    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    pub fn route(&self) -> Option<&str> {
        self.route.as_deref()
    }

    pub fn error_key(&self) -> Option<&str> {
        self.rare.as_ref().and_then(|r| r.error_key.as_deref())
    }

    pub fn sample(&self) -> Option<&str> {
        self.rare.as_ref().and_then(|r| r.sample.as_deref())
    }

    /// The signatures its lines matched, in order of first appearance.
    pub fn signatures(&self) -> &[String] {
        self.rare.as_ref().map_or(&[], |r| &r.signatures)
    }

    /// The route pattern, else the concrete path.
    pub fn route_or_path(&self) -> &str {
        (self.route().or(self.path())).unwrap_or("(unknown route)")
    }

    pub fn has_any_signature(&self, ids: &[String]) -> bool {
        self.signatures().iter().any(|s| ids.contains(s))
    }
}

/// Adds the ids in `new` that `ids` lacks, after them.
fn add_signatures(ids: &mut Vec<String>, new: impl Iterator<Item = String>) {
    for id in new {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
}

fn fill(slot: &mut Option<Arc<str>>, value: &Option<Arc<str>>) {
    if slot.is_none() {
        slot.clone_from(value);
    }
}

/// A line's status when it says how the request ended (`0`: logged before
/// the response).
pub fn effective_status(line: &Observation) -> Option<i32> {
    line.status.filter(|&s| s != 0)
}

/// Whether a request ending with `status` failed: a 5xx, or `-1` (the
/// function crashed or timed out). Such a request without an error key is
/// shown as `HTTP <status>`.
pub fn is_failure_status(status: i32) -> bool {
    status >= 500 || status == -1
}

/// Folds lines into requests, in order of first appearance: lines sharing
/// a non-empty request id are one request; a line without one but with a
/// status is a request by itself. (Tests; a scan folds as it reads, in
/// `gathered`.)
#[cfg(test)]
pub fn group_requests(lines: &[&Observation]) -> Vec<Request> {
    let mut requests: Vec<Request> = Vec::new();
    let mut by_id: std::collections::HashMap<&str, usize> = Default::default();
    for &line in lines {
        let index = match line.request_id.as_deref().filter(|id| !id.is_empty()) {
            Some(id) => *by_id.entry(id).or_insert_with(|| {
                requests.push(Request::new(line.time_ms, requests.len() as u64));
                requests.len() - 1
            }),
            None if effective_status(line).is_some() => {
                requests.push(Request::new(line.time_ms, requests.len() as u64));
                requests.len() - 1
            }
            None => continue,
        };
        requests[index].absorb(line, &mut line.sample.clone());
    }
    requests
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(t: i64, status: Option<i32>, duration: Option<f64>, key: Option<&str>) -> Observation {
        Observation {
            time_ms: t,
            request_id: Some("r1".into()),
            status,
            duration_ms: duration,
            error_key: key.map(Into::into),
            sample: Some(format!("line at {t}").into()),
            method: (t % 2 == 0).then(|| Arc::from(format!("M{t}"))),
            signatures: match key {
                Some(k) => Box::new([(k.to_string(), crate::signatures::Severity::High)]),
                None => Box::new([]),
            },
            ..Observation::default()
        }
    }

    #[test]
    fn lines_fold_into_requests() {
        let lines = [
            line(10, Some(0), None, None),
            line(12, Some(500), Some(40.0), None),
            line(11, None, Some(900.0), None),
            Observation {
                time_ms: 20,
                status: Some(200),
                ..Observation::default()
            },
            Observation {
                time_ms: 30,
                ..Observation::default()
            },
        ];
        let refs: Vec<&Observation> = lines.iter().collect();
        let requests = group_requests(&refs);
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].status, Some(500));
        assert_eq!(requests[0].duration_ms(), Some(900.0));
        assert_eq!(requests[0].time_ms, 10);
        assert_eq!(requests[0].sample(), Some("line at 12"));
        assert_eq!(requests[1].status, Some(200));
    }

    /// Folds `part` as a scan does: a line's sample is given only when the
    /// request wants it. Giving every line's sample folds the same.
    fn fold(part: &[Observation]) -> Request {
        let mut r = Request::new(part[0].time_ms, 0);
        let mut every = Request::new(part[0].time_ms, 0);
        for l in part {
            let mut wanted = l.sample.clone().filter(|_| r.wants_sample(l));
            r.absorb(l, &mut wanted);
            every.absorb(l, &mut l.sample.clone());
        }
        assert_eq!(r, every);
        r
    }

    /// Folding any split of `lines` apart and merging the parts in order
    /// gives the request folded line by line.
    fn assert_parts_fold_as_the_whole(lines: &[Observation]) {
        for n in 1..=lines.len() {
            let whole = fold(&lines[..n]);
            for cut in 1..n {
                let mut first = fold(&lines[..cut]);
                first.merge(fold(&lines[cut..n]));
                assert_eq!(first, whole, "{n} lines cut at {cut}");
            }
        }
    }

    #[test]
    fn merging_parts_is_folding_the_whole() {
        let lines = [
            line(7, Some(0), None, None),
            line(5, None, Some(3.0), None),
            line(9, Some(200), None, Some("E1")),
            line(9, Some(500), Some(8.0), None),
            line(4, None, None, Some("E2")),
            line(4, None, None, Some("E3")),
            line(9, Some(404), None, None),
            line(2, None, Some(f64::NAN), None),
        ];
        assert_parts_fold_as_the_whole(&lines);
        let all = fold(&lines);
        assert_eq!(all.status, Some(404));
        assert_eq!(all.error_key(), Some("E2"));
        assert_eq!(all.sample(), Some("line at 4"));
        assert_eq!(all.method(), Some("M4"));
        assert_eq!(all.signatures(), ["E1", "E2", "E3"]);
        assert_eq!(all.duration_ms(), Some(8.0));
        // Bytes: time, status and its time, duration, first line's place
        // (8 each), method, path and route (16 each), and the pointer to
        // the rare parts.
        if cfg!(target_pointer_width = "64") {
            assert_eq!(std::mem::size_of::<Request>(), 96);
        }
    }

    /// Without an error key, a request keeps the sample of the line holding
    /// its status while that status is a failure, and none once it is not.
    #[test]
    fn a_request_without_error_keeps_its_failing_status_lines_sample() {
        let numbered = |i: usize, t: i64, status: Option<i32>| Observation {
            sample: Some(format!("line {i}").into()),
            ..line(t, status, None, None)
        };
        let lines = [
            numbered(0, 3, None),
            numbered(1, 5, Some(500)),
            numbered(2, 4, Some(200)),
            numbered(3, 5, Some(-1)),
            numbered(4, 5, Some(0)),
            numbered(5, 6, Some(200)),
            numbered(6, 7, Some(503)),
        ];
        assert_parts_fold_as_the_whole(&lines);
        let sample_after = |n: usize| fold(&lines[..n]).sample().map(str::to_string);
        assert_eq!(sample_after(1), None);
        assert_eq!(sample_after(2).as_deref(), Some("line 1"));
        // An earlier status does not replace it; of equal times, the last.
        assert_eq!(sample_after(3).as_deref(), Some("line 1"));
        assert_eq!(sample_after(4).as_deref(), Some("line 3"));
        assert_eq!(sample_after(6), None);
        assert_eq!(sample_after(7).as_deref(), Some("line 6"));
    }
}

//! [`Gathered`]: what a scan keeps of an export for the rollback rules,
//! folded as the lines are read. Per deployment: its lines' count and
//! first and last times, its requests, each folded from its lines into one
//! [`Request`], and the lines a rule reads one by one (those with a
//! signature, and errors outside any request), folded into [`Flagged`].
//!
//! So the memory is per request, not per line. The canary and the baseline
//! are chosen after the scan (a `--deployment` URL host is resolved
//! against what was read), which is why every deployment is folded. When
//! the requests outgrow the memory budget, only those of a [`Share`] are
//! folded, and the rest in later passes ([`Pass`], `passes.rs`).
//!
//! A given `--deploy-time` and `--now` bound what is counted while reading.
//! A line after "now" had not been logged at that time: it is left out
//! (only its deployment is noted, to resolve names). The canary's lines
//! before the deploy time are not its own (a baseline's are), so with a
//! given deploy time each request is also folded from its lines since then.

use std::hash::BuildHasher;
use std::sync::Arc;

use super::flagged::{Flagged, is_standalone_error};
use super::input::{Observation, ObservationList, RollbackInput};
use super::request::{Request, effective_status};
use super::share::Share;

/// Requests in order of first appearance, found by request id.
///
/// The ids are kept end to end in one buffer, and the table holds indexes
/// into the requests: no allocation per id (a request id is about 32
/// bytes; on its own, with its header and its entry in a map, it took 117).
#[derive(Debug, Default, Clone)]
pub struct Requests {
    list: Vec<Request>,
    /// Each request's id as a span of `ids` ([`NO_ID`]: a request of one
    /// line, without an id).
    spans: Vec<(u64, u64)>,
    ids: Vec<u8>,
    /// Indexes into `list` of the requests with an id, by id.
    table: hashbrown::HashTable<usize>,
    // Request ids come from the logs: a seeded hash, faster than SipHash
    // and as hard to collide on purpose.
    hasher: foldhash::fast::RandomState,
}

/// The span of a request without an id.
const NO_ID: (u64, u64) = (u64::MAX, 0);

/// About what a request takes beyond its id and sample: itself, its span,
/// its table entry, and room to grow.
const REQUEST_BYTES: u64 = 2 * (std::mem::size_of::<Request>() as u64 + 16 + 8);

fn id_of(ids: &[u8], (start, len): (u64, u64)) -> &[u8] {
    &ids[start as usize..start as usize + len as usize]
}

impl Requests {
    /// The request of `id` (`None`: a request of one line), made when new
    /// (its first line at `at`).
    fn slot(&mut self, id: Option<&str>, time_ms: i64, at: u64) -> &mut Request {
        let index = match id {
            Some(id) => {
                self.find_or_add(id.as_bytes(), || Request::new(time_ms, at))
                    .0
            }
            None => {
                self.spans.push(NO_ID);
                self.list.push(Request::new(time_ms, at));
                self.list.len() - 1
            }
        };
        &mut self.list[index]
    }

    /// The index of the request of `id`, and whether it was there; else
    /// `new` is added for it.
    fn find_or_add(&mut self, id: &[u8], new: impl FnOnce() -> Request) -> (usize, bool) {
        let Requests {
            list,
            spans,
            ids,
            table,
            hasher,
        } = self;
        let hash = hasher.hash_one(id);
        if let Some(&i) = table.find(hash, |&i| id_of(ids, spans[i]) == id) {
            return (i, true);
        }
        let index = list.len();
        spans.push((ids.len() as u64, id.len() as u64));
        ids.extend_from_slice(id);
        list.push(new());
        table.insert_unique(hash, index, |&i| hasher.hash_one(id_of(ids, spans[i])));
        (index, false)
    }

    /// Folds `line` into the request of `id`, with its sample when the
    /// request keeps it (`last`: no one else needs the sample after).
    /// Returns about how many bytes this took.
    fn fold<F: FnOnce() -> Option<Box<str>>>(
        &mut self,
        id: Option<&str>,
        line: &Observation,
        at: u64,
        sample: &mut LazySample<F>,
        last: bool,
    ) -> u64 {
        let before = self.list.len();
        let request = self.slot(id, line.time_ms, at);
        let mut kept = match (request.wants_sample(line), last) {
            (false, _) => None,
            (true, false) => sample.copy(),
            (true, true) => sample.take(),
        };
        let mut bytes = kept.as_ref().map_or(0, |k| k.len() as u64);
        request.absorb(line, &mut kept);
        if self.list.len() > before {
            bytes += REQUEST_BYTES + id.map_or(0, |id| id.len() as u64);
        }
        bytes
    }

    /// Keeps only the requests `share` holds.
    fn retain(&mut self, share: &Share) {
        let old = std::mem::take(self);
        self.hasher = old.hasher;
        for (request, span) in old.list.into_iter().zip(old.spans) {
            let id = (span != NO_ID).then(|| id_of(&old.ids, span));
            if share.holds(id, request.first_at()) {
                self.push(id, request);
            }
        }
    }

    /// Adds `request` (not there yet) of `id`.
    fn push(&mut self, id: Option<&[u8]>, request: Request) {
        match id {
            Some(id) => {
                let mut request = Some(request);
                self.find_or_add(id, || request.take().expect("a request to add"));
            }
            None => {
                self.spans.push(NO_ID);
                self.list.push(request);
            }
        }
    }

    /// Moves `later`'s requests after these, merging those of the same id;
    /// of `later`'s, only those `share` holds.
    fn merge(&mut self, later: Requests, share: &Share) {
        if self.list.is_empty() && !share.narrowed() {
            *self = later;
            return;
        }
        for (request, span) in later.list.into_iter().zip(later.spans) {
            let id = (span != NO_ID).then(|| id_of(&later.ids, span));
            if share.narrowed() && !share.holds(id, request.first_at()) {
                continue;
            }
            if span == NO_ID {
                self.spans.push(NO_ID);
                self.list.push(request);
                continue;
            }
            let mut request = Some(request);
            let (at, found) = self.find_or_add(id_of(&later.ids, span), || {
                request.take().expect("a request to add")
            });
            if let (true, Some(request)) = (found, request) {
                self.list[at].merge(request);
            }
        }
    }

    /// In order of first appearance.
    pub fn iter(&self) -> impl Iterator<Item = &Request> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// What is kept of one deployment's lines.
#[derive(Debug, Default, Clone)]
pub struct DeploymentLines {
    /// Its lines up to "now".
    lines: u64,
    /// The earliest and the latest of them (a computed deploy time is the
    /// canary's earliest).
    first_ms: Option<i64>,
    last_ms: Option<i64>,
    /// With a given deploy time: its lines since then (the canary's).
    lines_since: u64,
    /// Its latest line before [`Gathered::before_ms`], when that was known
    /// while reading: the last good deployment before a deploy time.
    latest_before: Option<i64>,
    /// Every line's time (8 bytes a line), only while the deploy time is
    /// unknown while reading and the input is read once: the latest line
    /// before it is then found at the end.
    times: Vec<i64>,
    /// Requests of the lines up to "now" (of the pass's share).
    pub requests: Requests,
    /// With a given deploy time: requests of the lines since then.
    pub since: Option<Requests>,
    /// Its lines a rule reads one by one ([`Gathered::keeps`]), folded:
    /// of the lines up to "now", and with a given deploy time, since then.
    pub flagged: Flagged,
    pub flagged_since: Option<Flagged>,
}

impl DeploymentLines {
    /// Its earliest line up to "now".
    pub fn first_ms(&self) -> Option<i64> {
        self.first_ms
    }

    /// Its lines up to "now".
    pub fn counted(&self) -> u64 {
        self.lines
    }

    /// The canary's requests: of its lines since the deploy time.
    pub fn canary_requests(&self) -> &Requests {
        self.since.as_ref().unwrap_or(&self.requests)
    }

    /// The canary's flagged lines: since the deploy time.
    pub fn canary_flagged(&self) -> &Flagged {
        self.flagged_since.as_ref().unwrap_or(&self.flagged)
    }

    /// Notes a line at `t` (up to "now"); `before_ms`: the time before
    /// which its latest line is wanted, when known.
    fn note(&mut self, t: i64, before_ms: Option<i64>, keep_time: bool) {
        self.lines += 1;
        self.first_ms = Some(self.first_ms.map_or(t, |f| f.min(t)));
        self.last_ms = Some(self.last_ms.map_or(t, |l| l.max(t)));
        match before_ms {
            Some(before) if t < before => {
                self.latest_before = Some(self.latest_before.map_or(t, |l| l.max(t)));
            }
            Some(_) => self.lines_since += 1,
            None if keep_time => self.times.push(t),
            None => {}
        }
    }

    fn merge(&mut self, later: DeploymentLines, share: &Share) {
        self.lines += later.lines;
        self.first_ms = min_some(self.first_ms, later.first_ms);
        self.last_ms = self.last_ms.max(later.last_ms);
        self.lines_since += later.lines_since;
        self.latest_before = self.latest_before.max(later.latest_before);
        // Once the share is narrowed, a later pass finds the latest line
        // before the deploy time.
        if !share.narrowed() {
            self.times.extend_from_slice(&later.times);
        }
        self.requests.merge(later.requests, share);
        merge_some(&mut self.since, later.since, |a, b| a.merge(b, share));
        self.flagged.merge(later.flagged);
        merge_some(&mut self.flagged_since, later.flagged_since, Flagged::merge);
    }

    /// Lets go of the requests `share` no longer holds, and of the line
    /// times (a later pass finds the latest line before the deploy time).
    fn narrow(&mut self, share: &Share) {
        self.requests.retain(share);
        if let Some(since) = &mut self.since {
            since.retain(share);
        }
        self.times = Vec::new();
    }
}

/// Merges `later` into `mine` when both are there, else keeps the one
/// that is.
fn merge_some<T>(mine: &mut Option<T>, later: Option<T>, merge: impl FnOnce(&mut T, T)) {
    match (mine.as_mut(), later) {
        (Some(a), Some(b)) => merge(a, b),
        (None, b) => *mine = b,
        (Some(_), None) => {}
    }
}

fn min_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Which pass over the input a [`Gathered`] is of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Pass {
    /// The first (or only) one: everything the rules read.
    #[default]
    First,
    /// A later one, once the deploy time is known: only requests (of its
    /// share) and each deployment's latest line before the deploy time.
    Later { deploy_ms: i64 },
}

/// What the rules read of an input, folded as it is read.
#[derive(Debug, Default, Clone)]
pub struct Gathered {
    deploy_time_ms: Option<i64>,
    now_ms: Option<i64>,
    /// By deployment id, in order of first appearance.
    deployments: indexmap::IndexMap<Arc<str>, DeploymentLines, foldhash::fast::RandomState>,
    /// The latest line's time.
    last_ms: Option<i64>,
    /// Whether any line carries a duration.
    any_duration: bool,
    /// With [`Gathered::keeping_lines`]: the lines a rule reads one by one,
    /// whole, in input order (a live page lists the latest).
    lines: Option<ObservationList>,
    /// The requests this pass folds, and its memory budget.
    share: Share,
    pass: Pass,
    /// Bytes folded and not yet charged to the share (charged by the
    /// megabyte: the share is shared by the threads).
    uncharged: u64,
    /// The share's level when requests were last let go.
    narrowed_at: u32,
}

/// Bytes folded between charges to the share.
const CHARGE_EVERY: u64 = 1 << 20;

impl Gathered {
    /// For an input judged with these deploy time and "now" when given,
    /// read once.
    pub fn new(deploy_time_ms: Option<i64>, now_ms: Option<i64>) -> Self {
        Gathered {
            deploy_time_ms,
            now_ms,
            ..Gathered::default()
        }
    }

    /// For `pass` over an input, folding the requests of `share`.
    pub fn for_pass(
        deploy_time_ms: Option<i64>,
        now_ms: Option<i64>,
        share: Share,
        pass: Pass,
    ) -> Self {
        Gathered {
            narrowed_at: share.level(),
            share,
            pass,
            ..Gathered::new(deploy_time_ms, now_ms)
        }
    }

    /// Also keeps the lines a rule reads one by one, whole
    /// ([`Gathered::lines`]).
    pub fn keeping_lines(self) -> Self {
        Gathered {
            lines: Some(ObservationList::default()),
            ..self
        }
    }

    /// `input`'s observations, gathered with its deploy time and "now".
    pub fn of(input: &RollbackInput) -> Self {
        let mut gathered = Gathered::new(input.deploy_time_ms, input.now_ms);
        for (at, o) in input.observations.iter().enumerate() {
            let mut o = o.clone();
            let id = o.request_id.clone();
            let sample = o.sample.take();
            gathered.add(o, id.as_deref(), at as u64, || sample);
        }
        gathered
    }

    /// Whether a rule reads `line` by itself: it matched a signature, or it
    /// is an error outside any request (`offenders`).
    pub fn keeps(line: &Observation, request_id: Option<&str>) -> bool {
        !line.signatures.is_empty() || is_standalone_error(line, request_id)
    }

    /// The time before which each deployment's latest line is found while
    /// reading: the deploy time, given or (in a later pass) computed.
    fn before_ms(&self) -> Option<i64> {
        match self.pass {
            Pass::First => self.deploy_time_ms,
            Pass::Later { deploy_ms } => Some(deploy_ms),
        }
    }

    /// Adds `line`, read at `at` ([`crate::scan::Location::order`]; its
    /// `request_id` and `sample` are given apart: the sample is made only
    /// when kept).
    pub fn add(
        &mut self,
        mut line: Observation,
        request_id: Option<&str>,
        at: u64,
        sample: impl FnOnce() -> Option<Box<str>>,
    ) {
        let t = line.time_ms;
        self.last_ms = Some(self.last_ms.map_or(t, |m| m.max(t)));
        let before_ms = self.before_ms();
        let first = self.pass == Pass::First;
        let keep_time = first && self.share.level() == 0;
        let lines = match &line.deployment {
            Some(d) => {
                let index = match self.deployments.get_index_of(d) {
                    Some(index) => index,
                    None => {
                        let new = DeploymentLines {
                            since: self.deploy_time_ms.map(|_| Requests::default()),
                            flagged_since: self.deploy_time_ms.map(|_| Flagged::default()),
                            ..DeploymentLines::default()
                        };
                        self.deployments.insert_full(d.clone(), new).0
                    }
                };
                self.deployments
                    .get_index_mut(index)
                    .map(|(_, lines)| lines)
            }
            None => None,
        };
        // A line after "now" was not logged yet at that time: its
        // deployment is known, nothing else.
        if self.now_ms.is_some_and(|now| t > now) {
            return;
        }
        self.any_duration |= line.duration_ms.is_some();
        let keep = first && Self::keeps(&line, request_id);
        let mut sample = LazySample::new(sample);
        // A line without a deployment is on neither side: no request.
        if let Some(lines) = lines {
            lines.note(t, before_ms, keep_time);
            if keep_time && before_ms.is_none() {
                self.uncharged += 8;
            }
            let since = self.deploy_time_ms.is_none_or(|d| t >= d);
            // An empty id groups nothing.
            let id = request_id.filter(|id| !id.is_empty());
            let request = id.is_some() || effective_status(&line).is_some();
            if request && self.share.holds(id.map(str::as_bytes), at) {
                if let (true, Some(since_requests)) = (since, &mut lines.since) {
                    self.uncharged += since_requests.fold(id, &line, at, &mut sample, false);
                }
                self.uncharged += lines.requests.fold(id, &line, at, &mut sample, !keep);
            }
            if keep {
                if let (true, Some(flagged)) = (since, &mut lines.flagged_since) {
                    flagged.add(&line, request_id, at, || sample.copy());
                }
                // The line kept whole, if it is, takes the sample last.
                match self.lines.is_some() {
                    true => lines.flagged.add(&line, request_id, at, || sample.copy()),
                    false => lines.flagged.add(&line, request_id, at, || sample.take()),
                }
            }
        }
        if self.uncharged >= CHARGE_EVERY {
            self.share.charge(std::mem::take(&mut self.uncharged));
        }
        if let (true, Some(kept)) = (keep, &mut self.lines) {
            line.sample = sample.take();
            line.request_id = request_id.map(Arc::from);
            kept.push(line);
        }
    }

    /// Moves `later` (read after these) in.
    pub fn merge(&mut self, later: Gathered) {
        self.share
            .charge(std::mem::take(&mut self.uncharged) + later.uncharged);
        self.narrow();
        self.last_ms = self.last_ms.max(later.last_ms);
        self.any_duration |= later.any_duration;
        if let (Some(mine), Some(theirs)) = (&mut self.lines, later.lines) {
            mine.append(theirs);
        }
        for (id, lines) in later.deployments {
            match self.deployments.get_mut(&id) {
                Some(mine) => mine.merge(lines, &self.share),
                None => {
                    let mut lines = lines;
                    if self.share.narrowed() {
                        lines.narrow(&self.share);
                    }
                    self.deployments.insert(id, lines);
                }
            }
        }
    }

    /// Lets go of what the share no longer holds, once per halving.
    pub fn narrow(&mut self) {
        let level = self.share.level();
        if level == self.narrowed_at {
            return;
        }
        self.narrowed_at = level;
        for lines in self.deployments.values_mut() {
            lines.narrow(&self.share);
        }
    }

    /// The shares split off this pass's, for later passes.
    pub fn left_over(&self) -> Vec<Share> {
        self.share.left_over()
    }

    /// Takes each deployment's latest line before the deploy time from a
    /// later pass (which found it), and lets go of the requests (counted).
    pub fn settle(&mut self, later: &Gathered) {
        if let Pass::Later { deploy_ms } = later.pass {
            // The times were let go when the share was first halved.
            for (id, lines) in self.deployments.iter_mut() {
                lines.latest_before = later.deployment(id).and_then(|l| l.latest_before);
            }
            self.pass = Pass::Later { deploy_ms };
        }
    }

    /// Lets go of every request (counted already).
    pub fn drop_requests(&mut self) {
        for lines in self.deployments.values_mut() {
            lines.requests = Requests::default();
            lines.since = lines.since.as_ref().map(|_| Requests::default());
        }
    }

    pub fn deploy_time_ms(&self) -> Option<i64> {
        self.deploy_time_ms
    }

    pub fn now_ms(&self) -> Option<i64> {
        self.now_ms
    }

    /// With [`Gathered::keeping_lines`], the lines a rule reads one by
    /// one, whole, in input order.
    pub fn lines(&self) -> Option<&ObservationList> {
        self.lines.as_ref()
    }

    /// The latest line's time.
    pub fn last_ms(&self) -> Option<i64> {
        self.last_ms
    }

    pub fn any_duration(&self) -> bool {
        self.any_duration
    }

    /// The deployments, in order of first appearance.
    pub fn deployments(&self) -> impl Iterator<Item = (&str, &DeploymentLines)> {
        self.deployments.iter().map(|(id, l)| (&**id, l))
    }

    pub fn deployment(&self, id: &str) -> Option<&DeploymentLines> {
        self.deployments.get(id)
    }

    /// The canary's lines since the deploy time `deploy_ms`.
    pub fn canary_lines(&self, canary: &str, deploy_ms: i64) -> u64 {
        let Some(lines) = self.deployment(canary) else {
            return 0;
        };
        match self.deploy_time_ms {
            // Counted since then while reading.
            Some(_) => lines.lines_since,
            // The canary's first line: all of them.
            None => {
                debug_assert_eq!(lines.first_ms, Some(deploy_ms));
                lines.lines
            }
        }
    }

    /// `lines`' latest line before `deploy_ms` (`None`: its latest).
    pub fn latest_before(&self, lines: &DeploymentLines, deploy_ms: Option<i64>) -> Option<i64> {
        match deploy_ms {
            None => lines.last_ms,
            Some(d) if self.before_ms() == Some(d) => lines.latest_before,
            Some(d) => lines.times.iter().copied().filter(|&t| t < d).max(),
        }
    }
}

/// A line's sample, made on first need (redaction waits until shown, but
/// cutting and copying a message is still the costliest part of a line).
struct LazySample<F> {
    make: Option<F>,
    made: Option<Box<str>>,
}

impl<F: FnOnce() -> Option<Box<str>>> LazySample<F> {
    fn new(make: F) -> Self {
        LazySample {
            make: Some(make),
            made: None,
        }
    }

    fn made(&mut self) -> &mut Option<Box<str>> {
        if let Some(make) = self.make.take() {
            self.made = make();
        }
        &mut self.made
    }

    /// A copy, for a taker to come.
    fn copy(&mut self) -> Option<Box<str>> {
        self.made().clone()
    }

    /// The sample itself: later needs get none.
    fn take(&mut self) -> Option<Box<str>> {
        self.made().take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollback::{RollbackPolicy, Sides, evaluate_gathered, evaluate_in_passes};
    use crate::signatures::Severity;

    const DEPLOYMENTS: [&str; 3] = ["dpl_A", "dpl_B", "dpl_C"];
    const T: i64 = 1_768_813_200_000;

    /// Lines of 80 requests over three deployments, out of time order,
    /// with every field the fold reads varying: made by a small LCG, so the
    /// same every run.
    fn lines() -> Vec<Observation> {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) % n
        };
        (0..600)
            .map(|i| {
                let request = next(80);
                let dep = DEPLOYMENTS[(request % 3) as usize];
                let error = next(9) == 0;
                Observation {
                    // Two hours; the canary (dpl_C) from minute 20 (the
                    // others have lines before its first).
                    time_ms: T
                        + next(120) as i64 * 60_000
                        + next(1000) as i64
                        + if dep == "dpl_C" { 20 * 60_000 } else { 0 },
                    deployment: (next(40) != 0).then(|| dep.into()),
                    request_id: match next(20) {
                        0 => None,
                        1 => Some("".into()),
                        _ => Some(format!("req-{request}").into()),
                    },
                    method: (next(4) != 0).then(|| ["GET", "POST"][next(2) as usize].into()),
                    path: (next(3) != 0).then(|| format!("/p{}", next(4)).into()),
                    route: (next(3) == 0).then(|| "/p/[id]".into()),
                    status: [None, Some(0), Some(200), Some(500), Some(-1), Some(401)]
                        [next(6) as usize],
                    duration_ms: (next(3) == 0).then(|| next(900) as f64),
                    error_key: error.then(|| format!("E{}", next(3)).into()),
                    signatures: match next(12) {
                        0 => Box::new([("db-unreachable".into(), Severity::Critical)]),
                        1 => Box::new([("auth-refresh".into(), Severity::High)]),
                        _ => Box::new([]),
                    },
                    sample: Some(format!("line {i}").into()),
                }
            })
            .collect()
    }

    /// `lines`, the first of them read at `from`.
    fn gather(
        lines: &[Observation],
        from: usize,
        deploy: Option<i64>,
        now: Option<i64>,
    ) -> Gathered {
        let mut gathered = Gathered::new(deploy, now);
        for (at, line) in (from..).zip(lines) {
            let mut line = line.clone();
            let id = line.request_id.take();
            let sample = line.sample.take();
            gathered.add(line, id.as_deref(), at as u64, || sample);
        }
        gathered
    }

    fn report(gathered: &Gathered, baseline: Option<&str>) -> serde_json::Value {
        let sides = Sides {
            canary: "dpl_C",
            baseline,
        };
        let policy = RollbackPolicy::default();
        serde_json::to_value(evaluate_gathered(gathered, sides, &policy)).expect("json")
    }

    /// Gathering the lines in parts (as chunks are) and merging the parts
    /// in order judges the same as gathering them at once, with or without
    /// a given deploy time and "now".
    #[test]
    fn parts_merged_in_order_judge_as_the_whole() {
        let lines = lines();
        let times = [None, Some(T + 30 * 60_000), Some(T + 90 * 60_000)];
        for deploy in times {
            for now in times {
                let whole = gather(&lines, 0, deploy, now);
                for baseline in [None, Some("dpl_A")] {
                    let expected = report(&whole, baseline);
                    for cuts in [vec![1], vec![299, 300], vec![7, 150, 151, 420, 599]] {
                        let mut merged = Gathered::new(deploy, now);
                        let mut from = 0;
                        for to in cuts.iter().copied().chain([lines.len()]) {
                            merged.merge(gather(&lines[from..to], from, deploy, now));
                            from = to;
                        }
                        assert_eq!(
                            report(&merged, baseline),
                            expected,
                            "{deploy:?} {now:?} {baseline:?} {cuts:?}"
                        );
                    }
                }
            }
        }
    }

    /// `lines` read as a scan reads them for `pass` over `share`: in parts
    /// cut at `cuts`, merged in order.
    fn read(
        lines: &[Observation],
        cuts: &[usize],
        (deploy, now): (Option<i64>, Option<i64>),
        share: &Share,
        pass: Pass,
    ) -> Gathered {
        let mut merged = Gathered::for_pass(deploy, now, share.clone(), pass);
        let mut from = 0;
        for to in cuts.iter().copied().chain([lines.len()]) {
            let mut part = Gathered::for_pass(deploy, now, share.clone(), pass);
            for (at, line) in (from..).zip(&lines[from..to]) {
                let mut line = line.clone();
                let id = line.request_id.take();
                let sample = line.sample.take();
                part.add(line, id.as_deref(), at as u64, || sample);
            }
            merged.merge(part);
            from = to;
        }
        merged
    }

    /// An input whose requests do not fit the budget, read in passes (the
    /// share halved as the budget is reached, at any point of a pass),
    /// judges as it does read once: with or without a given deploy time,
    /// "now" and baseline.
    #[test]
    fn an_input_read_in_passes_judges_as_read_once() {
        let lines = lines();
        let times = [None, Some(T + 30 * 60_000), Some(T + 90 * 60_000)];
        let cuts = [7, 150, 151, 420, 599];
        // A burst of the synthetic database signature rolls back: the
        // reports list their top offenders too.
        let policy = RollbackPolicy::from_toml_str(
            "[rules.db-connectivity]\nsignatures = [\"db-unreachable\"]\nthreshold = 1\n",
        )
        .expect("policy");
        let mut most = 0;
        let mut offenders = 0;
        for budget in [1, 2_000, 30_000] {
            for deploy in times {
                for now in times {
                    let whole = gather(&lines, 0, deploy, now);
                    for baseline in [None, Some("dpl_A")] {
                        let sides = Sides {
                            canary: "dpl_C",
                            baseline,
                        };
                        let share = Share::with_budget(budget);
                        let first = read(&lines, &cuts, (deploy, now), &share, Pass::First);
                        let again = |share: Share, pass| {
                            Ok::<_, ()>(read(&lines, &cuts, (deploy, now), &share, pass))
                        };
                        let (report, passes) =
                            evaluate_in_passes(first, sides, &policy, again).expect("read");
                        most = most.max(passes);
                        offenders += report.offenders.len();
                        let once = evaluate_gathered(&whole, sides, &policy);
                        assert_eq!(
                            serde_json::to_value(report).expect("json"),
                            serde_json::to_value(once).expect("json"),
                            "{budget} {deploy:?} {now:?} {baseline:?}: {passes} passes"
                        );
                    }
                }
            }
        }
        assert!(
            most > 3,
            "the budgets split the requests: {most} passes at most"
        );
        assert!(offenders > 0, "no report lists offenders");
    }

    /// Kept whole too (for a live page), an error outside any request
    /// keeps its sample there as well as among the offenders' counts.
    #[test]
    fn a_line_kept_whole_keeps_its_sample() {
        let line = Observation {
            time_ms: T,
            deployment: Some("dpl_A".into()),
            error_key: Some("E1".into()),
            signatures: Box::new([("db-unreachable".into(), Severity::Critical)]),
            ..Observation::default()
        };
        let mut gathered = Gathered::new(None, None).keeping_lines();
        gathered.add(line, None, 0, || Some("the sample".into()));
        let kept = gathered.lines().expect("kept");
        let samples: Vec<_> = kept.iter().map(|o| o.sample.as_deref()).collect();
        assert_eq!(samples, [Some("the sample")]);
        let flagged = &gathered.deployment("dpl_A").expect("dpl_A").flagged;
        let errors: Vec<_> = flagged.errors().map(|(_, _, _, s)| s).collect();
        assert_eq!(errors, [Some("the sample")]);
    }

    /// A line after "now" is left out, its deployment still known; a
    /// request id on two deployments is two requests.
    #[test]
    fn now_bounds_what_is_read_and_requests_keep_to_a_deployment() {
        let line = |t: i64, dep: &str| Observation {
            time_ms: t,
            deployment: Some(dep.into()),
            status: Some(200),
            ..Observation::default()
        };
        let mut gathered = Gathered::new(None, Some(T));
        gathered.add(line(T, "dpl_A"), Some("r1"), 0, || None);
        gathered.add(line(T, "dpl_B"), Some("r1"), 1, || None);
        gathered.add(line(T + 1, "dpl_C"), Some("r2"), 2, || None);
        let count = |d: &str| {
            gathered
                .deployment(d)
                .map(|l| (l.counted(), l.requests.len()))
        };
        assert_eq!(count("dpl_A"), Some((1, 1)));
        assert_eq!(count("dpl_B"), Some((1, 1)));
        assert_eq!(count("dpl_C"), Some((0, 0)));
        assert_eq!(
            gathered.deployment("dpl_C").and_then(|l| l.first_ms()),
            None
        );
    }
}

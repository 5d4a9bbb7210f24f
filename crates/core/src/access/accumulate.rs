//! Requests to watched paths, folded from their records and mergeable in
//! input order. A request is the records sharing a request id (a drain
//! request logs several lines; the dashboard adds a summary row); a record
//! without one is a request by itself. Every kept string is redacted and
//! bounded when it is kept, and the number of requests kept is bounded:
//! hostile input cannot grow memory without limit.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use indexmap::IndexMap;

use super::paths::{AccessPaths, Watched};
use crate::record::{Level, Record, Shape};
use crate::redact;
use crate::scan::Location;
use crate::signatures::Hit;

/// Most requests kept (per partial and merged); the rest are counted.
pub const MAX_REQUESTS: usize = 200_000;
/// Most distinct catalog signatures kept per request.
const MAX_SIGNATURES: usize = 8;
/// Longest route, user agent, method or deployment kept, in characters.
const FIELD_CHARS: usize = 200;

/// One request to a watched path.
#[derive(Debug, Clone)]
pub struct RequestAcc {
    pub watched: Watched,
    /// Route pattern, else the concrete path with ids folded (redacted).
    /// This and the other texts are shared by the requests that repeat them.
    pub route: Arc<str>,
    pub method: Option<Arc<str>>,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// The latest non-zero status (`-1`: crashed without answering).
    pub status: Option<i32>,
    status_ms: Option<i64>,
    /// Redacted and bounded; `None` when no record of it carried one.
    pub user_agent: Option<Arc<str>>,
    /// The client address as logged (a drain's `proxy.clientIp`), redacted.
    pub client_ip: Option<Arc<str>>,
    /// A hash of the raw address, to count distinct clients without
    /// keeping them.
    pub client_hash: Option<u64>,
    pub shape: Option<Shape>,
    pub deployment: Option<Arc<str>>,
    /// A record of it was logged at level `fatal`.
    pub fatal: bool,
    /// Catalog signatures its records matched (indices into the set).
    pub signatures: Vec<usize>,
    /// Where its first record is.
    pub at: Location,
}

fn hash_of(s: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl RequestAcc {
    fn new(watched: Watched, route: Arc<str>, at: Location) -> Self {
        RequestAcc {
            watched,
            route,
            method: None,
            first_ms: None,
            last_ms: None,
            status: None,
            status_ms: None,
            user_agent: None,
            client_ip: None,
            client_hash: None,
            shape: None,
            deployment: None,
            fatal: false,
            signatures: Vec::new(),
            at,
        }
    }

    fn add_record(&mut self, rec: &Record<'_>, hits: &[Hit], memo: &mut redact::Memo) {
        self.first_ms = self.first_ms.into_iter().chain(rec.time_ms).min();
        self.last_ms = self.last_ms.into_iter().chain(rec.time_ms).max();
        if let Some(s) = rec.status.filter(|&s| s != 0) {
            if rec.time_ms >= self.status_ms || self.status.is_none() {
                self.status = Some(s);
                self.status_ms = rec.time_ms;
            }
        }
        if self.method.is_none() {
            self.method = rec.method.as_deref().map(|s| memo.sample(s));
        }
        if self.user_agent.is_none() {
            self.user_agent = rec
                .user_agent
                .as_deref()
                .filter(|u| !u.trim().is_empty())
                .map(|s| memo.sample(s));
        }
        if self.client_hash.is_none() {
            if let Some(ip) = rec.client_ip.as_deref().filter(|i| !i.trim().is_empty()) {
                self.client_hash = Some(hash_of(ip));
                self.client_ip = Some(memo.sample(ip));
            }
        }
        self.shape = self.shape.or(rec.shape);
        if self.deployment.is_none() {
            self.deployment = rec
                .deployment_id
                .as_deref()
                .or(rec.deployment_host.as_deref())
                .map(|s| memo.sample(s));
        }
        self.fatal |= rec.max_level() == Some(Level::Fatal);
        for h in hits {
            if !self.signatures.contains(&h.signature) && self.signatures.len() < MAX_SIGNATURES {
                self.signatures.push(h.signature);
            }
        }
    }

    /// Folds a later part of the same request into this one.
    fn absorb(&mut self, later: RequestAcc) {
        self.first_ms = self.first_ms.into_iter().chain(later.first_ms).min();
        self.last_ms = self.last_ms.into_iter().chain(later.last_ms).max();
        if later.status.is_some() && (later.status_ms >= self.status_ms || self.status.is_none()) {
            self.status = later.status;
            self.status_ms = later.status_ms;
        }
        self.method = self.method.take().or(later.method);
        self.user_agent = self.user_agent.take().or(later.user_agent);
        if self.client_hash.is_none() {
            self.client_hash = later.client_hash;
            self.client_ip = later.client_ip;
        }
        self.shape = self.shape.or(later.shape);
        self.deployment = self.deployment.take().or(later.deployment);
        self.fatal |= later.fatal;
        for s in later.signatures {
            if !self.signatures.contains(&s) && self.signatures.len() < MAX_SIGNATURES {
                self.signatures.push(s);
            }
        }
        self.at = self.at.min(later.at);
    }
}

/// The watched requests of a chunk (or, merged, of the whole scan).
#[derive(Debug, Clone)]
pub struct AccessPartial {
    /// Request ids come from the logs: a seeded hash, faster than SipHash
    /// and as hard to collide on purpose. The table holds indices into a
    /// vector of requests, so growing it moves no request.
    by_id: IndexMap<String, RequestAcc, foldhash::fast::RandomState>,
    loose: Vec<RequestAcc>,
    /// Requests not kept because [`MAX_REQUESTS`] was reached.
    pub dropped: u64,
    /// Kept fields repeat (the same route, agent and deployment on every
    /// run of a cron job): each distinct one is redacted once.
    memo: redact::Memo,
    /// The last path asked about and its answer: a request's records come
    /// together, and matching the globs costs more than comparing.
    last_path: Option<(Box<str>, Option<Watched>)>,
}

impl Default for AccessPartial {
    fn default() -> Self {
        AccessPartial {
            by_id: IndexMap::default(),
            loose: Vec::new(),
            dropped: 0,
            memo: redact::Memo::new(FIELD_CHARS),
            last_path: None,
        }
    }
}

impl AccessPartial {
    fn kept(&self) -> usize {
        self.by_id.len() + self.loose.len()
    }

    /// Notes one decoded record, when it is a request to a watched path.
    pub fn add(&mut self, paths: &AccessPaths, rec: &Record<'_>, hits: &[Hit], at: Location) {
        let Some(path) = rec.path.as_deref().or(rec.route.as_deref()) else {
            return;
        };
        let watched = match &self.last_path {
            Some((last, watched)) if **last == *path => *watched,
            _ => {
                let watched = paths.watched(path);
                self.last_path = Some((path.into(), watched));
                watched
            }
        };
        let Some(watched) = watched else {
            return;
        };
        let id = rec.request_id.as_deref().filter(|id| !id.is_empty());
        if let Some(req) = id.and_then(|id| self.by_id.get_mut(id)) {
            req.add_record(rec, hits, &mut self.memo);
            return;
        }
        if id.is_none() && rec.status.is_none_or(|s| s == 0) {
            // A line without a request id or a status is no request.
            return;
        }
        if self.kept() >= MAX_REQUESTS {
            self.dropped += 1;
            return;
        }
        let route = match rec.route_or_path() {
            Some(r) => self.memo.sample(&r),
            None => self.memo.sample(path),
        };
        let mut req = RequestAcc::new(watched, route, at);
        req.add_record(rec, hits, &mut self.memo);
        match id {
            Some(id) => {
                self.by_id.insert(id.to_string(), req);
            }
            None => self.loose.push(req),
        }
    }

    /// Folds a later chunk's requests into this one.
    pub fn merge(&mut self, later: AccessPartial) {
        self.dropped += later.dropped;
        for (id, req) in later.by_id {
            if let Some(mine) = self.by_id.get_mut(&id) {
                mine.absorb(req);
            } else if self.kept() >= MAX_REQUESTS {
                self.dropped += 1;
            } else {
                self.by_id.insert(id, req);
            }
        }
        for req in later.loose {
            if self.kept() >= MAX_REQUESTS {
                self.dropped += 1;
            } else {
                self.loose.push(req);
            }
        }
    }

    /// Every kept request, in input order.
    pub fn requests(&self) -> Vec<&RequestAcc> {
        let mut all: Vec<&RequestAcc> = self.by_id.values().chain(&self.loose).collect();
        all.sort_by_key(|r| r.at);
        all
    }
}

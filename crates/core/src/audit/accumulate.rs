//! The audit's per-chunk state, mergeable in input order: known signatures
//! per period (the check's own [`CheckPartial`] accumulators, one per
//! period), and unknown errors per distinct message head.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use crate::check::CheckPartial;
use crate::record::{Level, Record};
use crate::redact;
use crate::scan::Location;
use crate::templates::HeadTable;

/// Examples kept per distinct head (and shown per group).
pub const EXAMPLES: usize = 3;

/// Longest example kept, in characters.
const EXAMPLE_CHARS: usize = 600;

/// One redacted example of an unknown error.
#[derive(Debug, Clone)]
pub struct ExampleAcc {
    pub at: Location,
    pub time_ms: Option<i64>,
    pub route: Option<String>,
    pub message: String,
}

/// Everything counted for one distinct unknown head.
#[derive(Debug, Clone, Default)]
pub struct UnknownAcc {
    /// Occurrences per period start.
    pub periods: BTreeMap<i64, u64>,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub routes: HashMap<String, u64>,
    pub deployments: HashMap<String, u64>,
    /// Some occurrence was at level `fatal`.
    pub fatal: bool,
    pub examples: Vec<ExampleAcc>,
}

fn earliest(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    a.into_iter().chain(b).min()
}

fn latest(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    a.into_iter().chain(b).max()
}

fn add_counts(into: &mut HashMap<String, u64>, from: HashMap<String, u64>) {
    for (k, n) in from {
        *into.entry(k).or_default() += n;
    }
}

impl UnknownAcc {
    /// Counts one occurrence (a message line of `rec`) in `period`.
    pub fn add(&mut self, rec: &Record<'_>, text: &str, period: i64, at: Location) {
        *self.periods.entry(period).or_default() += 1;
        self.first_ms = earliest(self.first_ms, rec.time_ms);
        self.last_ms = latest(self.last_ms, rec.time_ms);
        if let Some(r) = rec.route_or_path() {
            *self.routes.entry(r.to_string()).or_default() += 1;
        }
        if let Some(d) = rec
            .deployment_id
            .as_deref()
            .or(rec.deployment_host.as_deref())
        {
            *self.deployments.entry(d.to_string()).or_default() += 1;
        }
        self.fatal |= rec.max_level() == Some(Level::Fatal);
        if self.examples.len() < EXAMPLES {
            self.examples.push(ExampleAcc {
                at,
                time_ms: rec.time_ms,
                route: rec.route_or_path().map(Cow::into_owned),
                message: redact::sample(text, EXAMPLE_CHARS),
            });
        }
    }

    /// Folds a later chunk's counts for the same head into these.
    pub fn merge(&mut self, later: UnknownAcc) {
        for (p, n) in later.periods {
            *self.periods.entry(p).or_default() += n;
        }
        self.first_ms = earliest(self.first_ms, later.first_ms);
        self.last_ms = latest(self.last_ms, later.last_ms);
        add_counts(&mut self.routes, later.routes);
        add_counts(&mut self.deployments, later.deployments);
        self.fatal |= later.fatal;
        let room = EXAMPLES.saturating_sub(self.examples.len());
        self.examples.extend(later.examples.into_iter().take(room));
    }
}

/// The audit's state for one chunk, or merged, for the whole scan.
#[derive(Debug, Clone, Default)]
pub struct AuditPartial {
    /// Known-signature accumulators per period start.
    pub signatures: BTreeMap<i64, CheckPartial>,
    /// Unknown errors by distinct message head.
    pub unknown: HeadTable<UnknownAcc>,
    /// Records in range per period start.
    pub records: BTreeMap<i64, u64>,
    /// Records without a time (they belong to no period and are skipped).
    pub untimed: u64,
    /// Records dated after the audit's "now" (a wrong clock or a damaged
    /// time): skipped, so one of them cannot move the latest period.
    pub future: u64,
}

impl AuditPartial {
    /// Folds a later chunk's state into this one.
    pub fn merge(&mut self, later: AuditPartial, samples: usize) {
        for (p, acc) in later.signatures {
            self.signatures.entry(p).or_default().merge(acc, samples);
        }
        self.unknown.merge(later.unknown, UnknownAcc::merge);
        for (p, n) in later.records {
            *self.records.entry(p).or_default() += n;
        }
        self.untimed += later.untimed;
        self.future += later.future;
    }
}

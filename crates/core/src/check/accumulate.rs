//! Per-signature accumulators of `logs check`, mergeable in input order.

use std::collections::{BTreeMap, HashMap};

use crate::access::AccessPartial;
use crate::inventory::InventoryAcc;
use crate::record::Record;
use crate::redact::{self, Deferred};
use crate::scan::Location;
use crate::signatures::Hit;

/// Longest sample message kept, in characters.
const SAMPLE_CHARS: usize = 600;
/// Longest route, method or deployment kept, in characters.
const FIELD_CHARS: usize = 300;

/// A record field as kept for the report: redacted when shown (a concrete
/// path can hold an email or a token) and bounded.
fn field(value: &str) -> Deferred {
    Deferred::new(value, FIELD_CHARS)
}

/// Longest fingerprint kept, in characters.
const FINGERPRINT_CHARS: usize = 300;

/// The most distinct fingerprints counted one by one per signature; the
/// rest are counted together (hostile input must not grow memory).
pub const MAX_FINGERPRINTS: usize = 1000;

/// The key of the fingerprints counted together past [`MAX_FINGERPRINTS`].
const OTHER: u64 = u64::MAX;

/// One kept sample (redacted when shown: most are dropped when chunks
/// merge).
#[derive(Debug, Clone)]
pub struct SampleAcc {
    pub at: Location,
    pub time_ms: Option<i64>,
    pub method: Option<Deferred>,
    pub route: Option<Deferred>,
    pub deployment: Option<Deferred>,
    pub fingerprint_hash: u64,
    pub message: Deferred,
}

/// One distinct fingerprint (redacted when shown).
#[derive(Debug, Clone)]
pub struct FingerprintAcc {
    pub text: Deferred,
    pub count: u64,
}

/// Everything counted for one signature.
#[derive(Debug, Clone, Default)]
pub struct SignatureAcc {
    pub count: u64,
    pub fingerprints: HashMap<u64, FingerprintAcc>,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub routes: HashMap<String, u64>,
    pub deployments: HashMap<String, u64>,
    pub samples: Vec<SampleAcc>,
}

/// The check's state for one chunk (or, merged, the whole scan), keyed by
/// signature index.
#[derive(Debug, Clone, Default)]
pub struct CheckPartial {
    pub signatures: BTreeMap<usize, SignatureAcc>,
    /// Records that passed the filters (counted only when filters are set).
    pub admitted: u64,
    /// What the input holds (kept only when filters are set).
    pub inventory: InventoryAcc,
    /// Requests to cron and webhook paths.
    pub access: AccessPartial,
    /// Routes and deployments redacted once per distinct text: a dense
    /// input repeats them on every hit.
    fields: FieldMemo,
}

/// A [`redact::Memo`] for [`field`]s.
#[derive(Debug, Clone)]
struct FieldMemo(redact::Memo);

impl Default for FieldMemo {
    fn default() -> Self {
        FieldMemo(redact::Memo::new(FIELD_CHARS))
    }
}

/// Adds one to `key`'s count, allocating the key only the first time.
fn bump(map: &mut HashMap<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}

/// Counts one occurrence of a fingerprint, bounded.
fn count_fingerprint(
    map: &mut HashMap<u64, FingerprintAcc>,
    hash: u64,
    text: impl FnOnce() -> Deferred,
    n: u64,
) {
    let key = if map.contains_key(&hash) || map.len() < MAX_FINGERPRINTS {
        hash
    } else {
        OTHER
    };
    map.entry(key)
        .or_insert_with(|| FingerprintAcc {
            text: if key == OTHER {
                Deferred::own(format!(
                    "(more than {MAX_FINGERPRINTS} distinct fingerprints)"
                ))
            } else {
                text()
            },
            count: 0,
        })
        .count += n;
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    a.into_iter().chain(b).min()
}

fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    a.into_iter().chain(b).max()
}

impl CheckPartial {
    /// Counts one hit of one record.
    pub fn add(&mut self, rec: &Record<'_>, hit: &Hit, at: Location, max_samples: usize) {
        let acc = self.signatures.entry(hit.signature).or_default();
        acc.count += 1;
        count_fingerprint(
            &mut acc.fingerprints,
            hit.fingerprint_hash,
            || Deferred::new(&hit.fingerprint, FINGERPRINT_CHARS),
            1,
        );
        acc.first_ms = min_opt(acc.first_ms, rec.time_ms);
        acc.last_ms = max_opt(acc.last_ms, rec.time_ms);
        if let Some(r) = rec.route_or_path() {
            bump(&mut acc.routes, &self.fields.0.sample(&r));
        }
        if let Some(d) = rec
            .deployment_id
            .as_deref()
            .or(rec.deployment_host.as_deref())
        {
            bump(&mut acc.deployments, &self.fields.0.sample(d));
        }
        let new_kind = !acc
            .samples
            .iter()
            .any(|s| s.fingerprint_hash == hit.fingerprint_hash);
        if acc.samples.len() < max_samples && new_kind {
            let text = rec.lines.get(hit.line).map_or("", |l| &l.text);
            acc.samples.push(SampleAcc {
                at,
                time_ms: rec.time_ms,
                method: rec.method.as_deref().map(field),
                route: rec.route_or_path().map(|r| field(&r)),
                deployment: rec.deployment_id.as_deref().map(field),
                fingerprint_hash: hit.fingerprint_hash,
                message: Deferred::new(text, SAMPLE_CHARS),
            });
        }
    }

    /// Folds a later chunk's state into this one.
    pub fn merge(&mut self, later: CheckPartial, max_samples: usize) {
        self.admitted += later.admitted;
        self.inventory.merge(later.inventory);
        self.access.merge(later.access);
        for (sig, b) in later.signatures {
            let a = self.signatures.entry(sig).or_default();
            a.count += b.count;
            for (h, f) in b.fingerprints {
                count_fingerprint(&mut a.fingerprints, h, || f.text, f.count);
            }
            a.first_ms = min_opt(a.first_ms, b.first_ms);
            a.last_ms = max_opt(a.last_ms, b.last_ms);
            for (r, n) in b.routes {
                *a.routes.entry(r).or_default() += n;
            }
            for (d, n) in b.deployments {
                *a.deployments.entry(d).or_default() += n;
            }
            for s in b.samples {
                let new_kind = !a
                    .samples
                    .iter()
                    .any(|x| x.fingerprint_hash == s.fingerprint_hash);
                if a.samples.len() < max_samples && new_kind {
                    a.samples.push(s);
                }
            }
        }
    }
}

//! From records to [`Observation`]s: the scan-engine side of the rollback
//! analysis. Every record is decoded (rates need every request), reduced to
//! what the rules read, and kept in input order.

use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::input::{Observation, ObservationList};
use crate::inventory::InventoryAcc;
use crate::record::{Level, Record};
use crate::redact;
use crate::scan::{Analysis, Location};
use crate::signatures::{Hit, SignatureSet};
use crate::text::normalise;

/// Longest evidence sample shown, in characters.
pub(crate) const SAMPLE_CHARS: usize = 300;

/// Longest text kept per observation for its sample, in bytes: enough that
/// the shown sample, redacted then cut to [`SAMPLE_CHARS`], comes from it.
const SAMPLE_KEEP: usize = 4 * SAMPLE_CHARS;

/// The text kept for a sample: redaction waits until a sample is shown
/// (only the top offenders' are), since it costs more than the rest of the
/// observation. A long text is cut at a space, so no token is left half.
fn sample_text(text: &str) -> Box<str> {
    if text.len() <= SAMPLE_KEEP {
        return text.into();
    }
    let mut end = SAMPLE_KEEP;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text[..end].rfind(char::is_whitespace).unwrap_or(0);
    format!("{}…", &text[..cut]).into_boxed_str()
}

static DIGEST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d+[@;](E\d+)\b").expect("digest regex compiles"));

/// The identity of an error line: its Next.js digest code when it carries
/// one, else its normalised head line.
pub fn error_key(rec: &Record<'_>) -> Option<Box<str>> {
    if !rec.is_failure() {
        return None;
    }
    for line in &rec.lines {
        if let Some(c) = DIGEST.captures(&line.text) {
            return Some(c[1].into());
        }
    }
    let line = rec
        .lines
        .iter()
        .filter(|l| l.level >= Some(Level::Error))
        .chain(rec.lines.iter())
        .find(|l| !l.text.trim().is_empty())?;
    // The line that names the error (and its cause's code), as the audit
    // groups it.
    let head = crate::text::message_head(&line.text);
    // The key is printed (offenders, evidence): redacted and bounded like
    // every string from a log.
    Some(redact::sample(&normalise(&head), 200).into_boxed_str())
}

/// One shared copy of each text that many observations repeat (deployment,
/// method, path, route, and a request's id on each of its lines): one
/// allocation per distinct text rather than per line. At most
/// [`Names::MAX`] texts and as many requests are remembered; later ones
/// are copied.
///
/// It also drops the samples no one can read. A request without an error
/// shows the sample of its first line that has one (`scope::Request`), so a
/// later plain line of the same request needs none when it is sure to be
/// judged with that first line: same deployment, not earlier, and on the
/// same side of the given deploy time. (The other bounds cannot separate
/// them: a computed deploy time is the canary's earliest line, and "now"
/// only cuts off what comes after it.) On a drain export, that is more
/// than half of the lines.
#[derive(Debug, Default)]
pub struct Names {
    seen: foldhash::HashSet<Arc<str>>,
    requests: foldhash::HashMap<Arc<str>, Option<Sampled>>,
    deploy_time_ms: Option<i64>,
}

/// The line whose sample stands for its request.
#[derive(Debug)]
struct Sampled {
    deployment: Option<Arc<str>>,
    time_ms: i64,
}

impl Names {
    /// Most distinct texts (and requests) remembered per chunk.
    pub const MAX: usize = 1 << 16;

    /// For a scan judged with `--deploy-time` (`None`: computed from the
    /// canary's lines). An input evaluated with another deploy time than
    /// the one given here could miss samples.
    pub fn with_deploy_time(deploy_time_ms: Option<i64>) -> Self {
        Names {
            deploy_time_ms,
            ..Names::default()
        }
    }

    fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.seen.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        if self.seen.len() < Self::MAX {
            self.seen.insert(shared.clone());
        }
        shared
    }

    /// The shared id of a line's request, and whether the line's sample
    /// must be kept. `plain`: the line has neither an error key nor a
    /// signature; `sampled`: it has a sample.
    fn request(
        &mut self,
        id: &str,
        deployment: &Option<Arc<str>>,
        time_ms: i64,
        plain: bool,
        sampled: bool,
    ) -> (Arc<str>, bool) {
        let side = |t: i64| self.deploy_time_ms.map(|d| t < d);
        // This line, when its sample is to stand for its request.
        let this = || {
            sampled.then(|| Sampled {
                deployment: deployment.clone(),
                time_ms,
            })
        };
        if let Some((shared, first)) = self.requests.get_key_value(id) {
            let shared = shared.clone();
            match first {
                Some(f) => {
                    let covered = f.deployment == *deployment
                        && f.time_ms <= time_ms
                        && side(f.time_ms) == side(time_ms);
                    return (shared, !(plain && covered));
                }
                None => {
                    // No line had a sample yet: this one stands, if it has one.
                    if sampled {
                        self.requests.insert(shared.clone(), this());
                    }
                    return (shared, true);
                }
            }
        }
        let shared: Arc<str> = Arc::from(id);
        if self.requests.len() >= Self::MAX {
            self.requests.clear();
        }
        self.requests.insert(shared.clone(), this());
        (shared, true)
    }
}

/// Reduces one decoded record to an observation.
pub fn observe(
    rec: &Record<'_>,
    hits: &[Hit],
    signatures: &SignatureSet,
    names: &mut Names,
) -> Option<Observation> {
    let time_ms = rec.time_ms?;
    let deployment = (rec.deployment_id.as_deref())
        .or(rec.deployment_host.as_deref())
        .map(|d| names.get(d));
    let error_key = error_key(rec);
    let line = rec
        .lines
        .iter()
        .find(|l| l.level >= Some(Level::Error))
        .or_else(|| rec.lines.first());
    let (request_id, keep) = match rec.request_id.as_deref() {
        // An empty id groups nothing (`scope::group_requests`).
        Some("") => (Some(Arc::from("")), true),
        Some(id) => {
            let plain = error_key.is_none() && hits.is_empty();
            let (id, keep) = names.request(id, &deployment, time_ms, plain, line.is_some());
            (Some(id), keep)
        }
        None => (None, true),
    };
    Some(Observation {
        time_ms,
        deployment,
        request_id,
        method: rec.method.as_deref().map(|m| names.get(m)),
        path: rec.path.as_deref().map(|p| names.get(p)),
        route: rec.route_or_path().map(|r| names.get(&r)),
        status: rec.status,
        duration_ms: rec.duration_ms,
        error_key,
        signatures: hits
            .iter()
            .map(|h| {
                let def = &signatures.defs()[h.signature];
                (def.id.clone(), def.severity)
            })
            .collect(),
        sample: line.filter(|_| keep).map(|l| sample_text(&l.text)),
    })
}

/// The scan-engine analysis collecting observations.
pub struct ObservationAnalysis<'a> {
    pub signatures: &'a SignatureSet,
    /// `--deploy-time` when given: the input judged must use the same.
    pub deploy_time_ms: Option<i64>,
}

/// Observations of one chunk, records without a time (not usable), and the
/// deployments seen (with their URL hosts, to resolve `--deployment host`).
#[derive(Debug, Default)]
pub struct Observations {
    pub items: ObservationList,
    pub untimed: u64,
    pub inventory: InventoryAcc,
    names: Names,
}

impl Analysis for ObservationAnalysis<'_> {
    type Partial = Observations;

    fn partial(&self) -> Observations {
        Observations {
            names: Names::with_deploy_time(self.deploy_time_ms),
            ..Observations::default()
        }
    }

    fn decode_all(&self) -> bool {
        true
    }

    fn record(&self, partial: &mut Observations, rec: &Record<'_>, hits: &[Hit], _at: Location) {
        partial.inventory.add(rec);
        match observe(rec, hits, self.signatures, &mut partial.names) {
            Some(o) => partial.items.push(o),
            None => partial.untimed += 1,
        }
    }

    fn merge(&self, into: &mut Observations, later: Observations) {
        into.items.append(later.items);
        into.untimed += later.untimed;
        into.inventory.merge(later.inventory);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::decode_json;

    /// Whether each line of request `id` keeps its sample, observed in
    /// order: `(time, deployment, message, status)`.
    fn samples_of(
        id: &str,
        deploy_time_ms: Option<i64>,
        lines: &[(i64, &str, &str, i32)],
    ) -> Vec<bool> {
        let set = SignatureSet::new(Vec::new()).expect("an empty set");
        let mut names = Names::with_deploy_time(deploy_time_ms);
        (lines.iter())
            .map(|&(t, dep, message, status)| {
                let rec = Record {
                    time_ms: Some(t),
                    deployment_id: Some(dep.into()),
                    request_id: Some(id.into()),
                    status: Some(status),
                    lines: vec![crate::record::LogLine {
                        level: None,
                        text: message.into(),
                    }],
                    ..Record::default()
                };
                let o = observe(&rec, &[], &set, &mut names).unwrap();
                assert_eq!(o.request_id.as_deref(), Some(id));
                o.sample.is_some()
            })
            .collect()
    }

    fn samples(deploy_time_ms: Option<i64>, lines: &[(i64, &str, &str, i32)]) -> Vec<bool> {
        samples_of("r1", deploy_time_ms, lines)
    }

    const T: i64 = 1_768_813_200_000;

    #[test]
    fn a_request_keeps_the_samples_that_can_be_shown() {
        // A later plain line of the same request on the same deployment:
        // the first line's sample stands for it.
        assert_eq!(
            samples(
                None,
                &[
                    (T, "dpl_a", "start", 0),
                    (T + 9, "dpl_a", "GET /x 500", 500)
                ]
            ),
            [true, false]
        );
        // Earlier in time, another deployment, an error line: kept.
        assert_eq!(
            samples(
                None,
                &[
                    (T + 5, "dpl_a", "start", 0),
                    (T + 1, "dpl_a", "earlier", 0),
                    (T + 9, "dpl_b", "other deployment", 0),
                    (T + 9, "dpl_a", "Error: boom", 500),
                ]
            ),
            [true, true, true, true]
        );
        // Across the given deploy time: the first line is not the canary's.
        assert_eq!(
            samples(
                Some(T + 5),
                &[
                    (T, "dpl_a", "start", 0),
                    (T + 9, "dpl_a", "GET /x 200", 200)
                ]
            ),
            [true, true]
        );
        // An empty id makes no request of its lines: each keeps its own.
        assert_eq!(
            samples_of(
                "",
                None,
                &[
                    (T, "dpl_a", "start", 0),
                    (T + 9, "dpl_a", "GET /x 500", 500)
                ]
            ),
            [true, true]
        );
    }

    #[test]
    fn error_keys_prefer_the_digest_code() {
        let r = decode_json(
            br#"{"level":"error","message":"Error: x\n{ digest: '4171760897@E352' }"}"#,
        )
        .unwrap();
        assert_eq!(error_key(&r).as_deref(), Some("E352"));
        let r = decode_json(br#"{"statusCode":500,"message":"Failed to load lead 42 for a@b.co"}"#)
            .unwrap();
        assert_eq!(
            error_key(&r).as_deref(),
            Some("Failed to load lead <*> for <*>")
        );
        let r = decode_json(br#"{"statusCode":200,"message":"ok"}"#).unwrap();
        assert_eq!(error_key(&r), None);
    }
}

//! From records to [`Observation`]s: the scan-engine side of the rollback
//! analysis. Every record is decoded (rates need every request), reduced to
//! what the rules read, and folded into what the chunk [`Gathered`].

use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::gathered::{Gathered, Pass};
use super::input::Observation;
use super::share::Share;
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

/// One shared copy of each text that many lines repeat (deployment,
/// method, path, route): one allocation per distinct text rather than per
/// line. At most [`Names::MAX`] texts are remembered; later ones are
/// copied.
#[derive(Debug, Default)]
pub struct Names {
    seen: foldhash::HashSet<Arc<str>>,
}

impl Names {
    /// Most distinct texts remembered per chunk.
    pub const MAX: usize = 1 << 16;

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
}

/// Reduces one decoded record to an observation, without its request id
/// and sample: [`Gathered::add`] takes the id as it is and makes the
/// sample (with [`sample_of`]) only when it keeps it.
pub fn observe(
    rec: &Record<'_>,
    hits: &[Hit],
    signatures: &SignatureSet,
    names: &mut Names,
) -> Option<Observation> {
    let time_ms = rec.time_ms?;
    Some(Observation {
        time_ms,
        deployment: (rec.deployment_id.as_deref())
            .or(rec.deployment_host.as_deref())
            .map(|d| names.get(d)),
        request_id: None,
        method: rec.method.as_deref().map(|m| names.get(m)),
        path: rec.path.as_deref().map(|p| names.get(p)),
        route: rec.route_or_path().map(|r| names.get(&r)),
        status: rec.status,
        duration_ms: rec.duration_ms,
        error_key: error_key(rec),
        signatures: hits
            .iter()
            .map(|h| {
                let def = &signatures.defs()[h.signature];
                (def.id.clone(), def.severity)
            })
            .collect(),
        sample: None,
    })
}

/// The sample of a record: its first error line, else its first line.
pub fn sample_of(rec: &Record<'_>) -> Option<Box<str>> {
    let line = (rec.lines.iter())
        .find(|l| l.level >= Some(Level::Error))
        .or_else(|| rec.lines.first())?;
    Some(sample_text(&line.text))
}

/// The scan-engine analysis collecting observations.
pub struct ObservationAnalysis<'a> {
    pub signatures: &'a SignatureSet,
    /// `--deploy-time` and `--now` when given: lines are counted for
    /// them as they are read.
    pub deploy_time_ms: Option<i64>,
    pub now_ms: Option<i64>,
    /// Keep evidence samples only for the lines of this deployment id, as
    /// given: only the canary's are ever shown (`None`: every line's, as a
    /// live judge whose canary can change needs).
    pub samples_of: Option<String>,
    /// The requests this pass folds ([`Share::whole`]: every one) and
    /// which pass it is.
    pub share: Share,
    pub pass: Pass,
    /// Keep the lines a rule reads one by one whole too (a live page
    /// lists the latest): memory per such line.
    pub keep_lines: bool,
}

/// What one chunk gathered, records without a time (not usable), and the
/// deployments seen (with their URL hosts, to resolve `--deployment host`).
#[derive(Debug, Default)]
pub struct Observations {
    pub gathered: Gathered,
    pub untimed: u64,
    pub inventory: InventoryAcc,
    names: Names,
}

impl Analysis for ObservationAnalysis<'_> {
    type Partial = Observations;

    fn partial(&self) -> Observations {
        Observations {
            gathered: {
                let gathered = Gathered::for_pass(
                    self.deploy_time_ms,
                    self.now_ms,
                    self.share.clone(),
                    self.pass,
                );
                match self.keep_lines {
                    true => gathered.keeping_lines(),
                    false => gathered,
                }
            },
            ..Observations::default()
        }
    }

    fn decode_all(&self) -> bool {
        true
    }

    fn record(&self, partial: &mut Observations, rec: &Record<'_>, hits: &[Hit], at: Location) {
        partial.inventory.add(rec);
        let Some(o) = observe(rec, hits, self.signatures, &mut partial.names) else {
            partial.untimed += 1;
            return;
        };
        let shown =
            (self.samples_of.as_deref()).is_none_or(|id| o.deployment.as_deref() == Some(id));
        let sample = || if shown { sample_of(rec) } else { None };
        partial
            .gathered
            .add(o, rec.request_id.as_deref(), at.order(), sample);
    }

    fn merge(&self, into: &mut Observations, later: Observations) {
        into.gathered.merge(later.gathered);
        into.untimed += later.untimed;
        into.inventory.merge(later.inventory);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::decode_json;

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

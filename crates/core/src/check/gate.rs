//! Findings accepted on purpose, so teams can drive known signatures to zero
//! over weeks without turning the gate off:
//!
//! - [`Suppression`]s (from `logs.toml`) name a signature, optionally one
//!   fingerprint, with a reason and an expiry date. An expired suppression
//!   stops suppressing and is reported as expired. Suppressed findings are
//!   still shown, marked as suppressed.
//! - A [`Baseline`] (a previous `logs.check/v1` report): only signatures or
//!   fingerprints new against it fail.
//!
//! [`judge_gate`] applies both to one finding.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::CheckConfig;
use crate::signatures::Severity;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub signature: String,
    /// Only this fingerprint (as the report shows it); all when absent.
    pub fingerprint: Option<String>,
    /// Last day (UTC) the suppression applies.
    pub until: NaiveDate,
    pub reason: String,
}

impl Suppression {
    /// Whether it still applies on `today`.
    pub fn active(&self, today: NaiveDate) -> bool {
        today <= self.until
    }
}

/// Why a baseline report could not be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The JSON error is part of the message, not a `source`: the command
    /// layer prints the whole chain, which would say it twice.
    #[error("{path}: not a logs check JSON report: {cause}")]
    Json {
        path: String,
        cause: serde_json::Error,
    },
    #[error(
        "{path}: schema {found:?} is not logs.check/v1 (write it with `logs check --format json`)"
    )]
    Schema { path: String, found: String },
}

#[derive(Deserialize)]
struct PrevFingerprint {
    value: String,
}

#[derive(Deserialize)]
struct PrevFinding {
    signature: String,
    #[serde(default)]
    fingerprints: Vec<PrevFingerprint>,
}

#[derive(Deserialize)]
struct PrevSchema {
    schema: String,
}

#[derive(Deserialize)]
struct PrevReport {
    findings: Vec<PrevFinding>,
}

/// The signatures and fingerprints of a previous report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    /// Where it came from, for reports.
    pub path: String,
    known: HashMap<String, HashSet<String>>,
}

impl Baseline {
    /// Reads a `logs.check/v1` JSON report.
    pub fn from_json(path: &str, bytes: &[u8]) -> Result<Baseline, BaselineError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let json = |cause| BaselineError::Json {
            path: path.to_string(),
            cause,
        };
        // The schema first: another `logs` report (rollback, audit) is named
        // as such, not as a missing field.
        let schema: PrevSchema = serde_json::from_slice(bytes).map_err(json)?;
        if schema.schema != super::SCHEMA {
            return Err(BaselineError::Schema {
                path: path.to_string(),
                found: schema.schema,
            });
        }
        let prev: PrevReport = serde_json::from_slice(bytes).map_err(json)?;
        let mut known: HashMap<String, HashSet<String>> = HashMap::new();
        for f in prev.findings {
            known
                .entry(f.signature)
                .or_default()
                .extend(f.fingerprints.into_iter().map(|p| p.value));
        }
        Ok(Baseline {
            path: path.to_string(),
            known,
        })
    }

    /// Whether the signature, or any of these fingerprints of it, is new.
    pub fn is_new<'a>(
        &self,
        signature: &str,
        mut fingerprints: impl Iterator<Item = &'a str>,
    ) -> bool {
        match self.known.get(signature) {
            None => true,
            Some(known) => fingerprints.any(|f| !known.contains(f)),
        }
    }
}

/// How the gate treats one finding.
pub(crate) struct Gate {
    pub applied: Vec<Suppression>,
    pub suppressed: u64,
    pub new: Option<bool>,
    pub fails: bool,
}

/// Applies the active suppressions and the baseline to a finding of `id`
/// with these fingerprints (value → count) and `count` records.
pub(crate) fn judge_gate(
    id: &str,
    severity: Severity,
    all: &HashMap<String, u64>,
    count: u64,
    active: &[&Suppression],
    config: &CheckConfig,
) -> Gate {
    let applied: Vec<Suppression> = active
        .iter()
        .filter(|s| s.signature == id)
        .filter(|s| s.fingerprint.as_ref().is_none_or(|f| all.contains_key(f)))
        .map(|s| (*s).clone())
        .collect();
    let whole = applied.iter().any(|s| s.fingerprint.is_none());
    let open: Vec<(&str, u64)> = all
        .iter()
        .map(|(f, n)| (f.as_str(), *n))
        .filter(|(f, _)| !whole && !applied.iter().any(|s| s.fingerprint.as_deref() == Some(*f)))
        .collect();
    let suppressed = count.saturating_sub(open.iter().map(|(_, n)| n).sum::<u64>());
    let new = config
        .baseline
        .as_ref()
        .map(|b| b.is_new(id, open.iter().map(|(f, _)| *f)));
    Gate {
        fails: severity >= config.fail_on && !open.is_empty() && new != Some(false),
        applied,
        suppressed,
        new,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_knows_signatures_and_fingerprints() {
        let json = br#"{"schema":"logs.check/v1","findings":[{"signature":"a","fingerprints":[{"value":"x","count":2}]}]}"#;
        let b = Baseline::from_json("prev.json", json).unwrap();
        assert!(!b.is_new("a", ["x"].into_iter()));
        assert!(b.is_new("a", ["x", "y"].into_iter()));
        assert!(b.is_new("b", std::iter::empty()));
        let bad = br#"{"schema":"logs.rollback/v1","findings":[]}"#;
        assert!(matches!(
            Baseline::from_json("p", bad),
            Err(BaselineError::Schema { .. })
        ));
        assert!(Baseline::from_json("p", b"{").is_err());
    }

    #[test]
    fn suppressions_expire_after_their_day() {
        let s = Suppression {
            signature: "a".into(),
            fingerprint: None,
            until: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            reason: "r".into(),
        };
        assert!(s.active(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()));
        assert!(!s.active(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()));
    }
}

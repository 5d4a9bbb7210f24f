//! The plain observations the rollback decision is fed: one [`Observation`]
//! per log line, already normalised upstream (this module never parses logs),
//! bundled with the canary/baseline identities in a [`RollbackInput`].

use std::sync::Arc;

pub use crate::signatures::Severity;

/// One log line, reduced to what the rollback rules read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observation {
    /// Epoch milliseconds, UTC.
    pub time_ms: i64,
    /// Deployment id (`dpl_…`). This and the method, path and route repeat
    /// across lines: shared, not copied per line.
    pub deployment: Option<Arc<str>>,
    pub request_id: Option<String>,
    pub method: Option<Arc<str>>,
    /// Concrete path, without the query string.
    pub path: Option<Arc<str>>,
    /// Route pattern (`/leads/[id]`) when known.
    pub route: Option<Arc<str>>,
    /// HTTP status; `-1` means the function crashed without answering and
    /// `0` (a line logged before the response) is treated as unknown.
    pub status: Option<i32>,
    pub duration_ms: Option<f64>,
    /// For error lines: the digest code (`E352`) when a digest is present,
    /// else the normalised message head. Computed upstream.
    pub error_key: Option<String>,
    /// Known signatures this line matched, with their severity.
    pub signatures: Vec<(String, Severity)>,
    /// Message excerpt kept as evidence, NOT yet redacted: whatever shows it
    /// redacts it (`redact::sample`), as the offenders do.
    pub sample: Option<String>,
}

/// Everything [`super::evaluate`] needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RollbackInput {
    /// The canary deployment id.
    pub canary: String,
    /// The baseline deployment id; `None` means every other deployment.
    pub baseline: Option<String>,
    /// Defaults to the canary's first line.
    pub deploy_time_ms: Option<i64>,
    /// Defaults to the last line of the input.
    pub now_ms: Option<i64>,
    pub observations: Vec<Observation>,
}

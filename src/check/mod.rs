//! `logs check`: which known signatures appear in the input, how often, where.
//!
//! [`CheckAnalysis`] accumulates per-signature counts, distinct fingerprints,
//! time range, routes, deployments and a few redacted samples per chunk;
//! [`report::build`] turns the merged result into a [`CheckReport`] that the
//! printers write. Nothing here prints.

mod accumulate;
pub mod junit;
pub mod report;

use crate::record::Record;
use crate::scan::{Analysis, Location};
use crate::signatures::{Hit, Severity, SignatureSet};

pub use accumulate::{CheckPartial, SampleAcc, SignatureAcc};
pub use junit::{JunitRun, JunitSuite, junit};
pub use report::{CheckReport, Finding, build};

/// What `logs check` was asked to do, resolved from the command line.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Only records at or after this time (epoch ms).
    pub since_ms: Option<i64>,
    /// Only records before this time (epoch ms).
    pub until_ms: Option<i64>,
    /// Only records of this deployment (id or URL host).
    pub deployment: Option<String>,
    /// Only records of this environment (`production`, `preview`).
    pub environment: Option<String>,
    /// Findings at or above this severity fail the check.
    pub fail_on: Severity,
    /// Samples kept per signature.
    pub samples: usize,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            since_ms: None,
            until_ms: None,
            deployment: None,
            environment: None,
            fail_on: Severity::Low,
            samples: 3,
        }
    }
}

impl CheckConfig {
    /// Whether a record passes the filters. With a time filter, records
    /// without a time do not pass.
    pub fn admits(&self, rec: &Record<'_>) -> bool {
        if self.since_ms.is_some() || self.until_ms.is_some() {
            let Some(t) = rec.time_ms else { return false };
            if self.since_ms.is_some_and(|s| t < s) || self.until_ms.is_some_and(|u| t >= u) {
                return false;
            }
        }
        if let Some(d) = &self.deployment {
            if !rec.is_deployment(d) {
                return false;
            }
        }
        if let Some(e) = &self.environment {
            if !rec
                .environment
                .as_deref()
                .is_some_and(|v| v.eq_ignore_ascii_case(e))
            {
                return false;
            }
        }
        true
    }
}

/// The check analysis over a compiled catalog.
pub struct CheckAnalysis<'a> {
    pub config: &'a CheckConfig,
    pub signatures: &'a SignatureSet,
}

impl Analysis for CheckAnalysis<'_> {
    type Partial = CheckPartial;

    fn partial(&self) -> CheckPartial {
        CheckPartial::default()
    }

    fn decode_all(&self) -> bool {
        false
    }

    fn record(&self, partial: &mut CheckPartial, rec: &Record<'_>, hits: &[Hit], at: Location) {
        if hits.is_empty() || !self.config.admits(rec) {
            return;
        }
        for hit in hits {
            partial.add(rec, hit, at, self.config.samples);
        }
    }

    fn merge(&self, into: &mut CheckPartial, later: CheckPartial) {
        into.merge(later, self.config.samples);
    }
}

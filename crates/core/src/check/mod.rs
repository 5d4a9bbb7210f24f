//! `logs check`: which known signatures appear in the input, how often, where.
//!
//! [`CheckAnalysis`] accumulates per-signature counts, distinct fingerprints,
//! time range, routes, deployments and a few redacted samples per chunk;
//! [`report::build`] turns the merged result into a [`CheckReport`] that the
//! printers write. Nothing here prints.

mod access;
mod accumulate;
pub mod finding;
pub mod gate;
pub mod junit;
pub mod report;

use chrono::NaiveDate;

use crate::access::{AccessConfig, AccessPaths, AccessRule, Probes};
use crate::record::{Record, RecordFilter};
use crate::scan::{Analysis, Location};
use crate::signatures::{Hit, Severity};

pub use access::{access_summary, route_detail};
pub use accumulate::{CheckPartial, SampleAcc, SignatureAcc};
pub use finding::Finding;
pub use finding::{AccessDetail, AccessSummary, Counted, Listing, RouteDetail, Sample};
pub use gate::{Baseline, BaselineError, Suppression};
pub use junit::{JunitRun, JunitSuite, junit};
pub use report::{CheckReport, Verdict, build};

/// Schema name and version of the JSON output (`logs.check/v1`).
pub const SCHEMA: &str = "logs.check/v1";

/// What `logs check` was asked to do, resolved from the command line and
/// `logs.toml`.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Which records are checked.
    pub filter: RecordFilter,
    /// Findings at or above this severity fail the check.
    pub fail_on: Severity,
    /// Samples kept per signature.
    pub samples: usize,
    /// Zero records to check (after the filters) is a pass, not an error.
    pub allow_empty: bool,
    /// Malformed records make the run an error (`--strict`).
    pub strict: bool,
    /// Findings accepted on purpose (`logs.toml`).
    pub suppressions: Vec<Suppression>,
    /// Only findings new against this previous report fail.
    pub baseline: Option<Baseline>,
    /// The day suppressions are judged on (UTC).
    pub today: NaiveDate,
    /// The cron and webhook paths the access checks watch.
    pub access: AccessPaths,
    /// The access checks to run (all but the `--ignore`d ones).
    pub access_rules: Vec<AccessRule>,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            filter: RecordFilter::default(),
            fail_on: Severity::Low,
            samples: 3,
            allow_empty: false,
            strict: false,
            suppressions: Vec::new(),
            baseline: None,
            today: chrono::Utc::now().date_naive(),
            access: AccessPaths::new(AccessConfig::default())
                .expect("the default cron and webhook globs compile"),
            access_rules: AccessRule::ALL.to_vec(),
        }
    }
}

/// The check analysis.
pub struct CheckAnalysis<'a> {
    pub config: &'a CheckConfig,
}

impl Analysis for CheckAnalysis<'_> {
    type Partial = CheckPartial;

    fn partial(&self) -> CheckPartial {
        CheckPartial::default()
    }

    /// With filters, every record: the report counts the records that
    /// passed them, and says what the input holds when none did.
    /// So do access checks whose paths have no literal to look for.
    fn decode_all(&self) -> bool {
        self.config.filter.is_set()
            || (!self.config.access_rules.is_empty() && self.config.access.probes() == Probes::All)
    }

    fn record(&self, partial: &mut CheckPartial, rec: &Record<'_>, hits: &[Hit], at: Location) {
        if self.config.filter.is_set() {
            partial.inventory.add(rec);
            if !self.config.filter.admits(rec) {
                return;
            }
            partial.admitted += 1;
        }
        if !self.config.access_rules.is_empty() {
            partial.access.add(&self.config.access, rec, hits, at);
        }
        if hits.is_empty() {
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

//! The `logs check` result as JUnit test cases, for the CI systems that show
//! JUnit XML natively (GitLab, Jenkins, CircleCI, Buildkite).
//!
//! [`junit`] decides everything the JUnit printer writes: one test case per
//! signature of the active catalog (after `--ignore`), failed when found at
//! or above `--fail-on`; one test case per input, an error when the input
//! could not be read or was cut short (so a broken input never reads as
//! all-green), skipped when malformed records were skipped, an error for
//! them under `--strict`; and the totals. Values the printer shows beyond
//! the report's own (routes) are redacted and bounded here.

use chrono::DateTime;

use super::report::{CheckReport, Counted, Finding, InputReport};
use crate::redact;
use crate::signatures::{Severity, SignatureSet};

/// Longest route or deployment shown in a failure, in characters.
const VALUE_CHARS: usize = 200;
/// Routes and deployments listed per failure.
const TOP_VALUES: usize = 5;

/// Facts about the run that the report does not hold.
#[derive(Debug, Clone, Copy)]
pub struct JunitRun {
    /// When the scan started (epoch ms).
    pub started_ms: i64,
    /// How long the scan took, in seconds.
    pub seconds: f64,
    /// `--strict`: malformed records are an error.
    pub strict: bool,
}

/// What became of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputOutcome {
    /// Read in full, every record well-formed.
    Read,
    /// Read, but some records were malformed and skipped.
    MalformedSkipped,
    /// Malformed records under `--strict`: an error.
    MalformedStrict,
    /// Cut short (truncated gzip, unclosed array, …): an error.
    Damaged,
    /// Could not be read at all: an error.
    Unreadable,
}

impl InputOutcome {
    pub fn is_error(self) -> bool {
        matches!(
            self,
            InputOutcome::MalformedStrict | InputOutcome::Damaged | InputOutcome::Unreadable
        )
    }
}

/// One test case.
#[derive(Debug, Clone)]
pub enum JunitCase<'a> {
    /// Nothing was checked (an empty input, or filters that left no
    /// record): an error, so it can never read as all-green.
    NothingChecked { errors: &'a [String] },
    Input {
        input: &'a InputReport,
        outcome: InputOutcome,
    },
    Signature {
        id: &'a str,
        title: &'a str,
        severity: Severity,
        /// The finding, when the signature was found.
        finding: Option<&'a Finding>,
        /// Found at or above `--fail-on`.
        fails: bool,
        /// The finding's top routes, redacted and shortened.
        routes: Vec<Counted>,
        /// The finding's top deployments, redacted and shortened.
        deployments: Vec<Counted>,
    },
}

/// The whole suite.
#[derive(Debug, Clone)]
pub struct JunitSuite<'a> {
    pub report: &'a CheckReport,
    /// Start of the run, UTC, `YYYY-MM-DDTHH:MM:SS` (JUnit's timestamps
    /// carry no zone).
    pub timestamp: String,
    pub seconds: f64,
    pub strict: bool,
    /// Inputs first, then signatures in catalog order.
    pub cases: Vec<JunitCase<'a>>,
    pub failures: usize,
    pub errors: usize,
    pub skipped: usize,
}

fn outcome(input: &InputReport, strict: bool) -> InputOutcome {
    if input.error.is_some() {
        InputOutcome::Unreadable
    } else if input.damage.is_some() {
        InputOutcome::Damaged
    } else if input.malformed > 0 && strict {
        InputOutcome::MalformedStrict
    } else if input.malformed > 0 {
        InputOutcome::MalformedSkipped
    } else {
        InputOutcome::Read
    }
}

/// The first values, redacted, on one line, shortened.
fn shortened(values: &[Counted]) -> Vec<Counted> {
    values
        .iter()
        .take(TOP_VALUES)
        .map(|c| Counted {
            value: redact::sample(&c.value.replace(['\n', '\r'], " "), VALUE_CHARS),
            count: c.count,
        })
        .collect()
}

/// Lays `report` out as JUnit test cases over the active catalog.
pub fn junit<'a>(
    report: &'a CheckReport,
    signatures: &'a SignatureSet,
    run: JunitRun,
) -> JunitSuite<'a> {
    let mut cases = Vec::new();
    let nothing_checked =
        report.verdict == super::Verdict::Error && report.checked == 0 && !report.input_errors;
    if nothing_checked {
        cases.push(JunitCase::NothingChecked {
            errors: &report.errors,
        });
    }
    for input in &report.inputs {
        cases.push(JunitCase::Input {
            input,
            outcome: outcome(input, run.strict),
        });
    }
    for def in signatures.defs() {
        let finding = report.findings.iter().find(|f| f.signature == def.id);
        cases.push(JunitCase::Signature {
            id: &def.id,
            title: &def.title,
            severity: def.severity,
            finding,
            fails: finding.is_some_and(|f| f.fails),
            routes: finding.map_or_else(Vec::new, |f| shortened(&f.routes)),
            deployments: finding.map_or_else(Vec::new, |f| shortened(&f.deployments)),
        });
    }
    let mut failures = 0;
    let mut errors = 0;
    let mut skipped = 0;
    for case in &cases {
        match case {
            JunitCase::Input { outcome, .. } if outcome.is_error() => errors += 1,
            JunitCase::NothingChecked { .. } => errors += 1,
            JunitCase::Input {
                outcome: InputOutcome::MalformedSkipped,
                ..
            } => skipped += 1,
            JunitCase::Signature { fails: true, .. } => failures += 1,
            _ => {}
        }
    }
    let timestamp = DateTime::from_timestamp_millis(run.started_ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    JunitSuite {
        report,
        timestamp,
        seconds: if run.seconds.is_finite() && run.seconds >= 0.0 {
            run.seconds
        } else {
            0.0
        },
        strict: run.strict,
        cases,
        failures,
        errors,
        skipped,
    }
}

//! [`Outcome`]: what [`super::judge`] decided about one rule, and the
//! numbers behind it. No words: which condition decided is a [`Finding`]
//! (an enum per rule, carrying the numbers and limits it compared), and
//! the printers (`logs_report::rollback`) word it: reason, threshold,
//! window and evidence.

use serde::{Deserialize, Serialize};

use super::super::input::Severity;
use super::super::policy::{RouteSlo, StatusPattern};
use super::measure::{ErrorCount, NewSignature, Peak, Tally};

/// One rule's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail,
    Inconclusive,
    NotApplicable,
}

/// What `observed` and `baseline` measure, so printers can format them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A plain count (unique errors, lines, signatures).
    Count,
    /// A fraction in [0, 1], printed as a percentage.
    Ratio,
    /// Milliseconds.
    Ms,
    /// Minutes.
    Minutes,
}

/// One rule's judgement, before the options every rule shares are applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub verdict: Verdict,
    /// What `observed` and `baseline` measure.
    pub unit: Unit,
    /// The canary's value; `None` when there was nothing to measure.
    pub observed: Option<f64>,
    /// The baseline's value for comparison, when the rule has one.
    pub baseline: Option<f64>,
    /// The time judged; `None` when nothing was, or the rule looks at any
    /// sliding window rather than one span.
    pub span: Option<Span>,
    /// Canary sample size (requests, lines or durations, per rule).
    pub samples: u64,
    pub baseline_samples: Option<u64>,
    /// One-sided p-value, for the rules that test significance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_value: Option<f64>,
    /// Which condition decided, with its numbers.
    pub finding: Finding,
}

impl Outcome {
    /// An outcome with no numbers, for a rule that did not run.
    pub fn bare(verdict: Verdict, finding: Finding) -> Self {
        Outcome {
            verdict,
            unit: Unit::Count,
            observed: None,
            baseline: None,
            span: None,
            samples: 0,
            baseline_samples: None,
            p_value: None,
            finding,
        }
    }
}

/// A span of time, in milliseconds after the deploy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub from_ms: i64,
    pub to_ms: i64,
}

impl Span {
    /// From the deploy to `to_ms`.
    pub fn since_deploy(to_ms: i64) -> Self {
        Span { from_ms: 0, to_ms }
    }
}

/// Which condition decided a rule, per rule, with the numbers and the
/// policy limits it compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// `enabled = false` in the policy.
    Disabled,
    /// No deploy time: not given, and no line from the canary.
    NoDeployTime,
    ServerActions(ServerActionFinding),
    Rate(RateFinding),
    Latency(LatencyFinding),
    Burst(BurstFinding),
    NewSignatures(NewSignatureFinding),
    Observation(ObservationFinding),
}

/// `server-action-500s`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerActionFinding {
    pub case: ServerActionCase,
    pub elapsed_ms: i64,
    pub window_minutes: u32,
    /// The limit: more unique errors than this fails.
    pub max_unique_errors: u64,
    /// The distinct (error key, route) pairs, most requests first.
    pub errors: Vec<ErrorCount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerActionCase {
    /// More unique errors than the limit (FAIL).
    OverLimit,
    /// Within the limit so far, but the window is not over (INCONCLUSIVE).
    WindowOpen,
    /// No Server Action requests in the whole window (PASS).
    NoActions,
    /// Within the limit over the whole window (PASS).
    WithinLimit,
}

/// A rate rule (`error-rate-vs-baseline`, `auth-failure-spike`,
/// `render-errors-vs-baseline`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateFinding {
    pub case: RateCase,
    pub elapsed_ms: i64,
    pub canary: Tally,
    pub baseline: Tally,
    /// Canary rate / baseline rate; `None` when the baseline rate is 0.
    pub ratio: Option<f64>,
    /// What makes a request bad: these statuses…
    pub statuses: Vec<StatusPattern>,
    /// …or, when true, a line matching one of the rule's signatures.
    pub by_signature: bool,
    pub alpha: f64,
    pub min_ratio: f64,
    pub min_difference_pp: f64,
    /// The canary's requests per minute since the deploy.
    pub canary_per_minute: Option<f64>,
    /// The rate a "2× rise" means here (2× the baseline, and over the size
    /// guards).
    pub detect_rate: Option<f64>,
    /// Minutes after the deploy at which, at the canary's traffic, that
    /// rise would be rolled back (expected counts); `None` when over a week.
    pub detect_minutes: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateCase {
    /// No baseline requests (N/A).
    NoBaseline,
    /// No canary requests yet (INCONCLUSIVE).
    NoCanary,
    /// Not significant, and too few requests yet to have seen a 2× rise
    /// (INCONCLUSIVE).
    TooFewRequests,
    /// Significant, and over both size guards (FAIL).
    Worse,
    /// Not significant, with enough requests to have seen a 2× rise
    /// (PASS).
    NotSignificant,
    /// Not significant, too few requests to have seen a 2× rise, and the
    /// observation window is over (PASS, saying when a 2× rise would be
    /// detectable).
    Underpowered,
    /// Significant but under a size guard (PASS).
    TooSmall,
}

/// `latency-slo`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencyFinding {
    pub case: LatencyCase,
    pub elapsed_ms: i64,
    /// Complete windows since deploy.
    pub complete_windows: u64,
    pub percentile: f64,
    pub slo_ms: f64,
    pub window_minutes: u32,
    pub consecutive_windows: u32,
    pub min_samples: u64,
    /// The policy's per-route SLOs (groups index into it).
    pub routes: Vec<RouteSlo>,
    /// The judged window with the highest percentile / SLO.
    pub worst: Option<LatencyWindowRef>,
}

/// One window of one SLO group and its percentile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatencyWindowRef {
    /// Index into `routes`; `None` for the default SLO.
    pub group: Option<usize>,
    pub window: u64,
    /// The percentile, in ms.
    pub value: f64,
    /// The group's SLO, in ms.
    pub slo_ms: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "case", rename_all = "snake_case")]
pub enum LatencyCase {
    /// No durations anywhere in the input (N/A).
    NoDurations,
    /// Over the SLO for `consecutive_windows` in a row, ending at this
    /// window (FAIL).
    Breach(LatencyWindowRef),
    /// No complete window yet (INCONCLUSIVE).
    NoCompleteWindow,
    /// Durations elsewhere but none from the canary (INCONCLUSIVE).
    NoCanaryDurations,
    /// Windows with fewer than `min_samples` durations (INCONCLUSIVE).
    ThinWindows { thin: u64 },
    /// A breach streak still open at the last complete window
    /// (INCONCLUSIVE).
    OpenStreak,
    /// Within the SLO (PASS).
    WithinSlo,
}

/// `db-connectivity`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BurstFinding {
    pub case: BurstCase,
    pub signatures: Vec<String>,
    pub window_minutes: u32,
    /// The limit: this many lines in a window fails.
    pub threshold: u64,
    pub peak: Peak,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BurstCase {
    /// At least `threshold` lines in one window (FAIL).
    OverLimit,
    /// No matching line on the canary (PASS).
    NoLines,
    /// Some, under the limit in every window (PASS).
    UnderLimit,
}

/// `new-critical-signatures`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSignatureFinding {
    pub case: NewSignatureCase,
    pub elapsed_ms: i64,
    pub min_severity: Severity,
    /// The new signatures at `min_severity` or worse, by id.
    pub new: Vec<NewSignature>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NewSignatureCase {
    /// None new at that severity (PASS).
    NoneNew,
    /// Some, but no baseline lines to call them new (INCONCLUSIVE).
    NoBaseline,
    /// New on the canary (FAIL).
    New,
}

/// `observation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservationFinding {
    pub elapsed_ms: i64,
    pub minutes: f64,
    pub requests: u64,
    pub min_minutes: f64,
    pub min_requests: u64,
    /// Watched for less than `min_minutes`.
    pub short_of_time: bool,
    /// Fewer requests than `min_requests`.
    pub short_of_requests: bool,
}

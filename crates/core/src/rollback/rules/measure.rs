//! [`Measure`]: the plain numbers each rule is judged on, one variant per
//! rule. Counts, totals, percentiles and spans only: nothing here is a
//! verdict, a threshold or a word, so a SQL query over the same records can
//! produce a `Measure` (it is serde-(de)serialisable, tagged by rule id) and
//! hand it to [`super::judge`].
//!
//! Times are milliseconds after the deploy; `elapsed_ms` is "now" minus the
//! deploy time. What is counted is set by the rule's counting keys in the
//! policy (statuses, methods, routes, windows, signatures), as a query's
//! `WHERE` and `GROUP BY` would be; the judging keys (limits, significance,
//! minimum samples) are applied by the judge.

use serde::{Deserialize, Serialize};

use super::super::input::Severity;
use super::super::rule_id::RuleId;
pub use super::super::stats::Tally;

/// What one rule measured on the canary (and the baseline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule")]
pub enum Measure {
    #[serde(rename = "server-action-500s")]
    ServerAction500s(ServerActionMeasure),
    #[serde(rename = "error-rate-vs-baseline")]
    ErrorRate(RateMeasure),
    #[serde(rename = "auth-failure-spike")]
    AuthFailures(RateMeasure),
    #[serde(rename = "render-errors-vs-baseline")]
    RenderErrors(RateMeasure),
    #[serde(rename = "latency-slo")]
    LatencySlo(LatencyMeasure),
    #[serde(rename = "db-connectivity")]
    DbConnectivity(BurstMeasure),
    #[serde(rename = "new-critical-signatures")]
    NewSignatures(NewSignatureMeasure),
    #[serde(rename = "observation")]
    Observation(ObservationMeasure),
}

impl Measure {
    /// The rule this measure is for.
    pub fn rule(&self) -> RuleId {
        match self {
            Measure::ServerAction500s(_) => RuleId::ServerAction500s,
            Measure::ErrorRate(_) => RuleId::ErrorRate,
            Measure::AuthFailures(_) => RuleId::AuthFailures,
            Measure::RenderErrors(_) => RuleId::RenderErrors,
            Measure::LatencySlo(_) => RuleId::LatencySlo,
            Measure::DbConnectivity(_) => RuleId::DbConnectivity,
            Measure::NewSignatures(_) => RuleId::NewSignatures,
            Measure::Observation(_) => RuleId::Observation,
        }
    }
}

/// `server-action-500s`: Server Action requests in the rule's first
/// `window_minutes`, and their failing ones by (error key, route).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerActionMeasure {
    pub elapsed_ms: i64,
    /// Server Action requests in the window.
    pub actions: u64,
    /// Distinct (error key, route) pairs of those with a matching status,
    /// most requests first (ties by key, then route).
    pub errors: Vec<ErrorCount>,
}

/// One distinct (error key, route) pair and how many requests had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCount {
    /// The digest code or normalised error head; `HTTP <status>` when the
    /// request logged no error.
    pub error_key: String,
    pub route: String,
    pub count: u64,
}

/// A rate rule: the canary's requests since deploy and the baseline's up
/// to now, bad of counted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateMeasure {
    pub elapsed_ms: i64,
    pub canary: Tally,
    pub baseline: Tally,
    /// Of the baseline's counted requests, those since the deploy: its
    /// traffic while the canary runs.
    #[serde(default)]
    pub baseline_since_deploy: u64,
}

/// `latency-slo`: per SLO group, the canary's durations per complete
/// window since deploy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencyMeasure {
    pub elapsed_ms: i64,
    /// Whether any line of the input, on either side, carries a duration.
    pub any_duration: bool,
    /// The groups with canary durations (in any window, complete or not),
    /// in the policy's order, the default group last.
    pub groups: Vec<LatencyGroup>,
    /// The baseline's durations over all groups.
    pub baseline_all: Quantile,
}

/// One SLO group of `latency-slo`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencyGroup {
    /// Index into the policy's `routes`; `None` for the default SLO.
    pub route: Option<usize>,
    /// Complete windows that have durations, in order.
    pub windows: Vec<LatencyWindow>,
    /// The baseline's durations in this group.
    pub baseline: Quantile,
}

/// One complete window of one group: window `index` spans
/// `[index × window, (index + 1) × window)` after deploy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatencyWindow {
    pub index: u64,
    /// Durations in the window.
    pub count: u64,
    /// Their percentile (nearest rank), in ms.
    pub value: f64,
}

/// How many durations, and their percentile (nearest rank) when any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Quantile {
    pub count: u64,
    pub value: Option<f64>,
}

/// `db-connectivity`: lines matching the rule's signatures, and the most of
/// them inside any `window_minutes` on each side.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BurstMeasure {
    /// Matching canary lines since deploy.
    pub canary_lines: u64,
    /// The canary's densest window.
    pub canary_peak: Peak,
    /// The baseline's densest window (its span is not used).
    pub baseline_peak: Peak,
}

/// The most lines inside one sliding window, with the first and last
/// line's time (ms after deploy); all zero when there are none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peak {
    pub count: u64,
    pub from_ms: i64,
    pub to_ms: i64,
}

/// `new-critical-signatures`: the signatures on the canary that the
/// baseline never showed, at any severity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSignatureMeasure {
    pub elapsed_ms: i64,
    pub canary_lines: u64,
    pub baseline_lines: u64,
    /// By signature id.
    pub new: Vec<NewSignature>,
}

/// A signature seen on the canary only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSignature {
    pub id: String,
    pub severity: Severity,
    /// Canary lines that matched it.
    pub lines: u64,
}

/// `observation`: how long and how much the canary has been watched.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ObservationMeasure {
    pub elapsed_ms: i64,
    pub requests: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measure_reads_back_from_json_tagged_by_rule() {
        let text = r#"{"rule":"auth-failure-spike","elapsed_ms":600000,
            "canary":{"bad":12,"total":400},"baseline":{"bad":3,"total":900}}"#;
        let measure: Measure = serde_json::from_str(text).expect("parses");
        assert_eq!(measure.rule(), RuleId::AuthFailures);
        let Measure::AuthFailures(rates) = &measure else {
            panic!("{measure:?}")
        };
        assert_eq!(
            rates.canary,
            Tally {
                bad: 12,
                total: 400
            }
        );
        let again: Measure =
            serde_json::from_str(&serde_json::to_string(&measure).expect("writes")).expect("reads");
        assert_eq!(again, measure);
    }
}

//! [`AuditReport`]: the result of `logs audit` as plain data. Its JSON form
//! is the versioned contract `logs.audit/v1`.
//!
//! Every per-period list (a signature's `periods`, an unknown group's
//! `periods`) has one entry per period of [`AuditReport::periods`], in the
//! same order, zeros included, so charts and diffs line up.

use serde::Serialize;

use super::period::PeriodKind;
use crate::check::report::{Counted, InputReport};
use crate::signatures::Severity;

/// Schema name and version of the JSON output.
pub const SCHEMA: &str = "logs.audit/v1";

#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    pub schema: &'static str,
    pub period: PeriodKind,
    pub since: Option<String>,
    pub until: Option<String>,
    /// The periods covered, oldest first; the last is the one the audit is
    /// about ("latest").
    pub periods: Vec<PeriodInfo>,
    pub latest: Option<String>,
    /// Records read from all inputs.
    pub records: u64,
    /// Records in range (with a time inside --since/--until).
    pub records_in_range: u64,
    /// Records without a time, not counted in any period.
    pub untimed: u64,
    /// Records dated after the audit's "now", not counted in any period.
    pub future: u64,
    pub malformed: u64,
    pub inputs: Vec<InputReport>,
    /// Signatures and unknown templates seen for the first time in the
    /// latest period (and not in the saved state).
    pub new: Vec<Callout>,
    /// Signatures and unknown templates seen before and absent from the
    /// latest period.
    pub resolved: Vec<Callout>,
    /// Known signatures seen in the input, by severity, then latest count,
    /// then total.
    pub signatures: Vec<SignatureTrend>,
    /// Unknown errors grouped into templates: new first, then by latest
    /// and total count.
    pub unknown: Vec<UnknownGroup>,
    /// Unknown-error occurrences in range.
    pub unknown_total: u64,
    pub state: StateSummary,
    /// An input could not be read, or was cut short.
    pub input_errors: bool,
}

/// One period.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PeriodInfo {
    /// `2026-W04` or `2026-01-19`.
    pub label: String,
    pub start: String,
    pub end: String,
    /// Records in range in this period.
    pub records: u64,
}

/// Where something stands in the latest period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// First seen in the latest period; unknown to the saved state.
    New,
    /// Present in the latest period, seen before.
    Active,
    /// Seen before, absent from the latest period.
    Resolved,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Active => "active",
            Status::Resolved => "resolved",
        }
    }
}

/// Change of a count against the previous period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trend {
    pub direction: Direction,
    /// The previous period's count.
    pub previous: u64,
    /// Change in percent; null when the previous count was zero.
    pub change_pct: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
    Flat,
}

impl Trend {
    /// `now` against `previous`.
    pub fn of(now: u64, previous: u64) -> Trend {
        let direction = match now.cmp(&previous) {
            std::cmp::Ordering::Greater => Direction::Up,
            std::cmp::Ordering::Less => Direction::Down,
            std::cmp::Ordering::Equal => Direction::Flat,
        };
        let change_pct = (previous > 0)
            .then(|| ((now as f64 - previous as f64) * 1000.0 / previous as f64).round() / 10.0);
        Trend {
            direction,
            previous,
            change_pct,
        }
    }

    /// `▲ +35%`, `▼ −50%`, `▲ new`, `=`.
    pub fn label(&self) -> String {
        match (self.direction, self.change_pct) {
            (Direction::Flat, _) => "=".to_string(),
            (Direction::Up, None) => "▲ from 0".to_string(),
            (Direction::Up, Some(p)) => format!("▲ +{p:.0}%"),
            (Direction::Down, p) => format!("▼ {:.0}%", p.unwrap_or(-100.0)),
        }
    }
}

/// A new or resolved signature or template, for the call-outs.
#[derive(Debug, Clone, Serialize)]
pub struct Callout {
    /// `signature` or `unknown`.
    pub kind: &'static str,
    /// Signature id, or unknown group id (`u-…`).
    pub id: String,
    /// Signature title, or the template.
    pub title: String,
    pub severity: Option<Severity>,
    /// Occurrences in the latest period (new) or before it (resolved).
    pub count: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

/// One known signature over the periods.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureTrend {
    pub signature: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub total: u64,
    /// Count in the latest period, and its trend.
    pub latest: u64,
    pub trend: Trend,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// First seen according to the saved state, when it knew the signature.
    pub known_since: Option<String>,
    pub periods: Vec<SignaturePeriod>,
    /// One redacted example (the first one seen).
    pub example: Option<String>,
    pub action: String,
}

/// One signature in one period.
#[derive(Debug, Clone, Serialize)]
pub struct SignaturePeriod {
    pub period: String,
    pub count: u64,
    /// Distinct fingerprints.
    pub distinct: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// The most frequent routes (or paths) and deployments (up to 10).
    pub routes: Vec<Counted>,
    pub deployments: Vec<Counted>,
    pub trend: Trend,
}

/// Unknown errors that share a template.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownGroup {
    /// Stable across audits through the saved state (`u-` and 8 hex digits).
    pub id: String,
    pub template: String,
    pub status: Status,
    pub severity: Severity,
    pub total: u64,
    pub latest: u64,
    pub trend: Trend,
    pub periods: Vec<PeriodCount>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub known_since: Option<String>,
    pub routes: Vec<Counted>,
    pub deployments: Vec<Counted>,
    /// Two or three redacted raw messages.
    pub examples: Vec<Example>,
    /// A signature stub for the catalog, when the template has constant
    /// text to anchor on.
    pub suggestion: Option<super::stub::Suggestion>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PeriodCount {
    pub period: String,
    pub count: u64,
}

/// A redacted raw message and where it was found.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    pub input: String,
    pub line: u64,
    /// Byte offset of the record in the (decompressed) input: the useful
    /// reference into a one-line JSON array.
    pub offset: u64,
    pub time: Option<String>,
    pub route: Option<String>,
    pub message: String,
}

/// What the saved state contributed and what will be saved.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StateSummary {
    /// The state file read, when one was.
    pub loaded: Option<String>,
    pub known_signatures: usize,
    pub known_templates: usize,
    /// Entries dropped from the saved state as unseen for too long.
    pub forgotten: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trends_compare_with_the_previous_period() {
        assert_eq!(Trend::of(15, 10).change_pct, Some(50.0));
        assert_eq!(Trend::of(15, 10).label(), "▲ +50%");
        assert_eq!(Trend::of(5, 10).label(), "▼ -50%");
        assert_eq!(Trend::of(3, 0).label(), "▲ from 0");
        assert_eq!(Trend::of(0, 4).label(), "▼ -100%");
        assert_eq!(Trend::of(2, 2).direction, Direction::Flat);
    }
}

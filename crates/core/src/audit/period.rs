//! Audit periods: ISO weeks (Monday 00:00 UTC to the next Monday) or UTC
//! days, identified by their start in epoch milliseconds and labelled
//! `2026-W04` or `2026-01-19`.
//!
//! Starts are computed with integer arithmetic on days since the epoch (so
//! any millisecond value has a period); only labels use the calendar.

use chrono::{DateTime, Datelike};
use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 86_400_000;
const WEEK_MS: i64 = 7 * DAY_MS;

/// How an audit buckets time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    /// ISO weeks, Monday to Sunday, UTC.
    Week,
    /// UTC days.
    Day,
}

impl crate::named::Named for PeriodKind {
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (PeriodKind::Week, "week", "ISO weeks, Monday to Sunday, UTC"),
        (PeriodKind::Day, "day", "UTC days"),
    ];
}

impl PeriodKind {
    /// Length of one period.
    pub fn length_ms(self) -> i64 {
        match self {
            PeriodKind::Week => WEEK_MS,
            PeriodKind::Day => DAY_MS,
        }
    }

    /// Start of the period holding `ms`.
    pub fn start_of(self, ms: i64) -> i64 {
        let day = ms.div_euclid(DAY_MS);
        match self {
            PeriodKind::Day => day * DAY_MS,
            // 1970-01-01 was a Thursday: Monday-aligned weeks start 3 days
            // before each multiple of 7 days, shifted.
            PeriodKind::Week => ((day + 3).div_euclid(7) * 7 - 3) * DAY_MS,
        }
    }

    /// Start of the period after the one starting at `start`.
    pub fn next(self, start: i64) -> i64 {
        start.saturating_add(self.length_ms())
    }

    /// `2026-W04` (ISO week-numbering year) or `2026-01-19`.
    pub fn label(self, start: i64) -> String {
        let Some(t) = DateTime::from_timestamp_millis(start) else {
            return start.to_string();
        };
        match self {
            PeriodKind::Week => {
                let w = t.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            PeriodKind::Day => t.format("%Y-%m-%d").to_string(),
        }
    }

    /// Every period start from the period of `first` to that of `last`.
    pub fn range(self, first: i64, last: i64) -> Vec<i64> {
        let (mut p, end) = (self.start_of(first), self.start_of(last));
        let mut out = Vec::new();
        while p <= end {
            out.push(p);
            p = self.next(p);
        }
        out
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Week => "week",
            PeriodKind::Day => "day",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::time::parse_rfc3339;

    fn ms(s: &str) -> i64 {
        parse_rfc3339(s).expect("time")
    }

    #[test]
    fn weeks_start_on_monday_utc_and_use_iso_numbers() {
        let w = PeriodKind::Week;
        let sunday_night = ms("2026-01-25T23:59:59Z");
        assert_eq!(w.start_of(sunday_night), ms("2026-01-19T00:00:00Z"));
        assert_eq!(
            w.start_of(ms("2026-01-26T00:00:00Z")),
            ms("2026-01-26T00:00:00Z")
        );
        assert_eq!(w.label(w.start_of(sunday_night)), "2026-W04");
        // 2027-01-01 is a Friday in ISO week 53 of 2026.
        assert_eq!(w.label(w.start_of(ms("2027-01-01T12:00:00Z"))), "2026-W53");
        assert_eq!(w.start_of(-1), ms("1969-12-29T00:00:00Z"));
    }

    #[test]
    fn days_and_ranges() {
        let d = PeriodKind::Day;
        assert_eq!(
            d.label(d.start_of(ms("2026-01-19T08:24:20Z"))),
            "2026-01-19"
        );
        let r = PeriodKind::Week.range(ms("2026-01-14T00:00:00Z"), ms("2026-01-27T00:00:00Z"));
        let labels: Vec<String> = r.iter().map(|&p| PeriodKind::Week.label(p)).collect();
        assert_eq!(labels, ["2026-W03", "2026-W04", "2026-W05"]);
    }
}

//! `logs audit`: the weekly pass over many exports. Which known signatures
//! fire per period and how that changes, which are new and which went away,
//! and what fails that no signature describes yet (unknown errors, grouped
//! into templates, each with a suggested signature stub).
//!
//! [`AuditAnalysis`] accumulates per chunk ([`AuditPartial`]); [`build`]
//! turns the merged result and the saved [`AuditState`] into an
//! [`AuditReport`] and the state to save next. Nothing here prints.

mod accumulate;
mod build;
mod period;
pub mod report;
mod state;
mod stub;
mod unknown;

use crate::record::{Level, LogLine, Record, RecordFilter};
use crate::scan::{Analysis, Location};
use crate::signatures::Hit;

pub use accumulate::{AuditPartial, EXAMPLES, ExampleAcc, UnknownAcc};
pub use build::build;
pub use period::PeriodKind;
pub use report::{AuditReport, SCHEMA};
pub use state::{AuditState, STATE_SCHEMA, StateError};
pub use stub::{Suggestion, suggest};

/// What `logs audit` was asked to do, resolved from the command line.
#[derive(Debug, Clone)]
pub struct AuditConfig {
    pub period: PeriodKind,
    /// Which records are audited (the latest period is the one `until`
    /// ends in).
    pub filter: RecordFilter,
    /// Saved templates and signatures unseen for this many weeks are
    /// forgotten when the state is saved.
    pub forget_after_weeks: u32,
    /// Samples kept per signature and period.
    pub samples: usize,
    /// The audit's "now" (epoch ms): records dated more than a day after it
    /// are skipped and counted, never the latest period.
    pub now_ms: i64,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            period: PeriodKind::Week,
            filter: RecordFilter::default(),
            forget_after_weeks: 8,
            samples: 1,
            now_ms: chrono::Utc::now().timestamp_millis(),
        }
    }
}

const DAY_MS: i64 = 86_400_000;

/// Whether a record is a failure: the one rule of [`Record::is_failure`].
pub fn is_failure(rec: &Record<'_>) -> bool {
    rec.is_failure()
}

/// The lines of a failed record that describe the failure: those at level
/// error or fatal, or every line when none says so.
fn failure_lines<'r, 'a>(rec: &'r Record<'a>) -> impl Iterator<Item = &'r LogLine<'a>> {
    let any_error = rec.lines.iter().any(|l| l.level >= Some(Level::Error));
    rec.lines.iter().filter(move |l| {
        if any_error {
            l.level >= Some(Level::Error)
        } else {
            !crate::record::is_request_line(&l.text)
        }
    })
}

/// The audit analysis: the scan engine matches the signatures, this sorts
/// the hits into periods and keeps the failures no signature matched.
pub struct AuditAnalysis<'a> {
    pub config: &'a AuditConfig,
}

impl Analysis for AuditAnalysis<'_> {
    type Partial = AuditPartial;

    fn partial(&self) -> AuditPartial {
        AuditPartial::default()
    }

    /// Every record: unknown errors are the records no anchor picks out.
    fn decode_all(&self) -> bool {
        true
    }

    fn record(&self, partial: &mut AuditPartial, rec: &Record<'_>, hits: &[Hit], at: Location) {
        let Some(t) = rec.time_ms else {
            partial.untimed += 1;
            return;
        };
        let c = self.config;
        if t > c.now_ms.saturating_add(DAY_MS) {
            partial.future += 1;
            return;
        }
        if !c.filter.admits(rec) {
            return;
        }
        let period = c.period.start_of(t);
        *partial.records.entry(period).or_default() += 1;
        if !hits.is_empty() {
            let acc = partial.signatures.entry(period).or_default();
            for hit in hits {
                acc.add(rec, hit, at, c.samples);
            }
        } else if is_failure(rec) {
            for line in failure_lines(rec) {
                if let Some(acc) = partial.unknown.entry(&line.text, UnknownAcc::default) {
                    acc.add(rec, &line.text, period, at);
                }
            }
        }
    }

    fn merge(&self, into: &mut AuditPartial, later: AuditPartial) {
        into.merge(later, self.config.samples);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn line(level: Option<Level>, text: &str) -> LogLine<'static> {
        LogLine {
            level,
            text: Cow::Owned(text.to_string()),
        }
    }

    #[test]
    fn failures_are_error_levels_and_5xx() {
        let mut r = Record {
            status: Some(200),
            lines: vec![line(Some(Level::Info), "ok")],
            ..Record::default()
        };
        assert!(!is_failure(&r));
        r.status = Some(503);
        assert!(!is_failure(&r), "an info line of a failed request");
        r.lines[0].level = None;
        assert!(is_failure(&r), "a 5xx without a level");
        r.lines[0].level = Some(Level::Warning);
        assert!(is_failure(&r));
        r.status = Some(-1);
        assert!(is_failure(&r));
        r.status = None;
        r.level = Some(Level::Fatal);
        assert!(is_failure(&r));
    }

    #[test]
    fn error_lines_describe_the_failure() {
        let r = Record {
            status: Some(504),
            lines: vec![
                line(Some(Level::Info), "start"),
                line(Some(Level::Error), "Task timed out"),
            ],
            ..Record::default()
        };
        let texts: Vec<&str> = failure_lines(&r).map(|l| &*l.text).collect();
        assert_eq!(texts, ["Task timed out"]);
        let plain = Record {
            status: Some(500),
            lines: vec![line(None, "a"), line(None, "b")],
            ..Record::default()
        };
        assert_eq!(failure_lines(&plain).count(), 2);
    }
}

//! Printers of [`logs_core::audit::AuditReport`], one per output format: a
//! table for the terminal, Markdown for the weekly issue, versioned JSON,
//! and one self-contained HTML page with charts.

mod access_html;
mod glance;
mod html;
mod markdown;
mod svg;
mod table;

use std::io::{self, Write};

use super::style::Style;
use logs_core::audit::AuditReport;

pub use html::write_html;
pub use markdown::write_markdown;
pub use table::write_table;

pub use logs_core::formats::AuditFormat;

/// Writes `report` in `format`.
pub fn write(
    report: &AuditReport,
    format: AuditFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        AuditFormat::Table => write_table(report, style, out),
        AuditFormat::Markdown => write_markdown(report, out),
        AuditFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            writeln!(out)
        }
        AuditFormat::Html => write_html(report, out),
    }
}

/// How many of the latest periods the tables show (JSON and HTML show all).
pub(crate) const TABLE_PERIODS: usize = 8;

/// The index of the first period the tables show.
pub(crate) fn first_shown(report: &AuditReport) -> usize {
    report.periods.len().saturating_sub(TABLE_PERIODS)
}

/// `2026-W04` → `W04`, `2026-01-19` → `01-19`: short column heads.
pub(crate) fn short_period(label: &str) -> &str {
    label.get(5..).unwrap_or(label)
}

/// A one-line summary of the scope: periods, records, inputs.
pub(crate) fn scope(report: &AuditReport) -> String {
    let span = match (report.periods.first(), report.periods.last()) {
        (Some(a), Some(b)) if a.label != b.label => format!("{} to {}", a.label, b.label),
        (Some(a), _) => a.label.clone(),
        _ => "no dated records".to_string(),
    };
    let inputs = match report.inputs.as_slice() {
        [one] => one.path.clone(),
        many => format!("{} inputs", many.len()),
    };
    let mut skipped = Vec::new();
    if report.untimed > 0 {
        skipped.push(format!(
            "{} without a time",
            super::thousands(report.untimed)
        ));
    }
    if report.future > 0 {
        skipped.push(format!(
            "{} dated in the future",
            super::thousands(report.future)
        ));
    }
    if report.malformed > 0 {
        skipped.push(format!("{} malformed", super::thousands(report.malformed)));
    }
    let skipped = if skipped.is_empty() {
        String::new()
    } else {
        format!(" ({} skipped)", skipped.join(", "))
    };
    format!(
        "{span} ({} {}{}): {} records from {inputs}{skipped}",
        report.periods.len(),
        report.period.as_str(),
        if report.periods.len() == 1 { "" } else { "s" },
        super::thousands(report.records_in_range)
    )
}

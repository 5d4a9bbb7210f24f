//! Printers of [`logs_core::check::CheckReport`], one per output format.

pub(crate) mod access;
mod github;
mod junit;
mod markdown;
mod table;

use std::io::{self, Write};

use super::style::Style;
use logs_core::check::CheckReport;
use logs_core::check::report::Sample;
use logs_core::input::ExportHeader;

pub use github::write_github;
pub use junit::write_junit;
pub use markdown::write_markdown;
pub use table::write_table;

pub use logs_core::formats::CheckFormat;

/// Writes `report` in `format`. JUnit also needs the catalog: it is written
/// by [`write_junit`] from [`logs_core::check::junit()`].
pub fn write(
    report: &CheckReport,
    format: CheckFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        CheckFormat::Table => write_table(report, style, out),
        CheckFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            writeln!(out)
        }
        CheckFormat::Markdown => write_markdown(report, out),
        CheckFormat::Github => write_github(report, out),
        CheckFormat::Junit => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "JUnit output is written by write_junit, from the report and the catalog",
        )),
    }
}

/// The inputs, named for a one-line summary.
pub(crate) fn input_names(report: &CheckReport) -> String {
    match report.inputs.as_slice() {
        [one] => one.path.clone(),
        many => format!("{} inputs", many.len()),
    }
}

/// What was checked, in words: `1,204 records` or `312 of 1,204 records
/// (deployment dpl_x, since 2026-…)`, with malformed records.
pub(crate) fn scope_words(report: &CheckReport) -> String {
    use crate::thousands;
    let mut s = match &report.filters {
        None => format!("{} records", thousands(report.checked)),
        Some(f) => {
            let mut parts = Vec::new();
            if let Some(d) = &f.deployment {
                parts.push(format!("deployment {d}"));
            }
            if let Some(e) = &f.environment {
                parts.push(format!("environment {e}"));
            }
            if let Some(t) = &f.since {
                parts.push(format!("since {t}"));
            }
            if let Some(t) = &f.until {
                parts.push(format!("until {t}"));
            }
            format!(
                "{} of {} records ({})",
                thousands(report.checked),
                thousands(report.records),
                parts.join(", ")
            )
        }
    };
    if report.malformed > 0 {
        s.push_str(&format!("; {} malformed", thousands(report.malformed)));
    }
    s
}

/// Where a sample is: `file:line`, or `file@byte N` in a one-line JSON
/// array (where every record is on line 1).
pub(crate) fn sample_place(report: &CheckReport, s: &Sample) -> String {
    crate::place(&report.inputs, &s.input, s.line, s.offset)
}

/// The failing findings in words, split by kind: `15 findings (14
/// signatures, 1 access check)`. Access checks are the cron and webhook
/// findings; every other finding is a catalog signature.
pub(crate) fn failing_words(report: &CheckReport) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let failing: Vec<_> = report.findings.iter().filter(|f| f.fails).collect();
    let access = failing.iter().filter(|f| f.access.is_some()).count();
    format!(
        "{} ({}, {})",
        plural(failing.len(), "finding", "findings"),
        plural(failing.len() - access, "signature", "signatures"),
        plural(access, "access check", "access checks")
    )
}

/// Findings at or above `--fail-on` that do not fail, in words (`14
/// accepted (12 in the baseline, 2 suppressed)`), when there are any: a
/// pass with known signatures in it says so.
pub(crate) fn accepted_words(report: &CheckReport) -> Option<String> {
    let (mut baseline, mut suppressed) = (0, 0);
    for f in report
        .findings
        .iter()
        .filter(|f| f.severity >= report.fail_on && !f.fails)
    {
        if f.suppressed < f.count && f.new == Some(false) {
            baseline += 1;
        } else {
            suppressed += 1;
        }
    }
    let how = match (baseline, suppressed) {
        (0, 0) => return None,
        (_, 0) => "in the baseline".to_string(),
        (0, _) => "suppressed".to_string(),
        (b, s) => format!("{b} in the baseline, {s} suppressed"),
    };
    Some(format!("{} accepted ({how})", baseline + suppressed))
}

/// How a finding that does not fail was accepted, for its severity cell:
/// `(suppressed)`, `(2 of 5 suppressed)`, `(in baseline)`.
pub(crate) fn finding_mark(f: &logs_core::check::report::Finding) -> Option<String> {
    if f.suppressed == f.count {
        Some("(suppressed)".into())
    } else if f.new == Some(false) {
        Some("(in baseline)".into())
    } else if f.suppressed > 0 {
        Some(format!(
            "({} of {} suppressed)",
            crate::thousands(f.suppressed),
            crate::thousands(f.count)
        ))
    } else {
        None
    }
}

/// What a copied-logs header said, in one line.
pub(crate) fn export_words(h: &ExportHeader) -> String {
    let mut parts = vec!["copied from the Vercel dashboard".to_string()];
    if let Some(p) = &h.project {
        parts.push(format!("project {p}"));
    }
    if let Some(q) = &h.search_query {
        parts.push(format!("search {q:?}"));
    }
    if let (Some(a), Some(b)) = (&h.from, &h.to) {
        parts.push(format!("{a} to {b}"));
    }
    if let Some(n) = h.copied {
        parts.push(format!("{n} logs"));
    }
    parts.join(" · ")
}

/// `2026-01-19T08:24:20.047Z` → `2026-01-19 08:24:20`.
pub(crate) fn short_time(t: &Option<String>) -> String {
    t.as_deref().map_or_else(
        || "-".to_string(),
        |t| t.get(..19).unwrap_or(t).replace('T', " "),
    )
}

/// What the input holds, one line each (terminal-safe) (for the error when the filters
/// left nothing): deployments with their URL hosts, environments, times.
pub fn inventory_text(inv: &logs_core::inventory::Inventory) -> Vec<String> {
    use crate::thousands;
    let mut lines = Vec::new();
    if inv.deployments.is_empty() {
        lines.push("deployments: none named in the records".to_string());
    }
    for d in inv.deployments.iter().take(20) {
        let hosts = if d.hosts.is_empty() {
            String::new()
        } else {
            format!(" ({})", d.hosts.join(", "))
        };
        lines.push(format!(
            "deployment {}{hosts}: {} records",
            d.id,
            thousands(d.records)
        ));
    }
    if inv.deployments.len() > 20 || inv.truncated {
        lines.push("… and more deployments".to_string());
    }
    let envs: Vec<String> = inv
        .environments
        .iter()
        .map(|e| {
            let name = if e.name == logs_core::inventory::NO_ENVIRONMENT {
                "none recorded"
            } else {
                e.name.as_str()
            };
            format!("{name} ({})", thousands(e.records))
        })
        .collect();
    lines.push(format!("environments: {}", envs.join(", ")));
    if let (Some(a), Some(b)) = (&inv.first, &inv.last) {
        lines.push(format!("time range: {a} to {b}"));
    }
    lines
}

//! Printers of [`crate::check::CheckReport`], one per output format.

mod github;
mod junit;
mod markdown;
mod table;

use std::io::{self, Write};

use super::OutputFormat;
use super::style::Style;
use crate::check::CheckReport;

pub use github::write_github;
pub use junit::write_junit;
pub use markdown::write_markdown;
pub use table::write_table;

/// Writes `report` in `format`. JUnit also needs the catalog: it is written
/// by [`write_junit`] from [`crate::check::junit()`].
pub fn write(
    report: &CheckReport,
    format: OutputFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Table => write_table(report, style, out),
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            writeln!(out)
        }
        OutputFormat::Markdown => write_markdown(report, out),
        OutputFormat::Github => write_github(report, out),
        OutputFormat::Junit => Err(io::Error::new(
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

/// `2026-01-19T08:24:20.047Z` → `2026-01-19 08:24:20`.
pub(crate) fn short_time(t: &Option<String>) -> String {
    t.as_deref().map_or_else(
        || "-".to_string(),
        |t| t.get(..19).unwrap_or(t).replace('T', " "),
    )
}

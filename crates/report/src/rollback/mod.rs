//! Printers of [`logs_core::rollback::RollbackReport`]: the decision first,
//! then the rules table (table, Markdown, JSON). The report holds numbers and
//! structured findings; `wording` and `labels` turn them into the headline,
//! reasons, windows and thresholds every printer shows.

mod format;
mod json;
mod labels;
mod live;
mod markdown;
#[cfg(test)]
mod printer_tests;
mod table;
mod wording;
#[cfg(test)]
mod wording_tests;

pub use json::{SCHEMA, render_json, write_json};
pub use labels::{evidence, threshold, title, window};
pub use live::{LatestSignature, LiveView, render_live_page, render_notice};
pub use markdown::{render_markdown, write_markdown};
pub use table::{LEGEND, render_table, write_table};
pub use wording::{headline, reason, runbook_threshold};

use std::io::{self, Write};

use super::style::Style;
use logs_core::rollback::RollbackReport;

pub use logs_core::formats::RollbackFormat;

/// Writes `report` in `format`.
pub fn write(
    report: &RollbackReport,
    format: RollbackFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        RollbackFormat::Table => write_table(report, style, out),
        RollbackFormat::Json => write_json(report, out),
        RollbackFormat::Markdown => write_markdown(report, out),
    }
}

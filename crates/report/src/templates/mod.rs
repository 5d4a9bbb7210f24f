//! Printers of [`logs_core::templates::TemplatesReport`]: a table for people,
//! versioned JSON (`logs.templates/v1`) for programs.

mod table;

use std::io::{self, Write};

use super::style::Style;
use logs_core::templates::TemplatesReport;

pub use table::write_table;

pub use logs_core::formats::TemplatesFormat;

/// Writes `report` in `format`.
pub fn write(
    report: &TemplatesReport,
    format: TemplatesFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        TemplatesFormat::Table => write_table(report, style, out),
        TemplatesFormat::Json => {
            serde_json::to_writer(&mut *out, report)?;
            writeln!(out)
        }
    }
}

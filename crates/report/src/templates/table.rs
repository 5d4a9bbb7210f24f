//! `logs templates` for people: one line of totals, then the templates,
//! most frequent first, with their share and first line.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment};

use crate::style::Style;
use crate::thousands;
use logs_core::templates::TemplatesReport;

/// Longest template shown, in characters.
const TEMPLATE_CHARS: usize = 160;

pub fn write_table(report: &TemplatesReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let source = match report.inputs.as_slice() {
        [one] => one.path.clone(),
        many => format!("{} inputs", many.len()),
    };
    writeln!(
        out,
        "{} templates from {} messages in {source}",
        style.bold(&thousands(report.templates.len() as u64)),
        thousands(report.messages)
    )?;
    if report.templates.is_empty() {
        return Ok(());
    }
    let mut table = style.table();
    table.set_header(["Id", "Count", "Share", "First line", "Template"]);
    let total = report.messages.max(1) as f64;
    for t in &report.templates {
        let first = t.lines.first().map_or("-".to_string(), u64::to_string);
        table.add_row(vec![
            Cell::new(t.id).set_alignment(CellAlignment::Right),
            Cell::new(thousands(t.count)).set_alignment(CellAlignment::Right),
            Cell::new(format!("{:.1}%", 100.0 * t.count as f64 / total))
                .set_alignment(CellAlignment::Right),
            Cell::new(first).set_alignment(CellAlignment::Right),
            Cell::new(crate::first_line(&t.template, TEMPLATE_CHARS)),
        ]);
    }
    writeln!(out, "{table}")
}

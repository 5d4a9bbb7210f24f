//! `logs templates` for people: one line of totals, then the templates,
//! most frequent first, with their share and first line.

use std::io::{self, Write};

use crate::grid::{Column, Grid, GridCell, terminal_safe};
use crate::style::Style;
use crate::thousands;
use logs_core::templates::TemplatesReport;

const COLUMNS: [Column; 5] = [
    Column::number("Id", 0),
    Column::number("Count", 0),
    Column::number("Share", 2),
    Column::number("First line", 1),
    Column::text("Template", 20, 0),
];

/// Longest template shown, in characters.
const TEMPLATE_CHARS: usize = 160;

pub fn write_table(report: &TemplatesReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let source = match report.inputs.as_slice() {
        [one] => one.path.clone(),
        many => format!("{} inputs", many.len()),
    };
    writeln!(
        out,
        "{} templates from {} messages in {}",
        style.bold(&thousands(report.templates.len() as u64)),
        thousands(report.messages),
        terminal_safe(&source, 300)
    )?;
    if report.templates.is_empty() {
        return Ok(());
    }
    let mut table = Grid::new(&COLUMNS);
    let total = report.messages.max(1) as f64;
    for t in &report.templates {
        let first = t.lines.first().map_or("-".to_string(), u64::to_string);
        table.row([
            GridCell::from(t.id.to_string()),
            thousands(t.count).into(),
            format!("{:.1}%", 100.0 * t.count as f64 / total).into(),
            first.into(),
            crate::first_line(&t.template, TEMPLATE_CHARS).into(),
        ]);
    }
    writeln!(out, "{}", table.render(style))
}

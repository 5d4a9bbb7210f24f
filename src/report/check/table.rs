//! `logs check` for people: a verdict line, a table, then each finding's
//! samples and what to do.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment};

use super::{input_names, short_time};
use crate::check::CheckReport;
use crate::report::style::Style;
use crate::report::{first_line, thousands};

pub fn write_table(report: &CheckReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let failing = report.findings.iter().filter(|f| f.fails).count();
    let scanned = format!(
        "{} records from {}{}",
        thousands(report.records),
        input_names(report),
        if report.malformed > 0 {
            format!(" ({} malformed)", thousands(report.malformed))
        } else {
            String::new()
        }
    );
    if report.failed {
        let what = if failing == 1 {
            "1 known signature"
        } else {
            "known signatures"
        };
        let head = if failing == 1 {
            what.to_string()
        } else {
            format!("{failing} {what}")
        };
        writeln!(
            out,
            "{} {head} at or above {} in {scanned}",
            style.red("FAILED:"),
            report.fail_on
        )?;
    } else {
        writeln!(
            out,
            "{} no known signature at or above {} in {scanned}",
            style.green("PASSED:"),
            report.fail_on
        )?;
    }
    if report.findings.is_empty() {
        return Ok(());
    }
    let mut table = style.table();
    table.set_header([
        "Signature",
        "Severity",
        "Count",
        "Distinct",
        "First seen",
        "Last seen",
        "Top route",
    ]);
    for f in &report.findings {
        let mut sev = Cell::new(f.severity);
        if let Some(c) = style.severity_color(f.severity) {
            sev = sev.fg(c);
        }
        let route = f
            .routes
            .first()
            .map_or("-".to_string(), |r| format!("{} ({})", r.value, r.count));
        table.add_row(vec![
            Cell::new(&f.signature),
            sev,
            Cell::new(thousands(f.count)).set_alignment(CellAlignment::Right),
            Cell::new(thousands(f.distinct)).set_alignment(CellAlignment::Right),
            Cell::new(short_time(&f.first_seen)),
            Cell::new(short_time(&f.last_seen)),
            Cell::new(route),
        ]);
    }
    writeln!(out, "{table}")?;
    for f in &report.findings {
        let verdict = if f.fails {
            style.red(f.severity.as_str())
        } else {
            style.dim(f.severity.as_str())
        };
        writeln!(
            out,
            "\n{} — {} [{verdict}]",
            style.bold(&f.signature),
            f.title
        )?;
        for s in &f.samples {
            let place = [
                Some(format!("{}:{}", s.input, s.line)),
                s.time.clone(),
                match (&s.method, &s.route) {
                    (Some(m), Some(r)) => Some(format!("{m} {r}")),
                    (None, r) => r.clone(),
                    (m, None) => m.clone(),
                },
                s.deployment.clone(),
            ];
            let place: Vec<String> = place.into_iter().flatten().collect();
            writeln!(out, "  {}", style.dim(&place.join("  ")))?;
            writeln!(out, "    {}", first_line(&s.message, 160))?;
        }
        writeln!(
            out,
            "  what to do: {}",
            first_line(&f.action.replace('\n', " "), 400)
        )?;
    }
    Ok(())
}

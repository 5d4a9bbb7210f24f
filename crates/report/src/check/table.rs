//! `logs check` for people: a verdict line, a table, then each finding's
//! samples and what to do. Log text goes through the grid (terminal-safe,
//! bounded) or [`terminal_safe`].

use std::io::{self, Write};

use comfy_table::Color;

use super::{
    accepted_words, export_words, failing_words, finding_mark, input_names, inventory_text,
    sample_place, scope_words, short_time,
};
use crate::grid::{Column, Grid, GridCell, terminal_safe};
use crate::style::Style;
use crate::{first_line, thousands};
use logs_core::check::{CheckReport, Verdict};
use logs_core::signatures::Severity;

const COLUMNS: [Column; 7] = [
    Column::whole("Signature", 0),
    Column::whole("Severity", 0),
    Column::number("Count", 0),
    Column::number("Distinct", 2),
    Column::whole("First seen", 1),
    Column::whole("Last seen", 3),
    Column::text("Top route", 16, 1),
];

fn severity_color(s: Severity) -> Color {
    match s {
        Severity::Critical => Color::Red,
        Severity::High => Color::Magenta,
        Severity::Medium => Color::Yellow,
        Severity::Low => Color::Cyan,
        Severity::Info => Color::DarkGrey,
    }
}

fn headline(report: &CheckReport, style: Style) -> String {
    let mut scope = format!(
        "{} from {}",
        scope_words(report),
        terminal_safe(&input_names(report), 200)
    );
    if let Some(a) = accepted_words(report) {
        scope.push_str(&format!("; {a}"));
    }
    match report.verdict {
        Verdict::Error => format!(
            "{} {}",
            style.red("ERROR:"),
            terminal_safe(&report.errors.join("; "), 2000)
        ),
        Verdict::Fail => {
            format!(
                "{} {} at or above {} in {scope}",
                style.red("FAILED:"),
                failing_words(report),
                report.fail_on
            )
        }
        Verdict::Pass => format!(
            "{} no finding at or above {} in {scope}",
            style.green("PASSED:"),
            report.fail_on
        ),
    }
}

pub fn write_table(report: &CheckReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", headline(report, style))?;
    if report.verdict == Verdict::Error && !report.findings.is_empty() {
        writeln!(out, "In what could be read: {}", scope_words(report))?;
    }
    for i in &report.inputs {
        if let Some(h) = &i.export {
            writeln!(
                out,
                "{}",
                style.dim(&terminal_safe(
                    &format!("{}: {}", i.path, export_words(h)),
                    600
                ))
            )?;
        }
    }
    if let Some(inv) = &report.inventory {
        writeln!(out, "Checked: {}", terminal_safe(&scope_words(report), 600))?;
        writeln!(out, "The input holds:")?;
        for line in inventory_text(inv) {
            writeln!(out, "  {}", terminal_safe(&line, 400))?;
        }
    }
    for s in &report.expired_suppressions {
        writeln!(
            out,
            "{} suppression of {} expired on {} (no longer applied): {}",
            style.yellow("note:"),
            terminal_safe(&s.signature, 100),
            s.until,
            terminal_safe(&s.reason, 300)
        )?;
    }
    if let Some(note) = super::access::not_applicable_note(report) {
        writeln!(
            out,
            "{} {}",
            style.yellow("note:"),
            terminal_safe(&note, 600)
        )?;
    }
    if report.findings.is_empty() {
        return Ok(());
    }
    let mut grid = Grid::new(&COLUMNS);
    for f in &report.findings {
        let mut sev = f.severity.to_string();
        if let Some(mark) = finding_mark(f) {
            sev = format!("{sev} {mark}");
        }
        let route = f
            .routes
            .first()
            .map_or("-".to_string(), |r| format!("{} ({})", r.value, r.count));
        grid.row([
            GridCell::from(f.signature.as_str()),
            GridCell::colored(sev, Some(severity_color(f.severity))),
            thousands(f.count).into(),
            thousands(f.distinct).into(),
            short_time(&f.first_seen).into(),
            short_time(&f.last_seen).into(),
            route.into(),
        ]);
    }
    writeln!(out, "{}", grid.render(style))?;
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
            terminal_safe(&f.title, 200)
        )?;
        for s in &f.suppressions {
            writeln!(
                out,
                "  {} until {}: {}",
                style.yellow("suppressed"),
                s.until,
                terminal_safe(&s.reason, 300)
            )?;
        }
        for s in &f.samples {
            let place = [
                Some(sample_place(report, s)),
                s.time.clone(),
                match (&s.method, &s.route) {
                    (Some(m), Some(r)) => Some(format!("{m} {r}")),
                    (None, r) => r.clone(),
                    (m, None) => m.clone(),
                },
                s.deployment.clone(),
            ];
            let place: Vec<String> = place.into_iter().flatten().collect();
            writeln!(
                out,
                "  {}",
                style.dim(&terminal_safe(&place.join("  "), 400))
            )?;
            writeln!(
                out,
                "    {}",
                terminal_safe(&first_line(&s.message, 160), 200)
            )?;
        }
        for (head, rest) in super::access::route_lines(f) {
            writeln!(out, "  {}", terminal_safe(&head, 400))?;
            writeln!(out, "    {}", style.dim(&terminal_safe(&rest, 600)))?;
        }
        writeln!(
            out,
            "  what to do: {}",
            terminal_safe(&first_line(&f.action.replace('\n', " "), 400), 420)
        )?;
    }
    Ok(())
}

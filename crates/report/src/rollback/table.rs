//! The terminal printer: the decision first, in words a tired person cannot
//! misread, then one row per rule with a legend of its columns, then (for
//! ROLLBACK) the runbook and the top offenders. Reads a [`RollbackReport`];
//! computes nothing.

use std::io::{self, Write};

use comfy_table::Color;

use super::{format, labels, wording};
use crate::grid::{Column, Grid, GridCell, terminal_safe};
use crate::style::Style;
use logs_core::rollback::{Decision, RollbackReport, Verdict};

/// What the columns of the rules table mean, printed once under it.
pub const LEGEND: &str = "\
window: the time judged (minutes after the deploy) · canary / baseline: the \
rule's measure on each · threshold: when the rule fails · samples: requests \
(or lines) measured, canary / baseline";

const RULE_COLUMNS: [Column; 8] = [
    Column::whole("rule", 0),
    Column::whole("window", 2),
    Column::number("canary", 4),
    Column::number("baseline", 3),
    Column::text("threshold", 12, 2),
    Column::number("samples", 1),
    Column::whole("verdict", 0),
    Column::text("reason", 30, 0),
];

/// [`write_table`] into a string.
pub fn render_table(report: &RollbackReport, style: Style) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_table(report, style, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes `report` for a terminal (fitted to `style.width` when stdout is
/// one, never wrapped otherwise).
pub fn write_table(report: &RollbackReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let code = match report.decision {
        Decision::Rollback => "1;31",
        Decision::Hold => "1;33",
        Decision::Proceed => "1;32",
    };
    writeln!(
        out,
        "{}",
        style.paint(&terminal_safe(&wording::headline(report), 1000), code)
    )?;
    writeln!(
        out,
        "canary {} · baseline {} · deployed {} · now {}{}",
        terminal_safe(&report.deployment, 200),
        terminal_safe(&format::baseline(report.baseline.as_deref()), 200),
        report.deploy_time.as_deref().unwrap_or("unknown"),
        report.now.as_deref().unwrap_or("unknown"),
        report
            .observed_minutes
            .map_or(String::new(), |m| format!(" ({m:.1} min observed)")),
    )?;
    writeln!(out)?;
    let mut rules = Grid::new(&RULE_COLUMNS);
    for rule in &report.rules {
        let color = match rule.verdict {
            Verdict::Fail if rule.advisory => Color::Yellow,
            Verdict::Fail => Color::Red,
            Verdict::Inconclusive => Color::Yellow,
            Verdict::Pass => Color::Green,
            Verdict::NotApplicable => Color::Grey,
        };
        rules.row([
            GridCell::from(rule.id.as_str()),
            labels::window(rule).into(),
            format::value(rule.unit, rule.observed).into(),
            format::value(rule.unit, rule.baseline).into(),
            labels::threshold(rule).into(),
            format::samples(rule).into(),
            GridCell::colored(format::verdict(rule), Some(color)),
            wording::reason(rule, &report.deployment).into(),
        ]);
    }
    writeln!(out, "{}", rules.render(style))?;
    writeln!(out, "{}", style.dim(LEGEND))?;
    if !report.runbook.is_empty() {
        let head = match report.runbook_threshold {
            Some(t) => format!(
                "Roll back now (rollback runbook: {}):",
                wording::runbook_threshold(t)
            ),
            None => "Roll back now (rollback runbook):".to_string(),
        };
        writeln!(out, "\n{}", style.paint(&head, code))?;
        for (i, step) in report.runbook.iter().enumerate() {
            writeln!(out, "  {}. {}", i + 1, terminal_safe(step, 400))?;
        }
    }
    if !report.offenders.is_empty() {
        writeln!(
            out,
            "\nTop offenders on {}:",
            terminal_safe(&report.deployment, 200)
        )?;
        let mut offenders = Grid::new(&[
            Column::text("error", 24, 0),
            Column::text("route", 16, 0),
            Column::number("count", 0),
            Column::text("sample", 20, 1),
        ]);
        for o in &report.offenders {
            offenders.row([
                o.error_key.clone(),
                o.route.clone(),
                o.count.to_string(),
                o.sample
                    .as_deref()
                    .map_or(String::new(), |s| format::clip(s, 80)),
            ]);
        }
        writeln!(out, "{}", offenders.render(style))?;
    }
    Ok(())
}

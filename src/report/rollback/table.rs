//! The terminal printer: the decision first, in words a tired person cannot
//! misread, then one row per rule, then (for ROLLBACK) the runbook and the
//! top offenders. Reads a [`RollbackReport`]; computes nothing.

use std::fmt::Write;

use comfy_table::{Cell, Color, ColumnConstraint, ContentArrangement, Table, Width, presets};

use super::format;
use crate::rollback::{Decision, RollbackReport, Verdict};

/// Renders `report` for a terminal; `color` adds ANSI colours. Tables wrap to
/// the terminal's width when stdout is one, and never wrap otherwise.
pub fn render_table(report: &RollbackReport, color: bool) -> String {
    render_table_width(report, color, None)
}

/// [`render_table`] wrapped to `width` columns (for a known terminal width,
/// or stable output in tests).
pub fn render_table_width(report: &RollbackReport, color: bool, width: Option<u16>) -> String {
    let mut out = String::new();
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[1;{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let code = match report.decision {
        Decision::Rollback => "31",
        Decision::Hold => "33",
        Decision::Proceed => "32",
    };
    let _ = writeln!(out, "{}", paint(code, &report.summary));
    let _ = writeln!(
        out,
        "canary {} · baseline {} · deployed {} · now {}{}",
        report.deployment,
        format::baseline(report.baseline.as_deref()),
        report.deploy_time.as_deref().unwrap_or("unknown"),
        report.now.as_deref().unwrap_or("unknown"),
        report
            .observed_minutes
            .map_or(String::new(), |m| format!(" ({m:.1} min observed)")),
    );
    out.push('\n');
    let mut rules = new_table(color, width);
    rules.set_header([
        "rule",
        "window",
        "canary",
        "baseline",
        "threshold",
        "samples",
        "verdict",
        "reason",
    ]);
    for rule in &report.rules {
        let mut verdict = Cell::new(format::verdict(rule));
        if color {
            verdict = verdict.fg(match rule.verdict {
                Verdict::Fail if rule.advisory => Color::Yellow,
                Verdict::Fail => Color::Red,
                Verdict::Inconclusive => Color::Yellow,
                Verdict::Pass => Color::Green,
                Verdict::NotApplicable => Color::Grey,
            });
        }
        rules.add_row(vec![
            Cell::new(&rule.id),
            Cell::new(&rule.window),
            Cell::new(format::value(rule.unit, rule.observed)),
            Cell::new(format::value(rule.unit, rule.baseline)),
            Cell::new(&rule.threshold),
            Cell::new(format::samples(rule)),
            verdict,
            Cell::new(&rule.reason),
        ]);
    }
    // Numbers never wrap; the reason keeps room to be read on a narrow screen.
    let constraints = [
        (0, ColumnConstraint::ContentWidth),
        (
            1,
            ColumnConstraint::Boundaries {
                lower: Width::Fixed(9),
                upper: Width::Fixed(16),
            },
        ),
        (
            4,
            ColumnConstraint::Boundaries {
                lower: Width::Fixed(12),
                upper: Width::Fixed(22),
            },
        ),
        (6, ColumnConstraint::ContentWidth),
    ];
    for (index, constraint) in constraints {
        if let Some(column) = rules.column_mut(index) {
            column.set_constraint(constraint);
        }
    }
    // On a narrow screen, keep the reason readable (a lower bound would pin
    // it to that width on a wide one, so only set it when needed).
    if rules.width().is_some_and(|w| w < 150) {
        if let Some(column) = rules.column_mut(7) {
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(30)));
        }
    }
    let _ = writeln!(out, "{rules}");
    if !report.runbook.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint(code, "Roll back now (runbook, seed 001):")
        );
        for (i, step) in report.runbook.iter().enumerate() {
            let _ = writeln!(out, "  {}. {step}", i + 1);
        }
    }
    if !report.offenders.is_empty() {
        let _ = writeln!(out, "\nTop offenders on {}:", report.deployment);
        let mut offenders = new_table(color, width);
        offenders.set_header(["error", "route", "count", "sample"]);
        for o in &report.offenders {
            let sample = o
                .sample
                .as_deref()
                .map_or(String::new(), |s| format::clip(s, 80));
            offenders.add_row([
                o.error_key.clone(),
                o.route.clone(),
                o.count.to_string(),
                sample,
            ]);
        }
        let _ = writeln!(out, "{offenders}");
    }
    out
}

fn new_table(color: bool, width: Option<u16>) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(width) = width {
        table.set_width(width);
    }
    if color {
        table.enforce_styling();
    }
    table
}

//! `logs audit` for the terminal: the scope, the call-outs (new, resolved),
//! a table of known signatures per period, then the unknown groups with
//! their examples and stub ids.

use std::io::{self, Write};

use comfy_table::Color;

use super::{first_shown, scope, short_period};
use crate::grid::{Column, Grid, GridCell, terminal_safe};
use crate::style::Style;
use crate::{first_line, thousands};
use logs_core::audit::AuditReport;
use logs_core::audit::report::{Callout, Status};

fn status(style: Style, s: Status) -> GridCell {
    let color = match s {
        Status::New => Some(Color::Red),
        Status::Resolved => Some(Color::Green),
        Status::Active => None,
    };
    GridCell::colored(s.as_str(), color.filter(|_| style.color))
}

/// One column per period shown, oldest first: the older a period, the
/// sooner it gives way on a narrow terminal (the latest stays).
fn period_columns(labels: &[&str]) -> Vec<(String, Column)> {
    let n = labels.len();
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let keep = if i + 1 == n { 4 } else { 1 };
            (short_period(l).to_string(), Column::number("", keep))
        })
        .collect()
}

fn callouts(
    out: &mut dyn Write,
    style: Style,
    head: &str,
    items: &[Callout],
    mark: &str,
) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", style.bold(head))?;
    for c in items {
        let when = match (mark, &c.first_seen, &c.last_seen) {
            ("+", Some(f), _) => format!("first seen {}", short(f)),
            (_, _, Some(l)) => format!("last seen {}", short(l)),
            _ => String::new(),
        };
        let sev = c.severity.map(|s| format!(" [{s}]")).unwrap_or_default();
        writeln!(
            out,
            "  {mark} {} {}{sev}: {}  ({} × {}, {when})",
            c.kind,
            style.bold(&c.id),
            first_line(&c.title, 100),
            thousands(c.count),
            if mark == "+" { "now" } else { "before" }
        )?;
    }
    Ok(())
}

/// `2026-01-19T08:24:20.047Z` → `2026-01-19 08:24`.
fn short(t: &str) -> String {
    t.get(..16).unwrap_or(t).replace('T', " ")
}

pub fn write_table(report: &AuditReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{} {}", style.bold("AUDIT"), scope(report))?;
    if let Some(latest) = &report.latest {
        writeln!(
            out,
            "latest {}: {} new, {} resolved, {} known signature(s), {} unknown group(s)",
            report.period.as_str(),
            report.new.len(),
            report.resolved.len(),
            report.signatures.len(),
            report.unknown.len()
        )
        .and_then(|()| {
            callouts(out, style, &format!("NEW in {latest}"), &report.new, "+")?;
            callouts(
                out,
                style,
                &format!("RESOLVED (absent from {latest})"),
                &report.resolved,
                "-",
            )
        })?;
    }
    let first = first_shown(report);
    let shown = &report.periods[first..];
    if !report.signatures.is_empty() {
        writeln!(out, "\n{}", style.bold("Known signatures"))?;
        let labels: Vec<&str> = shown.iter().map(|p| p.label.as_str()).collect();
        let mut columns = vec![
            ("Signature".to_string(), Column::whole("", 0)),
            ("Severity".to_string(), Column::whole("", 0)),
            ("Status".to_string(), Column::whole("", 3)),
        ];
        columns.extend(period_columns(&labels));
        columns.extend([
            ("Total".to_string(), Column::number("", 3)),
            ("Trend".to_string(), Column::whole("", 2)),
            ("Distinct".to_string(), Column::number("", 1)),
            ("Top route (latest)".to_string(), Column::text("", 16, 2)),
        ]);
        let mut t = Grid::headed(columns);
        for s in &report.signatures {
            let latest = s.periods.last();
            let mut row = vec![
                GridCell::from(s.signature.as_str()),
                GridCell::colored(s.severity.to_string(), style.severity_color(s.severity)),
                status(style, s.status),
            ];
            row.extend(
                s.periods[first..]
                    .iter()
                    .map(|p| GridCell::from(thousands(p.count))),
            );
            row.push(thousands(s.total).into());
            row.push(s.trend.label().into());
            row.push(latest.map_or(0, |p| p.distinct).to_string().into());
            let route = latest
                .and_then(|p| p.routes.first())
                .map_or("-".to_string(), |r| format!("{} ({})", r.value, r.count));
            row.push(route.into());
            t.row(row);
        }
        writeln!(out, "{}", t.render(style))?;
    }
    if report.unknown.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\n{} {} group(s), {} occurrence(s)",
        style.bold("Unknown errors:"),
        report.unknown.len(),
        thousands(report.unknown_total)
    )?;
    let labels: Vec<&str> = shown.iter().map(|p| p.label.as_str()).collect();
    let mut columns = vec![
        ("Id".to_string(), Column::whole("", 0)),
        ("Status".to_string(), Column::whole("", 3)),
    ];
    columns.extend(period_columns(&labels));
    columns.extend([
        ("Total".to_string(), Column::number("", 3)),
        ("Trend".to_string(), Column::whole("", 2)),
        ("Template".to_string(), Column::text("", 20, 0)),
    ]);
    let mut t = Grid::headed(columns);
    for g in &report.unknown {
        let mut row = vec![GridCell::from(g.id.as_str()), status(style, g.status)];
        row.extend(
            g.periods[first..]
                .iter()
                .map(|p| GridCell::from(thousands(p.count))),
        );
        row.push(thousands(g.total).into());
        row.push(g.trend.label().into());
        row.push(first_line(&g.template, 120).into());
        t.row(row);
    }
    writeln!(out, "{}", t.render(style))?;
    for g in &report.unknown {
        writeln!(
            out,
            "\n{} {}",
            style.bold(&g.id),
            first_line(&g.template, 160)
        )?;
        let route = g.routes.first().map_or(String::new(), |r| {
            format!(", top route {} ({})", r.value, r.count)
        });
        writeln!(
            out,
            "  {}",
            style.dim(&format!(
                "first {} · last {}{route}",
                g.first_seen.as_deref().map_or("-".into(), short),
                g.last_seen.as_deref().map_or("-".into(), short)
            ))
        )?;
        for e in &g.examples {
            writeln!(
                out,
                "    {}  {}",
                terminal_safe(
                    &crate::place(&report.inputs, &e.input, e.line, e.offset),
                    300
                ),
                terminal_safe(&first_line(&e.message, 160), 200)
            )?;
        }
        match &g.suggestion {
            Some(s) => writeln!(
                out,
                "  suggested signature: {} (anchor {:?}; --suggest DIR writes it)",
                s.id, s.anchor
            )?,
            None => writeln!(
                out,
                "  no stub: the template has no constant text to anchor on"
            )?,
        }
    }
    Ok(())
}

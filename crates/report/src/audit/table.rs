//! `logs audit` for the terminal: the scope, the call-outs (new, resolved),
//! a table of known signatures per period, then the unknown groups with
//! their examples and stub ids.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment};

use super::{first_shown, scope, short_period};
use crate::style::Style;
use crate::{first_line, thousands};
use logs_core::audit::AuditReport;
use logs_core::audit::report::{Callout, Status};

fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}

fn status(style: Style, s: Status) -> String {
    match s {
        Status::New => style.red("new"),
        Status::Resolved => style.green("resolved"),
        Status::Active => s.as_str().to_string(),
    }
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
        let mut t = style.table();
        let mut head = vec!["Signature".to_string(), "Severity".into(), "Status".into()];
        head.extend(shown.iter().map(|p| short_period(&p.label).to_string()));
        head.extend([
            "Total".into(),
            "Trend".into(),
            "Distinct".into(),
            "Top route (latest)".into(),
        ]);
        t.set_header(head);
        for s in &report.signatures {
            let latest = s.periods.last();
            let mut sev = Cell::new(s.severity);
            if let Some(c) = style.severity_color(s.severity) {
                sev = sev.fg(c);
            }
            let mut row = vec![
                Cell::new(&s.signature),
                sev,
                Cell::new(status(style, s.status)),
            ];
            row.extend(s.periods[first..].iter().map(|p| right(thousands(p.count))));
            row.push(right(thousands(s.total)));
            row.push(Cell::new(s.trend.label()));
            row.push(right(latest.map_or(0, |p| p.distinct).to_string()));
            let route = latest
                .and_then(|p| p.routes.first())
                .map_or("-".to_string(), |r| format!("{} ({})", r.value, r.count));
            row.push(Cell::new(route));
            t.add_row(row);
        }
        writeln!(out, "{t}")?;
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
    let mut t = style.table();
    let mut head = vec!["Id".to_string(), "Status".into()];
    head.extend(shown.iter().map(|p| short_period(&p.label).to_string()));
    head.extend(["Total".into(), "Trend".into(), "Template".into()]);
    t.set_header(head);
    for g in &report.unknown {
        let mut row = vec![Cell::new(&g.id), Cell::new(status(style, g.status))];
        row.extend(g.periods[first..].iter().map(|p| right(thousands(p.count))));
        row.push(right(thousands(g.total)));
        row.push(Cell::new(g.trend.label()));
        row.push(Cell::new(first_line(&g.template, 120)));
        t.add_row(row);
    }
    writeln!(out, "{t}")?;
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
                "    {}:{}  {}",
                e.input,
                e.line,
                first_line(&e.message, 160)
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

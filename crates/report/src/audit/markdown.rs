//! `logs audit` as GitHub-flavoured Markdown, to paste into the weekly
//! issue: call-outs first, then a table per section, examples and stubs in
//! `<details>`.

use std::io::{self, Write};

use super::{first_shown, scope, short_period};
use crate::{md_cell as cell, md_input_problems, thousands};
use logs_core::audit::AuditReport;
use logs_core::audit::report::{Callout, Status};

/// Text inside backticks (no backtick can close it early).
fn code(s: &str) -> String {
    format!("`{}`", cell(s).replace('`', "'"))
}

/// The date part of an RFC 3339 time.
fn day(t: &str) -> &str {
    t.get(..10).unwrap_or(t)
}

fn status(s: Status) -> &'static str {
    match s {
        Status::New => "🆕 new",
        Status::Resolved => "✅ resolved",
        Status::Active => "active",
    }
}

fn callouts(out: &mut dyn Write, head: &str, items: &[Callout]) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out, "**{head}**\n")?;
    for c in items {
        let sev = c.severity.map(|s| format!(" ({s})")).unwrap_or_default();
        let seen = match (&c.first_seen, &c.last_seen) {
            (Some(f), Some(l)) => format!(", seen {} to {}", day(f), day(l)),
            _ => String::new(),
        };
        writeln!(
            out,
            "- {} {}{sev}: {} — {} occurrence(s){seen}",
            c.kind,
            code(&c.id),
            cell(&c.title),
            thousands(c.count)
        )?;
    }
    writeln!(out)
}

pub fn write_markdown(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let latest = report.latest.as_deref().unwrap_or("-");
    writeln!(out, "## Error audit: {latest}\n")?;
    writeln!(out, "{}\n", scope(report))?;
    md_input_problems(&report.inputs, out)?;
    callouts(out, &format!("🆕 New in {latest}"), &report.new)?;
    callouts(
        out,
        &format!("✅ Resolved (absent from {latest})"),
        &report.resolved,
    )?;
    let first = first_shown(report);
    let shown = &report.periods[first..];
    let heads: String = shown
        .iter()
        .map(|p| format!(" {} |", short_period(&p.label)))
        .collect();
    let aligns: String = shown.iter().map(|_| "---:|").collect();
    if !report.signatures.is_empty() {
        writeln!(out, "### Known signatures\n")?;
        writeln!(
            out,
            "| Signature | Severity | Status |{heads} Total | Trend | Top route ({latest}) |"
        )?;
        writeln!(out, "|---|---|---|{aligns}---:|---|---|")?;
        for s in &report.signatures {
            let counts: String = s.periods[first..]
                .iter()
                .map(|p| format!(" {} |", thousands(p.count)))
                .collect();
            let route = s
                .periods
                .last()
                .and_then(|p| p.routes.first())
                .map_or("-".to_string(), |r| {
                    format!("{} ({})", code(&r.value), r.count)
                });
            writeln!(
                out,
                "| {} {} | {} | {} |{counts} {} | {} | {route} |",
                code(&s.signature),
                cell(&s.title),
                s.severity,
                status(s.status),
                thousands(s.total),
                s.trend.label()
            )?;
        }
        writeln!(out)?;
    }
    if report.unknown.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "### Unknown errors: {} group(s), {} occurrence(s)\n",
        report.unknown.len(),
        thousands(report.unknown_total)
    )?;
    writeln!(out, "| Id | Status |{heads} Total | Trend | Template |")?;
    writeln!(out, "|---|---|{aligns}---:|---|---|")?;
    for g in &report.unknown {
        let counts: String = g.periods[first..]
            .iter()
            .map(|p| format!(" {} |", thousands(p.count)))
            .collect();
        writeln!(
            out,
            "| {} | {} |{counts} {} | {} | {} |",
            code(&g.id),
            status(g.status),
            thousands(g.total),
            g.trend.label(),
            code(&g.template)
        )?;
    }
    writeln!(out)?;
    for g in &report.unknown {
        writeln!(
            out,
            "<details><summary>{}: examples and suggested signature</summary>\n",
            code(&g.id)
        )?;
        if let Some(r) = g.routes.first() {
            writeln!(
                out,
                "Top route: {} ({} of {})\n",
                code(&r.value),
                r.count,
                g.total
            )?;
        }
        for e in &g.examples {
            let when = e.time.as_deref().unwrap_or("-");
            writeln!(
                out,
                "{} · {when}\n",
                code(&crate::place(&report.inputs, &e.input, e.line, e.offset))
            )?;
            writeln!(out, "```text\n{}\n```\n", e.message.replace("```", "` ` `"))?;
        }
        if let Some(s) = &g.suggestion {
            writeln!(out, "```toml\n{}```\n", s.toml.replace("```", "` ` `"))?;
        }
        writeln!(out, "</details>\n")?;
    }
    Ok(())
}

//! The Markdown printer, for a PR comment or an incident doc: the decision
//! as a heading, the rules as a table, then the runbook and top offenders.
//! Reads a [`RollbackReport`]; computes nothing.

use std::io::{self, Write};

use super::{format, labels, wording};
use crate::escape::{md_block, md_code, md_text};
use logs_core::rollback::RollbackReport;

/// [`write_markdown`] into a string.
pub fn render_markdown(report: &RollbackReport) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_markdown(report, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes `report` as GitHub-flavoured Markdown.
pub fn write_markdown(report: &RollbackReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "## Canary decision: {}\n",
        report.decision.as_str().to_uppercase()
    )?;
    writeln!(out, "**{}**\n", cell(&wording::headline(report)))?;
    writeln!(out, "- Canary: {}", md_code(&report.deployment))?;
    writeln!(
        out,
        "- Baseline: {}",
        match report.baseline.as_deref() {
            Some(b) => md_code(b),
            None => format::baseline(None),
        }
    )?;
    writeln!(
        out,
        "- Deployed: {} · now: {}{}\n",
        report.deploy_time.as_deref().unwrap_or("unknown"),
        report.now.as_deref().unwrap_or("unknown"),
        report
            .observed_minutes
            .map_or(String::new(), |m| format!(" ({m:.1} min observed)")),
    )?;
    out.write_all(
        "| Rule | Window | Canary | Baseline | Threshold | Samples | Verdict | Reason |\n"
            .as_bytes(),
    )?;
    out.write_all("|---|---|---|---|---|---|---|---|\n".as_bytes())?;
    for rule in &report.rules {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | **{}** | {} |",
            md_code(rule.id.as_str()),
            cell(&labels::window(rule)),
            format::value(rule.unit, rule.observed),
            format::value(rule.unit, rule.baseline),
            cell(&labels::threshold(rule)),
            format::samples(rule),
            format::verdict(rule),
            cell(&wording::reason(rule, &report.deployment)),
        )?;
    }
    writeln!(out, "\n{}", md_text(super::LEGEND))?;
    if !report.runbook.is_empty() {
        out.write_all("\n### Roll back now\n\n".as_bytes())?;
        if let Some(t) = report.runbook_threshold {
            writeln!(
                out,
                "The rollback runbook: {}.\n",
                wording::runbook_threshold(t)
            )?;
        }
        writeln!(out, "{}", md_block("sh", &report.runbook.join("\n"), 4000))?;
    }
    if !report.offenders.is_empty() {
        out.write_all(
            "\n### Top offenders\n\n| Error | Route | Count | Sample |\n|---|---|---|---|\n"
                .as_bytes(),
        )?;
        for o in &report.offenders {
            let sample = o
                .sample
                .as_deref()
                .map_or(String::new(), |s| md_text(&format::clip(s, 120)));
            writeln!(
                out,
                "| {} | {} | {} | {sample} |",
                md_code(&o.error_key),
                md_code(&o.route),
                o.count
            )?;
        }
    }
    Ok(())
}

/// A table cell of text from the data: escaped, one line.
fn cell(text: &str) -> String {
    md_text(text)
}

//! The Markdown printer, for a PR comment or an incident doc: the decision
//! as a heading, the rules as a table, then the runbook and top offenders.
//! Reads a [`RollbackReport`]; computes nothing.

use std::fmt::Write;

use super::format;
use crate::rollback::RollbackReport;

/// Renders `report` as GitHub-flavoured Markdown.
pub fn render_markdown(report: &RollbackReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Canary decision: {}\n",
        report.decision.as_str().to_uppercase()
    );
    let _ = writeln!(out, "**{}**\n", cell(&report.summary));
    let _ = writeln!(out, "- Canary: `{}`", report.deployment);
    let _ = writeln!(
        out,
        "- Baseline: {}",
        format::baseline(report.baseline.as_deref())
    );
    let _ = writeln!(
        out,
        "- Deployed: {} · now: {}{}\n",
        report.deploy_time.as_deref().unwrap_or("unknown"),
        report.now.as_deref().unwrap_or("unknown"),
        report
            .observed_minutes
            .map_or(String::new(), |m| format!(" ({m:.1} min observed)")),
    );
    out.push_str(
        "| Rule | Window | Canary | Baseline | Threshold | Samples | Verdict | Reason |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    for rule in &report.rules {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | **{}** | {} |",
            rule.id,
            cell(&rule.window),
            format::value(rule.unit, rule.observed),
            format::value(rule.unit, rule.baseline),
            cell(&rule.threshold),
            format::samples(rule),
            format::verdict(rule),
            cell(&rule.reason),
        );
    }
    if !report.runbook.is_empty() {
        out.push_str("\n### Roll back now (runbook, seed 001)\n\n```sh\n");
        for step in &report.runbook {
            let _ = writeln!(out, "{step}");
        }
        out.push_str("```\n");
    }
    if !report.offenders.is_empty() {
        out.push_str(
            "\n### Top offenders\n\n| Error | Route | Count | Sample |\n|---|---|---|---|\n",
        );
        for o in &report.offenders {
            let sample = o
                .sample
                .as_deref()
                .map_or(String::new(), |s| cell(&format::clip(s, 120)));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {sample} |",
                cell(&o.error_key),
                cell(&o.route),
                o.count
            );
        }
    }
    out
}

/// A table cell: pipes escaped, one line.
fn cell(text: &str) -> String {
    format::clip(text, usize::MAX).replace('|', "\\|")
}

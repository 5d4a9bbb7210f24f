//! The two outputs of `logs serve` besides the JSON: the page on `GET /`
//! (self-contained HTML: no script, no external asset, a meta refresh)
//! and the Slack-compatible notification posted on a change of decision.
//! Every log-derived text (deployment ids, signature names, samples) goes
//! through [`escape::html`] (page) or [`slack`] (notice) and is bounded;
//! samples are redacted here, as every printer of evidence does.

use std::fmt::Write as _;

use super::{format, labels, wording};
use crate::escape;
use logs_core::redact;
use logs_core::rollback::{Decision, RollbackReport, Verdict};

/// A record that matched a known signature, newest first on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestSignature {
    pub time_ms: i64,
    pub deployment: Option<String>,
    pub signature: String,
    /// Message excerpt, not yet redacted.
    pub sample: Option<String>,
}

/// What the page shows besides the report.
#[derive(Debug, Clone, Copy)]
pub struct LiveView<'a> {
    /// Records stored per minute of receipt: (minute start, epoch ms; count),
    /// oldest first.
    pub per_minute: &'a [(i64, u64)],
    /// Newest first.
    pub latest: &'a [LatestSignature],
    /// Records stored since the server started (or read back on start).
    pub records: u64,
    /// Seconds between refreshes.
    pub refresh_secs: u32,
}

/// Longest log text shown in one cell, in characters.
const CELL_MAX: usize = 200;

fn cell(text: &str) -> String {
    escape::html(&format::clip(text, CELL_MAX))
}

fn time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(
        || "—".into(),
        |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}

/// The page of `GET /`.
pub fn render_live_page(report: &RollbackReport, view: &LiveView<'_>) -> String {
    let mut o = String::with_capacity(8192);
    let decision = report.decision.as_str();
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"{}\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>logs serve — {}</title><style>{}</style></head><body>\n",
        view.refresh_secs, decision, CSS
    );
    let _ = writeln!(
        o,
        "<h1 id=\"decision\" class=\"{decision}\">{}</h1>",
        cell(&wording::headline(report))
    );
    let _ = writeln!(
        o,
        "<p>Canary <code id=\"canary\">{}</code> against {}; {} records stored. \
         Refreshes every {} s; the same judgement as JSON: <a href=\"/status\">/status</a>.</p>",
        cell(&report.deployment),
        cell(&format::baseline(report.baseline.as_deref())),
        view.records,
        view.refresh_secs
    );
    if let Some(t) = report.runbook_threshold {
        let _ = writeln!(
            o,
            "<p id=\"runbook\">Runbook: {}.</p>",
            cell(&wording::runbook_threshold(t))
        );
    }
    o.push_str("<h2>Rules</h2>\n<table id=\"rules\"><tr><th>Rule</th><th>Verdict</th><th>Observed</th><th>Fails when</th><th>Why</th></tr>\n");
    for rule in &report.rules {
        let class = match rule.verdict {
            Verdict::Fail => "fail",
            Verdict::Pass => "pass",
            _ => "other",
        };
        let _ = writeln!(
            o,
            "<tr class=\"{class}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            cell(labels::title(rule.id)),
            cell(&format::verdict(rule)),
            cell(&format::value(rule.unit, rule.observed)),
            cell(&labels::threshold(rule)),
            cell(&wording::reason(rule, &report.deployment)),
        );
    }
    o.push_str("</table>\n<h2>Records per minute</h2>\n");
    per_minute(&mut o, view.per_minute);
    o.push_str("<h2>Latest signatures</h2>\n");
    if view.latest.is_empty() {
        o.push_str("<p>No record has matched a known signature yet.</p>\n");
    } else {
        o.push_str("<table id=\"signatures\"><tr><th>Time</th><th>Deployment</th><th>Signature</th><th>Sample (redacted)</th></tr>\n");
        for s in view.latest {
            let sample = s.sample.as_deref().map(|t| redact::sample(t, CELL_MAX));
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                time(s.time_ms),
                cell(s.deployment.as_deref().unwrap_or("—")),
                cell(&s.signature),
                cell(sample.as_deref().unwrap_or("—")),
            );
        }
        o.push_str("</table>\n");
    }
    o.push_str("</body></html>\n");
    o
}

/// A bar per minute (CSS widths, no script).
fn per_minute(o: &mut String, minutes: &[(i64, u64)]) {
    if minutes.is_empty() {
        o.push_str("<p>Nothing stored since the server started.</p>\n");
        return;
    }
    let max = minutes.iter().map(|m| m.1).max().unwrap_or(1).max(1);
    o.push_str("<table id=\"per-minute\">\n");
    for &(start, n) in minutes {
        let label = chrono::DateTime::from_timestamp_millis(start)
            .map_or_else(|| "—".into(), |t| t.format("%H:%M").to_string());
        let width = (n as f64 / max as f64 * 100.0).max(0.5);
        let _ = writeln!(
            o,
            "<tr><td>{label}</td><td class=\"n\">{n}</td><td class=\"bar\"><span style=\"width:{width:.1}%\"></span></td></tr>"
        );
    }
    o.push_str("</table>\n");
}

const CSS: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}\
h1.rollback{color:#b00}h1.hold{color:#a60}h1.proceed{color:#070}tr.fail td{background:#fdd}tr.pass td{background:#efe}\
td.n{text-align:right}td.bar{width:30em}td.bar span{display:block;height:.8em;background:#58a}code{font-size:90%}";

/// Text for Slack's `mrkdwn`: `&`, `<`, `>` escaped (so no link, mention
/// or command comes from log text), one line, bounded.
fn slack(text: &str) -> String {
    format::clip(text, CELL_MAX)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The notification body for a Slack-compatible incoming webhook: `text`
/// (the headline, the failing rules with their reasons, the runbook's
/// threshold) and the same as one `section` block.
pub fn render_notice(report: &RollbackReport) -> String {
    let mut text = slack(&wording::headline(report));
    let failing: Vec<String> = (report.rules.iter())
        .filter(|r| r.verdict == Verdict::Fail)
        .map(|r| {
            format!(
                "• {} ({}): {}",
                slack(r.id.as_str()),
                slack(&labels::threshold(r)),
                slack(&wording::reason(r, &report.deployment))
            )
        })
        .collect();
    if !failing.is_empty() {
        text.push_str("\nFailing rules:\n");
        text.push_str(&failing.join("\n"));
    }
    if let Some(t) = report.runbook_threshold {
        let _ = write!(text, "\nRunbook: {}.", wording::runbook_threshold(t));
        if report.decision == Decision::Rollback {
            for step in &report.runbook {
                let _ = write!(text, "\n`{}`", slack(step));
            }
        }
    }
    let body = serde_json::json!({
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        "decision": report.decision.as_str(),
        "deployment": report.deployment,
    });
    body.to_string()
}

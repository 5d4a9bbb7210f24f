//! The HTML page's "at a glance" table: every known signature and unknown
//! group as a row, every period as a column, each cell tinted by its count
//! relative to the row's busiest period (a heat map that needs no script).

use std::fmt::Write as _;

use super::svg::{esc, tint};
use crate::thousands;
use logs_core::audit::AuditReport;
use logs_core::audit::report::Status;

/// One row of the table.
struct Row<'a> {
    name: String,
    title: &'a str,
    color: &'static str,
    status: Status,
    counts: Vec<u64>,
    total: u64,
}

fn row_html(h: &mut String, r: &Row<'_>) {
    let max = r.counts.iter().copied().max().unwrap_or(0).max(1);
    let _ = write!(
        h,
        r#"<tr><th title="{}"><i style="background:{}"></i>{}"#,
        esc(r.title),
        r.color,
        esc(&r.name)
    );
    if r.status != Status::Active {
        let _ = write!(
            h,
            r#" <span class="pill {0}">{0}</span>"#,
            r.status.as_str()
        );
    }
    h.push_str("</th>");
    for &c in &r.counts {
        if c == 0 {
            h.push_str(r#"<td class="zero">·</td>"#);
        } else {
            let alpha = 0.12 + 0.68 * c as f64 / max as f64;
            let _ = write!(
                h,
                r#"<td style="background:{}">{}</td>"#,
                tint(r.color, alpha),
                thousands(c)
            );
        }
    }
    let _ = write!(h, r#"<td class="total">{}</td></tr>"#, thousands(r.total));
}

/// Writes the table (nothing when there is nothing to show).
pub fn glance(
    h: &mut String,
    report: &AuditReport,
    severity_color: fn(&str) -> &'static str,
    unknown_color: &'static str,
) {
    if report.signatures.is_empty() && report.unknown.is_empty() {
        return;
    }
    let _ = write!(
        h,
        r#"<section class="card glance"><h2>At a glance</h2><div class="scroll"><table class="heat"><thead><tr><th></th>"#
    );
    for p in &report.periods {
        let _ = write!(h, "<th>{}</th>", esc(p.label.get(5..).unwrap_or(&p.label)));
    }
    h.push_str("<th>total</th></tr></thead><tbody>");
    let known = report.signatures.iter().map(|s| Row {
        name: s.signature.clone(),
        title: &s.title,
        color: severity_color(s.severity.as_str()),
        status: s.status,
        counts: s.periods.iter().map(|p| p.count).collect(),
        total: s.total,
    });
    let unknown = report.unknown.iter().map(|g| Row {
        name: crate::first_line(&g.template, 64),
        title: &g.id,
        color: unknown_color,
        status: g.status,
        counts: g.periods.iter().map(|p| p.count).collect(),
        total: g.total,
    });
    let sections: [(&str, Vec<Row<'_>>); 2] = [
        ("Known signatures", known.collect()),
        ("Unknown errors", unknown.collect()),
    ];
    let span = report.periods.len() + 2;
    for (head, rows) in sections.iter().filter(|(_, rows)| !rows.is_empty()) {
        let _ = write!(
            h,
            r#"<tr class="group"><th colspan="{span}">{head}</th></tr>"#
        );
        for r in rows {
            row_html(h, r);
        }
    }
    h.push_str("</tbody></table></div></section>");
}

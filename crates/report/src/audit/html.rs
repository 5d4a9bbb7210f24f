//! `logs audit` as one self-contained HTML page: inline CSS (`page.css`),
//! inline SVG charts ([`super::svg`]), no scripts, no fonts or images to
//! fetch, so it can be mailed, attached or opened offline. Layout: totals,
//! an overview chart, the call-outs, an at-a-glance heat map, one card with
//! a chart per known signature, then one card per unknown group with its
//! chart, examples and stub, and last the cron and webhook auth card.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::access_html::access_section;
use super::glance::glance;
use super::scope;
use super::svg::{ChartSpec, Series, bar_chart, esc};
use crate::thousands;
use logs_core::audit::AuditReport;
use logs_core::audit::report::{Callout, SignatureTrend, Trend, UnknownGroup};
use logs_core::check::report::Counted;

const CSS: &str = include_str!("page.css");

const UNKNOWN_COLOR: &str = "#6c5ce7";
const KNOWN_COLOR: &str = "#2e86ab";

fn severity_color(s: &str) -> &'static str {
    match s {
        "critical" => "#d7263d",
        "high" => "#f46036",
        "medium" => "#d99a00",
        "low" => "#2e86ab",
        _ => "#8a94a6",
    }
}

fn trend_html(t: &Trend) -> String {
    let class = match t.direction {
        logs_core::audit::report::Direction::Up => "up",
        logs_core::audit::report::Direction::Down => "down",
        logs_core::audit::report::Direction::Flat => "flat",
    };
    format!(r#"<dd class="{class}">{}</dd>"#, esc(&t.label()))
}

fn counted(list: &[Counted], n: usize) -> String {
    let items: Vec<String> = list
        .iter()
        .take(n)
        .map(|c| format!("<code>{}</code> {}", esc(&c.value), thousands(c.count)))
        .collect();
    if items.is_empty() {
        "–".to_string()
    } else {
        items.join(" · ")
    }
}

fn day(t: &Option<String>) -> String {
    t.as_deref()
        .map_or("–".to_string(), |t| esc(t.get(..10).unwrap_or(t)))
}

fn callouts(h: &mut String, class: &str, head: &str, items: &[Callout], empty: &str) {
    let _ = write!(
        h,
        r#"<div class="card callout {class}"><h2>{}</h2><ul>"#,
        esc(head)
    );
    if items.is_empty() {
        let _ = write!(h, r#"<li class="none">{}</li>"#, esc(empty));
    }
    for c in items {
        let sev = c.severity.map_or(String::new(), |s| {
            format!(r#"<span class="pill {s}">{s}</span>"#)
        });
        let _ = write!(
            h,
            r#"<li><span class="pill kind">{}</span>{sev}<b>{}</b> <span class="id">{}</span><div class="meta">{} occurrence(s) · first {} · last {}</div></li>"#,
            c.kind,
            esc(&c.title),
            esc(&c.id),
            thousands(c.count),
            day(&c.first_seen),
            day(&c.last_seen)
        );
    }
    h.push_str("</ul></div>");
}

fn signature_card(h: &mut String, s: &SignatureTrend, labels: &[String], latest: &str) {
    let counts: Vec<u64> = s.periods.iter().map(|p| p.count).collect();
    let sev = s.severity.as_str();
    let chart = bar_chart(
        &ChartSpec {
            class: "chart sig-chart",
            width: 520,
            height: 150,
            labels,
            title: &format!("{} per period", s.signature),
        },
        &[Series {
            name: "hits",
            color: severity_color(sev),
            values: &counts,
        }],
    );
    let last = s.periods.last();
    let _ = write!(
        h,
        r#"<article class="card sig sev-{sev}"><div><span class="pill {sev}">{sev}</span><span class="pill {st}">{st}</span></div><h3>{}</h3><code class="id">{}</code>{chart}<dl class="facts"><div><dt>{}</dt><dd>{}</dd></div><div><dt>trend</dt>{}</div><div><dt>total</dt><dd>{}</dd></div><div><dt>distinct</dt><dd>{}</dd></div></dl><p class="meta">Routes: {}</p><p class="meta">Deployments: {}</p>"#,
        esc(&s.title),
        esc(&s.signature),
        esc(latest),
        thousands(s.latest),
        trend_html(&s.trend),
        thousands(s.total),
        last.map_or(0, |p| p.distinct),
        counted(last.map_or(&[][..], |p| &p.routes), 3),
        counted(last.map_or(&[][..], |p| &p.deployments), 2),
        st = s.status.as_str(),
    );
    h.push_str("<details><summary>Example and what to do</summary>");
    if let Some(e) = &s.example {
        let _ = write!(h, "<pre>{}</pre>", esc(e));
    }
    let _ = write!(h, "<p>{}</p></details></article>", esc(&s.action));
}

fn unknown_card(
    h: &mut String,
    report: &AuditReport,
    g: &UnknownGroup,
    labels: &[String],
    latest: &str,
) {
    let counts: Vec<u64> = g.periods.iter().map(|p| p.count).collect();
    let chart = bar_chart(
        &ChartSpec {
            class: "chart unknown-chart",
            width: 520,
            height: 150,
            labels,
            title: &format!("{} per period", g.id),
        },
        &[Series {
            name: "errors",
            color: UNKNOWN_COLOR,
            values: &counts,
        }],
    );
    let st = g.status.as_str();
    let _ = write!(
        h,
        r#"<article class="card unknown-card"><div><span class="pill {st}">{st}</span><span class="pill {sev}">{sev}</span><code class="id">{}</code></div><code class="template">{}</code><div class="split"><div>{chart}<dl class="facts"><div><dt>{}</dt><dd>{}</dd></div><div><dt>trend</dt>{}</div><div><dt>total</dt><dd>{}</dd></div><div><dt>seen</dt><dd class="small">{}<br>{}</dd></div></dl><p class="meta">Routes: {}</p><p class="meta">Deployments: {}</p></div><div class="examples">"#,
        esc(&g.id),
        esc(&g.template),
        esc(latest),
        thousands(g.latest),
        trend_html(&g.trend),
        thousands(g.total),
        day(&g.first_seen),
        day(&g.last_seen),
        counted(&g.routes, 3),
        counted(&g.deployments, 2),
        sev = g.severity.as_str(),
    );
    for e in &g.examples {
        let _ = write!(
            h,
            r#"<p class="meta"><code>{}</code> · {}</p><pre>{}</pre>"#,
            esc(&crate::place(&report.inputs, &e.input, e.line, e.offset)),
            esc(e.time.as_deref().unwrap_or("–")),
            esc(&e.message)
        );
    }
    match &g.suggestion {
        Some(s) => {
            let _ = write!(
                h,
                r#"<details><summary>Suggested signature <code>{}</code></summary><pre>{}</pre></details>"#,
                esc(&s.id),
                esc(&s.toml)
            );
        }
        None => h.push_str(
            r#"<p class="meta">No stub: the template has no constant text to anchor on.</p>"#,
        ),
    }
    h.push_str("</div></div></article>");
}

pub fn write_html(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let latest = report.latest.as_deref().unwrap_or("–");
    let labels: Vec<String> = report.periods.iter().map(|p| p.label.clone()).collect();
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Error audit · {}</title><style>{CSS}</style></head><body><main>"#,
        esc(latest)
    );
    let _ = write!(
        h,
        r#"<header><p class="eyebrow">logs audit · per {}</p><h1>Error audit <span>{}</span></h1><p class="scope">{}</p></header>"#,
        report.period.as_str(),
        esc(latest),
        esc(&scope(report))
    );
    let firing = report.signatures.iter().filter(|s| s.latest > 0).count();
    let _ = write!(
        h,
        r#"<section class="stats"><div class="stat"><b>{}</b><span>records in range</span></div><div class="stat"><b>{firing}</b><span>signatures firing in {}</span></div><div class="stat new"><b>{}</b><span>new in {}</span></div><div class="stat resolved"><b>{}</b><span>resolved</span></div><div class="stat unknown"><b>{}</b><span>unknown groups · {} errors</span></div></section>"#,
        thousands(report.records_in_range),
        esc(latest),
        report.new.len(),
        esc(latest),
        report.resolved.len(),
        report.unknown.len(),
        thousands(report.unknown_total)
    );
    let known: Vec<u64> = (0..labels.len())
        .map(|i| {
            report
                .signatures
                .iter()
                .map(|s| s.periods.get(i).map_or(0, |p| p.count))
                .sum()
        })
        .collect();
    let unknown: Vec<u64> = (0..labels.len())
        .map(|i| {
            report
                .unknown
                .iter()
                .map(|g| g.periods.get(i).map_or(0, |p| p.count))
                .sum()
        })
        .collect();
    let overview = bar_chart(
        &ChartSpec {
            class: "chart overview-chart",
            width: 1100,
            height: 190,
            labels: &labels,
            title: "errors per period",
        },
        &[
            Series {
                name: "known signature hits",
                color: KNOWN_COLOR,
                values: &known,
            },
            Series {
                name: "unknown errors",
                color: UNKNOWN_COLOR,
                values: &unknown,
            },
        ],
    );
    let _ = write!(
        h,
        r#"<section class="card overview"><h2>Errors per {}</h2>{overview}<div class="legend"><span><i style="background:{KNOWN_COLOR}"></i>known signature hits</span><span><i style="background:{UNKNOWN_COLOR}"></i>unknown errors</span></div></section>"#,
        report.period.as_str()
    );
    h.push_str(r#"<section class="callouts">"#);
    callouts(
        &mut h,
        "new",
        &format!("New in {latest}"),
        &report.new,
        "Nothing new.",
    );
    callouts(
        &mut h,
        "resolved",
        &format!("Resolved (absent from {latest})"),
        &report.resolved,
        "Nothing resolved.",
    );
    h.push_str("</section>");
    glance(&mut h, report, severity_color, UNKNOWN_COLOR);
    let _ = write!(h, "<h2>Known signatures ({})</h2>", report.signatures.len());
    h.push_str(r#"<section class="grid">"#);
    for s in &report.signatures {
        signature_card(&mut h, s, &labels, latest);
    }
    h.push_str("</section>");
    let _ = write!(
        h,
        "<h2>Unknown errors ({} groups)</h2><section>",
        report.unknown.len()
    );
    for g in &report.unknown {
        unknown_card(&mut h, report, g, &labels, latest);
    }
    h.push_str("</section>");
    access_section(&mut h, report);
    let inputs: Vec<String> = report.inputs.iter().map(|i| esc(&i.path)).collect();
    let _ = writeln!(
        h,
        "<footer>Generated by <code>logs audit</code> ({}) from {}. Examples are redacted.</footer></main></body></html>",
        report.schema,
        inputs.join(", ")
    );
    out.write_all(h.as_bytes())
}

//! `logs check` as GitHub Actions workflow commands: one annotation per
//! finding (`::error` when it fails the check, `::warning` below that,
//! `::notice` for info or suppressed), an `::error` per input problem, and
//! a `::warning` per expired suppression.

use std::io::{self, Write};

use super::sample_place;
use crate::first_line;
use logs_core::check::{CheckReport, Verdict};
use logs_core::signatures::Severity;

/// Escapes a workflow command message (and bounds it).
fn data(s: &str) -> String {
    let s: String = s.chars().take(4000).collect();
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command property.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn write_github(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    for i in &report.inputs {
        if let Some(p) = i.problem() {
            writeln!(
                out,
                "::error title={}::{}",
                property("logs check: input problem"),
                data(p)
            )?;
        }
    }
    if report.verdict == Verdict::Error && !report.input_errors {
        // What the input holds, so the annotation alone says why the
        // filters matched nothing.
        let holds = report.inventory.as_ref().map_or(String::new(), |inv| {
            let lines: Vec<String> = super::inventory_text(inv)
                .iter()
                .map(|l| format!("\n  {l}"))
                .collect();
            format!("\nThe input holds:{}", lines.concat())
        });
        for e in &report.errors {
            writeln!(
                out,
                "::error title={}::{}",
                property("logs check: nothing checked"),
                data(&format!("{e}{holds}"))
            )?;
        }
    }
    for s in &report.expired_suppressions {
        writeln!(
            out,
            "::warning title={}::{}",
            property("logs check: expired suppression"),
            data(&format!(
                "the suppression of {} expired on {} and no longer applies: {}",
                s.signature, s.until, s.reason
            ))
        )?;
    }
    for f in &report.findings {
        let level = if f.fails {
            "error"
        } else if f.severity == Severity::Info || f.suppressed == f.count {
            "notice"
        } else {
            "warning"
        };
        let mut props = Vec::new();
        if let Some(s) = f.samples.first() {
            props.push(format!("file={}", property(&s.input)));
            if !sample_place(report, s).contains("@byte") {
                props.push(format!("line={}", s.line));
            }
        }
        props.push(format!(
            "title={}",
            property(&format!("{} ({})", f.signature, f.severity))
        ));
        let mut msg = format!("{}: {} hit(s), {} distinct", f.title, f.count, f.distinct);
        if let (Some(a), Some(b)) = (&f.first_seen, &f.last_seen) {
            msg.push_str(&format!(", {a} to {b}"));
        }
        if f.suppressed > 0 {
            msg.push_str(&format!(", {} suppressed", f.suppressed));
        }
        if f.new == Some(false) {
            msg.push_str(", known in the baseline");
        }
        if let Some(s) = f.samples.first() {
            msg.push_str(&format!(
                "\nsample ({}): {}",
                sample_place(report, s),
                first_line(&s.message, 200)
            ));
        }
        msg.push_str(&format!("\nwhat to do: {}", f.action.replace('\n', " ")));
        writeln!(out, "::{level} {}::{}", props.join(","), data(&msg))?;
    }
    Ok(())
}

//! `logs check` as GitHub Actions workflow commands: one annotation per
//! finding (`::error` when it fails the check, `::warning` below that,
//! `::notice` for info).

use std::io::{self, Write};

use crate::check::CheckReport;
use crate::report::first_line;
use crate::signatures::Severity;

/// Escapes a workflow command message.
fn data(s: &str) -> String {
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
        if let Some(p) = i.error.as_deref().or(i.damage.as_deref()) {
            writeln!(
                out,
                "::error title={}::{}",
                property("logs check: input problem"),
                data(&format!("{}: {p}", i.path))
            )?;
        }
    }
    for f in &report.findings {
        let level = if f.fails {
            "error"
        } else if f.severity == Severity::Info {
            "notice"
        } else {
            "warning"
        };
        let mut props = Vec::new();
        if let Some(s) = f.samples.first() {
            props.push(format!("file={}", property(&s.input)));
            props.push(format!("line={}", s.line));
        }
        props.push(format!(
            "title={}",
            property(&format!("{} ({})", f.signature, f.severity))
        ));
        let mut msg = format!("{}: {} hit(s), {} distinct", f.title, f.count, f.distinct);
        if let (Some(a), Some(b)) = (&f.first_seen, &f.last_seen) {
            msg.push_str(&format!(", {a} to {b}"));
        }
        if let Some(s) = f.samples.first() {
            msg.push_str(&format!("\nsample: {}", first_line(&s.message, 200)));
        }
        msg.push_str(&format!("\nwhat to do: {}", f.action.replace('\n', " ")));
        writeln!(out, "::{level} {}::{}", props.join(","), data(&msg))?;
    }
    Ok(())
}

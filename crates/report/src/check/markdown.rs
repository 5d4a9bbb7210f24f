//! `logs check` as GitHub-flavoured Markdown, for PR comments and
//! `$GITHUB_STEP_SUMMARY`. Log text only enters through
//! [`crate::escape`].

use std::io::{self, Write};

use super::{
    accepted_words, export_words, failing_words, finding_mark, input_names, inventory_text,
    sample_place, scope_words, short_time,
};
use crate::escape::{html, md_block, md_code, md_text};
use crate::{md_input_problems, thousands};
use logs_core::check::{CheckReport, Verdict};

pub fn write_markdown(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    match report.verdict {
        Verdict::Error => writeln!(
            out,
            "### ⚠️ logs check could not check everything: {}\n",
            md_text(&report.errors.join("; "))
        )?,
        Verdict::Fail => writeln!(
            out,
            "### ❌ logs check failed: {} at or above `{}`\n",
            failing_words(report),
            report.fail_on
        )?,
        Verdict::Pass => writeln!(
            out,
            "### ✅ logs check passed: nothing at or above `{}`\n",
            report.fail_on
        )?,
    }
    let inputs = match report.inputs.as_slice() {
        [one] => md_code(&one.path),
        _ => md_text(&input_names(report)),
    };
    let accepted = accepted_words(report).map_or(String::new(), |a| format!("; {}", md_text(&a)));
    writeln!(
        out,
        "{} from {inputs}{accepted}\n",
        md_text(&scope_words(report)),
    )?;
    for i in &report.inputs {
        if let Some(h) = &i.export {
            writeln!(out, "{}: {}\n", md_code(&i.path), md_text(&export_words(h)))?;
        }
    }
    md_input_problems(&report.inputs, out)?;
    if let Some(inv) = &report.inventory {
        writeln!(out, "The input holds:\n")?;
        for line in inventory_text(inv) {
            writeln!(out, "- {}", md_text(&line))?;
        }
        writeln!(out)?;
    }
    for s in &report.expired_suppressions {
        writeln!(
            out,
            "> **Expired suppression:** {} (until {}): {}\n",
            md_code(&s.signature),
            s.until,
            md_text(&s.reason)
        )?;
    }
    if let Some(note) = super::access::not_applicable_note(report) {
        writeln!(out, "> **Note:** {}\n", md_text(&note))?;
    }
    if report.findings.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "| Signature | Severity | Count | Distinct | First seen | Last seen | Top route |"
    )?;
    writeln!(out, "|---|---|---:|---:|---|---|---|")?;
    for f in &report.findings {
        let route = f.routes.first().map_or("-".to_string(), |r| {
            format!("{} ({})", md_code(&r.value), r.count)
        });
        let mut severity = if f.fails {
            format!("**{}**", f.severity)
        } else {
            f.severity.to_string()
        };
        if let Some(mark) = finding_mark(f) {
            severity = format!("{severity} {mark}");
        }
        writeln!(
            out,
            "| {} {} | {severity} | {} | {} | {} | {} | {route} |",
            md_code(&f.signature),
            md_text(&f.title),
            thousands(f.count),
            thousands(f.distinct),
            short_time(&f.first_seen),
            short_time(&f.last_seen),
        )?;
    }
    writeln!(out)?;
    for f in &report.findings {
        writeln!(
            out,
            "<details><summary><code>{}</code>: samples and what to do</summary>\n",
            html(&f.signature)
        )?;
        writeln!(out, "**What it means:** {}\n", md_text(&f.meaning))?;
        writeln!(out, "**What to do:** {}\n", md_text(&f.action))?;
        for s in &f.suppressions {
            writeln!(
                out,
                "**Suppressed** until {}: {}\n",
                s.until,
                md_text(&s.reason)
            )?;
        }
        for (head, rest) in super::access::route_lines(f) {
            writeln!(out, "- {}  \n  {}", md_text(&head), md_text(&rest))?;
        }
        if f.access.is_some() {
            writeln!(out)?;
        }
        for s in &f.samples {
            let when = s.time.as_deref().unwrap_or("-");
            let route = s.route.as_deref().unwrap_or("-");
            writeln!(
                out,
                "{} · {} · {}\n",
                md_code(&sample_place(report, s)),
                md_text(when),
                md_code(route)
            )?;
            writeln!(out, "{}\n", md_block("text", &s.message, 2000))?;
        }
        writeln!(out, "</details>\n")?;
    }
    Ok(())
}

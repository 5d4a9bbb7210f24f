//! `logs check` as GitHub-flavoured Markdown, for PR comments and
//! `$GITHUB_STEP_SUMMARY`.

use std::io::{self, Write};

use super::{input_names, short_time};
use crate::check::CheckReport;
use crate::report::{md_cell as cell, md_input_problems, thousands};

pub fn write_markdown(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    let failing = report.findings.iter().filter(|f| f.fails).count();
    if report.failed {
        writeln!(
            out,
            "### ❌ logs check failed: {failing} known signature(s) at or above `{}`\n",
            report.fail_on
        )?;
    } else {
        writeln!(
            out,
            "### ✅ logs check passed: nothing at or above `{}`\n",
            report.fail_on
        )?;
    }
    write!(
        out,
        "{} records from `{}`",
        thousands(report.records),
        input_names(report)
    )?;
    if report.malformed > 0 {
        write!(out, " · {} malformed", thousands(report.malformed))?;
    }
    writeln!(out, "\n")?;
    md_input_problems(&report.inputs, out)?;
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
            format!("`{}` ({})", cell(&r.value), r.count)
        });
        writeln!(
            out,
            "| `{}` {} | {} | {} | {} | {} | {} | {} |",
            f.signature,
            cell(&f.title),
            if f.fails {
                format!("**{}**", f.severity)
            } else {
                f.severity.to_string()
            },
            thousands(f.count),
            thousands(f.distinct),
            short_time(&f.first_seen),
            short_time(&f.last_seen),
            route
        )?;
    }
    writeln!(out)?;
    for f in &report.findings {
        writeln!(
            out,
            "<details><summary><code>{}</code>: samples and what to do</summary>\n",
            f.signature
        )?;
        writeln!(out, "**What it means:** {}\n", f.meaning.replace('\n', " "))?;
        writeln!(out, "**What to do:** {}\n", f.action.replace('\n', " "))?;
        for s in &f.samples {
            let when = s.time.as_deref().unwrap_or("-");
            let route = s.route.as_deref().unwrap_or("-");
            writeln!(
                out,
                "`{}:{}` · {when} · `{}`\n",
                s.input,
                s.line,
                cell(route)
            )?;
            writeln!(out, "```text\n{}\n```\n", s.message.replace("```", "` ` `"))?;
        }
        writeln!(out, "</details>\n")?;
    }
    Ok(())
}

//! `logs check` as JUnit XML (`--format junit`), the test report format that
//! GitLab, Jenkins, CircleCI and Buildkite show natively.
//!
//! The layout is the one both common schemas accept (the Ant schema, which
//! is the strictest, and Jenkins xUnit's `junit-10.xsd`; the tests validate
//! against both): `<testsuites>` holding one `<testsuite>` with
//! `<properties>`, the test cases, `<system-out>` and `<system-err>`; a test
//! case holds at most one of `<failure>`, `<error>` or `<skipped>`.
//!
//! Every value goes through [`crate::xml`]: log text may hold
//! anything, including characters XML 1.0 forbids. Sizes are bounded
//! upstream (samples, routes and deployments by the analysis) and here
//! (messages and input problems).

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::xml::{attr, text};
use crate::{first_line, thousands};
use logs_core::check::junit::{InputOutcome, JunitCase, JunitSuite};
use logs_core::check::report::{CheckReport, Counted, Finding, InputReport};

/// Longest `message` attribute, in characters.
const MESSAGE_CHARS: usize = 300;
/// Longest problem text (an input's error or damage), in characters.
const PROBLEM_CHARS: usize = 2000;

/// At most `max` characters, marking the cut.
fn bounded(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

fn counted(values: &[Counted]) -> String {
    values
        .iter()
        .map(|c| format!("{} ({})", c.value, thousands(c.count)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Counts, time range, routes, deployments, redacted samples, meaning and
/// advice of one finding.
fn finding_text(
    report: &CheckReport,
    f: &Finding,
    title: &str,
    routes: &[Counted],
    deployments: &[Counted],
) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{} — {title} [{}]", f.signature, f.severity);
    let _ = write!(
        t,
        "{} hit(s), {} distinct",
        thousands(f.count),
        thousands(f.distinct)
    );
    if let (Some(a), Some(b)) = (&f.first_seen, &f.last_seen) {
        let _ = write!(t, ", first seen {a}, last seen {b}");
    }
    t.push('\n');
    if !routes.is_empty() {
        let _ = writeln!(t, "routes: {}", counted(routes));
    }
    if !deployments.is_empty() {
        let _ = writeln!(t, "deployments: {}", counted(deployments));
    }
    for (head, rest) in super::access::route_lines(f) {
        let _ = writeln!(t, "{head}\n  {rest}");
    }
    if !f.samples.is_empty() {
        t.push_str("\nsamples (redacted):\n");
    }
    for s in &f.samples {
        let mut place = vec![super::sample_place(report, s)];
        place.extend(s.time.clone());
        match (&s.method, &s.route) {
            (Some(m), Some(r)) => place.push(format!("{m} {r}")),
            (m, r) => place.extend(m.clone().or_else(|| r.clone())),
        }
        place.extend(s.deployment.clone());
        let _ = writeln!(t, "  {}", place.join("  "));
        for line in s.message.lines() {
            let _ = writeln!(t, "    {line}");
        }
    }
    let _ = write!(
        t,
        "\nwhat it means: {}\nwhat to do: {}",
        f.meaning.replace('\n', " "),
        f.action.replace('\n', " ")
    );
    t
}

fn malformed_text(input: &InputReport) -> String {
    let mut t = format!(
        "{}: {} malformed record(s) skipped out of {} read",
        input.path,
        thousands(input.malformed),
        thousands(input.records + input.malformed)
    );
    for m in &input.malformed_samples {
        let _ = write!(
            t,
            "\n  line {} (byte {}): {}",
            m.line,
            m.offset,
            first_line(&m.problem, 300)
        );
    }
    t
}

fn write_input_case(
    input: &InputReport,
    outcome: InputOutcome,
    out: &mut dyn Write,
) -> io::Result<()> {
    write!(
        out,
        "    <testcase classname=\"logs.check.inputs\" name=\"{}\" time=\"0\"",
        attr(&input.path)
    )?;
    let problem = |p: &str| bounded(p, PROBLEM_CHARS);
    let (element, kind, message, body) = match outcome {
        InputOutcome::Read => return writeln!(out, "/>"),
        InputOutcome::MalformedSkipped => {
            let msg = format!(
                "{} malformed record(s) skipped: not checked",
                thousands(input.malformed)
            );
            ("skipped", None, msg, malformed_text(input))
        }
        InputOutcome::MalformedStrict => {
            let msg = format!(
                "--strict: {} malformed record(s)",
                thousands(input.malformed)
            );
            (
                "error",
                Some("malformed records"),
                msg,
                malformed_text(input),
            )
        }
        InputOutcome::Damaged => {
            let damage = problem(input.damage.as_deref().unwrap_or_default());
            let body = format!(
                "{}: {damage}\nThe results cover the records before the damage only.",
                input.path
            );
            ("error", Some("damaged input"), damage, body)
        }
        InputOutcome::Unreadable => {
            let error = problem(input.error.as_deref().unwrap_or_default());
            let body = format!("{error}\nNo signature was checked in this input.");
            ("error", Some("unreadable input"), error, body)
        }
    };
    writeln!(out, ">")?;
    write!(out, "      <{element}")?;
    if let Some(kind) = kind {
        write!(out, " type=\"{}\"", attr(kind))?;
    }
    writeln!(
        out,
        " message=\"{}\">{}</{element}>",
        attr(&first_line(&message, MESSAGE_CHARS)),
        text(&body)
    )?;
    writeln!(out, "    </testcase>")
}

/// Writes the suite as JUnit XML.
pub fn write_junit(suite: &JunitSuite<'_>, out: &mut dyn Write) -> io::Result<()> {
    let report = suite.report;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, "<testsuites>")?;
    writeln!(
        out,
        "  <testsuite name=\"logs check\" package=\"logs\" id=\"0\" tests=\"{}\" failures=\"{}\" \
         errors=\"{}\" skipped=\"{}\" time=\"{:.3}\" timestamp=\"{}\" hostname=\"localhost\">",
        suite.cases.len(),
        suite.failures,
        suite.errors,
        suite.skipped,
        suite.seconds,
        attr(&suite.timestamp)
    )?;
    writeln!(out, "    <properties>")?;
    let properties = [
        ("logs.version", env!("CARGO_PKG_VERSION").to_string()),
        ("fail_on", report.fail_on.to_string()),
        ("records", report.records.to_string()),
        ("malformed", report.malformed.to_string()),
        ("strict", suite.strict.to_string()),
    ];
    for (name, value) in properties {
        writeln!(
            out,
            "      <property name=\"{name}\" value=\"{}\"/>",
            attr(&value)
        )?;
    }
    writeln!(out, "    </properties>")?;
    for case in &suite.cases {
        match case {
            JunitCase::Input { input, outcome } => write_input_case(input, *outcome, out)?,
            JunitCase::NothingChecked { errors } => {
                let message = errors.join("; ");
                let mut detail = message.clone();
                if let Some(inv) = &report.inventory {
                    detail.push_str("\nThe input holds:");
                    for line in super::inventory_text(inv) {
                        detail.push_str("\n  ");
                        detail.push_str(&line);
                    }
                }
                writeln!(
                    out,
                    "    <testcase classname=\"logs.check.inputs\" name=\"records checked\" time=\"0\">"
                )?;
                writeln!(
                    out,
                    "      <error type=\"nothing-checked\" message=\"{}\">{}</error>",
                    attr(&first_line(&message, MESSAGE_CHARS)),
                    text(&bounded(&detail, 4000))
                )?;
                writeln!(out, "    </testcase>")?;
            }
            JunitCase::Signature {
                id,
                title,
                severity,
                finding,
                fails,
                routes,
                deployments,
            } => {
                write!(
                    out,
                    "    <testcase classname=\"logs.check.{severity}\" name=\"{}\" time=\"0\"",
                    attr(id)
                )?;
                match finding {
                    Some(f) if *fails => {
                        let message = format!(
                            "{title}: {} hit(s) at or above {}",
                            thousands(f.count),
                            report.fail_on
                        );
                        writeln!(out, ">")?;
                        writeln!(
                            out,
                            "      <failure type=\"{severity}\" message=\"{}\">{}</failure>",
                            attr(&first_line(&message, MESSAGE_CHARS)),
                            text(&finding_text(report, f, title, routes, deployments))
                        )?;
                        writeln!(out, "    </testcase>")?;
                    }
                    _ => writeln!(out, "/>")?,
                }
            }
        }
    }
    writeln!(
        out,
        "    <system-out>{}</system-out>",
        text(&summary(suite))
    )?;
    writeln!(out, "    <system-err></system-err>")?;
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// The suite's plain-text summary: the verdict, the inputs, and the findings
/// below `--fail-on` (which pass, so their test cases carry no text).
fn summary(suite: &JunitSuite<'_>) -> String {
    let report = suite.report;
    let mut t = String::new();
    let verdict = if suite.errors > 0 || report.verdict == logs_core::check::Verdict::Error {
        "ERROR: the check is incomplete (input problems or nothing to check)"
    } else if report.failed {
        "FAILED: findings at or above the threshold"
    } else {
        "PASSED: no finding at or above the threshold"
    };
    let _ = writeln!(
        t,
        "{verdict} (--fail-on {}); {}",
        report.fail_on,
        super::scope_words(report)
    );
    for i in &report.inputs {
        let _ = write!(
            t,
            "input {}: {} records, {} malformed",
            i.path,
            thousands(i.records),
            thousands(i.malformed)
        );
        if let Some(p) = i.error.as_deref().or(i.damage.as_deref()) {
            let _ = write!(t, "; {}", bounded(p, PROBLEM_CHARS));
        }
        t.push('\n');
    }
    for s in &report.expired_suppressions {
        let _ = writeln!(
            t,
            "expired suppression: {} (until {}) no longer applies: {}",
            s.signature,
            s.until,
            bounded(&s.reason, PROBLEM_CHARS)
        );
    }
    for f in report.findings.iter().filter(|f| !f.fails) {
        let why = if f.severity < report.fail_on {
            "below the threshold".to_string()
        } else {
            let mark = super::finding_mark(f).unwrap_or_default();
            format!(
                "accepted {}",
                mark.trim_start_matches('(').trim_end_matches(')')
            )
        };
        let _ = writeln!(
            t,
            "{why}: {} [{}]: {} hit(s)",
            f.signature,
            f.severity,
            thousands(f.count)
        );
        for s in &f.suppressions {
            let _ = writeln!(
                t,
                "  suppressed until {}: {}",
                s.until,
                bounded(&s.reason, PROBLEM_CHARS)
            );
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_on_a_char_boundary() {
        assert_eq!(bounded("ééé", 2), "éé…");
        assert_eq!(bounded("ab", 2), "ab");
    }
}

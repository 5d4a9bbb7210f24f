//! Printers: report data in, text out. Each output format lives in its own
//! file; printers never compute, they only lay out what an analysis decided.

pub mod audit;
pub mod check;
pub mod rollback;
pub mod style;
pub mod templates;
pub mod xml;

use std::fmt;

/// Output formats of the commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A table for people (default).
    Table,
    /// Versioned JSON for programs.
    Json,
    /// GitHub-flavoured Markdown, for PR comments and `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// GitHub Actions workflow annotations (`::error …`).
    Github,
    /// JUnit XML test report (check only), for GitLab, Jenkins, CircleCI and
    /// Buildkite.
    Junit,
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutputFormat::Table => "table",
            OutputFormat::Json => "json",
            OutputFormat::Markdown => "markdown",
            OutputFormat::Github => "github",
            OutputFormat::Junit => "junit",
        })
    }
}

/// Shortens `s` to its first line, at most `max` characters.
pub fn first_line(s: &str, max: usize) -> String {
    let line = s
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    match line.char_indices().nth(max) {
        None => line.to_string(),
        Some((i, _)) => format!("{}…", &line[..i]),
    }
}

/// Escapes text for a Markdown table cell.
pub fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown block quotes for the inputs that could not be read or were cut
/// short.
pub fn md_input_problems(
    inputs: &[crate::check::report::InputReport],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for i in inputs
        .iter()
        .filter(|i| i.error.is_some() || i.damage.is_some())
    {
        let problem = i
            .error
            .as_deref()
            .or(i.damage.as_deref())
            .unwrap_or_default();
        writeln!(
            out,
            "> **Input problem:** `{}`: {}\n",
            i.path.replace('`', "'"),
            md_cell(problem)
        )?;
    }
    Ok(())
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

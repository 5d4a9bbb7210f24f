//! Printers: report data in, text out. Each output format lives in its own
//! file; printers never compute, they only lay out what an analysis decided.

pub mod audit;
pub mod check;
pub mod escape;
pub mod grid;
pub mod rollback;
pub mod signatures;
pub mod style;
pub mod templates;
pub mod xml;

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

/// Escapes text for a Markdown table cell (see [`escape::md_text`]).
pub fn md_cell(s: &str) -> String {
    escape::md_text(s)
}

/// Markdown block quotes for the inputs that could not be read or were cut
/// short.
pub fn md_input_problems(
    inputs: &[logs_core::summary::InputReport],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for i in inputs {
        if let Some(problem) = i.problem() {
            writeln!(
                out,
                "> **Input problem:** {}: {}\n",
                escape::md_code(&i.path),
                escape::md_text(problem)
            )?;
        }
    }
    Ok(())
}

pub use logs_core::summary::thousands;

/// Where a record is, for people: `file:line`, or `file@byte N` when the
/// input is one JSON array on one line (the dashboard download), where
/// every record is on line 1.
pub fn place(
    inputs: &[logs_core::summary::InputReport],
    input: &str,
    line: u64,
    offset: u64,
) -> String {
    let one_line = inputs
        .iter()
        .find(|i| i.path == input)
        .is_some_and(|i| i.format.as_deref() == Some("json-array"));
    if one_line {
        format!("{input}@byte {offset}")
    } else {
        format!("{input}:{line}")
    }
}

//! Resolving the shared input flags: which inputs, which catalog, which
//! engine settings; and reporting input problems on stderr.

use std::io::IsTerminal;

use anyhow::{Context, bail};

use super::args::{InputArgs, ProgressChoice};
use crate::input::{InputFormat, InputSpec};
use crate::record::time::parse_rfc3339;
use crate::scan::{InputSummary, ScanSettings};
use crate::signatures::{SignatureSet, load_catalog};

/// The inputs named on the command line; stdin when none are and stdin is
/// not a terminal.
pub fn specs(args: &InputArgs) -> anyhow::Result<Vec<InputSpec>> {
    specs_of(&args.paths)
}

/// [`specs`] for commands without [`InputArgs`].
pub fn specs_of(paths: &[String]) -> anyhow::Result<Vec<InputSpec>> {
    if paths.is_empty() {
        if std::io::stdin().is_terminal() {
            bail!("no input: name export files, or pipe one in (`-` reads stdin); see --help");
        }
        return Ok(vec![InputSpec::Stdin]);
    }
    if paths.iter().filter(|p| *p == "-").count() > 1 {
        bail!("`-` (stdin) can be given only once");
    }
    Ok(paths.iter().map(|p| InputSpec::parse(p)).collect())
}

/// Engine settings from the flags.
pub fn settings(args: &InputArgs) -> anyhow::Result<ScanSettings> {
    let mut s = engine_settings(args.threads, args.chunk_size, args.progress)?;
    s.format = args.input_format.as_deref().map(input_format).transpose()?;
    s.validate_all = args.strict;
    Ok(s)
}

/// Parses an `--input-format` value.
pub fn input_format(name: &str) -> anyhow::Result<InputFormat> {
    InputFormat::from_name(name).with_context(|| {
        let names: Vec<&str> = InputFormat::NAMES.iter().map(|(n, _)| *n).collect();
        format!(
            "unknown --input-format {name:?}; expected one of {}",
            names.join(", ")
        )
    })
}

/// Threads, chunk size and progress: the settings every scanning command
/// shares.
pub fn engine_settings(
    threads: Option<usize>,
    chunk_size: Option<usize>,
    progress: ProgressChoice,
) -> anyhow::Result<ScanSettings> {
    let mut s = ScanSettings::default();
    if let Some(j) = threads {
        if j == 0 {
            bail!("-j must be at least 1");
        }
        s.threads = j;
    }
    if let Some(c) = chunk_size {
        s.chunk_size = c.max(1);
    }
    s.progress = progress == ProgressChoice::Auto && std::io::stderr().is_terminal();
    Ok(s)
}

/// The compiled catalog: built-in (unless `--no-builtin`) plus `--signatures`,
/// minus `ignore`d ids (each must exist).
pub fn catalog(args: &InputArgs, ignore: &[String]) -> anyhow::Result<SignatureSet> {
    let mut defs = load_catalog(!args.no_builtin, &args.signatures)?;
    for id in ignore {
        if !defs.iter().any(|d| &d.id == id) {
            bail!("--ignore {id}: no such signature (see `logs signatures list`)");
        }
    }
    defs.retain(|d| !ignore.contains(&d.id));
    Ok(SignatureSet::new(defs)?)
}

/// The exit code input problems force, if any: an unreadable or damaged
/// input, or malformed records under `--strict` (said on stderr).
pub fn input_exit(bad_input: bool, strict: bool, malformed: u64) -> Option<i32> {
    if bad_input {
        return Some(super::EXIT_ERROR);
    }
    if strict && malformed > 0 {
        eprintln!("logs: error: --strict: {malformed} malformed record(s)");
        return Some(super::EXIT_ERROR);
    }
    None
}

/// Prints input problems on stderr: unreadable inputs, damage, and the first
/// malformed records. Returns whether any input had an error or damage.
pub fn warn_inputs(inputs: &[InputSummary]) -> bool {
    let mut bad = false;
    for i in inputs {
        if let Some(e) = &i.error {
            eprintln!("logs: error: {e}");
            bad = true;
        }
        if let Some(d) = &i.damage {
            eprintln!(
                "logs: error: {}: {d}; results cover the records before the damage",
                i.name
            );
            bad = true;
        }
        if i.malformed > 0 {
            eprintln!(
                "logs: warning: {}: {} malformed record(s) skipped",
                i.name, i.malformed
            );
            for m in &i.malformed_samples {
                eprintln!(
                    "logs: warning:   {}:{} (byte {}): {}",
                    i.name, m.line, m.offset, m.problem
                );
            }
        }
    }
    bad
}

/// Parses an RFC 3339 time flag into epoch ms, naming the flag on error.
pub fn time_flag(name: &str, value: &Option<String>) -> anyhow::Result<Option<i64>> {
    value
        .as_deref()
        .map(|v| {
            parse_rfc3339(v).with_context(|| {
                format!("--{name} {v:?} is not an RFC 3339 time (e.g. 2026-01-19T08:00:00Z)")
            })
        })
        .transpose()
}

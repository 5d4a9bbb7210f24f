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
    if args.paths.is_empty() {
        if std::io::stdin().is_terminal() {
            bail!("no input: name export files, or pipe one in (`-` reads stdin); see --help");
        }
        return Ok(vec![InputSpec::Stdin]);
    }
    if args.paths.iter().filter(|p| *p == "-").count() > 1 {
        bail!("`-` (stdin) can be given only once");
    }
    Ok(args.paths.iter().map(|p| InputSpec::parse(p)).collect())
}

/// Engine settings from the flags.
pub fn settings(args: &InputArgs) -> anyhow::Result<ScanSettings> {
    let mut s = ScanSettings::default();
    if let Some(j) = args.threads {
        if j == 0 {
            bail!("-j must be at least 1");
        }
        s.threads = j;
    }
    if let Some(f) = &args.input_format {
        let names: Vec<&str> = InputFormat::NAMES.iter().map(|(n, _)| *n).collect();
        s.format = Some(InputFormat::from_name(f).with_context(|| {
            format!(
                "unknown --input-format {f:?}; expected one of {}",
                names.join(", ")
            )
        })?);
    }
    if let Some(c) = args.chunk_size {
        s.chunk_size = c.max(1);
    }
    s.validate_all = args.strict;
    s.progress = args.progress == ProgressChoice::Auto && std::io::stderr().is_terminal();
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

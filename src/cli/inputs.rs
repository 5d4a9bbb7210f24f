//! Resolving the shared flags (and `logs.toml`) once: which inputs, which
//! catalog, which engine settings, which records; and reporting input
//! problems on stderr.

use std::io::IsTerminal;

use anyhow::{Context, bail};

use super::common::{CatalogArgs, FilterArgs, MAX_THREADS, ProgressChoice, ReadArgs};
use crate::config::RepoConfig;
use crate::input::{InputFormat, InputSpec};
use crate::record::RecordFilter;
use crate::record::time::parse_time_spec;
use crate::scan::{FilterTally, InputSummary, ScanSettings};
use crate::signatures::{SignatureDef, SignatureSet, load_catalog};

/// The inputs named on the command line; stdin when none are and stdin is
/// not a terminal.
pub fn specs(args: &ReadArgs) -> anyhow::Result<Vec<InputSpec>> {
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
pub fn settings(args: &ReadArgs) -> anyhow::Result<ScanSettings> {
    let mut s = ScanSettings::default();
    if let Some(j) = args.threads {
        if !(1..=MAX_THREADS).contains(&j) {
            bail!("-j {j}: the number of threads must be between 1 and {MAX_THREADS}");
        }
        s.threads = j;
    }
    if let Some(c) = args.chunk_size {
        if !(1..=1 << 30).contains(&c) {
            bail!("--chunk-size {c}: must be between 1 and 1073741824 bytes");
        }
        s.chunk_size = c;
    }
    if args.progress == ProgressChoice::Auto && std::io::stderr().is_terminal() {
        s.progress = Some(std::sync::Arc::new(super::progress::Bars));
    }
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

/// The catalog definitions: built-in (unless `--no-builtin` or the config
/// says so) plus the config's and `--signatures` catalogs.
pub fn catalog_defs(args: &CatalogArgs, config: &RepoConfig) -> anyhow::Result<Vec<SignatureDef>> {
    let builtin = !(args.no_builtin || config.file.no_builtin);
    let mut paths = config.signatures.clone();
    paths.extend(args.signatures.iter().cloned());
    Ok(load_catalog(builtin, &paths)?)
}

/// The compiled catalog minus `ignore`d ids (each must exist). Suppressions
/// in the config must name signatures of the catalog too.
pub fn catalog(
    args: &CatalogArgs,
    config: &RepoConfig,
    ignore: &[String],
) -> anyhow::Result<SignatureSet> {
    let mut defs = catalog_defs(args, config)?;
    for id in ignore {
        if !defs.iter().any(|d| &d.id == id) {
            bail!("--ignore {id}: no such signature (see `logs signatures list`)");
        }
    }
    for s in &config.suppressions {
        if !defs.iter().any(|d| d.id == s.signature) {
            bail!(
                "{}: [[suppress]] names signature {:?}, which is not in the catalog (see `logs signatures list`)",
                config
                    .path
                    .as_ref()
                    .map_or("logs.toml".into(), |p| p.display().to_string()),
                s.signature
            );
        }
    }
    defs.retain(|d| !ignore.contains(&d.id));
    Ok(SignatureSet::new(defs)?)
}

/// The record filters from the flags (times relative to now where relative).
pub fn filter(
    args: &FilterArgs,
    default_environment: Option<&str>,
) -> anyhow::Result<RecordFilter> {
    let filter = RecordFilter {
        since_ms: time_flag("since", &args.since)?,
        until_ms: time_flag("until", &args.until)?,
        deployment: args.deployment.clone(),
        environment: args
            .environment
            .clone()
            .or_else(|| default_environment.map(str::to_string)),
    };
    if let (Some(s), Some(u)) = (filter.since_ms, filter.until_ms) {
        if s >= u {
            bail!("--since must be before --until");
        }
    }
    Ok(filter)
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
        if i.repaired > 0 {
            eprintln!(
                "logs: warning: {}: {} record(s) held invalid UTF-8 or a lone surrogate; read with U+FFFD in its place",
                i.name, i.repaired
            );
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

/// Parses a time flag (RFC 3339, a date, or a duration before now) into
/// epoch ms, naming the flag on error.
pub fn time_flag(name: &str, value: &Option<String>) -> anyhow::Result<Option<i64>> {
    let now = chrono::Utc::now().timestamp_millis();
    value
        .as_deref()
        .map(|v| {
            parse_time_spec(v, now)
                .filter(|&t| crate::record::time::is_plausible(t))
                .with_context(|| {
                    format!(
                        "--{name} {v:?}: expected an RFC 3339 time (2026-01-19T08:00:00Z), a date \
                         (2026-01-19), or a duration before now (30m, 2h, 7d), between the years 2000 and 2100"
                    )
                })
        })
        .transpose()
}

/// The error when filters left none of the records read: what the input
/// holds instead (deployments with their URL hosts, environments, time
/// range), as `logs check` says it. `None` when something was left, or
/// nothing was read, or no filter was set.
pub fn nothing_left(
    filter: &RecordFilter,
    verb: &str,
    records: u64,
    tally: &FilterTally,
) -> Option<anyhow::Error> {
    if !filter.is_set() || records == 0 || tally.admitted > 0 {
        return None;
    }
    let holds: String = crate::report::check::inventory_text(&tally.inventory.finish())
        .into_iter()
        .map(|l| format!("\n  {}", crate::report::grid::terminal_safe(&l, 400)))
        .collect();
    Some(anyhow::anyhow!(
        "no records to {verb}: the filters left none of the {} records. The input holds:{holds}",
        crate::report::thousands(records)
    ))
}

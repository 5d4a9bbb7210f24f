//! `logs audit`: flags → [`AuditConfig`] and saved state → scan → report,
//! stubs and next state → exit code (0 even with findings: it is a report).

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::args::InputArgs;
use super::{EXIT_CLEAN, emit, inputs};
use crate::audit::{self, AuditAnalysis, AuditConfig, AuditReport, AuditState, PeriodKind};
use crate::report::audit::AuditFormat;
use crate::report::style::Style;

pub const AUDIT_ABOUT: &str = "\
The weekly error audit over many exports (any shapes, gzip, mixed). Per known \
signature and period (ISO week or UTC day): count, distinct fingerprints, \
first/last seen, top routes and deployments, and the trend against the \
previous period. New signatures (never seen before, in the input or the saved \
state) and resolved ones (seen before, absent from the latest period) are \
called out first. Failures no signature matches (level error/fatal, or a 5xx) \
are grouped into templates, each with counts per period, redacted examples \
and a suggested signature stub for the catalog.";

pub const AUDIT_HELP: &str = "\
Examples:
  logs audit exports/*.ndjson.gz
  logs audit drains/*.ndjson --since 2026-01-05T00:00:00Z --format markdown >> weekly-issue.md
  logs audit week-*.json --state audit-state.json --save-state audit-state.json --format html > audit.html
  logs audit export.csv --suggest suggested-signatures/ && logs signatures test suggested-signatures/

The latest period is the one --until ends in, else the last one with records. \
With --state, \"new\" means unknown to every earlier audit; --save-state writes \
what is known now (signatures and templates with first/last seen), forgetting \
what was unseen for --forget-after weeks.

JSON: {\"schema\":\"logs.audit/v1\", \"periods\", \"new\", \"resolved\", \"signatures\", \
\"unknown\", …}; state files: logs.audit-state/v1.

Exit codes:
  0  the audit ran (whatever it found: it is a report, not a gate)
  2  error: bad arguments, unreadable or truncated input, invalid catalog or state file,
     or --strict with malformed records";

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Period to count by: week (ISO weeks, Monday to Sunday, UTC) or day (UTC).
    #[arg(long, value_enum, default_value_t = PeriodKind::Week)]
    pub period: PeriodKind,
    /// Only records at or after this time (RFC 3339, e.g. 2026-01-05T00:00:00Z).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only records before this time (RFC 3339); the latest period is the one
    /// it ends in.
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Read what earlier audits saw (a --save-state file; a missing file is
    /// an empty state, for the first week).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Write what is known after this audit (may be the --state file).
    #[arg(long, value_name = "FILE")]
    pub save_state: Option<PathBuf>,
    /// Forget saved templates and signatures unseen for this many weeks.
    #[arg(long, default_value_t = 8, value_name = "WEEKS")]
    pub forget_after: u32,
    /// Write a suggested signature stub per unknown group to this folder
    /// (`<id>.toml`; created if needed).
    #[arg(long, value_name = "DIR")]
    pub suggest: Option<PathBuf>,
    /// Skip a signature (repeatable); its hits then count as unknown errors.
    #[arg(long, value_name = "ID")]
    pub ignore: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,
}

/// Writes one `<id>.toml` per suggestion; returns how many.
fn write_stubs(report: &AuditReport, dir: &PathBuf) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let mut n = 0;
    for s in report.unknown.iter().filter_map(|g| g.suggestion.as_ref()) {
        let path = dir.join(format!("{}.toml", s.id));
        std::fs::write(&path, &s.toml)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        n += 1;
    }
    Ok(n)
}

pub fn run(args: AuditArgs, style: Style) -> anyhow::Result<i32> {
    let config = AuditConfig {
        period: args.period,
        since_ms: inputs::time_flag("since", &args.since)?,
        until_ms: inputs::time_flag("until", &args.until)?,
        forget_after_weeks: args.forget_after,
        ..AuditConfig::default()
    };
    let state = match &args.state {
        None => None,
        Some(path) => {
            let loaded = AuditState::load(path)?;
            if loaded.is_none() {
                eprintln!(
                    "logs: note: {} does not exist yet: nothing is known from earlier audits",
                    path.display()
                );
            }
            loaded
        }
    };
    let specs = inputs::specs(&args.input)?;
    let settings = inputs::settings(&args.input)?;
    let signatures = inputs::catalog(&args.input, &args.ignore)?;
    let outcome = crate::scan::scan(
        &specs,
        &signatures,
        &AuditAnalysis { config: &config },
        &settings,
    );
    let bad_input = inputs::warn_inputs(&outcome.inputs);
    let state_name = state
        .as_ref()
        .and(args.state.as_ref())
        .map(|p| p.display().to_string());
    let (report, next) = audit::build(&outcome, &signatures, &config, state.as_ref(), state_name);
    emit(|out| crate::report::audit::write(&report, args.format, style, out))?;
    if let Some(dir) = &args.suggest {
        let n = write_stubs(&report, dir)?;
        eprintln!("logs: wrote {n} signature stub(s) to {}", dir.display());
    }
    if let Some(path) = &args.save_state {
        next.save(path)?;
    }
    if let Some(code) = inputs::input_exit(bad_input, args.input.strict, report.malformed) {
        return Ok(code);
    }
    Ok(EXIT_CLEAN)
}

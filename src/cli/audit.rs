//! `logs audit`: flags → [`AuditConfig`] and saved state → scan → report,
//! stubs and next state → exit code (0 even with findings: it is a report).

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::Args;

use super::common::{CatalogArgs, FilterArgs, ReadArgs, named};
use super::{Context, EXIT_CLEAN, emit, inputs};
use crate::audit::{self, AuditAnalysis, AuditConfig, AuditReport, AuditState, PeriodKind};
use crate::report::audit::AuditFormat;
use crate::scan::Filtered;

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
  logs audit drains/*.ndjson --since 2026-01-05 --format markdown >> weekly-issue.md
  logs audit export.json --environment production --deployment my-app-abc123.vercel.app
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
  2  error: bad arguments, unreadable or truncated input, filters that leave none of
     the records read, invalid catalog or state file, or --strict with malformed records";

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Period to count by [default: week, or [audit] period].
    #[arg(long, value_parser = named::<PeriodKind>())]
    pub period: Option<PeriodKind>,
    /// Read what earlier audits saw (a --save-state file; a missing file is
    /// an empty state, for the first week).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Write what is known after this audit (may be the --state file). Not
    /// written when an input was unreadable or damaged, unless
    /// --save-state-anyway.
    #[arg(long, value_name = "FILE")]
    pub save_state: Option<PathBuf>,
    /// Write --save-state even when an input was unreadable or damaged.
    #[arg(long, requires = "save_state")]
    pub save_state_anyway: bool,
    /// Forget saved templates and signatures unseen for this many weeks, 1
    /// to 520 [default: 8, or [audit] forget_after].
    #[arg(long, value_name = "WEEKS")]
    pub forget_after: Option<u32>,
    /// Write a suggested signature stub per unknown group to this folder
    /// (`<id>.toml`; created if needed).
    #[arg(long, value_name = "DIR")]
    pub suggest: Option<PathBuf>,
    /// Skip a signature (repeatable); its hits then count as unknown errors.
    #[arg(long, value_name = "ID")]
    pub ignore: Vec<String>,
    /// Output format [default: table, or [audit] format].
    #[arg(long, value_parser = named::<AuditFormat>())]
    pub format: Option<AuditFormat>,
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

pub fn run(args: AuditArgs, ctx: &Context) -> anyhow::Result<i32> {
    let file = &ctx.config.file.audit;
    let forget_after = args.forget_after.or(file.forget_after).unwrap_or(8);
    if !(1..=520).contains(&forget_after) {
        bail!("--forget-after {forget_after}: must be between 1 and 520 weeks");
    }
    let config = AuditConfig {
        period: args.period.or(file.period).unwrap_or(PeriodKind::Week),
        filter: inputs::filter(&args.filter, None)?,
        forget_after_weeks: forget_after,
        access: crate::access::AccessPaths::new(ctx.config.access.clone())?,
        ..AuditConfig::default()
    };
    let format = args.format.or(file.format).unwrap_or(AuditFormat::Table);
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
    let specs = inputs::specs(&args.read)?;
    let settings = inputs::settings(&args.read)?;
    let mut ignore = file.ignore.clone();
    ignore.extend(args.ignore.iter().cloned());
    let signatures = inputs::catalog(&args.catalog, &ctx.config, &ignore)?;
    let analysis = Filtered {
        filter: &config.filter,
        inner: &AuditAnalysis { config: &config },
    };
    let (outcome, tally) = crate::scan::scan(&specs, &signatures, &analysis, &settings).split();
    let bad_input = inputs::warn_inputs(&outcome.inputs);
    if let Some(e) = inputs::nothing_left(&config.filter, "audit", outcome.records(), &tally) {
        return Err(e);
    }
    let state_name = state
        .as_ref()
        .and(args.state.as_ref())
        .map(|p| p.display().to_string());
    let (report, next) = audit::build(&outcome, &signatures, &config, state.as_ref(), state_name);
    // As in `check`: the memory goes back at exit, not one entry at a time.
    std::mem::forget(outcome);
    emit(|out| crate::report::audit::write(&report, format, ctx.style, out))?;
    if let Some(dir) = &args.suggest {
        let n = write_stubs(&report, dir)?;
        eprintln!("logs: wrote {n} signature stub(s) to {}", dir.display());
    }
    if let Some(path) = &args.save_state {
        if bad_input && !args.save_state_anyway {
            eprintln!(
                "logs: error: {} not written: an input was unreadable or damaged (--save-state-anyway writes it)",
                path.display()
            );
        } else {
            next.save(path)?;
        }
    }
    if let Some(code) = inputs::input_exit(bad_input, args.read.strict, report.malformed) {
        return Ok(code);
    }
    Ok(EXIT_CLEAN)
}

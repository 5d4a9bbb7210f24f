//! `logs check`: flags and `logs.toml` → [`CheckConfig`] → scan → report →
//! exit code (0 pass, 1 fail, 2 error).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, bail};
use clap::Args;

use super::common::{CatalogArgs, FilterArgs, ReadArgs, named};
use super::{Context, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, emit, inputs};
use crate::access::{AccessPaths, AccessRule, Probes};
use crate::check::{self, Baseline, CheckAnalysis, CheckConfig, JunitRun, Verdict};
use crate::report::check::CheckFormat;
use crate::signatures::Severity;

pub const CHECK_ABOUT: &str = "\
Scan exports for the known error signatures and exit non-zero when one at or \
above --fail-on is found. Use it as the post-deploy gate (\"logs:check must \
return 0\").

The gate never passes by mistake: an input that cannot be read, a truncated \
input, or filters that leave no record to check make it an error (exit 2), \
never a pass. When filters leave nothing, the error lists what the input \
holds (deployments with their URL hosts, environments, time range).";

pub const CHECK_HELP: &str = "\
Examples:
  logs check export.json
  vercel logs https://my-app.vercel.app --json | logs check -
  logs check drain-*.ndjson.gz --since 2h --deployment my-app-abc123.vercel.app
  logs check export.csv --ignore node-deprecation-warning --fail-on high
  logs check export.json --format junit > logs-check.xml
  logs check export.json --baseline-findings last-week.json

Times: RFC 3339 (2026-01-19T08:00:00Z), a date (2026-01-19, midnight UTC), or a \
duration before now (30m, 2h, 7d).

logs.toml (in the current directory or a parent; --config FILE names one):
  signatures = [\"signatures/\"]        # more catalogs, relative to the file
  [check]
  fail_on = \"medium\"
  ignore = [\"node-deprecation-warning\"]
  [[suppress]]                          # accepted on purpose, until a date
  signature = \"prisma-unique-constraint\"
  # optional: one fingerprint, as the JSON report's fingerprints[].value shows it
  fingerprint = \"Unique constraint failed on the fields: (<*>) [fields=`dedupeKey`]\"
  until = 2026-12-31
  reason = \"dedupe race; fix tracked in #123\"
Flags override the file. Suppressed findings are still shown, marked; an expired \
suppression stops suppressing and is reported.

JSON: logs.check/v1 with verdict (pass|fail|error), errors, records, checked, \
findings[] (signature, severity, count, distinct, fingerprints, first_seen, \
last_seen, routes, deployments, samples, suppressed, new, fails), inputs[].

Exit codes:
  0  pass: nothing at or above --fail-on
  1  fail: findings at or above --fail-on
  2  error: bad arguments or config, an unreadable or truncated input, no records to
     check (unless --allow-empty), an invalid catalog, or --strict with malformed records";

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Skip a signature (repeatable); see `logs signatures list`.
    #[arg(long, value_name = "ID")]
    pub ignore: Vec<String>,
    /// Fail (exit 1) on findings at or above this severity: info, low,
    /// medium, high, critical [default: low, or [check] fail_on].
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Pass when no record is left to check (an empty export, or filters
    /// that match nothing) instead of failing with exit 2.
    #[arg(long)]
    pub allow_empty: bool,
    /// A previous `logs check --format json` report: fail only on signatures
    /// or fingerprints that are new against it.
    #[arg(long, value_name = "FILE")]
    pub baseline_findings: Option<PathBuf>,
    /// Output format [default: table, or [check] format].
    #[arg(long, value_parser = named::<CheckFormat>())]
    pub format: Option<CheckFormat>,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("expected one of info, low, medium, high, critical, not {s:?}"))
}

pub fn run(args: CheckArgs, ctx: &Context) -> anyhow::Result<i32> {
    let file = &ctx.config.file.check;
    let fail_on = args.fail_on.or(file.fail_on).unwrap_or(Severity::Low);
    let format = args.format.or(file.format).unwrap_or(CheckFormat::Table);
    let baseline = match &args.baseline_findings {
        None => None,
        Some(path) => {
            let bytes = crate::input::read_side_file(path)
                .with_context(|| format!("{}: cannot read --baseline-findings", path.display()))?;
            Some(Baseline::from_json(&path.display().to_string(), &bytes)?)
        }
    };
    let mut ignore = file.ignore.clone();
    ignore.extend(args.ignore.iter().cloned());
    let access = AccessPaths::new(ctx.config.access.clone())?;
    let access_rules: Vec<AccessRule> = AccessRule::ALL
        .into_iter()
        .filter(|r| !ignore.iter().any(|i| i == r.id()))
        .collect();
    let config = CheckConfig {
        filter: inputs::filter(&args.filter, file.environment.as_deref())?,
        fail_on,
        allow_empty: args.allow_empty || file.allow_empty.unwrap_or(false),
        strict: args.read.strict,
        suppressions: ctx.config.suppressions.clone(),
        baseline,
        access,
        access_rules,
        ..CheckConfig::default()
    };
    let specs = inputs::specs(&args.read)?;
    let settings = inputs::settings(&args.read)?;
    let signatures = inputs::catalog(&args.catalog, &ctx.config, &ignore)?;
    if signatures.defs().is_empty() {
        bail!("the catalog is empty: nothing to check (drop --no-builtin, or add --signatures)");
    }
    // Requests to cron and webhook paths are decoded too.
    let signatures = match config.access.probes() {
        Probes::Literals(probes) if !config.access_rules.is_empty() => {
            signatures.with_probes(probes)?
        }
        _ => signatures,
    };
    let analysis = CheckAnalysis { config: &config };
    let started_ms = chrono::Utc::now().timestamp_millis();
    let clock = Instant::now();
    let outcome = crate::scan::scan(&specs, &signatures, &analysis, &settings);
    inputs::warn_inputs(&outcome.inputs);
    let report = check::build(&outcome, &signatures, &config);
    // The process ends soon: freeing every request, fingerprint and
    // compiled pattern one by one is work on one thread while the others
    // are done (2 % of `check -j2` on a large export). The system takes
    // the memory back at exit.
    std::mem::forget(outcome);
    let run = JunitRun {
        started_ms,
        seconds: clock.elapsed().as_secs_f64(),
        strict: args.read.strict,
    };
    emit(|out| match format {
        CheckFormat::Junit => {
            crate::report::check::write_junit(&check::junit(&report, &signatures, run), out)
        }
        format => crate::report::check::write(&report, format, ctx.style, out),
    })?;
    std::mem::forget(signatures);
    Ok(match report.verdict {
        Verdict::Pass => EXIT_CLEAN,
        Verdict::Fail => EXIT_FINDINGS,
        Verdict::Error => {
            // Input problems were said by warn_inputs already.
            let said: Vec<&str> = report.inputs.iter().filter_map(|i| i.problem()).collect();
            for e in report
                .errors
                .iter()
                .filter(|e| !said.iter().any(|p| e.contains(p)))
            {
                eprintln!("logs: error: {e}");
            }
            if let Some(inv) = &report.inventory {
                eprintln!("logs: the input holds:");
                for line in crate::report::check::inventory_text(inv) {
                    eprintln!("logs:   {}", crate::report::grid::terminal_safe(&line, 400));
                }
                eprintln!("logs: (pass --allow-empty to accept an empty result)");
            }
            EXIT_ERROR
        }
    })
}

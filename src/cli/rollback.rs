//! `logs rollback`: flags, `logs.toml` → policy and input → scan (or live
//! feed) → decision → printer → exit code (0 proceed, 1 roll back, 3 hold,
//! 2 error).

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::Args;

use super::common::{CatalogArgs, ReadArgs, named};
use super::{Context, EXIT_CLEAN, EXIT_ERROR, emit, inputs};
use crate::input::InputSpec;
use crate::inventory::Inventory;
use crate::report::rollback::RollbackFormat;
use crate::rollback::{
    DEFAULT_POLICY_TOML, Decision, Live, ObservationAnalysis, Pass, Resolution, RollbackInput,
    RollbackPolicy, RollbackReport, Share, Sides, evaluate_in_passes, resolve_deployment,
};
use crate::scan::Feed;

pub const ROLLBACK_ABOUT: &str = "\
Evaluate the rollback rules for the canary deployment against its baseline \
(every other deployment in the input, or --baseline), and print the decision \
first: ROLLBACK, HOLD or PROCEED, with the reason for each rule.

The built-in policy follows the team's runbooks: roll back if more than 3 \
unique Server Action 500s in the first 10 minutes after the deploy; error and \
auth-failure rates, and React render errors, significantly above the \
baseline; the p95 latency SLO; database connectivity; new critical \
signatures; and at least 30 minutes of observation before promoting. \
`logs rollback --print-policy` prints it with every threshold; --policy FILE \
(or [rollback] in logs.toml) changes it key by key.";

pub const ROLLBACK_HELP: &str = "\
Examples:
  logs rollback export.json --deployment dpl_NEW
  logs rollback export.json --deployment my-app-abc123.vercel.app --baseline dpl_OLD --format json
  vercel logs --follow --json | logs rollback - --deployment dpl_NEW --follow
  logs rollback --print-policy > rollback-policy.toml

The rules table: window is the time judged (minutes after the deploy); canary and \
baseline are the rule's measure on each; threshold says when the rule fails; \
samples counts the requests (or lines) measured, canary / baseline; verdict is \
PASS, FAIL, INCONCLUSIVE (not enough data or time yet) or N/A (the export does \
not carry what the rule needs).

Exit codes:
  0  proceed to the next stage
  1  roll back now
  2  error: bad arguments, policy or config, unreadable input, unknown deployment
  3  hold: keep watching";

#[derive(Debug, Args)]
pub struct RollbackArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// The canary deployment: its id (dpl_…), its URL host, or a URL.
    #[arg(long, value_name = "ID", required_unless_present = "print_policy")]
    pub deployment: Option<String>,
    /// The baseline deployment [default: every other deployment in the input].
    #[arg(long, value_name = "ID")]
    pub baseline: Option<String>,
    /// Deploy time (RFC 3339 or a date) [default: the canary's first record].
    #[arg(long, value_name = "TIME")]
    pub deploy_time: Option<String>,
    /// Evaluation time (RFC 3339 or a date): records after it are left out, as not yet logged
    /// [default: the last record in the input].
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Rollback policy (TOML) laid over the built-in one key by key; see
    /// --print-policy for every key [default: [rollback] in logs.toml].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Print the policy in force (the built-in one, with its sources and
    /// thresholds; with --policy or logs.toml, what they change too) and exit.
    #[arg(long)]
    pub print_policy: bool,
    /// Read NDJSON from stdin as it arrives, re-evaluate every --interval,
    /// exit as soon as the decision is rollback, or proceed.
    #[arg(long)]
    pub follow: bool,
    /// Seconds between evaluations with --follow, 0.1 to 3600 [default: 5].
    #[arg(long, value_name = "SECONDS")]
    pub interval: Option<f64>,
    /// Judge the measures that `logs sql rollback`'s query returned (its
    /// JSONEachRow output) instead of reading exports: the same rules and
    /// decision, computed in the log store.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["follow", "paths"])]
    pub from_sql_results: Option<PathBuf>,
    /// Memory for the requests being folded, e.g. 512MiB or 4GB [default:
    /// 1GiB]. A request is judged on all its lines, so each one is kept
    /// until the input ends; an input file whose requests need more is read
    /// again, as often as needed, each pass folding a share of the requests
    /// (the same results, one more read per pass). Stdin and pipes are read
    /// once, whatever they need.
    #[arg(long, value_name = "SIZE", value_parser = parse_memory)]
    pub memory: Option<u64>,
    /// Output format [default: table, or [rollback] format].
    #[arg(long, value_parser = named::<RollbackFormat>())]
    pub format: Option<RollbackFormat>,
}

/// The default `--memory`.
const DEFAULT_MEMORY: u64 = 1 << 30;

fn parse_memory(s: &str) -> anyhow::Result<u64> {
    super::generate::parse_size(s)
}

/// The policy: --policy, else logs.toml's, else the built-in one; and the
/// TOML text of the overlay, if any.
fn policy(args: &RollbackArgs, ctx: &Context) -> anyhow::Result<(RollbackPolicy, Option<String>)> {
    load_policy(args.policy.as_deref(), ctx)
}

/// The policy of a `--policy FILE` flag (else logs.toml's, else the
/// built-in one), and the TOML text of the overlay, if any.
pub(super) fn load_policy(
    path: Option<&std::path::Path>,
    ctx: &Context,
) -> anyhow::Result<(RollbackPolicy, Option<String>)> {
    let overlay = match path {
        Some(path) => Some((
            path.display().to_string(),
            crate::input::read_side_text(path)
                .with_context(|| format!("{}: cannot read policy", path.display()))?,
        )),
        None => ctx.config.policy.clone(),
    };
    match overlay {
        None => Ok((RollbackPolicy::default(), None)),
        Some((origin, text)) => {
            let policy = RollbackPolicy::from_toml_str(&text)
                .with_context(|| format!("{origin}: invalid policy"))?;
            Ok((policy, Some(format!("# Overlay from {origin}:\n{text}"))))
        }
    }
}

/// An error when the policy names a signature the catalog lacks.
pub(super) fn check_policy_signatures(
    policy: &RollbackPolicy,
    signatures: &crate::signatures::SignatureSet,
) -> anyhow::Result<()> {
    for (rule, id) in policy.signature_references() {
        if !signatures.defs().iter().any(|d| d.id == id) {
            bail!(
                "policy: [rules.{rule}] signatures names {id:?}, which is not in the catalog (see `logs signatures list`)"
            );
        }
    }
    Ok(())
}

/// The deployment id a flag names, or an error listing what the input holds.
fn deployment_id(
    flag: &str,
    name: &str,
    found: Resolution,
    inventory: &Inventory,
) -> anyhow::Result<String> {
    let many = match found {
        Resolution::Id(id) => return Ok(id),
        Resolution::Shared(many) => many,
        Resolution::Unknown => Vec::new(),
    };
    if !many.is_empty() {
        bail!(
            "{flag} {name}: this URL host is shared by {} deployments ({}); name one by its id",
            many.len(),
            many.join(", ")
        );
    }
    let holds = crate::report::check::inventory_text(inventory)
        .into_iter()
        .map(|l| format!("\n  {}", crate::report::grid::terminal_safe(&l, 400)))
        .collect::<String>();
    bail!("{flag} {name}: no records of this deployment in the input. The input holds:{holds}")
}

/// The exit code of a decision: proceed 0, roll back 1, hold 3.
fn decision_code(decision: Decision) -> i32 {
    match decision {
        Decision::Proceed => super::EXIT_CLEAN,
        Decision::Rollback => super::EXIT_FINDINGS,
        Decision::Hold => super::EXIT_HOLD,
    }
}

pub fn run(args: RollbackArgs, ctx: &Context) -> anyhow::Result<i32> {
    let (policy, overlay) = policy(&args, ctx)?;
    if args.print_policy {
        emit(|out| {
            out.write_all(DEFAULT_POLICY_TOML.as_bytes())?;
            if let Some(o) = &overlay {
                writeln!(out, "\n{o}")?;
            }
            Ok(())
        })?;
        return Ok(EXIT_CLEAN);
    }
    let Some(deployment) = args.deployment.clone() else {
        bail!("--deployment is required: name the canary (id, URL host or URL)");
    };
    let file = &ctx.config.file.rollback;
    let format = args.format.or(file.format).unwrap_or(RollbackFormat::Table);
    let interval = args.interval.or(file.interval).unwrap_or(5.0);
    if !(0.1..=3600.0).contains(&interval) {
        bail!("--interval {interval}: must be between 0.1 and 3600 seconds");
    }
    let deploy_time_ms = inputs::time_flag("deploy-time", &args.deploy_time)?;
    let now_ms = inputs::time_flag("now", &args.now)?;
    let signatures = inputs::catalog(&args.catalog, &ctx.config, &[])?;
    check_policy_signatures(&policy, &signatures)?;
    let base = RollbackInput {
        canary: crate::record::deployment_name(&deployment).to_string(),
        baseline: args
            .baseline
            .as_deref()
            .map(|b| crate::record::deployment_name(b).to_string()),
        deploy_time_ms,
        now_ms,
        observations: Default::default(),
    };
    if let Some(path) = &args.from_sql_results {
        return from_sql_results(path, &base, &policy, format, ctx);
    }
    if args.follow {
        return follow(&args, base, &policy, signatures, format, interval, ctx);
    }
    let specs = inputs::specs(&args.read)?;
    let settings = inputs::settings(&args.read)?;
    // Only files can be read again.
    let rereadable = specs.iter().all(|spec| match spec {
        InputSpec::Path(path) => std::fs::metadata(path).is_ok_and(|m| m.is_file()),
        InputSpec::Stdin => false,
    });
    let share = match rereadable {
        true => Share::with_budget(args.memory.unwrap_or(DEFAULT_MEMORY)),
        false => Share::whole(),
    };
    let analysis = |share: Share, pass: Pass| ObservationAnalysis {
        signatures: &signatures,
        deploy_time_ms: base.deploy_time_ms,
        now_ms: base.now_ms,
        // A deployment id names the canary exactly (a URL host is resolved
        // after the scan): only its lines' samples can be shown.
        samples_of: base.canary.starts_with("dpl_").then(|| base.canary.clone()),
        share,
        pass,
        keep_lines: false,
    };
    let outcome = crate::scan::scan(
        &specs,
        &signatures,
        &analysis(share, Pass::First),
        &settings,
    );
    let bad_input = inputs::warn_inputs(&outcome.inputs);
    let inventory = outcome.partial.inventory.finish();
    let gathered = outcome.partial.gathered;
    let found = |name: &str| resolve_deployment(name, &gathered, &inventory);
    let canary = deployment_id("--deployment", &deployment, found(&deployment), &inventory)?;
    let baseline = match &args.baseline {
        Some(b) => Some(deployment_id("--baseline", b, found(b), &inventory)?),
        None => None,
    };
    if baseline.as_deref() == Some(canary.as_str()) {
        bail!("--baseline names the canary itself ({canary}); name the deployment it replaces");
    }
    let sides = Sides {
        canary: &canary,
        baseline: baseline.as_deref(),
    };
    let read_again = |share: Share, pass: Pass| {
        give_back_freed_memory();
        let again = crate::scan::scan(&specs, &signatures, &analysis(share, pass), &settings);
        let read = |o: &[crate::scan::InputSummary]| {
            o.iter()
                .map(|i| (i.records, i.malformed))
                .collect::<Vec<_>>()
        };
        if read(&again.inputs) != read(&outcome.inputs) {
            bail!(
                "the input changed while it was read again (its requests needed more than --memory): judge a copy that does not change"
            );
        }
        Ok(again.partial.gathered)
    };
    let (report, passes) = evaluate_in_passes(gathered, sides, &policy, read_again)?;
    if passes > 1 {
        eprintln!(
            "logs: read the input {passes} times, a share of its requests each time, to stay within --memory"
        );
    }
    emit(|out| crate::report::rollback::write(&report, format, ctx.style, out))?;
    Ok(if bad_input {
        EXIT_ERROR
    } else {
        decision_code(report.decision)
    })
}

/// Returns what the last pass let go of to the system. glibc's allocator
/// keeps freed memory in per-thread arenas that the next pass's threads do
/// not all reuse, so each pass would otherwise add its own to the peak.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own free lists; no pointer of
    // ours is involved.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// `--from-sql-results FILE`: the measures of `logs sql rollback`'s query,
/// judged by the same code as a scan's.
fn from_sql_results(
    path: &std::path::Path,
    base: &RollbackInput,
    policy: &RollbackPolicy,
    format: RollbackFormat,
    ctx: &Context,
) -> anyhow::Result<i32> {
    let name = path.display().to_string();
    let text = crate::input::read_side_text(path)
        .with_context(|| format!("{name}: cannot read SQL results"))?;
    let measured = logs_sql::results::parse(&name, &text, Some(&base.canary))?;
    if let (Some(wanted), found) = (&base.baseline, &measured.baseline) {
        if found.as_deref() != Some(wanted.as_str()) {
            bail!("{name}: the results were computed with baseline {found:?}, not {wanted:?}");
        }
    }
    // Flags win over what the query assumed only when they agree; else the
    // measures would be for another span.
    for (flag, given, found) in [
        ("--deploy-time", base.deploy_time_ms, measured.deploy_ms),
        ("--now", base.now_ms, measured.now_ms),
    ] {
        if given.is_some() && given != found {
            bail!(
                "{flag}: the results were computed for another time; pass it to `logs sql rollback`"
            );
        }
    }
    let report = crate::rollback::evaluate_measured(&measured, policy)?;
    emit(|out| crate::report::rollback::write(&report, format, ctx.style, out))?;
    Ok(decision_code(report.decision))
}

/// What the stdin reader thread hands over.
enum Arrived {
    Bytes(Vec<u8>),
    End,
    Failed(std::io::Error),
}

/// An error when the canary or baseline name does not stand for exactly
/// one deployment of the feed: a PROCEED, or the end of the feed, must not
/// stand on a deployment that was not there (with an unknown baseline the
/// rate rules are silently N/A).
fn check_names(
    args: &RollbackArgs,
    canary: Resolution,
    baseline: Option<Resolution>,
    inventory: &Inventory,
) -> anyhow::Result<()> {
    let deployment = args.deployment.as_deref().unwrap_or_default();
    deployment_id("--deployment", deployment, canary, inventory)?;
    if let (Some(name), Some(found)) = (&args.baseline, baseline) {
        deployment_id("--baseline", name, found, inventory)?;
    }
    Ok(())
}

/// Live mode: feed stdin into the engine as it arrives, evaluate every
/// `--interval`; stop at the first ROLLBACK or PROCEED, or when stdin ends.
/// The canary and baseline (ids, URL hosts or URLs) are resolved as records
/// arrive; until then their rules wait (HOLD).
fn follow(
    args: &RollbackArgs,
    base: RollbackInput,
    policy: &RollbackPolicy,
    signatures: crate::signatures::SignatureSet,
    format: RollbackFormat,
    interval: f64,
    ctx: &Context,
) -> anyhow::Result<i32> {
    if args.read.paths.iter().any(|p| p != "-") {
        bail!(
            "--follow reads stdin: pass `-` (e.g. `vercel logs --follow --json | logs rollback - --follow …`)"
        );
    }
    let settings = inputs::settings(&args.read)?;
    let analysis = ObservationAnalysis {
        signatures: &signatures,
        deploy_time_ms: base.deploy_time_ms,
        now_ms: base.now_ms,
        samples_of: None,
        share: Share::whole(),
        pass: Pass::First,
        keep_lines: false,
    };
    let feed = Feed::new(
        "<stdin>",
        &signatures,
        &analysis,
        settings.format,
        settings.validate_all,
    );
    let mut live = Live::new(feed, base, policy);
    let (tx, rx) = std::sync::mpsc::channel::<Arrived>();
    // Detached: it may stay blocked on stdin after the decision is made.
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        loop {
            let mut buf = vec![0u8; 64 << 10];
            let arrived = match stdin.read(&mut buf) {
                Ok(0) => Arrived::End,
                Ok(n) => {
                    buf.truncate(n);
                    Arrived::Bytes(buf)
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => Arrived::Failed(e),
            };
            let last = !matches!(arrived, Arrived::Bytes(_));
            if tx.send(arrived).is_err() || last {
                return;
            }
        }
    });
    let redraw = std::io::stdout().is_terminal() && format == RollbackFormat::Table;
    let interval = Duration::from_secs_f64(interval);
    let mut round = 0u64;
    let mut ended: Option<Option<std::io::Error>> = None;
    loop {
        let tick = Instant::now() + interval;
        while ended.is_none() {
            let Some(left) = tick.checked_duration_since(Instant::now()) else {
                break;
            };
            match rx.recv_timeout(left) {
                Ok(Arrived::Bytes(b)) => live.push(&b),
                Ok(Arrived::End) => ended = Some(None),
                Ok(Arrived::Failed(e)) => ended = Some(Some(e)),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => ended = Some(None),
            }
        }
        round += 1;
        if ended.is_some() {
            break;
        }
        let (records, malformed) = live.counts();
        let report = live.evaluate();
        show(&report, round, records, malformed, redraw, format, ctx)?;
        if report.decision == Decision::Proceed {
            let (canary, baseline, inventory) = live.names();
            check_names(args, canary, baseline, &inventory)?;
        }
        if matches!(report.decision, Decision::Rollback | Decision::Proceed) {
            return Ok(decision_code(report.decision));
        }
    }
    // stdin ended: judge everything that arrived, once more.
    let (records, malformed) = live.counts();
    let end = live.finish();
    let (summary, report) = (end.summary, end.report);
    show(&report, round, records, malformed, redraw, format, ctx)?;
    inputs::warn_inputs(std::slice::from_ref(&summary));
    if let Some(Some(e)) = ended {
        eprintln!("logs: error: reading stdin: {e}");
        return Ok(EXIT_ERROR);
    }
    if summary.error.is_some() || summary.damage.is_some() {
        return Ok(EXIT_ERROR);
    }
    if report.decision != Decision::Rollback {
        check_names(args, end.canary, end.baseline, &end.inventory)?;
    }
    Ok(decision_code(report.decision))
}

/// Prints one evaluation: redrawn on a terminal, appended on a pipe.
fn show(
    report: &RollbackReport,
    round: u64,
    records: u64,
    malformed: u64,
    redraw: bool,
    format: RollbackFormat,
    ctx: &Context,
) -> anyhow::Result<()> {
    emit(|out| {
        if redraw {
            write!(out, "\x1b[2J\x1b[H")?;
        } else if format == RollbackFormat::Table {
            writeln!(
                out,
                "== evaluation {round}: {records} records read, {malformed} malformed =="
            )?;
        }
        crate::report::rollback::write(report, format, ctx.style, out)?;
        writeln!(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_the_contract() {
        assert_eq!(decision_code(Decision::Proceed), 0);
        assert_eq!(decision_code(Decision::Rollback), 1);
        assert_eq!(decision_code(Decision::Hold), 3);
    }
}

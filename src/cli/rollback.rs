//! `logs rollback`: flags → policy and input → scan (or live feed) →
//! decision → printer → exit code (0 proceed, 1 roll back, 3 hold, 2 error).

use std::io::{BufReader, IsTerminal};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::args::RollbackArgs;
use super::{EXIT_ERROR, emit, inputs};
use crate::report::OutputFormat;
use crate::report::rollback::{render_json, render_markdown, render_table};
use crate::report::style::Style;
use crate::rollback::{
    Decision, FeedState, ObservationAnalysis, RollbackInput, RollbackPolicy, RollbackReport,
    evaluate, feed_lines,
};

fn render(report: &RollbackReport, format: OutputFormat, style: Style) -> anyhow::Result<String> {
    Ok(match format {
        OutputFormat::Table => render_table(report, style.color),
        OutputFormat::Json => render_json(report),
        OutputFormat::Markdown => render_markdown(report),
        OutputFormat::Github | OutputFormat::Junit => {
            bail!("--format {format} is not available for rollback; use table, json or markdown")
        }
    })
}

fn policy(args: &RollbackArgs) -> anyhow::Result<RollbackPolicy> {
    match &args.policy {
        None => Ok(RollbackPolicy::default()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read policy", path.display()))?;
            RollbackPolicy::from_toml_str(&text)
                .with_context(|| format!("{}: invalid policy", path.display()))
        }
    }
}

pub fn run(args: RollbackArgs, style: Style) -> anyhow::Result<i32> {
    let policy = policy(&args)?;
    let deploy_time_ms = inputs::time_flag("deploy-time", &args.deploy_time)?;
    let now_ms = inputs::time_flag("now", &args.now)?;
    if args.interval.is_nan() || args.interval <= 0.0 {
        bail!("--interval must be a positive number of seconds");
    }
    if matches!(args.format, OutputFormat::Github | OutputFormat::Junit) {
        bail!(
            "--format {} is not available for rollback; use table, json or markdown",
            args.format
        );
    }
    let signatures = inputs::catalog(&args.input, &[])?;
    let base = RollbackInput {
        canary: args.deployment.clone(),
        baseline: args.baseline.clone(),
        deploy_time_ms,
        now_ms,
        observations: Vec::new(),
    };
    if args.follow {
        return follow(&args, base, &policy, signatures, style);
    }
    let specs = inputs::specs(&args.input)?;
    let settings = inputs::settings(&args.input)?;
    let analysis = ObservationAnalysis {
        signatures: &signatures,
    };
    let outcome = crate::scan::scan(&specs, &signatures, &analysis, &settings);
    let bad_input = inputs::warn_inputs(&outcome.inputs);
    let observations = outcome.partial.items;
    if !observations
        .iter()
        .any(|o| o.deployment.as_deref() == Some(&args.deployment))
    {
        let mut seen: Vec<&str> = observations
            .iter()
            .filter_map(|o| o.deployment.as_deref())
            .collect();
        seen.sort_unstable();
        seen.dedup();
        let list = if seen.is_empty() {
            "none".to_string()
        } else {
            seen.iter().take(8).copied().collect::<Vec<_>>().join(", ")
        };
        bail!(
            "no records of deployment {} in the input (deployments seen: {list})",
            args.deployment
        );
    }
    let report = evaluate(
        &RollbackInput {
            observations,
            ..base
        },
        &policy,
    );
    let text = render(&report, args.format, style)?;
    emit(|out| out.write_all(text.as_bytes()))?;
    Ok(if bad_input {
        EXIT_ERROR
    } else {
        report.decision.exit_code()
    })
}

/// Live mode: evaluate every `--interval` while stdin delivers records;
/// stop at the first ROLLBACK or PROCEED, or when stdin ends.
fn follow(
    args: &RollbackArgs,
    base: RollbackInput,
    policy: &RollbackPolicy,
    signatures: crate::signatures::SignatureSet,
    style: Style,
) -> anyhow::Result<i32> {
    if args.input.paths.iter().any(|p| p != "-") {
        bail!(
            "--follow reads stdin: pass `-` (e.g. `vercel logs --follow --json | logs rollback - --follow …`)"
        );
    }
    let state = Arc::new(Mutex::new(FeedState::default()));
    let feed_state = state.clone();
    let signatures = Arc::new(signatures);
    // Detached: it may stay blocked on stdin after the decision is made.
    std::thread::spawn(move || {
        feed_lines(BufReader::new(std::io::stdin()), signatures, feed_state)
    });
    let redraw = std::io::stdout().is_terminal() && args.format == OutputFormat::Table;
    let interval = Duration::from_secs_f64(args.interval);
    let mut round = 0u64;
    loop {
        let started = Instant::now();
        while started.elapsed() < interval {
            if state.lock().map(|s| s.done).unwrap_or(true) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50).min(interval));
        }
        let (input, done, records, malformed) = {
            let st = state
                .lock()
                .map_err(|_| anyhow::anyhow!("live feed failed"))?;
            let input = RollbackInput {
                observations: st.observations.clone(),
                ..base.clone()
            };
            (input, st.done, st.records, st.malformed)
        };
        round += 1;
        let report = evaluate(&input, policy);
        let text = render(&report, args.format, style)?;
        emit(|out| {
            if redraw {
                write!(out, "\x1b[2J\x1b[H")?;
            } else if args.format == OutputFormat::Table {
                writeln!(
                    out,
                    "== evaluation {round}: {records} records read, {malformed} malformed =="
                )?;
            }
            out.write_all(text.as_bytes())?;
            writeln!(out)
        })?;
        if done || matches!(report.decision, Decision::Rollback | Decision::Proceed) {
            if let Some(e) = state.lock().ok().and_then(|s| s.error.clone()) {
                eprintln!("logs: error: reading stdin: {e}");
                return Ok(EXIT_ERROR);
            }
            return Ok(report.decision.exit_code());
        }
    }
}

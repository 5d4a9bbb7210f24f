//! `logs check`: flags → [`CheckConfig`] → scan → report → exit code.

use std::time::Instant;

use super::args::CheckArgs;
use super::inputs;
use super::{EXIT_CLEAN, EXIT_FINDINGS, emit};
use crate::check::{self, CheckAnalysis, CheckConfig, JunitRun};
use crate::report::OutputFormat;
use crate::report::style::Style;

pub fn run(args: CheckArgs, style: Style) -> anyhow::Result<i32> {
    let config = CheckConfig {
        since_ms: inputs::time_flag("since", &args.since)?,
        until_ms: inputs::time_flag("until", &args.until)?,
        deployment: args.deployment.clone(),
        environment: args.environment.clone(),
        fail_on: args.fail_on.into(),
        ..CheckConfig::default()
    };
    let specs = inputs::specs(&args.input)?;
    let settings = inputs::settings(&args.input)?;
    let signatures = inputs::catalog(&args.input, &args.ignore)?;
    let analysis = CheckAnalysis {
        config: &config,
        signatures: &signatures,
    };
    let started_ms = chrono::Utc::now().timestamp_millis();
    let clock = Instant::now();
    let outcome = crate::scan::scan(&specs, &signatures, &analysis, &settings);
    let bad_input = inputs::warn_inputs(&outcome.inputs);
    let report = check::build(outcome, &signatures, &config);
    let run = JunitRun {
        started_ms,
        seconds: clock.elapsed().as_secs_f64(),
        strict: args.input.strict,
    };
    emit(|out| match args.format {
        OutputFormat::Junit => {
            crate::report::check::write_junit(&check::junit(&report, &signatures, run), out)
        }
        format => crate::report::check::write(&report, format, style, out),
    })?;
    if let Some(code) = inputs::input_exit(bad_input, args.input.strict, report.malformed) {
        return Ok(code);
    }
    Ok(if report.failed {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

//! The canary rollback decision: should a freshly deployed canary be rolled
//! back, held at its stage, or promoted to the next one?
//!
//! Fed plain [`Observation`]s (one per log line, normalised upstream),
//! [`evaluate`] runs the rules of a [`RollbackPolicy`] and returns a
//! [`RollbackReport`]: plain data, no words. The printers
//! (`logs_report::rollback`) word it (headline, reasons, thresholds) and
//! write the `logs.rollback/v1` JSON; they never compute.
//!
//! Layout: `input` (what comes in) → `scope` (requests, canary vs baseline,
//! deploy time and now) → `rules/*` (one file per rule, each a `measure`
//! giving plain numbers and a `judge` applying the policy; `stats` for the
//! maths) → `report` (the data out and the decision). Rules are named by
//! [`RuleId`]. Printers live in `logs_report::rollback`.
//! The default thresholds live in `default_policy.toml`, with their sources.

mod flagged;
mod gathered;
mod groups;
mod input;
mod live;
mod measured;
mod observe;
mod offenders;
mod passes;
mod policy;
mod policy_section;
mod policy_toml;
mod report;
mod request;
mod rule_id;
mod rules;
mod scope;
mod sequential;
mod share;
mod stats;

#[cfg(test)]
mod policy_tests;
#[cfg(test)]
mod scenarios;
#[cfg(test)]
mod scenarios_rules;
/// Synthetic observations for tests (here and in the printers' crate).
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;

pub use flagged::Flagged;
pub use gathered::{DeploymentLines, Gathered, Pass, Requests};
pub use input::{Observation, ObservationList, RollbackInput, Severity};
pub use live::{Finished, Live, Resolution, resolve_deployment};
pub use measured::{Measured, MissingMeasure, evaluate_measured};
pub use observe::{Names, ObservationAnalysis, Observations, error_key, observe};
pub use passes::evaluate_in_passes;
pub use policy::{
    LatencyRule, NewSignatureRule, ObservationRule, RateRule, RollbackPolicy, RouteMatch, RouteSlo,
    RuleOptions, RuleSeverity, ServerActionRule, SignatureBurstRule, StatusPattern,
};
pub use policy_toml::{DEFAULT_POLICY_TOML, PolicyError};
pub use report::{Decision, Offender, RollbackReport, RuleResult, RunbookThreshold};
pub use request::Request;
pub use rule_id::{RuleId, UnknownRule};
pub use rules::{
    BurstCase, BurstFinding, BurstMeasure, Counts, ErrorCount, Finding, LatencyCase,
    LatencyFinding, LatencyGroup, LatencyMeasure, LatencyWindow, LatencyWindowRef, Measure,
    NewSignature, NewSignatureCase, NewSignatureFinding, NewSignatureMeasure, ObservationFinding,
    ObservationMeasure, Outcome, Peak, Quantile, RateCase, RateFinding, RateMeasure,
    ServerActionCase, ServerActionFinding, ServerActionMeasure, Span, Tally, Unit, Verdict, judge,
    measure,
};
pub use scope::{Frame, Scope, Sides};
pub use sequential::{
    ALT_RISES, ALT_STRENGTH, DETECT_RATIO, Limits, Traffic, always_valid_p, detect_target,
    minutes_to_detect,
};
pub use share::Share;
pub use stats::{fisher_greater, ln_gamma};

use report::decide;

use crate::record::time::format_ms;
use scope::MINUTE_MS;

/// Judges the canary in `input` against `policy`.
pub fn evaluate(input: &RollbackInput, policy: &RollbackPolicy) -> RollbackReport {
    let sides = Sides {
        canary: &input.canary,
        baseline: input.baseline.as_deref(),
    };
    evaluate_gathered(&Gathered::of(input), sides, policy)
}

/// Judges `sides.canary` in what a scan gathered (with the deploy time and
/// "now" it was gathered for) against `policy`.
pub fn evaluate_gathered(
    input: &Gathered,
    sides: Sides<'_>,
    policy: &RollbackPolicy,
) -> RollbackReport {
    let counted = Frame::of(input, sides).map(|f| (f, Counts::of(input, sides, f, policy)));
    evaluate_counted(input, sides, policy, counted)
}

/// Judges `sides.canary` as [`evaluate_gathered`] does, with its requests
/// counted apart: `counted` is the frame and the counts of every request
/// (`None`: the deploy time is unknown).
pub fn evaluate_counted(
    input: &Gathered,
    sides: Sides<'_>,
    policy: &RollbackPolicy,
    counted: Option<(Frame, Counts)>,
) -> RollbackReport {
    let counted = counted.map(|(frame, counts)| (Scope::new(input, sides, frame), counts));
    let scope = counted.as_ref().map(|(scope, _)| scope);
    let rules = run_all(counted.as_ref(), policy);
    let decision = decide(&rules);
    let deploy_ms = scope.as_ref().map(|s| s.deploy_ms);
    let now_ms = match &scope {
        Some(scope) => Some(scope.now_ms),
        None => input.now_ms().or(input.last_ms()),
    };
    let last_good = scope::last_good(input, sides, deploy_ms);
    let (offenders, runbook) = match (&counted, decision) {
        (Some((scope, counts)), Decision::Rollback) => (
            offenders::top_offenders(scope, &counts.offenders),
            offenders::runbook(sides.canary, last_good.as_deref()),
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let actions = &policy.server_action_500s;
    let runbook_threshold =
        (!runbook.is_empty() && actions.options.enabled).then_some(RunbookThreshold {
            max_unique_errors: actions.max_unique_errors,
            window_minutes: actions.window_minutes,
        });
    RollbackReport {
        decision,
        deployment: sides.canary.to_string(),
        baseline: sides.baseline.map(str::to_string),
        last_good,
        deploy_time: deploy_ms.map(format_ms),
        now: now_ms.map(format_ms),
        observed_minutes: scope
            .as_ref()
            .map(|s| (s.now_ms - s.deploy_ms) as f64 / MINUTE_MS as f64),
        rules,
        offenders,
        runbook,
        runbook_threshold,
    }
}

/// Runs every rule of `policy` in [`RuleId::ALL`] order on a scope and
/// the counts of its requests. `counted` is `None` when the canary's deploy
/// time is unknown: the enabled rules are then INCONCLUSIVE.
pub fn run_all(counted: Option<&(Scope, Counts)>, policy: &RollbackPolicy) -> Vec<RuleResult> {
    RuleId::ALL
        .into_iter()
        .map(|id| {
            let options = policy.options(id);
            let outcome = if !options.enabled {
                Outcome::bare(Verdict::NotApplicable, Finding::Disabled)
            } else if let Some((scope, counts)) = counted {
                judge(&measure(id, scope, counts, policy), policy)
            } else {
                Outcome::bare(Verdict::Inconclusive, Finding::NoDeployTime)
            };
            RuleResult::new(id, options, outcome)
        })
        .collect()
}

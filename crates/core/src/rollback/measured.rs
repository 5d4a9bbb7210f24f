//! Judging measures computed elsewhere: `logs sql rollback` computes each
//! rule's [`Measure`] in the log store (SQL), and [`evaluate_measured`]
//! applies the same [`judge`] and decision as [`super::evaluate`] does
//! after a file scan, so the statistics and the decision live in one place.
//!
//! What a scan has and a measure does not: the per-request evidence behind
//! the top offenders, which a measured report leaves empty.

use super::policy::RollbackPolicy;
use super::report::{Decision, RollbackReport, RuleResult, RunbookThreshold};
use super::rule_id::RuleId;
use super::rules::{Finding, Measure, Outcome, Verdict, judge};
use super::scope::MINUTE_MS;
use crate::record::time::format_ms;

/// Measures of one canary, with what they are about.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measured {
    pub canary: String,
    pub baseline: Option<String>,
    /// `None`: the store held no row of the canary (and none was given).
    pub deploy_ms: Option<i64>,
    pub now_ms: Option<i64>,
    /// The deployment to go back to, as the store found it.
    pub last_good: Option<String>,
    pub measures: Vec<Measure>,
}

/// An enabled rule has no measure: the results were computed with a
/// policy that disabled it, or were cut short.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "no measure for rule {0} (enabled in the policy): compute the results with the same policy"
)]
pub struct MissingMeasure(pub RuleId);

/// Strings a measure carries from the logs are redacted and bounded here,
/// where they enter a report, as the scan's measures do.
fn redacted(measure: &Measure) -> Measure {
    let mut m = measure.clone();
    if let Measure::ServerAction500s(actions) = &mut m {
        for e in &mut actions.errors {
            e.error_key = crate::redact::sample(&e.error_key, 200);
            e.route = crate::redact::sample(&e.route, 200);
        }
    }
    m
}

/// Judges `input` against `policy`, as [`super::evaluate`] judges a scan.
pub fn evaluate_measured(
    input: &Measured,
    policy: &RollbackPolicy,
) -> Result<RollbackReport, MissingMeasure> {
    let mut rules = Vec::new();
    for id in RuleId::ALL {
        let options = policy.options(id);
        let outcome = if !options.enabled {
            Outcome::bare(Verdict::NotApplicable, Finding::Disabled)
        } else if input.deploy_ms.is_none() {
            Outcome::bare(Verdict::Inconclusive, Finding::NoDeployTime)
        } else {
            let measure = (input.measures.iter())
                .find(|m| m.rule() == id)
                .ok_or(MissingMeasure(id))?;
            judge(&redacted(measure), policy)
        };
        rules.push(RuleResult::new(id, options, outcome));
    }
    let decision = super::report::decide(&rules);
    let last_good = input.baseline.clone().or_else(|| input.last_good.clone());
    let runbook = match decision {
        Decision::Rollback => super::offenders::runbook(&input.canary, last_good.as_deref()),
        _ => Vec::new(),
    };
    let actions = &policy.server_action_500s;
    let runbook_threshold =
        (!runbook.is_empty() && actions.options.enabled).then_some(RunbookThreshold {
            max_unique_errors: actions.max_unique_errors,
            window_minutes: actions.window_minutes,
        });
    let observed = match (input.deploy_ms, input.now_ms) {
        (Some(d), Some(n)) => Some((n - d) as f64 / MINUTE_MS as f64),
        _ => None,
    };
    Ok(RollbackReport {
        decision,
        deployment: input.canary.clone(),
        baseline: input.baseline.clone(),
        last_good,
        deploy_time: input.deploy_ms.map(format_ms),
        now: input.now_ms.map(format_ms),
        observed_minutes: observed,
        rules,
        offenders: Vec::new(),
        runbook,
        runbook_threshold,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollback::ObservationMeasure;

    #[test]
    fn a_missing_measure_is_an_error_and_no_deploy_time_holds() {
        let policy = RollbackPolicy::default();
        let mut input = Measured {
            canary: "dpl_new".into(),
            ..Measured::default()
        };
        let report =
            evaluate_measured(&input, &policy).expect("no deploy time: no measures needed");
        assert_eq!(report.decision, Decision::Hold);
        input.deploy_ms = Some(0);
        input.now_ms = Some(0);
        input
            .measures
            .push(Measure::Observation(ObservationMeasure {
                elapsed_ms: 0,
                requests: 0,
            }));
        assert_eq!(
            evaluate_measured(&input, &policy).err(),
            Some(MissingMeasure(RuleId::ServerAction500s))
        );
    }
}

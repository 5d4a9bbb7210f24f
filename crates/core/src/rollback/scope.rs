//! Turns what a scan [`Gathered`] into what the rules read: the canary's
//! and the baseline's lines and requests, the deploy time and "now".
//!
//! A request is the lines of one deployment sharing a `request_id`; a line
//! without one but with a status is a request by itself. Canary lines count
//! from deploy time to now; baseline lines count up to now (the baseline's
//! pre-deploy history is what the canary is compared with). Lines without a
//! deployment id belong to neither side, and lines after a given "now" to
//! none at all.

use std::sync::LazyLock;

use super::flagged::Flagged;
use super::gathered::Gathered;
pub use super::request::Request;

pub const MINUTE_MS: i64 = 60_000;

/// What every rule reads.
#[derive(Debug)]
pub struct Scope<'a> {
    pub deploy_ms: i64,
    pub now_ms: i64,
    /// The canary's lines (from deploy time to now) and the baseline's (up
    /// to now) that rules read one by one, folded: those with a signature,
    /// and errors outside any request ([`Gathered::keeps`]).
    pub canary_flagged: &'a Flagged,
    pub baseline_flagged: Flagged,
    /// How many lines each side has in all.
    pub canary_lines: u64,
    pub baseline_lines: u64,
    /// Whether any line of the whole input carries a duration.
    pub any_duration: bool,
}

/// The canary and the baseline (`None`: every other deployment).
#[derive(Debug, Clone, Copy)]
pub struct Sides<'s> {
    pub canary: &'s str,
    pub baseline: Option<&'s str>,
}

impl Sides<'_> {
    pub(super) fn is_baseline(&self, deployment: Option<&str>) -> bool {
        match (deployment, self.baseline) {
            (Some(d), Some(baseline)) => d == baseline,
            (Some(d), None) => d != self.canary,
            (None, _) => false,
        }
    }
}

/// The span judged: from the deploy time to "now".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    pub deploy_ms: i64,
    pub now_ms: i64,
}

impl Frame {
    /// `None` when the deploy time is unknown: not given and no canary line.
    pub fn of(input: &Gathered, sides: Sides<'_>) -> Option<Self> {
        let canary = input.deployment(sides.canary);
        let deploy_ms = (input.deploy_time_ms()).or_else(|| canary.and_then(|c| c.first_ms()))?;
        let now_ms = (input.now_ms().or(input.last_ms()))
            .unwrap_or(deploy_ms)
            .max(deploy_ms);
        Some(Frame { deploy_ms, now_ms })
    }
}

impl<'a> Scope<'a> {
    /// The scope of `frame` in `input`.
    pub fn new(input: &'a Gathered, sides: Sides<'_>, frame: Frame) -> Self {
        let Frame { deploy_ms, now_ms } = frame;
        // Lines after "now" were not gathered, and the canary's since the
        // deploy time are folded apart when it is given (else it is the
        // canary's first line).
        static NONE: LazyLock<Flagged> = LazyLock::new(Flagged::default);
        let canary_flagged =
            (input.deployment(sides.canary)).map_or(&*NONE, |c| c.canary_flagged());
        let baselines = || (input.deployments()).filter(|(d, _)| sides.is_baseline(Some(d)));
        let mut baseline_flagged = Flagged::default();
        for (_, lines) in baselines() {
            baseline_flagged.merge(lines.flagged.clone());
        }
        Scope {
            deploy_ms,
            now_ms,
            canary_flagged,
            baseline_flagged,
            // Its lines are all up to now; a computed deploy time is the
            // earliest of them.
            canary_lines: input.canary_lines(sides.canary, deploy_ms),
            baseline_lines: baselines().map(|(_, l)| l.counted()).sum(),
            any_duration: input.any_duration(),
        }
    }
}

/// The deployment to promote back: the given baseline, else the other
/// deployment whose latest line before deploy time is the most recent (of
/// equal ones, the one whose first line came last).
pub fn last_good(input: &Gathered, sides: Sides<'_>, deploy_ms: Option<i64>) -> Option<String> {
    if let Some(baseline) = sides.baseline {
        return Some(baseline.to_string());
    }
    let mut best: Option<(i64, &str)> = None;
    for (id, lines) in input.deployments() {
        if !sides.is_baseline(Some(id)) {
            continue;
        }
        if let Some(t) = input.latest_before(lines, deploy_ms) {
            if best.is_none_or(|(b, _)| t >= b) {
                best = Some((t, id));
            }
        }
    }
    best.map(|(_, id)| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollback::{Observation, RollbackInput};

    #[test]
    fn last_good_is_latest_before_deploy() {
        let mut input = RollbackInput {
            canary: "dpl_new".into(),
            ..RollbackInput::default()
        };
        for (d, t) in [("dpl_a", 5), ("dpl_b", 8), ("dpl_a", 50), ("dpl_new", 10)] {
            input.observations.push(Observation {
                time_ms: t,
                deployment: Some(d.into()),
                ..Observation::default()
            });
        }
        let gathered = Gathered::of(&input);
        let mut sides = Sides {
            canary: "dpl_new",
            baseline: None,
        };
        assert_eq!(last_good(&gathered, sides, Some(10)), Some("dpl_b".into()));
        sides.baseline = Some("dpl_a");
        assert_eq!(last_good(&gathered, sides, Some(10)), Some("dpl_a".into()));
    }
}

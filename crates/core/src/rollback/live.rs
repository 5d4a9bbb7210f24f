//! Judging a canary while its records arrive (`logs rollback --follow`, and
//! the drain receiver): bytes go into the scan engine's [`Feed`], the same
//! decode → match → observe path as a batch scan, and [`Live::evaluate`]
//! judges what has arrived. A decision at a given "now" is the one a batch
//! `logs rollback` of the same bytes gives.

use super::input::{Observation, RollbackInput};
use super::observe::{ObservationAnalysis, Observations};
use super::policy::RollbackPolicy;
use super::report::RollbackReport;
use crate::check::inventory::Inventory;
use crate::record::deployment_name;
use crate::scan::{Feed, InputSummary};

/// The deployment id a `--deployment` (or `--baseline`) value names, among
/// the deployments seen: an id as is, or the id whose URL host it is.
/// `None` when the input holds no such deployment.
pub fn resolve_deployment(
    name: &str,
    observations: &[Observation],
    inventory: &Inventory,
) -> Option<String> {
    let plain = deployment_name(name);
    if observations
        .iter()
        .any(|o| o.deployment.as_deref() == Some(plain))
    {
        return Some(plain.to_string());
    }
    inventory.resolve(name).map(str::to_string)
}

/// The input of a judgement: `base` (canary, baseline, times as given)
/// with the deployments resolved against what was seen so far (a name not
/// seen yet is kept as given).
fn resolved(base: &RollbackInput, seen: &Observations) -> RollbackInput {
    let inventory = seen.inventory.finish();
    let resolve = |name: &str| {
        resolve_deployment(name, &seen.items, &inventory)
            .unwrap_or_else(|| deployment_name(name).to_string())
    };
    RollbackInput {
        canary: resolve(&base.canary),
        baseline: base.baseline.as_deref().map(resolve),
        deploy_time_ms: base.deploy_time_ms,
        now_ms: base.now_ms,
        observations: Vec::new(),
    }
}

/// A canary judged as its records arrive.
pub struct Live<'a> {
    feed: Feed<'a, ObservationAnalysis<'a>>,
    base: RollbackInput,
    policy: &'a RollbackPolicy,
}

impl<'a> Live<'a> {
    /// Judges `base.canary` against `base.baseline` (its observations are
    /// ignored) under `policy`, from what `feed` receives.
    pub fn new(
        feed: Feed<'a, ObservationAnalysis<'a>>,
        base: RollbackInput,
        policy: &'a RollbackPolicy,
    ) -> Self {
        Live { feed, base, policy }
    }

    /// Adds bytes as they arrive.
    pub fn push(&mut self, bytes: &[u8]) {
        self.feed.push(bytes);
    }

    /// Records read and malformed so far.
    pub fn counts(&self) -> (u64, u64) {
        (self.feed.records(), self.feed.malformed())
    }

    /// Judges what has arrived so far (without copying it).
    pub fn evaluate(&mut self) -> RollbackReport {
        let mut input = resolved(&self.base, self.feed.partial());
        let seen = self.feed.partial_mut();
        input.observations = std::mem::take(&mut seen.items);
        let report = super::evaluate(&input, self.policy);
        seen.items = input.observations;
        report
    }

    /// Ends the input: judges everything, and says what was read.
    pub fn finish(self) -> (InputSummary, RollbackReport) {
        let (summary, seen) = self.feed.finish();
        let mut input = resolved(&self.base, &seen);
        input.observations = seen.items;
        (summary, super::evaluate(&input, self.policy))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{ScanSettings, scan};
    use crate::signatures::{SignatureSet, load_catalog};

    /// The bundled canary sample: fed in pieces of any size, judged live at
    /// the end, it gets exactly the batch scan's report.
    #[test]
    fn live_and_batch_agree_on_the_same_bytes() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/canary-rollback.ndjson"
        );
        let bytes = std::fs::read(path).expect("sample");
        let set = SignatureSet::new(load_catalog(true, &[]).expect("catalog")).expect("set");
        let analysis = ObservationAnalysis { signatures: &set };
        let policy = RollbackPolicy::default();
        let base = RollbackInput {
            canary: "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L".into(),
            ..RollbackInput::default()
        };
        let specs = [crate::input::InputSpec::Path(path.into())];
        let settings = ScanSettings {
            threads: 2,
            chunk_size: 4096,
            ..ScanSettings::default()
        };
        let outcome = scan(&specs, &set, &analysis, &settings);
        let mut input = resolved(&base, &outcome.partial);
        input.observations = outcome.partial.items;
        let batch = serde_json::to_value(super::super::evaluate(&input, &policy)).expect("json");
        assert_eq!(batch["decision"], "rollback");
        for size in [1, 97, 4096, 1 << 20] {
            let feed = Feed::new("<stdin>", &set, &analysis, None, false);
            let mut live = Live::new(feed, base.clone(), &policy);
            for piece in bytes.chunks(size) {
                live.push(piece);
                // Looking in between changes nothing.
                let _ = live.evaluate();
            }
            let (summary, report) = live.finish();
            assert_eq!(summary.records, outcome.inputs[0].records, "{size}");
            assert_eq!(serde_json::to_value(report).expect("json"), batch, "{size}");
        }
    }
}

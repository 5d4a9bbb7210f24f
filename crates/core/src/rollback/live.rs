//! Judging a canary while its records arrive (`logs rollback --follow`, and
//! the drain receiver): bytes go into the scan engine's [`Feed`], the same
//! decode → match → observe path as a batch scan, and [`Live::evaluate`]
//! judges what has arrived. A decision at a given "now" is the one a batch
//! `logs rollback` of the same bytes gives.

use super::gathered::Gathered;
use super::input::{ObservationList, RollbackInput};
use super::observe::{ObservationAnalysis, Observations};
use super::policy::RollbackPolicy;
use super::report::RollbackReport;
use crate::inventory::Inventory;
use crate::record::deployment_name;
use crate::scan::{Feed, InputSummary};

/// What a `--deployment` (or `--baseline`) value names among the
/// deployments seen so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// One deployment: an id as is, or the id whose URL host it is.
    Id(String),
    /// A URL host several deployments share (a production alias): the ids.
    Shared(Vec<String>),
    /// No deployment seen has this id or URL host.
    Unknown,
}

impl Resolution {
    /// The id, when there is exactly one.
    pub fn id(&self) -> Option<&str> {
        match self {
            Resolution::Id(id) => Some(id),
            _ => None,
        }
    }
}

/// What `name` names among the deployments `gathered` (ids as they appear
/// on records) and `inventory` (ids with their URL hosts).
pub fn resolve_deployment(name: &str, gathered: &Gathered, inventory: &Inventory) -> Resolution {
    let plain = deployment_name(name);
    if gathered.deployment(plain).is_some() {
        return Resolution::Id(plain.to_string());
    }
    match inventory.candidates(name).as_slice() {
        [] => Resolution::Unknown,
        [id] => Resolution::Id(id.to_string()),
        many => Resolution::Shared(many.iter().map(|s| s.to_string()).collect()),
    }
}

/// The canary and baseline of a judgement: `base`'s with the deployments
/// resolved against what was seen so far (a name not resolved yet is kept
/// as given, so its rules wait).
fn resolved(base: &RollbackInput, seen: &Observations) -> RollbackInput {
    let inventory = seen.inventory.finish();
    let resolve = |name: &str| match resolve_deployment(name, &seen.gathered, &inventory) {
        Resolution::Id(id) => id,
        _ => deployment_name(name).to_string(),
    };
    RollbackInput {
        canary: resolve(&base.canary),
        baseline: base.baseline.as_deref().map(resolve),
        deploy_time_ms: base.deploy_time_ms,
        now_ms: base.now_ms,
        observations: ObservationList::default(),
    }
}

/// What the canary and baseline names of `base` resolve to in `seen`, with
/// what `seen` holds.
fn names_in(
    base: &RollbackInput,
    seen: &Observations,
) -> (Resolution, Option<Resolution>, Inventory) {
    let inventory = seen.inventory.finish();
    let name = |n: &str| resolve_deployment(n, &seen.gathered, &inventory);
    let canary = name(&base.canary);
    let baseline = base.baseline.as_deref().map(name);
    (canary, baseline, inventory)
}

/// Judges `input`'s canary against its baseline in `gathered`.
fn judge(input: &RollbackInput, gathered: &Gathered, policy: &RollbackPolicy) -> RollbackReport {
    let sides = super::Sides {
        canary: &input.canary,
        baseline: input.baseline.as_deref(),
    };
    super::evaluate_gathered(gathered, sides, policy)
}

/// The end of a live run.
pub struct Finished {
    /// What was read.
    pub summary: InputSummary,
    /// The judgement of everything that arrived.
    pub report: RollbackReport,
    /// What the input holds (for errors that list it).
    pub inventory: Inventory,
    /// What the canary and the baseline names resolved to in the end.
    pub canary: Resolution,
    pub baseline: Option<Resolution>,
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

    /// The lines kept whole so far (those with a signature, and errors
    /// outside any request), in arrival order, when its analysis keeps
    /// them (`keep_lines`).
    pub fn observations(&self) -> Option<&ObservationList> {
        self.feed.partial().gathered.lines()
    }

    /// Judges `canary` against `baseline` from now on (`logs serve
    /// --canary auto` follows the newest production deployment).
    pub fn set_deployments(&mut self, canary: String, baseline: Option<String>) {
        self.base.canary = canary;
        self.base.baseline = baseline;
    }

    /// Judges what has arrived so far (without copying it).
    pub fn evaluate(&mut self) -> RollbackReport {
        let seen = self.feed.partial();
        judge(&resolved(&self.base, seen), &seen.gathered, self.policy)
    }

    /// What the canary and baseline names resolve to so far, with what
    /// the input holds.
    pub fn names(&self) -> (Resolution, Option<Resolution>, Inventory) {
        names_in(&self.base, self.feed.partial())
    }

    /// Ends the input: judges everything, and says what was read.
    pub fn finish(self) -> Finished {
        let (summary, seen) = self.feed.finish();
        let input = resolved(&self.base, &seen);
        let (canary, baseline, inventory) = names_in(&self.base, &seen);
        Finished {
            report: judge(&input, &seen.gathered, self.policy),
            summary,
            inventory,
            canary,
            baseline,
        }
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
        let analysis = ObservationAnalysis {
            signatures: &set,
            deploy_time_ms: None,
            now_ms: None,
            samples_of: None,
            share: crate::rollback::Share::whole(),
            pass: crate::rollback::Pass::First,
            keep_lines: false,
        };
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
        let input = resolved(&base, &outcome.partial);
        let batch = judge(&input, &outcome.partial.gathered, &policy);
        let batch = serde_json::to_value(batch).expect("json");
        assert_eq!(batch["decision"], "rollback");
        // Including the sequential rate test: 5 of 89 canary requests fail
        // against none of 294, and both paths say so at the same "now".
        let rates = (batch["rules"].as_array().expect("rules").iter())
            .find(|r| r["id"] == "error-rate-vs-baseline")
            .expect("rule");
        assert_eq!(rates["verdict"], "fail");
        for size in [1, 97, 4096, 1 << 20] {
            let feed = Feed::new("<stdin>", &set, &analysis, None, false);
            let mut live = Live::new(feed, base.clone(), &policy);
            for (i, piece) in bytes.chunks(size).enumerate() {
                live.push(piece);
                // Looking in between changes nothing (looked at now and
                // then: a look per byte would judge the sample 10^5 times).
                if i % 509 == 0 {
                    let _ = live.evaluate();
                }
            }
            let end = live.finish();
            assert_eq!(end.summary.records, outcome.inputs[0].records, "{size}");
            assert_eq!(end.canary.id(), Some(base.canary.as_str()), "{size}");
            assert_eq!(
                serde_json::to_value(end.report).expect("json"),
                batch,
                "{size}"
            );
        }
    }
}

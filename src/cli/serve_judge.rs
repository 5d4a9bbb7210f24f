//! The live judge of `logs serve`: the stored bytes go into
//! [`crate::rollback::Live`] (the engine of `logs rollback --follow`), and
//! its report is printed as `/status` JSON, the page, or a notice. With
//! `--canary auto` the newest production deployment seen (the one whose
//! first record received has the latest timestamp) is the canary, and the one before it the
//! baseline unless `--baseline` names one.

use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};

use crate::report::rollback::{
    LatestSignature, LiveView, render_json, render_live_page, render_notice,
};
use crate::rollback::{Live, RollbackReport};

/// Signatures kept for the page.
const LATEST: usize = 20;
/// Seconds between page refreshes.
const REFRESH_SECS: u32 = 10;

/// Which deployment is the canary.
pub enum Canary {
    Given,
    /// The newest production deployment; `baseline` as given, if it was.
    Auto {
        baseline: Option<String>,
    },
}

pub struct LiveJudge {
    pub live: Live<'static>,
    pub canary: Canary,
    /// Production deployments by their first record's time (auto only).
    first_seen: BTreeMap<String, i64>,
    chosen: Option<String>,
    report: Option<RollbackReport>,
    scanned: usize,
    latest: VecDeque<LatestSignature>,
}

#[derive(serde::Deserialize)]
struct Head<'a> {
    #[serde(borrow, default, rename = "deploymentId")]
    deployment: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    environment: Option<Cow<'a, str>>,
    #[serde(default)]
    timestamp: Option<serde_json::Value>,
}

/// The `deploymentId` of a drain line, found without parsing it (`None`
/// when absent or escaped: the line is then parsed).
fn quick_deployment(line: &[u8]) -> Option<&str> {
    const KEY: &[u8] = b"\"deploymentId\":\"";
    let at = line.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let len = line[at..].iter().position(|&b| b == b'"' || b == b'\\')?;
    if line[at + len] != b'"' {
        return None;
    }
    std::str::from_utf8(&line[at..at + len]).ok()
}

impl LiveJudge {
    pub fn new(live: Live<'static>, canary: Canary) -> Self {
        LiveJudge {
            live,
            canary,
            first_seen: BTreeMap::new(),
            chosen: None,
            report: None,
            scanned: 0,
            latest: VecDeque::new(),
        }
    }

    /// Notes the production deployments of `bytes`, and follows the newest.
    fn follow_newest(&mut self, bytes: &[u8]) {
        let Canary::Auto { baseline } = &self.canary else {
            return;
        };
        for line in bytes.split(|&b| b == b'\n') {
            // Only a deployment's first record counts: known ones are
            // skipped without parsing the line.
            if quick_deployment(line).is_some_and(|id| self.first_seen.contains_key(id)) {
                continue;
            }
            let Ok(head) = serde_json::from_slice::<Head>(line) else {
                continue;
            };
            let (Some(id), Some("production")) = (head.deployment, head.environment.as_deref())
            else {
                continue;
            };
            let Some(t) = head.timestamp.as_ref().and_then(serde_json::Value::as_i64) else {
                continue;
            };
            self.first_seen.entry(id.into_owned()).or_insert(t);
        }
        let mut by_time: Vec<(&i64, &String)> =
            self.first_seen.iter().map(|(id, t)| (t, id)).collect();
        by_time.sort();
        let Some((_, newest)) = by_time.last() else {
            return;
        };
        if self.chosen.as_ref() == Some(*newest) {
            return;
        }
        let previous = by_time.len().checked_sub(2).map(|i| by_time[i].1.clone());
        let base = baseline.clone().or(previous);
        logs_serve::log_info!(
            "--canary auto: judging {newest} against {}",
            base.as_deref().unwrap_or("every other deployment")
        );
        self.chosen = Some((*newest).clone());
        self.live.set_deployments((*newest).clone(), base);
    }

    fn evaluate(&mut self) -> &RollbackReport {
        self.report.insert(self.live.evaluate())
    }

    /// Notes the signatures of the observations not looked at yet.
    fn note_signatures(&mut self) {
        let Some(seen) = self.live.observations() else {
            return;
        };
        for o in seen.iter().skip(self.scanned) {
            for (name, _) in &o.signatures {
                if self.latest.len() == LATEST {
                    self.latest.pop_back();
                }
                self.latest.push_front(LatestSignature {
                    time_ms: o.time_ms,
                    deployment: o.deployment.as_deref().map(str::to_string),
                    signature: name.clone(),
                    sample: o.sample.as_deref().map(str::to_string),
                });
            }
        }
        self.scanned = seen.len();
    }
}

impl logs_serve::Judge for LiveJudge {
    fn push(&mut self, bytes: &[u8]) {
        self.follow_newest(bytes);
        self.live.push(bytes);
    }

    fn status(&mut self) -> Vec<u8> {
        render_json(self.evaluate()).into_bytes()
    }

    fn decision(&mut self) -> String {
        self.evaluate().decision.as_str().to_string()
    }

    fn notice(&mut self) -> Vec<u8> {
        match &self.report {
            Some(r) => render_notice(r).into_bytes(),
            None => render_notice(self.evaluate()).into_bytes(),
        }
    }

    fn page(&mut self, activity: &logs_serve::Activity) -> Vec<u8> {
        self.note_signatures();
        let records = self.live.counts().0;
        let per_minute: Vec<(i64, u64)> = activity.per_minute.iter().copied().collect();
        let latest: Vec<LatestSignature> = self.latest.iter().cloned().collect();
        let view = LiveView {
            per_minute: &per_minute,
            latest: &latest,
            records,
            refresh_secs: REFRESH_SECS,
        };
        let report = self.live.evaluate();
        render_live_page(&report, &view).into_bytes()
    }
}

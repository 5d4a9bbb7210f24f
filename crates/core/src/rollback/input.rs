//! The plain observations the rollback decision is fed: one [`Observation`]
//! per log line, already normalised upstream (this module never parses logs),
//! bundled with the canary/baseline identities in a [`RollbackInput`].
//!
//! A scan does not keep them: it folds each line into its request as it
//! reads (`gathered`), and the lines the rules read one by one into
//! per-signature and per-error counts (`flagged`); only `logs serve` keeps
//! those lines whole too, in the parts the scan produced them in
//! ([`ObservationList`]), for its live page. A
//! [`RollbackInput`] of observations (tests, and callers with a few lines)
//! is folded the same way when judged.

use std::sync::Arc;

pub use crate::signatures::Severity;

/// One log line, reduced to what the rollback rules read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observation {
    /// Epoch milliseconds, UTC.
    pub time_ms: i64,
    /// Deployment id (`dpl_…`). This and the method, path and route repeat
    /// across lines: shared, not copied per line.
    pub deployment: Option<Arc<str>>,
    /// Shared by the lines of one request.
    pub request_id: Option<Arc<str>>,
    pub method: Option<Arc<str>>,
    /// Concrete path, without the query string.
    pub path: Option<Arc<str>>,
    /// Route pattern (`/leads/[id]`) when known.
    pub route: Option<Arc<str>>,
    /// HTTP status; `-1` means the function crashed without answering and
    /// `0` (a line logged before the response) is treated as unknown.
    pub status: Option<i32>,
    pub duration_ms: Option<f64>,
    /// For error lines: the digest code (`E352`) when a digest is present,
    /// else the normalised message head. Computed upstream.
    pub error_key: Option<Box<str>>,
    /// Known signatures this line matched, with their severity.
    pub signatures: Box<[(String, Severity)]>,
    /// Message excerpt kept as evidence, NOT yet redacted: whatever shows it
    /// redacts it (`redact::sample`), as the offenders do. `None` on a plain
    /// line of a request whose earlier line's sample stands for it
    /// (`Names`).
    pub sample: Option<Box<str>>,
}

/// Observations in input order, in the parts they were collected in (one
/// per scanned chunk). Appending a part moves it: no copy, and no buffer
/// reserved for twice what it holds, as one vector grown line by line
/// would (on a large export that spare half was the largest allocation).
/// Small parts (a live feed's blocks of a few records) are gathered, so
/// the parts stay few.
#[derive(Debug, Clone, Default)]
pub struct ObservationList {
    parts: Vec<Vec<Observation>>,
    len: usize,
}

impl ObservationList {
    /// Parts smaller than this are gathered.
    pub const SMALL: usize = 256;
    /// Most observations small parts are gathered into.
    pub const GATHER: usize = 1 << 14;

    /// Adds one observation after the others.
    pub fn push(&mut self, observation: Observation) {
        match self.parts.last_mut() {
            Some(part) => part.push(observation),
            None => self.parts.push(vec![observation]),
        }
        self.len += 1;
    }

    /// Moves `later`'s observations after these. A small part (fewer than
    /// [`Self::SMALL`]: a live feed's block) joins the last part while that
    /// stays within [`Self::GATHER`]; any other follows it, without spare
    /// capacity, and so does a gathered part once nothing more joins it. So
    /// only the last part may hold spare capacity, less than
    /// [`Self::GATHER`] observations' worth.
    pub fn append(&mut self, later: ObservationList) {
        self.len += later.len;
        for mut part in later.parts.into_iter().filter(|p| !p.is_empty()) {
            if let Some(last) = self.parts.last_mut() {
                if part.len() < Self::SMALL && last.len() + part.len() <= Self::GATHER {
                    last.append(&mut part);
                    continue;
                }
                last.shrink_to_fit();
            }
            part.shrink_to_fit();
            self.parts.push(part);
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// In input order.
    pub fn iter(&self) -> impl Iterator<Item = &Observation> + Clone {
        self.parts.iter().flatten()
    }

    /// In input order.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Observation> {
        self.parts.iter_mut().flatten()
    }
}

impl PartialEq for ObservationList {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl From<Vec<Observation>> for ObservationList {
    fn from(part: Vec<Observation>) -> Self {
        ObservationList {
            len: part.len(),
            parts: vec![part],
        }
    }
}

impl FromIterator<Observation> for ObservationList {
    fn from_iter<I: IntoIterator<Item = Observation>>(iter: I) -> Self {
        Vec::from_iter(iter).into()
    }
}

impl<'a> IntoIterator for &'a ObservationList {
    type Item = &'a Observation;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<Observation>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.parts.iter().flatten()
    }
}

/// Everything [`super::evaluate`] needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RollbackInput {
    /// The canary deployment id.
    pub canary: String,
    /// The baseline deployment id; `None` means every other deployment.
    pub baseline: Option<String>,
    /// Defaults to the canary's first line.
    pub deploy_time_ms: Option<i64>,
    /// Defaults to the last line of the input. Lines after a given "now"
    /// are left out, as not logged yet.
    pub now_ms: Option<i64>,
    pub observations: ObservationList,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(time_ms: i64) -> Observation {
        Observation {
            time_ms,
            ..Observation::default()
        }
    }

    #[test]
    fn parts_keep_input_order() {
        let mut first = ObservationList::default();
        first.push(at(1));
        first.push(at(2));
        let mut later = ObservationList::from(vec![at(3)]);
        later.append(ObservationList::default());
        later.push(at(4));
        first.append(later);
        let times: Vec<i64> = first.iter().map(|o| o.time_ms).collect();
        assert_eq!(times, [1, 2, 3, 4]);
        assert_eq!(first.len(), 4);
        assert_eq!(first, (1..=4).map(at).collect());
        // Small parts are gathered; a large one is a part of its own, and a
        // small one after a full part starts the next.
        assert_eq!(first.parts.len(), 1);
        let big: ObservationList = (0..ObservationList::GATHER as i64).map(at).collect();
        first.append(big);
        first.append(ObservationList::from(vec![at(5)]));
        first.append(ObservationList::from(vec![at(5)]));
        assert_eq!(first.parts.len(), 3);
        assert_eq!(first.len(), 6 + ObservationList::GATHER);
        assert_eq!(first.iter().last().map(|o| o.time_ms), Some(5));
    }
}

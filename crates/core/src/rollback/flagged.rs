//! [`Flagged`]: what the rules read of the lines that count one by one
//! (lines with a signature, and errors outside any request), folded as they
//! are read: per signature, its highest severity and its lines
//! (new-critical-signatures); each signature line's time and which
//! signatures it carries (db-connectivity's sliding windows, about 12
//! bytes a line); and the errors outside a request, by (error key, route),
//! with their first sample (the top offenders). So an incident export, with
//! a signature on many lines, costs per signature and per error, not the
//! lines themselves.
//!
//! Sums, like [`super::Counts`]: the folds of two runs of lines, merged, are
//! the fold of both.

use std::collections::BTreeMap;

use super::groups::Group;
use super::input::{Observation, Severity};

/// A deployment's flagged lines, folded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flagged {
    /// Per signature id: the highest severity its lines had, and how many.
    signatures: BTreeMap<String, (Severity, u64)>,
    /// Per line with a signature: its time, and its signature ids (an
    /// index into `sets`).
    times: Vec<(i64, u32)>,
    /// The distinct sets of signature ids a line carried.
    sets: Vec<Box<[String]>>,
    /// Errors outside any request, by (error key, route).
    errors: BTreeMap<(String, String), Group>,
}

/// Whether `line` is an error outside any request: no request id, no
/// status (or `0`, logged before the response), an error key.
pub fn is_standalone_error(line: &Observation, request_id: Option<&str>) -> bool {
    request_id.is_none() && line.status.is_none_or(|s| s == 0) && line.error_key.is_some()
}

impl Flagged {
    /// Folds `line` (read at `at`, of request `request_id`) in; `sample`
    /// is its sample, made only if taken.
    pub fn add(
        &mut self,
        line: &Observation,
        request_id: Option<&str>,
        at: u64,
        sample: impl FnOnce() -> Option<Box<str>>,
    ) {
        if !line.signatures.is_empty() {
            for (id, severity) in &line.signatures {
                match self.signatures.get_mut(id.as_str()) {
                    Some((highest, lines)) => {
                        *highest = (*highest).max(*severity);
                        *lines += 1;
                    }
                    None => {
                        self.signatures.insert(id.clone(), (*severity, 1));
                    }
                }
            }
            let set = self.set_of(line.signatures.iter().map(|(id, _)| id.as_str()));
            self.times.push((line.time_ms, set));
        }
        if let (true, Some(key)) = (is_standalone_error(line, request_id), &line.error_key) {
            let route = (line.route.as_deref())
                .or(line.path.as_deref())
                .unwrap_or("(unknown route)");
            let group = (self.errors)
                .entry((key.to_string(), route.to_string()))
                .or_default();
            group.count += 1;
            if let Some(sample) = sample() {
                group.offer(at, sample);
            }
        }
    }

    /// The index of the set `ids`, added when new (no allocation when
    /// not: this runs for every line with a signature).
    fn set_of<'a>(&mut self, ids: impl Iterator<Item = &'a str> + Clone) -> u32 {
        let found =
            (self.sets.iter()).position(|set| set.iter().map(String::as_str).eq(ids.clone()));
        let index = found.unwrap_or_else(|| {
            self.sets.push(ids.map(str::to_string).collect());
            self.sets.len() - 1
        });
        index as u32
    }

    pub fn merge(&mut self, other: Flagged) {
        for (id, (severity, lines)) in other.signatures {
            let entry = self.signatures.entry(id).or_insert((severity, 0));
            entry.0 = entry.0.max(severity);
            entry.1 += lines;
        }
        let remap: Vec<u32> = (other.sets.iter())
            .map(|set| self.set_of(set.iter().map(String::as_str)))
            .collect();
        (self.times).extend(
            other
                .times
                .into_iter()
                .map(|(t, set)| (t, remap[set as usize])),
        );
        for (pair, theirs) in other.errors {
            let group = self.errors.entry(pair).or_default();
            group.count += theirs.count;
            if let Some((at, sample)) = theirs.first {
                group.offer(at, sample);
            }
        }
    }

    /// Per signature id: its highest severity and how many lines had it.
    pub fn signatures(&self) -> &BTreeMap<String, (Severity, u64)> {
        &self.signatures
    }

    /// The times of the lines carrying any of `ids`.
    pub fn times_of(&self, ids: &[String]) -> Vec<i64> {
        let matching: Vec<bool> = (self.sets.iter())
            .map(|set| set.iter().any(|id| ids.contains(id)))
            .collect();
        (self.times.iter())
            .filter(|(_, set)| matching[*set as usize])
            .map(|(t, _)| *t)
            .collect()
    }

    /// The errors outside a request: (error key, route), how many, and the
    /// first sample.
    pub fn errors(&self) -> impl Iterator<Item = (&str, &str, u64, Option<&str>)> {
        (self.errors.iter())
            .map(|((key, route), group)| (key.as_str(), route.as_str(), group.count, group.first()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(t: i64, ids: &[&str]) -> Observation {
        Observation {
            time_ms: t,
            signatures: ids
                .iter()
                .map(|id| (id.to_string(), Severity::High))
                .collect(),
            ..Observation::default()
        }
    }

    /// A line carrying two of the wanted signatures is one time; runs
    /// folded apart, whose sets are numbered apart, merge into the fold of
    /// all the lines.
    #[test]
    fn parts_merge_into_the_whole_and_a_line_counts_once() {
        let lines = [
            line(1, &["a"]),
            line(2, &["b", "c"]),
            line(3, &["c"]),
            line(4, &["b", "c"]),
            line(5, &["a"]),
        ];
        let fold = |lines: &[Observation]| {
            let mut f = Flagged::default();
            lines.iter().for_each(|l| f.add(l, None, 0, || None));
            f
        };
        let whole = fold(&lines);
        let mut merged = fold(&lines[..2]);
        merged.merge(fold(&lines[2..]));
        let wanted = ["b".to_string(), "c".to_string()];
        assert_eq!(whole.times_of(&wanted), [2, 3, 4]);
        assert_eq!(merged.times_of(&wanted), [2, 3, 4]);
        assert_eq!(merged.times_of(&["a".to_string()]), [1, 5]);
        assert_eq!(merged.signatures(), whole.signatures());
        assert_eq!(merged.signatures()["c"], (Severity::High, 3));
    }
}

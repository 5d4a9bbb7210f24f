//! [`Tally`]: one input's summary, built chunk by chunk in input order:
//! records, malformed records (with their lines), line bases, shape,
//! container and damage. The mapped, streamed and fed paths all summarise
//! through it.

use super::chunk::ChunkOut;
use super::{InputSummary, MALFORMED_SAMPLES, MalformedSample};
use crate::input::{Container, Damage, InputFormat};

/// A summary under construction.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    summary: InputSummary,
    bases: Vec<u64>,
    line: u64,
    arrays: u64,
    top_objects: u64,
    truncated: bool,
    oversized: Option<u64>,
}

impl Tally {
    /// Counts the next chunk (`lead` lines precede its first record and
    /// are not counted in it); returns its partial for the caller to merge.
    pub fn add<P>(&mut self, lead: u64, out: ChunkOut<P>) -> P {
        self.line += lead;
        self.bases.push(self.line);
        let summary = &mut self.summary;
        for (l, offset, problem) in out.samples {
            if summary.malformed_samples.len() < MALFORMED_SAMPLES {
                summary.malformed_samples.push(MalformedSample {
                    line: self.line + l + 1,
                    offset,
                    problem,
                });
            }
        }
        self.line += out.end.newlines;
        summary.records += out.records;
        summary.malformed += out.malformed;
        summary.bytes += out.bytes;
        summary.repaired += out.repaired;
        summary.shape = summary.shape.or(out.shape);
        self.arrays += out.end.arrays;
        self.top_objects += out.end.top_objects;
        self.truncated |= out.truncated;
        self.oversized = self.oversized.or(out.oversized);
        out.partial
    }

    /// The summary so far (records, malformed, shape; no damage yet).
    pub fn summary(&self) -> &InputSummary {
        &self.summary
    }

    /// The finished summary and the line base of every chunk.
    pub fn finish(self, format: InputFormat, damage: Option<Damage>) -> (InputSummary, Vec<u64>) {
        let mut summary = self.summary;
        summary.damage = damage;
        summary.newlines = self.line;
        summary.container = Some(Container::from_counts(
            format,
            self.arrays,
            self.top_objects,
            summary.records,
        ));
        if let (Some(offset), None) = (self.oversized, &summary.damage) {
            summary.damage = Some(Damage::Oversized { offset });
        }
        if self.truncated && summary.damage.is_none() {
            summary.damage = Some(Damage::Truncated);
        }
        (summary, self.bases)
    }
}

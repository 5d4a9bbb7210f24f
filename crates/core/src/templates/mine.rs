//! Mining the messages of whole inputs: exports through the scan engine
//! ([`TemplatesAnalysis`], then [`from_scan`]) and plain text line by line
//! ([`mine_text`]).
//!
//! Exports are scanned in parallel: each chunk collects its distinct
//! message heads with the location of every message ([`HeadTable`]), the
//! tables merge in input order and are mined once at the end. Text goes
//! through [`super::text`].

use super::report::{TemplateRow, TemplatesInput, TemplatesReport};
use super::{HeadTable, MinerConfig};
use crate::record::Record;
use crate::scan::{Analysis, Location, ScanOutcome};
use crate::signatures::Hit;

/// Messages of one chunk (or, merged, of the whole scan) by distinct head.
#[derive(Debug, Clone, Default)]
pub struct TemplatesPartial {
    pub heads: HeadTable<Vec<Location>>,
}

/// The message of every record, whatever its level or signatures.
#[derive(Debug, Clone, Copy, Default)]
pub struct TemplatesAnalysis;

impl Analysis for TemplatesAnalysis {
    type Partial = TemplatesPartial;

    fn partial(&self) -> TemplatesPartial {
        TemplatesPartial::default()
    }

    fn decode_all(&self) -> bool {
        true
    }

    fn record(&self, partial: &mut TemplatesPartial, rec: &Record<'_>, _: &[Hit], at: Location) {
        for line in &rec.lines {
            if let Some(locations) = partial.heads.entry(&line.text, Vec::new) {
                locations.push(at);
            }
        }
    }

    fn merge(&self, into: &mut TemplatesPartial, later: TemplatesPartial) {
        into.heads.merge(later.heads, |a, b| a.extend(b));
    }
}

/// Builds the report of a finished export scan.
pub fn from_scan(outcome: &ScanOutcome<TemplatesPartial>, config: MinerConfig) -> TemplatesReport {
    let heads = &outcome.partial.heads;
    let n = outcome.inputs.len();
    // Lines of each input: its newlines, or one more when its last line
    // holds a record and has none.
    let mut last_line = vec![0u64; n];
    let mut messages = vec![0u64; n];
    for at in heads.heads().iter().flat_map(|h| &h.value) {
        let i = at.input as usize;
        if let (Some(l), Some(m)) = (last_line.get_mut(i), messages.get_mut(i)) {
            *l = (*l).max(outcome.line_of(at));
            *m += 1;
        }
    }
    let mut first_line = Vec::with_capacity(n);
    let mut offset = 0;
    for (i, summary) in outcome.inputs.iter().enumerate() {
        first_line.push(offset + 1);
        offset += summary.newlines.max(last_line[i]);
    }
    let rows = heads
        .mine(config, &[])
        .into_iter()
        .map(|m| {
            let locations = m.heads.iter().flat_map(|&h| &heads.heads()[h].value);
            let mut lines: Vec<u64> = locations
                .map(|at| first_line[at.input as usize] - 1 + outcome.line_of(at))
                .collect();
            let count = lines.len() as u64;
            lines.sort_unstable();
            lines.dedup();
            TemplateRow {
                id: 0,
                template: m.template,
                count,
                lines,
            }
        })
        .collect();
    let inputs = outcome
        .inputs
        .iter()
        .enumerate()
        .map(|(i, s)| TemplatesInput {
            path: s.name.clone(),
            format: s.container.map(|c| c.to_string()),
            gzip: s.gzip,
            messages: messages[i],
            malformed: s.malformed,
            first_line: first_line[i],
            damage: s.damage.as_ref().map(ToString::to_string),
            error: s.error.as_ref().map(ToString::to_string),
        })
        .collect();
    TemplatesReport::new(inputs, rows)
}

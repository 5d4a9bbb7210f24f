//! [`TemplateMiner`]: messages in, templates out, and the one
//! [`MinerConfig`] used for every log source.
//!
//! Adding a message only records its normalised head (see
//! [`super::HeadTable`]): per message that is one tokenisation and one hash
//! lookup, with no allocation once the head has been seen. Grouping runs
//! once, over the distinct heads, when templates are asked for; it depends
//! on the set of heads and their counts, never on the order they came in,
//! so miners fed the same messages in any order or split across threads
//! ([`TemplateMiner::merge`]) give the same templates.

use super::{HeadTable, Template, TemplateId};

/// Miner settings. [`MinerConfig::default`] is the one configuration meant
/// for every log source; it is not tuned per dataset (how it was chosen,
/// and how it does on data it was not chosen on, is in
/// `benches/RESULTS-templates.md`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinerConfig {
    /// Share of whitespace chunks (equal, or a value on either side) that a
    /// message must exceed to join a group's leader.
    pub similarity_threshold: f32,
    /// Fewest distinct words at a position before it can be judged an open
    /// vocabulary (a variable): two or three words are too few to tell.
    pub open_min_values: usize,
    /// A position is an open vocabulary when words seen only once make up
    /// at least this share of its occurrences.
    pub open_share: f64,
    /// Most distinct words a position can hold and still be a closed set of
    /// constants (states, verbs, methods).
    pub closed_max: usize,
}

impl Default for MinerConfig {
    fn default() -> Self {
        Self {
            similarity_threshold: 0.7,
            open_min_values: 4,
            open_share: 0.5,
            closed_max: 16,
        }
    }
}

/// Groups messages into templates.
#[derive(Debug, Clone, Default)]
pub struct TemplateMiner {
    config: MinerConfig,
    table: HeadTable<Vec<u64>>,
}

impl TemplateMiner {
    /// An empty miner.
    pub fn new(config: MinerConfig) -> Self {
        Self {
            config,
            table: HeadTable::default(),
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> MinerConfig {
        self.config
    }

    /// Adds one message with its 1-based `line_no` (as the caller counts
    /// lines). A message with no text is not counted.
    pub fn add(&mut self, line_no: u64, msg: &str) {
        if let Some(lines) = self.table.entry(msg, Vec::new) {
            lines.push(line_no);
        }
    }

    /// Distinct message heads so far.
    pub fn distinct(&self) -> usize {
        self.table.len()
    }

    /// Folds in a miner fed other messages (for example another part of
    /// the same input, mined on another thread). The templates are those
    /// of all the messages together, whatever the split.
    pub fn merge(&mut self, other: TemplateMiner) {
        self.table.merge(other.table, |a, b| a.extend(b));
    }

    /// The templates, in order of their first line, each with its lines
    /// ascending.
    pub fn templates(&self) -> Vec<Template> {
        let heads = self.table.heads();
        let mut out: Vec<Template> = self
            .table
            .mine(self.config, &[])
            .into_iter()
            .map(|m| {
                let mut lines: Vec<u64> = m
                    .heads
                    .iter()
                    .flat_map(|&h| heads[h].value.iter().copied())
                    .collect();
                lines.sort_unstable();
                Template {
                    id: TemplateId(0),
                    template: m.template,
                    count: lines.len() as u64,
                    lines,
                }
            })
            .collect();
        out.sort_by_key(|t| t.lines.first().copied());
        for (i, t) in out.iter_mut().enumerate() {
            t.id = TemplateId(i as u32);
        }
        out
    }
}

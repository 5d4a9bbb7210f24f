//! Online log template mining: turns a stream of free-text messages into a
//! small set of templates (`Failed to fetch <*> after <*>`), each with the
//! lines it covers.
//!
//! The pipeline is: [`normalise`] picks the meaningful head of a message
//! and tokenises it, masking values (numbers, ids, addresses, paths, quoted
//! strings, durations, Next.js digests) as `<*>`; [`TemplateMiner`] groups
//! token sequences with a Drain-style fixed-depth tree (He et al., "Drain:
//! An Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017).
//! One default configuration serves every source: the improvements over
//! plain Drain are general (finer tokenisation, collapsing value lists,
//! wildcards that agree with anything, punctuation as a fixed skeleton, and
//! positions that stay constant until they have shown more than a few
//! distinct words), not per-dataset regexes. `benches/loghub_accuracy.rs`
//! measures grouping accuracy on the Loghub samples and
//! `benches/template_throughput.rs` measures speed (results in
//! `benches/RESULTS-templates.md`).

mod chunks;
mod classify;
mod cluster;
mod collapse;
mod columns;
mod head;
mod heads;
mod intern;
mod mine;
mod miner;
mod normalise;
pub mod report;
mod text;
mod tokenize;
mod values;

pub use head::message_head;
pub use heads::{HEAD_BYTES, Head, HeadTable, Mined};
pub use mine::{TemplatesAnalysis, TemplatesPartial, from_scan};
pub use miner::{MinerConfig, TemplateMiner};
pub use normalise::{decode_tokens, encode_tokens, fingerprint_line, normalise, render_into};
pub use report::{TemplateRow, TemplatesInput, TemplatesReport};
pub use text::{mine_text, mine_text_threads};
pub use tokenize::Token;

use serde::{Deserialize, Serialize};

/// Identifies a template within one [`TemplateMiner::templates`] list, in
/// order of first appearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TemplateId(pub u32);

/// A mined template and the messages it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub id: TemplateId,
    /// The template text, `<*>` marking variable parts.
    pub template: String,
    /// How many messages it covers.
    pub count: u64,
    /// Their line numbers, as passed to [`TemplateMiner::add`].
    pub lines: Vec<u64>,
}

#[cfg(test)]
mod tests;

//! Log template mining: turns free-text messages into a small set of
//! templates (`Failed to fetch <*> after <*>`), each with the lines it
//! covers.
//!
//! The pipeline: [`message_head`] (in [`crate::text`]) picks the line that
//! names a message (and its cause's code); the tokeniser masks values (numbers,
//! ids, addresses, `host:port`, paths, dates, quoted values, durations,
//! Next.js digests) as `<*>`; [`HeadTable`] keeps each distinct head with
//! its count; [`cluster`] groups the distinct heads once, as a function of
//! that set (never of line order or thread count): whitespace chunks are
//! compared with group leaders, and [`columns`] decides, position by
//! position, between variables and constants that tell events apart. One
//! default configuration serves every source; there are no per-dataset
//! rules. `benches/loghub_accuracy.rs` measures grouping accuracy on the
//! Loghub samples (with leave-one-out and shuffles),
//! `tests/it/templates_real.rs` on real errors from public issues, and
//! `benches/template_throughput.rs` speed (results in
//! `benches/RESULTS-templates.md`).

mod chunks;
mod cluster;
mod columns;
mod heads;
mod intern;
mod mine;
mod miner;
pub mod report;
mod text;

pub use heads::{HEAD_BYTES, Head, HeadTable, Mined};
pub use mine::{TemplatesAnalysis, TemplatesPartial, from_scan};
pub use miner::{MinerConfig, TemplateMiner};
// The normaliser lives below the miner, in `crate::text`; these names stay
// here for callers of the miner.
pub use crate::text::{
    Token, decode_tokens, encode_tokens, fingerprint_line, message_head, normalise, render_into,
};
pub use report::{TemplateRow, TemplatesInput, TemplatesReport};
pub use text::{mine_text, mine_text_threads};

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
mod modes_tests;
#[cfg(test)]
mod tests;

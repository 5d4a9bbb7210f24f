//! The online template miner: a Drain-style fixed-depth parse tree with
//! word-aware variants.
//!
//! A message is tokenised (values already `<*>`), then routed by
//! (token count, first token) to a leaf holding a short list of groups
//! ([`Group`]); it joins the most similar group if the similarity reaches
//! the threshold, otherwise it founds a new one. Within a group, messages
//! that differ in a position that has shown only a few distinct words are
//! kept in separate variants ([`Cluster`]); variants are the templates
//! reported. When such a position shows too many words it becomes a
//! variable and the variants that now coincide are merged (their ids then
//! resolve to the survivor: see [`TemplateMiner::resolve`]).
//!
//! Per message the miner allocates nothing once warmed up apart from each
//! template's line list: token ids go into reused buffers, token text is
//! interned, and a leaf is found by one hash of two integers.

use super::TemplateId;
use super::group::Group;
use super::intern::{FxHashMap, Interner, WILDCARD};
use super::normalise::message_head;
use super::tokenize::{Token, tokenize};

/// Miner settings. [`MinerConfig::default`] is the one configuration meant
/// for every log source; it is not tuned per dataset. On the Loghub
/// samples, grouping accuracy is flat for thresholds 0.4–0.6 and
/// `max_words` 2–5 (`loghub_accuracy --sweep`); the default sits inside.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinerConfig {
    /// Minimum Drain similarity (share of agreeing positions) for a message
    /// to join a group.
    pub similarity_threshold: f32,
    /// A position becomes a variable once it has held more than this many
    /// distinct words; until then each word is its own template. Positions
    /// holding only enum-like constants may hold up to 12.
    pub max_words: usize,
    /// Most variants per group; past it the position with the most words
    /// becomes a variable. Bounds the work per message.
    pub max_variants: usize,
}

impl Default for MinerConfig {
    fn default() -> Self {
        Self {
            similarity_threshold: 0.5,
            max_words: 3,
            max_variants: 32,
        }
    }
}

/// One reported template: a variant of a group.
#[derive(Debug, Clone)]
pub(super) struct Cluster {
    /// Token ids; [`WILDCARD`] at the group's variable positions.
    pub(super) tokens: Vec<u32>,
    pub(super) group: u32,
    pub(super) count: u64,
    pub(super) lines: Vec<u64>,
    /// The cluster this one was merged into, if any.
    pub(super) merged_into: Option<u32>,
}

/// Groups messages into templates as they arrive.
#[derive(Debug, Clone, Default)]
pub struct TemplateMiner {
    pub(super) config: MinerConfig,
    pub(super) interner: Interner,
    pub(super) groups: Vec<Group>,
    pub(super) clusters: Vec<Cluster>,
    pub(super) leaves: FxHashMap<u64, Vec<u32>>,
    pub(super) ids: Vec<u32>,
    pub(super) joins: Vec<bool>,
    pub(super) widened: Vec<usize>,
    pub(super) live: usize,
}

impl TemplateMiner {
    /// An empty miner.
    pub fn new(config: MinerConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> MinerConfig {
        self.config
    }

    /// Number of templates found so far.
    pub fn len(&self) -> usize {
        self.live
    }

    /// True before the first message.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Adds one message (its 1-based `line_no`, as the caller counts lines)
    /// and returns the template it belongs to now.
    pub fn add(&mut self, line_no: u64, msg: &str) -> TemplateId {
        let (interner, ids, joins) = (&mut self.interner, &mut self.ids, &mut self.joins);
        ids.clear();
        joins.clear();
        tokenize(message_head(msg), &mut |t| {
            ids.push(t.text.map_or(WILDCARD, |s| interner.intern(s)));
            joins.push(t.joined);
        });
        let c = self.place(1);
        self.clusters[c].lines.push(line_no);
        TemplateId(c as u32)
    }

    /// Adds a message given as tokens (for example a template saved by an
    /// earlier run, see [`Self::template_tokens`]), so that what it stood for
    /// is recognised again.
    pub fn add_tokens<'t>(
        &mut self,
        line_no: u64,
        tokens: impl IntoIterator<Item = Token<'t>>,
    ) -> TemplateId {
        self.ids.clear();
        self.joins.clear();
        for t in tokens {
            let id = t.text.map_or(WILDCARD, |s| self.interner.intern(s));
            self.ids.push(id);
            self.joins.push(t.joined);
        }
        let c = self.place(1);
        self.clusters[c].lines.push(line_no);
        TemplateId(c as u32)
    }

    /// The template an id returned earlier belongs to now (templates merge
    /// when a position turns out to be a variable).
    pub fn resolve(&self, id: TemplateId) -> TemplateId {
        let mut c = id.0;
        while let Some(next) = self.clusters.get(c as usize).and_then(|k| k.merged_into) {
            c = next;
        }
        TemplateId(c)
    }

    /// Finds or creates the template for the tokens in `self.ids`, adding
    /// `count` messages to it; returns its cluster index.
    pub(super) fn place(&mut self, count: u64) -> usize {
        let g = self.find_group();
        let group = &mut self.groups[g];
        self.widened.clear();
        group.observe(
            &self.ids,
            self.config.max_words,
            &self.interner,
            &mut self.widened,
        );
        if !self.widened.is_empty() {
            self.collapse(g);
        }
        let group = &self.groups[g];
        let found = group.variants.iter().copied().find(|&v| {
            let v = &self.clusters[v as usize].tokens;
            v.iter()
                .zip(&self.ids)
                .all(|(&a, &b)| a == b || a == WILDCARD)
        });
        let c = match found {
            Some(c) => c as usize,
            None => {
                let tokens = group.variant_tokens(&self.ids);
                self.new_cluster(g, tokens)
            }
        };
        self.clusters[c].count += count;
        while self.groups[g].variants.len() > self.config.max_variants.max(1) {
            let Some(p) = self.groups[g].widest_words() else {
                break;
            };
            self.groups[g].widen(p);
            self.widened.clear();
            self.widened.push(p);
            self.collapse(g);
        }
        self.resolve(TemplateId(c as u32)).0 as usize
    }

    /// The group `self.ids` belongs to, founding one if none is similar.
    fn find_group(&mut self) -> usize {
        let first = self.ids.first().copied().unwrap_or(WILDCARD);
        let key = ((self.ids.len() as u64) << 32) | u64::from(first);
        let leaf = self.leaves.entry(key).or_default();
        let mut best: Option<(u32, f32)> = None;
        for &g in leaf.iter() {
            let sim = self.groups[g as usize].similarity(&self.ids, &self.interner);
            if let Some(sim) = sim
                && best.is_none_or(|(_, b)| sim > b)
            {
                best = Some((g, sim));
            }
        }
        match best {
            Some((g, sim)) if sim >= self.config.similarity_threshold => g as usize,
            _ => {
                leaf.push(self.groups.len() as u32);
                self.groups.push(Group::new(&self.ids, &self.joins));
                self.groups.len() - 1
            }
        }
    }

    fn new_cluster(&mut self, g: usize, tokens: Vec<u32>) -> usize {
        let c = self.clusters.len();
        self.clusters.push(Cluster {
            tokens,
            group: g as u32,
            count: 0,
            lines: Vec::new(),
            merged_into: None,
        });
        self.groups[g].variants.push(c as u32);
        self.live += 1;
        c
    }

    /// Wildcards the positions in `self.widened` in every variant of group
    /// `g`, then merges variants that became identical into the oldest.
    fn collapse(&mut self, g: usize) {
        let variants = std::mem::take(&mut self.groups[g].variants);
        let mut kept: Vec<u32> = Vec::with_capacity(variants.len());
        for v in variants {
            for &p in &self.widened {
                self.clusters[v as usize].tokens[p] = WILDCARD;
            }
            let twin = kept
                .iter()
                .copied()
                .find(|&k| self.clusters[k as usize].tokens == self.clusters[v as usize].tokens);
            match twin {
                None => kept.push(v),
                Some(k) => {
                    let dup = &mut self.clusters[v as usize];
                    let (count, lines) = (dup.count, std::mem::take(&mut dup.lines));
                    dup.merged_into = Some(k);
                    let keep = &mut self.clusters[k as usize];
                    keep.count += count;
                    keep.lines.extend_from_slice(&lines);
                    keep.lines.sort_unstable();
                    self.live -= 1;
                }
            }
        }
        self.groups[g].variants = kept;
    }
}

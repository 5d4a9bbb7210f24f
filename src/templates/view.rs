//! Reading templates out of a [`TemplateMiner`] (text, tokens, the full
//! list with lines) and folding one miner into another.

use super::intern::WILDCARD;
use super::miner::{Cluster, TemplateMiner};
use super::tokenize::Token;
use super::{Template, TemplateId};

impl TemplateMiner {
    /// The tokens of a template (resolving merged ids), or `None` if this
    /// miner never returned `id`.
    pub fn template_tokens(&self, id: TemplateId) -> Option<Vec<Token<'_>>> {
        let c = self.clusters.get(self.resolve(id).0 as usize)?;
        let joins = &self.groups[c.group as usize].joins;
        let tokens = c.tokens.iter().zip(joins).map(|(&t, &joined)| Token {
            text: (t != WILDCARD).then(|| self.interner.text(t)),
            joined,
        });
        Some(tokens.collect())
    }

    /// The text of a template (resolving merged ids), or `None` if this
    /// miner never returned `id`.
    pub fn template_text(&self, id: TemplateId) -> Option<String> {
        let c = self.clusters.get(self.resolve(id).0 as usize)?;
        Some(self.render(c))
    }

    fn render(&self, c: &Cluster) -> String {
        let joins = &self.groups[c.group as usize].joins;
        let mut out = String::new();
        for (i, (&t, &joined)) in c.tokens.iter().zip(joins).enumerate() {
            if i > 0 && !joined {
                out.push(' ');
            }
            out.push_str(self.interner.text(t));
        }
        out
    }

    /// All templates, in order of first appearance.
    pub fn templates(&self) -> Vec<Template> {
        let live = self
            .clusters
            .iter()
            .enumerate()
            .filter(|(_, c)| c.merged_into.is_none());
        live.map(|(i, c)| Template {
            id: TemplateId(i as u32),
            template: self.render(c),
            count: c.count,
            lines: c.lines.clone(),
        })
        .collect()
    }

    /// Folds another miner (for example one that mined a later chunk of the
    /// same input on another thread) into this one: each of `other`'s
    /// templates is placed as if it were a message, bringing its count and
    /// lines (kept sorted). Ids of `self` stay valid (through
    /// [`Self::resolve`]); `other`'s ids do not carry over.
    pub fn merge(&mut self, other: TemplateMiner) {
        for c in other
            .clusters
            .into_iter()
            .filter(|c| c.merged_into.is_none())
        {
            self.ids.clear();
            for &t in &c.tokens {
                let id = if t == WILDCARD {
                    WILDCARD
                } else {
                    self.interner.intern(other.interner.text(t))
                };
                self.ids.push(id);
            }
            self.joins.clone_from(&other.groups[c.group as usize].joins);
            let k = self.place(c.count);
            let lines = &mut self.clusters[k].lines;
            let sorted = lines
                .last()
                .is_none_or(|&l| c.lines.first().is_none_or(|&f| l <= f));
            lines.extend_from_slice(&c.lines);
            if !sorted {
                lines.sort_unstable();
            }
        }
    }
}

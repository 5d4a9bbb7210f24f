//! [`HeadTable`]: the distinct message heads of a scan, each with what the
//! caller counts for it, mined into templates once the scan is over.
//!
//! Why a table and not a miner per chunk: the scan engine works on chunks in
//! parallel and merges their results in input order. A table of distinct
//! normalised heads merges exactly (same keys, values folded), and mining its
//! heads once, in order of first appearance, gives templates that depend
//! neither on chunk boundaries nor on the number of threads. Messages with
//! the same normalised head are the same token sequence, so mining each
//! distinct head once, with its count, groups the messages as mining every
//! one of them would. The miner depends only on the set of heads and their
//! counts, not on their order (see [`super::cluster`]).

use super::cluster::{Item, group};
use super::intern::FxHashMap;
use super::{MinerConfig, encode_tokens, message_head, render_into};
use crate::text::{Token, tokenize};

/// Longest head kept, in bytes (cut on a character boundary): a 256 KB
/// one-line JSON message is grouped by its first 2 KB.
pub const HEAD_BYTES: usize = 2048;

/// One distinct head.
#[derive(Debug, Clone)]
pub struct Head<V> {
    /// The normalised head (`Failed to sync <*>`).
    pub key: Box<str>,
    /// The first message head seen with this key (what the miner reads).
    pub text: Box<str>,
    /// Messages with this head.
    pub count: u64,
    pub value: V,
}

/// Distinct heads in order of first appearance.
#[derive(Debug, Clone)]
pub struct HeadTable<V> {
    index: FxHashMap<Box<str>, u32>,
    heads: Vec<Head<V>>,
    /// Reused buffer for the key of the message being looked up.
    scratch: String,
}

impl<V> Default for HeadTable<V> {
    fn default() -> Self {
        HeadTable {
            index: FxHashMap::default(),
            heads: Vec::new(),
            scratch: String::new(),
        }
    }
}

/// One mined template of a [`HeadTable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mined {
    /// The template text, `<*>` marking variables.
    pub template: String,
    /// Its tokens as [`encode_tokens`] writes them (to save and seed again).
    pub tokens: Vec<String>,
    /// Indices of the heads it covers, ascending.
    pub heads: Vec<usize>,
    /// Indices of the seeds it covers, ascending.
    pub seeds: Vec<usize>,
}

/// `s` cut to at most `max` bytes: at the last whitespace before the
/// limit (a value cut in two would read as a word: `blk_-`), or on a
/// character boundary when there is none.
fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    match s[..end].rfind(|c: char| c.is_ascii_whitespace()) {
        Some(space) if space > 0 => s[..space].trim_end(),
        _ => &s[..end],
    }
}

impl<V> HeadTable<V> {
    /// The value of `msg`'s head, created with `new` the first time; `None`
    /// for a message with no text.
    pub fn entry(&mut self, msg: &str, new: impl FnOnce() -> V) -> Option<&mut V> {
        let head = message_head(msg);
        let head = clip(&head, HEAD_BYTES);
        if head.is_empty() {
            return None;
        }
        let mut key = std::mem::take(&mut self.scratch);
        key.clear();
        let mut first = true;
        tokenize(head, &mut |t| {
            if !first && !t.joined {
                key.push(' ');
            }
            first = false;
            key.push_str(t.text.unwrap_or("<*>"));
        });
        let i = match self.index.get(key.as_str()) {
            Some(&i) => i as usize,
            None => {
                let i = self.heads.len();
                self.index
                    .insert(key.as_str().into(), u32::try_from(i).unwrap_or(u32::MAX));
                self.heads.push(Head {
                    key: key.as_str().into(),
                    text: head.into(),
                    count: 0,
                    value: new(),
                });
                i
            }
        };
        self.scratch = key;
        let h = self.heads.get_mut(i)?;
        h.count += 1;
        Some(&mut h.value)
    }

    /// Folds a table built from later input into this one, keeping the
    /// order of first appearance.
    pub fn merge(&mut self, later: HeadTable<V>, mut fold: impl FnMut(&mut V, V)) {
        for head in later.heads {
            match self.index.get(&head.key) {
                Some(&i) => {
                    let mine = &mut self.heads[i as usize];
                    mine.count += head.count;
                    fold(&mut mine.value, head.value);
                }
                None => {
                    let i = u32::try_from(self.heads.len()).unwrap_or(u32::MAX);
                    self.index.insert(head.key.clone(), i);
                    self.heads.push(head);
                }
            }
        }
    }

    /// The heads, in order of first appearance.
    pub fn heads(&self) -> &[Head<V>] {
        &self.heads
    }

    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// Mines the heads into templates. `seeds` (templates of an earlier
    /// run, as tokens) take part too, so that what they stood for is
    /// recognised: a template covering a seed is the seed's group again.
    /// Templates come in order of their first head (seeds before heads).
    pub fn mine(&self, config: MinerConfig, seeds: &[Vec<Token<'_>>]) -> Vec<Mined> {
        let mut items: Vec<Item<'_>> = Vec::with_capacity(seeds.len() + self.heads.len());
        items.extend(seeds.iter().map(|s| Item {
            tokens: s.clone(),
            count: 0,
            seed: true,
        }));
        for h in &self.heads {
            let mut tokens = Vec::new();
            tokenize(&h.text, &mut |t| tokens.push(t));
            items.push(Item {
                tokens,
                count: h.count,
                seed: false,
            });
        }
        let base = seeds.len();
        group(&items, &config)
            .into_iter()
            .map(|g| {
                let mut template = String::new();
                render_into(&g.tokens, &mut template);
                let (seeds, heads): (Vec<usize>, Vec<usize>) =
                    g.members.iter().partition(|&&m| m < base);
                Mined {
                    template,
                    tokens: encode_tokens(&g.tokens),
                    heads: heads.iter().map(|&m| m - base).collect(),
                    seeds,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::decode_tokens;
    use super::*;

    fn table(msgs: &[&str]) -> HeadTable<u64> {
        let mut t = HeadTable::default();
        for m in msgs {
            if let Some(n) = t.entry(m, || 0) {
                *n += 1;
            }
        }
        t
    }

    #[test]
    fn same_heads_share_an_entry_and_merge_in_order() {
        let mut a = table(&["job 1 failed", "job 2 failed\n    at x (a.js:1:1)", ""]);
        assert_eq!(a.len(), 1);
        assert_eq!((a.heads()[0].value, a.heads()[0].count), (2, 2));
        let b = table(&["disk full", "job 9 failed"]);
        a.merge(b, |x, y| *x += y);
        let keys: Vec<&str> = a.heads().iter().map(|h| &*h.key).collect();
        assert_eq!(keys, ["job <*> failed", "disk full"]);
        assert_eq!((a.heads()[0].value, a.heads()[0].count), (3, 3));
    }

    #[test]
    fn mining_covers_heads_and_recognises_seeds() {
        let first = table(&["sync of user alice failed", "sync of user bob failed"]);
        let users = ["carol", "dave", "erin", "frank"];
        let msgs: Vec<String> = users
            .iter()
            .map(|u| format!("sync of user {u} failed"))
            .collect();
        let refs: Vec<&str> = msgs.iter().map(String::as_str).collect();
        let mined = table(&refs).mine(MinerConfig::default(), &[]);
        assert_eq!(mined.len(), 1);
        assert_eq!(mined[0].template, "sync of user <*> failed");
        assert_eq!(mined[0].heads, [0, 1, 2, 3]);
        let seed = decode_tokens(&mined[0].tokens);
        let again = first.mine(MinerConfig::default(), &[seed]);
        assert_eq!(again.len(), 1);
        assert_eq!(
            (again[0].seeds.clone(), again[0].heads.clone()),
            (vec![0], vec![0, 1])
        );
    }

    #[test]
    fn long_heads_are_clipped_on_a_char_boundary() {
        let long = "é".repeat(HEAD_BYTES);
        assert!(clip(&long, HEAD_BYTES).len() <= HEAD_BYTES);
        assert_eq!(table(&[&long]).heads()[0].text.len(), HEAD_BYTES);
        let ids = "blk_1 blk_-23 ".repeat(HEAD_BYTES / 8);
        assert!(clip(&ids, HEAD_BYTES).ends_with(['1', '3']));
    }
}

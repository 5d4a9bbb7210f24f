//! [`HeadTable`]: the distinct message heads of a scan, each with what the
//! caller counts for it, mined into templates once the scan is over.
//!
//! Why a table and not a miner per chunk: the scan engine works on chunks in
//! parallel and merges their results in input order. A table of distinct
//! normalised heads merges exactly (same keys, values folded), and mining its
//! heads once, in order of first appearance, gives templates that depend
//! neither on chunk boundaries nor on the number of threads. Messages with
//! the same normalised head are the same token sequence, which the miner
//! always places in the same template, so mining each head once groups the
//! messages as mining every one of them would (a repeated sequence changes
//! nothing in the miner's tree).

use super::intern::FxHashMap;
use super::tokenize::Token;
use super::{MinerConfig, TemplateMiner, encode_tokens, message_head, normalise};

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
    pub value: V,
}

/// Distinct heads in order of first appearance.
#[derive(Debug, Clone)]
pub struct HeadTable<V> {
    index: FxHashMap<Box<str>, u32>,
    heads: Vec<Head<V>>,
}

impl<V> Default for HeadTable<V> {
    fn default() -> Self {
        HeadTable {
            index: FxHashMap::default(),
            heads: Vec::new(),
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

/// `s` cut to at most `max` bytes on a character boundary.
fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl<V> HeadTable<V> {
    /// The value of `msg`'s head, created with `new` the first time; `None`
    /// for a message with no text.
    pub fn entry(&mut self, msg: &str, new: impl FnOnce() -> V) -> Option<&mut V> {
        let head = clip(message_head(msg), HEAD_BYTES);
        if head.is_empty() {
            return None;
        }
        let key = normalise(head);
        let i = match self.index.get(key.as_str()) {
            Some(&i) => i as usize,
            None => {
                let i = self.heads.len();
                self.index.insert(
                    key.clone().into_boxed_str(),
                    u32::try_from(i).unwrap_or(u32::MAX),
                );
                self.heads.push(Head {
                    key: key.into_boxed_str(),
                    text: head.into(),
                    value: new(),
                });
                i
            }
        };
        self.heads.get_mut(i).map(|h| &mut h.value)
    }

    /// Folds a table built from later input into this one, keeping the
    /// order of first appearance.
    pub fn merge(&mut self, later: HeadTable<V>, mut fold: impl FnMut(&mut V, V)) {
        for head in later.heads {
            match self.index.get(&head.key) {
                Some(&i) => fold(&mut self.heads[i as usize].value, head.value),
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
    /// run, as tokens) go in first, so that what they stood for is
    /// recognised: a template covering a seed is the seed's group again.
    /// Templates come in order of first appearance.
    pub fn mine(&self, config: MinerConfig, seeds: &[Vec<Token<'_>>]) -> Vec<Mined> {
        let mut miner = TemplateMiner::new(config);
        for (i, seed) in seeds.iter().enumerate() {
            miner.add_tokens(i as u64 + 1, seed.iter().copied());
        }
        let base = seeds.len() as u64;
        for (i, head) in self.heads.iter().enumerate() {
            miner.add(base + i as u64 + 1, &head.text);
        }
        miner
            .templates()
            .into_iter()
            .map(|t| {
                let (seeds, heads): (Vec<u64>, Vec<u64>) =
                    t.lines.iter().partition(|&&l| l <= base);
                Mined {
                    tokens: miner
                        .template_tokens(t.id)
                        .map(|toks| encode_tokens(&toks))
                        .unwrap_or_default(),
                    template: t.template,
                    heads: heads.iter().map(|&l| (l - base - 1) as usize).collect(),
                    seeds: seeds.iter().map(|&l| (l - 1) as usize).collect(),
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
        assert_eq!(a.heads()[0].value, 2);
        let b = table(&["disk full", "job 9 failed"]);
        a.merge(b, |x, y| *x += y);
        let keys: Vec<&str> = a.heads().iter().map(|h| &*h.key).collect();
        assert_eq!(keys, ["job <*> failed", "disk full"]);
        assert_eq!(a.heads()[0].value, 3);
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
    }
}

//! Is a position where a group's messages differ a variable, or a constant
//! that tells events apart?
//!
//! No count of distinct words answers that: four lifecycle states are four
//! events, four user names are one. What decides here is how the position
//! varies and with what:
//!
//! - a **value** at the position in some message (a number, an address,
//!   `<*>`, an empty `()`) makes it a variable: words there are values too;
//! - an **open vocabulary**: when most occurrences carry a word seen only
//!   once (the Good–Turing estimate of the chance that the next message
//!   brings a new word), the position keeps producing new words, so it is
//!   a variable. A closed set of states or verbs repeats;
//! - a **shared domain**: when the words also fill a varying position of
//!   another group (the same user names after `for user` and after
//!   `user=`), they are values of one kind, not this event's words.
//!   UPPER_CASE names (states, codes) count only when the other position
//!   is an open vocabulary: states naturally appear both as `from` and
//!   `to`, while names that also fill an open position (table names after
//!   `table`, then first in another message) are values. One-character
//!   words say too little to tie two positions and never count;
//! - **dotted names** (`cache.example.net`, `com.example.Worker`): hosts,
//!   files, classes and keys come from sets with no end (a qualified
//!   UPPER_CASE name, `Status.UNAVAILABLE`, is a constant all the same);
//! - past [`MinerConfig::closed_max`] words, no closed set is that large
//!   (unless all are UPPER_CASE names: programs write their closed sets,
//!   states and codes, that way);
//! - but words that **vary together** with the words of another position
//!   (each always with the same partner, and repeating) are one event's
//!   words, whatever the other tests say.
//!
//! Otherwise the words are constants, and the group splits by them.

use super::MinerConfig;
use super::chunks::Item;
use super::chunks::{ChunkTable, Shape};
use super::intern::FxHashMap;
use crate::text::is_enum_constant;

/// What one position of a group held: each distinct chunk and how many
/// messages had it.
#[derive(Debug, Clone, Default)]
pub(super) struct Column {
    pub values: Vec<(u32, u64)>,
}

impl Column {
    /// The columns of a group.
    pub fn all(members: &[usize], shapes: &[Shape], items: &[Item<'_>]) -> Vec<Column> {
        let width = shapes[members[0]].ids.len();
        (0..width)
            .map(|p| {
                let mut seen: FxHashMap<u32, u64> = FxHashMap::default();
                for &m in members {
                    *seen.entry(shapes[m].ids[p]).or_default() += items[m].count;
                }
                let mut values: Vec<(u32, u64)> = seen.into_iter().collect();
                values.sort_unstable();
                Column { values }
            })
            .collect()
    }

    /// True when the members differ here and only in words: no chunk is
    /// value-like, and none with a `<*>` in it matches another as a pattern
    /// (`chdir(<*>)` and `chdir(pwd)`: `pwd` stands where values stand).
    fn words_only(&self, table: &ChunkTable) -> bool {
        if self.values.len() < 2 || self.values.iter().any(|&(id, _)| table.valueish(id)) {
            return false;
        }
        let patterns = self
            .values
            .iter()
            .filter(|&&(id, _)| table.text(id).contains("<*>"));
        !patterns.take(16).any(|&(p, _)| {
            self.values
                .iter()
                .any(|&(id, _)| id != p && glob(table.text(p), table.text(id)))
        })
    }
}

/// Whether `text` matches `pattern`, where each `<*>` stands for one or
/// more characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split("<*>");
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if rest.is_empty() {
            return false;
        }
        let from = rest.char_indices().nth(1).map_or(rest.len(), |(i, _)| i);
        let found = if last {
            rest[from..]
                .ends_with(part)
                .then(|| rest.len() - part.len())
        } else {
            rest[from..].find(part).map(|j| from + j)
        };
        match found {
            Some(at) if at >= from => rest = &rest[at + part.len()..],
            _ => return false,
        }
    }
    parts.is_empty() || rest.is_empty()
}

/// The word a chunk stands for at a varying position: without surrounding
/// punctuation, and after the last `=` or `:` (`user=root` → `root`).
fn core(text: &str) -> &str {
    let t = text.trim_matches(|c: char| c.is_ascii_punctuation());
    let t = t.rsplit(['=', ':']).next().unwrap_or(t);
    t.trim_matches(|c: char| c.is_ascii_punctuation())
}

/// A varying word position: its group, its index, and whether it is an
/// open vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    group: u32,
    position: u32,
    open: bool,
}

/// Where each word fills a varying position.
#[derive(Debug, Default)]
pub(super) struct Domains<'t> {
    slots: FxHashMap<&'t str, Vec<Slot>>,
}

impl<'t> Domains<'t> {
    /// The slots of every varying word position of every group.
    pub fn new(groups: &[Vec<Column>], table: &'t ChunkTable, config: &MinerConfig) -> Self {
        let mut slots: FxHashMap<&'t str, Vec<Slot>> = FxHashMap::default();
        for (g, cols) in groups.iter().enumerate() {
            for (p, col) in cols.iter().enumerate() {
                if !col.words_only(table) {
                    continue;
                }
                let slot = Slot {
                    group: g as u32,
                    position: p as u32,
                    open: variable(col, table, config),
                };
                for &(id, _) in &col.values {
                    let word = core(table.text(id));
                    // One character says too little to tie two positions.
                    if word.chars().nth(1).is_none() {
                        continue;
                    }
                    let list = slots.entry(word).or_default();
                    if !list.contains(&slot) {
                        list.push(slot);
                    }
                }
            }
        }
        Domains { slots }
    }

    /// How many words of group `g`'s position `p` also fill another
    /// varying position (an open one, for UPPER_CASE names).
    pub fn shared(&self, g: usize, p: usize, col: &Column, table: &ChunkTable) -> usize {
        let here = (g as u32, p as u32);
        col.values
            .iter()
            .filter(|&&(id, _)| {
                let word = core(table.text(id));
                let name = is_enum_constant(word);
                self.slots.get(word).is_some_and(|s| {
                    s.iter()
                        .any(|at| (at.group, at.position) != here && (at.open || !name))
                })
            })
            .count()
    }
}

/// Whether a varying word position is a variable by its own counts: an
/// open vocabulary, or more words than a closed set holds. UPPER_CASE
/// names are how programs write closed sets (states, codes), so no count
/// caps a position that holds only such names.
fn variable(col: &Column, table: &ChunkTable, config: &MinerConfig) -> bool {
    let k = col.values.len();
    let total: u64 = col.values.iter().map(|&(_, n)| n).sum();
    let once = col.values.iter().filter(|&&(_, n)| n == 1).count();
    let names = || {
        col.values
            .iter()
            .all(|&(id, _)| is_enum_constant(core(table.text(id))))
    };
    (k > config.closed_max && !names())
        || (k >= config.open_min_values && once as f64 >= config.open_share * total as f64)
        || col.values.iter().all(|&(id, _)| {
            let word = core(table.text(id));
            is_dotted_name(word) && !is_enum_constant(word)
        })
}

/// A name made of dot-separated parts (`cache.example.net`,
/// `report.final.csv`, `com.example.Worker`): hosts, files, classes and
/// keys are named that way, from sets that have no end, so a position
/// where such names differ is a variable.
fn is_dotted_name(word: &str) -> bool {
    let mut parts = 0;
    let ok = word.split('.').all(|p| {
        parts += 1;
        !p.is_empty()
            && p.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    });
    ok && parts >= 2 && word.bytes().any(|c| c.is_ascii_alphabetic())
}

/// Whether positions `p` and `q` vary together: each word at one always
/// comes with the same word at the other, both ways, and some pair
/// repeats (`loadCachePolicy … cachePolicy` / `loadRetryPolicy …
/// retryPolicy`). Two words that always travel together are one event's
/// words; independent values rarely pair up like that.
fn covary(p: usize, q: usize, members: &[usize], shapes: &[Shape], items: &[Item<'_>]) -> bool {
    let mut pairs: FxHashMap<(u32, u32), u64> = FxHashMap::default();
    for &m in members {
        *pairs
            .entry((shapes[m].ids[p], shapes[m].ids[q]))
            .or_default() += items[m].count.max(1);
    }
    let mut from: FxHashMap<u32, u32> = FxHashMap::default();
    let mut to: FxHashMap<u32, u32> = FxHashMap::default();
    let one_to_one = pairs
        .keys()
        .all(|&(a, b)| *from.entry(a).or_insert(b) == b && *to.entry(b).or_insert(a) == a);
    one_to_one && pairs.len() >= 2 && pairs.values().any(|&n| n >= 2)
}

/// The positions of group `g` (members in canonical order, and their
/// columns) at which it splits: the varying word positions whose words are
/// constants. See the module documentation for the rules.
#[allow(clippy::too_many_arguments)]
pub(super) fn split_positions(
    g: usize,
    members: &[usize],
    cols: &[Column],
    shapes: &[Shape],
    items: &[Item<'_>],
    domains: &Domains<'_>,
    table: &ChunkTable,
    config: &MinerConfig,
) -> Vec<usize> {
    let words: Vec<usize> = (0..cols.len())
        .filter(|&p| cols[p].words_only(table) && !variable(&cols[p], table, config))
        .collect();
    words
        .iter()
        .copied()
        .filter(|&p| {
            let paired = words
                .iter()
                .take(8)
                .any(|&q| q != p && covary(p, q, members, shapes, items));
            paired || domains.shared(g, p, &cols[p], table) < cols[p].values.len().min(2)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cores_drop_keys_and_punctuation() {
        assert_eq!(core("user=root"), "root");
        assert_eq!(core("(root),"), "root");
        assert_eq!(core("Resumed"), "Resumed");
    }

    #[test]
    fn dotted_names() {
        assert!(is_dotted_name("cache.example.net") && is_dotted_name("com.example.Worker"));
        assert!(!is_dotted_name("done") && !is_dotted_name("a..b") && !is_dotted_name("1.2"));
    }

    #[test]
    fn globs() {
        assert!(glob("chdir(<*>)", "chdir(pwd)") && glob("<*>", "x") && glob("a<*>b<*>", "axbyy"));
        assert!(!glob("chdir(<*>)", "chdir()") && !glob("a<*>", "b") && !glob("<*>x", "x"));
    }
}

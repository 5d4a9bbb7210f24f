//! Grouping distinct messages into templates, as a function of the *set*
//! of messages: the same messages in any order give the same templates.
//!
//! 1. **Canonical order.** Messages are taken most frequent first, ties in
//!    text order, never in input order.
//! 2. **Leaders.** Messages with the same number of whitespace chunks (see
//!    [`super::chunks`]) are compared chunk by chunk with the leader (first
//!    member) of each group: the share of chunks that are equal or
//!    value-like must exceed the similarity threshold, with at least one
//!    equal word; a message that differs in one word only, with two equal
//!    words, always joins (the columns judge that word). There is no routing on the first token, so a variable
//!    first word does not found a group per value. Comparing with the
//!    leader, not with a template that widens as messages join, keeps one
//!    early value from making a group agree with everything.
//! 3. **Columns.** In each group, a position where members differ is
//!    either a variable or a constant that tells events apart; see
//!    [`super::columns`]. The group is split by its constant positions.
//! 4. **Templates.** Each part renders as a template (`<*>` at variable
//!    positions); parts that render the same are one template.

use super::MinerConfig;
pub(super) use super::chunks::Item;
use super::chunks::{ChunkTable, Shape, merge_column};
use super::columns::{Column, Domains, split_positions};
use super::intern::FxHashMap;
use crate::text::Token;

/// One template: its tokens and the items it covers, ascending.
#[derive(Debug, Clone)]
pub(super) struct Group<'a> {
    pub tokens: Vec<Token<'a>>,
    pub members: Vec<usize>,
}

/// The text items are ordered by (`<*>` for variables, a space between
/// chunks).
fn key(tokens: &[Token<'_>]) -> String {
    let mut s = String::new();
    super::render_into(tokens, &mut s);
    s
}

/// Groups `items` into templates, in order of their first item.
pub(super) fn group<'a>(items: &[Item<'a>], config: &MinerConfig) -> Vec<Group<'a>> {
    let mut table = ChunkTable::default();
    let shapes: Vec<Shape> = items.iter().map(|it| table.shape(&it.tokens)).collect();
    let keys: Vec<String> = items.iter().map(|it| key(&it.tokens)).collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&items[a], &items[b]);
        y.seed
            .cmp(&x.seed)
            .then(y.count.cmp(&x.count))
            .then_with(|| keys[a].cmp(&keys[b]))
    });
    let clusters = leaders(&order, &shapes, &table, config);
    let columns: Vec<Vec<Column>> = clusters
        .iter()
        .map(|members| Column::all(members, &shapes, items))
        .collect();
    let domains = Domains::new(&columns, &table, config);
    let mut rendered: FxHashMap<Vec<(Option<&'a str>, bool)>, usize> = FxHashMap::default();
    let mut groups: Vec<Group<'a>> = Vec::new();
    for (g, (members, cols)) in clusters.iter().zip(&columns).enumerate() {
        let split = split_positions(g, members, cols, &shapes, items, &domains, &table, config);
        for part in partition(members, &split, &shapes) {
            let tokens = render(&part, &shapes, items);
            let sig: Vec<(Option<&'a str>, bool)> =
                tokens.iter().map(|t| (t.text, t.joined)).collect();
            match rendered.get(&sig) {
                Some(&g) => groups[g].members.extend_from_slice(&part),
                None => {
                    rendered.insert(sig, groups.len());
                    groups.push(Group {
                        tokens,
                        members: part,
                    });
                }
            }
        }
    }
    for g in &mut groups {
        g.members.sort_unstable();
    }
    groups.sort_by_key(|g| g.members.first().copied());
    groups
}

/// Step 2: groups of items (each in canonical order, leader first).
fn leaders(
    order: &[usize],
    shapes: &[Shape],
    table: &ChunkTable,
    config: &MinerConfig,
) -> Vec<Vec<usize>> {
    let mut buckets: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    for &i in order {
        let ids = &shapes[i].ids;
        let bucket = buckets.entry(ids.len()).or_default();
        let mut best: Option<(usize, usize)> = None;
        for &k in bucket.iter() {
            let lead = &shapes[clusters[k][0]].ids;
            if let Some(agree) = agreement(ids, lead, table, config)
                && best.is_none_or(|(_, b)| agree > b)
            {
                best = Some((k, agree));
            }
        }
        match best {
            Some((k, _)) => clusters[k].push(i),
            None => {
                bucket.push(clusters.len());
                clusters.push(vec![i]);
            }
        }
    }
    clusters
}

/// How many chunks of `a` agree with `b` (same length), if enough do: more
/// than the threshold's share, with at least one equal word unless neither
/// has any. Messages that differ in one word only, with at least two equal
/// words, always agree: one differing word is left to [`super::columns`]
/// to judge, whatever the message's length.
fn agreement(a: &[u32], b: &[u32], table: &ChunkTable, config: &MinerConfig) -> Option<usize> {
    let (mut agree, mut words, mut equal_words) = (0, 0, 0);
    for (&x, &y) in a.iter().zip(b) {
        let (vx, vy) = (table.valueish(x), table.valueish(y));
        words += usize::from(!vx || !vy);
        if x == y {
            agree += 1;
            equal_words += usize::from(!vx);
        } else if vx || vy {
            agree += 1;
        }
    }
    let share = agree as f32 / a.len().max(1) as f32;
    let one_word = agree + 1 >= a.len() && equal_words >= 2;
    let enough = share > config.similarity_threshold || one_word;
    (enough && (equal_words > 0 || words == 0)).then_some(agree)
}

/// Step 3: the members split by their chunks at the `split` positions, in
/// order of their first member.
fn partition(members: &[usize], split: &[usize], shapes: &[Shape]) -> Vec<Vec<usize>> {
    if split.is_empty() {
        return vec![members.to_vec()];
    }
    let mut index: FxHashMap<Vec<u32>, usize> = FxHashMap::default();
    let mut parts: Vec<Vec<usize>> = Vec::new();
    for &m in members {
        let k: Vec<u32> = split.iter().map(|&p| shapes[m].ids[p]).collect();
        match index.get(&k) {
            Some(&i) => parts[i].push(m),
            None => {
                index.insert(k, parts.len());
                parts.push(vec![m]);
            }
        }
    }
    parts
}

/// Step 4: the template of a part: each position its one chunk, or the
/// merge of its different chunks.
fn render<'a>(part: &[usize], shapes: &[Shape], items: &[Item<'a>]) -> Vec<Token<'a>> {
    let lead = part[0];
    let width = shapes[lead].ids.len();
    let mut out = Vec::with_capacity(items[lead].tokens.len());
    let mut distinct: Vec<u32> = Vec::new();
    let mut chunks: Vec<&[Token<'a>]> = Vec::new();
    for p in 0..width {
        distinct.clear();
        chunks.clear();
        for &m in part {
            let id = shapes[m].ids[p];
            if !distinct.contains(&id) {
                distinct.push(id);
                chunks.push(shapes[m].tokens(&items[m].tokens, p));
            }
        }
        if let [one] = chunks.as_slice() {
            out.extend_from_slice(one);
        } else {
            merge_column(&chunks, &mut out);
        }
    }
    out
}

//! A group: the Drain-level template of messages that share a shape, and
//! what each of its positions has shown so far.
//!
//! Similarity follows Drain (He et al., ICWS 2017): the share of positions
//! where message and template agree. Departures, all aimed at merging what
//! differs only in values while keeping apart what differs in meaning:
//! a template wildcard agrees with anything (Drain counts it as a mismatch,
//! so a template that has generalised once keeps getting harder to join);
//! punctuation must match exactly (it is the skeleton of the format
//! string); and a position that has only ever held a few distinct words
//! ([`Slot::Words`]) is not yet a variable: the miner keeps one variant per
//! word until the position has shown more than `max_words` of them
//! (`checkout via card …` and `checkout via paypal …` stay apart; forty
//! user names do not). A position holding only enum-like constants
//! (`QUEUED`, `RUNNING`, `CACHE_HIT`) is a state or a code, so it may hold up to [`MAX_WORDS`].

use super::intern::{Interner, WILDCARD};

/// Most distinct words a position can track before it is a variable.
pub const MAX_WORDS: usize = 12;

/// What one position of a group has held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The same token in every message (the group's token).
    Const,
    /// Only words, these few distinct ones (`len` used).
    Words { len: u8, ids: [u32; MAX_WORDS] },
    /// A masked value, or more distinct words than tracked.
    Variable,
}

/// Messages of one length and first token that agree closely enough.
#[derive(Debug, Clone)]
pub struct Group {
    /// Token ids; [`WILDCARD`] where the slot is not [`Slot::Const`].
    pub tokens: Vec<u32>,
    /// Per token: glued to the previous one (for rendering).
    pub joins: Vec<bool>,
    pub slots: Vec<Slot>,
    /// Live variant clusters (indices into the miner's clusters).
    pub variants: Vec<u32>,
}

impl Group {
    /// A group founded by `msg`.
    pub fn new(msg: &[u32], joins: &[bool]) -> Self {
        let slots = msg
            .iter()
            .map(|&t| {
                if t == WILDCARD {
                    Slot::Variable
                } else {
                    Slot::Const
                }
            })
            .collect();
        Self {
            tokens: msg.to_vec(),
            joins: joins.to_vec(),
            slots,
            variants: Vec::new(),
        }
    }

    /// Drain similarity of `msg` (same length) in `0..=1`, or `None` if they
    /// disagree on punctuation.
    #[inline]
    pub fn similarity(&self, msg: &[u32], interner: &Interner) -> Option<f32> {
        if msg.is_empty() {
            return Some(1.0);
        }
        let mut same = 0usize;
        for (&t, &m) in self.tokens.iter().zip(msg) {
            if t == m {
                same += 1;
            } else if interner.is_punct(t) || interner.is_punct(m) {
                return None;
            } else if t == WILDCARD {
                same += 1;
            }
        }
        Some(same as f32 / msg.len() as f32)
    }

    /// Records `msg` in the slots. Pushes onto `widened` every position that
    /// became [`Slot::Variable`] while variants still hold a concrete token
    /// there.
    pub fn observe(
        &mut self,
        msg: &[u32],
        max_words: usize,
        interner: &Interner,
        widened: &mut Vec<usize>,
    ) {
        for (p, &m) in msg.iter().enumerate() {
            let t = self.tokens[p];
            match &mut self.slots[p] {
                Slot::Const if m == t => {}
                Slot::Const if m == WILDCARD || max_words < 2 => {
                    self.slots[p] = Slot::Variable;
                    widened.push(p);
                }
                Slot::Const => {
                    let mut ids = [0; MAX_WORDS];
                    ids[0] = t;
                    ids[1] = m;
                    self.slots[p] = Slot::Words { len: 2, ids };
                }
                Slot::Words { len, ids } => {
                    let n = usize::from(*len);
                    if m != WILDCARD && ids[..n].contains(&m) {
                        continue;
                    }
                    let states = interner.is_enum_like(m)
                        && ids[..n].iter().all(|&w| interner.is_enum_like(w));
                    let cap = if states {
                        MAX_WORDS
                    } else {
                        max_words.min(MAX_WORDS)
                    };
                    if m != WILDCARD && n < cap {
                        ids[n] = m;
                        *len += 1;
                        continue;
                    }
                    self.slots[p] = Slot::Variable;
                    widened.push(p);
                }
                Slot::Variable => {}
            }
            if self.slots[p] != Slot::Const {
                self.tokens[p] = WILDCARD;
            }
        }
    }

    /// The [`Slot::Words`] position with the most distinct words, if any.
    pub fn widest_words(&self) -> Option<usize> {
        (0..self.slots.len())
            .filter_map(|p| match self.slots[p] {
                Slot::Words { len, .. } => Some((len, p)),
                _ => None,
            })
            .max()
            .map(|(_, p)| p)
    }

    /// Makes position `p` a variable.
    pub fn widen(&mut self, p: usize) {
        self.slots[p] = Slot::Variable;
        self.tokens[p] = WILDCARD;
    }

    /// The tokens of a new variant for `msg`: its own words except at
    /// variable positions.
    pub fn variant_tokens(&self, msg: &[u32]) -> Vec<u32> {
        msg.iter()
            .zip(&self.slots)
            .map(|(&m, s)| if *s == Slot::Variable { WILDCARD } else { m })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(i: &mut Interner, words: &str) -> Vec<u32> {
        words
            .split(' ')
            .map(|w| if w == "<*>" { WILDCARD } else { i.intern(w) })
            .collect()
    }

    #[test]
    fn wildcards_agree_while_punctuation_vetoes() {
        let mut i = Interner::default();
        let g = Group::new(&ids(&mut i, "user <*> from EU_WEST"), &[false; 4]);
        assert_eq!(
            g.similarity(&ids(&mut i, "user bob from EU_WEST"), &i),
            Some(1.0)
        );
        assert_eq!(
            g.similarity(&ids(&mut i, "user bob to EU_WEST"), &i),
            Some(0.75)
        );
        assert_eq!(g.similarity(&ids(&mut i, "user bob , EU_WEST"), &i), None);
    }

    #[test]
    fn few_words_stay_words_until_too_many() {
        let mut i = Interner::default();
        let mut g = Group::new(&ids(&mut i, "checkout via card for alice"), &[false; 5]);
        let mut widened = Vec::new();
        g.observe(
            &ids(&mut i, "checkout via paypal for alice"),
            3,
            &i,
            &mut widened,
        );
        assert!(matches!(g.slots[2], Slot::Words { len: 2, .. }) && widened.is_empty());
        g.observe(
            &ids(&mut i, "checkout via voucher for alice"),
            3,
            &i,
            &mut widened,
        );
        g.observe(
            &ids(&mut i, "checkout via iban for <*>"),
            3,
            &i,
            &mut widened,
        );
        assert_eq!(widened, [2, 4]);
        assert_eq!(g.slots[2], Slot::Variable);
        assert_eq!(
            g.variant_tokens(&ids(&mut i, "checkout via x for y"))[2],
            WILDCARD
        );
    }

    #[test]
    fn states_may_hold_more_values() {
        let mut i = Interner::default();
        let mut g = Group::new(&ids(&mut i, "went to NEW"), &[false; 3]);
        let mut widened = Vec::new();
        for s in ["A_B", "RUNNING", "DONE", "FAILED"] {
            g.observe(&ids(&mut i, &format!("went to {s}")), 3, &i, &mut widened);
        }
        assert!(matches!(g.slots[2], Slot::Words { len: 5, .. }) && widened.is_empty());
        g.observe(&ids(&mut i, "went to lunch"), 3, &i, &mut widened);
        assert_eq!(widened, [2]);
    }
}

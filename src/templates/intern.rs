//! Token interning: every distinct constant token gets a small integer id,
//! so templates are `Vec<u32>` and comparing a message with a template is
//! integer comparison.
//!
//! The hash is a word-at-a-time multiply-rotate hash (the "Fx" construction
//! used inside rustc): tokens are short and not attacker-chosen keys in a
//! long-lived server, so SipHash's DoS resistance would only cost speed.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::classify::{is_digest_code, is_enum_constant, is_punctuation};

/// The id of the variable token `<*>`.
pub const WILDCARD: u32 = 0;

/// A fast, deterministic, non-cryptographic hasher.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` using [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Flag: the token is an enum-like constant (see [`is_enum_constant`]) or
/// a Next.js digest code (`@E352`).
const ENUM_LIKE: u8 = 1;
/// Flag: the token is punctuation, part of a message's skeleton.
const PUNCT: u8 = 2;

/// Maps token text to ids and remembers, per id, whether the token is an
/// enum-like constant or punctuation (the two kinds the miner treats
/// specially).
#[derive(Debug, Clone)]
pub struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    texts: Vec<Box<str>>,
    flags: Vec<u8>,
}

impl Default for Interner {
    fn default() -> Self {
        Self {
            ids: FxHashMap::default(),
            texts: vec!["<*>".into()],
            flags: vec![0],
        }
    }
}

impl Interner {
    /// The id of `text`, allocating one the first time it is seen.
    #[inline]
    pub fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        self.ids.insert(text.into(), id);
        self.texts.push(text.into());
        let flags = if is_enum_constant(text) || is_digest_code(text) {
            ENUM_LIKE
        } else if is_punctuation(text) {
            PUNCT
        } else {
            0
        };
        self.flags.push(flags);
        id
    }

    /// The text of `id` (`<*>` for [`WILDCARD`]).
    pub fn text(&self, id: u32) -> &str {
        self.texts.get(id as usize).map_or("<*>", |t| t)
    }

    /// Whether `id` is punctuation, which must match exactly for a message
    /// to join a template. Never true for [`WILDCARD`].
    #[inline]
    pub fn is_punct(&self, id: u32) -> bool {
        self.flags.get(id as usize).is_some_and(|&f| f & PUNCT != 0)
    }

    /// Whether `id` is an enum-like constant. Never true for [`WILDCARD`].
    #[inline]
    pub fn is_enum_like(&self, id: u32) -> bool {
        self.flags
            .get(id as usize)
            .is_some_and(|&f| f & ENUM_LIKE != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_dense() {
        let mut i = Interner::default();
        let a = i.intern("alpha");
        let b = i.intern("BETA");
        assert_eq!((a, b), (1, 2));
        assert_eq!(i.intern("alpha"), a);
        assert_eq!(i.text(b), "BETA");
        assert_eq!(i.text(WILDCARD), "<*>");
        let comma = i.intern(",");
        assert!(i.is_enum_like(b) && !i.is_enum_like(a) && !i.is_enum_like(comma));
        assert!(i.is_punct(comma) && !i.is_punct(b) && !i.is_punct(WILDCARD));
    }

    #[test]
    fn hasher_separates_prefixes() {
        let h = |s: &[u8]| {
            let mut f = FxHasher::default();
            f.write(s);
            f.finish()
        };
        assert_ne!(h(b"ab"), h(b"ab\0"));
        assert_ne!(h(b"abcdefgh"), h(b"abcdefgh1"));
    }
}

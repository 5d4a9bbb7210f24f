//! [`ConfirmMemo`]: what candidate texts confirmed, remembered for the rest
//! of a chunk. Incidents repeat the same error line in many records, and
//! confirming it (the automaton's overlapping walk, the regex captures, the
//! fingerprint) costs more than hashing it again.
//!
//! Behind the chunks' memos, [`SharedConfirmations`] (one per signature
//! set) holds what any chunk confirmed: a large export's chunks meet the
//! same lines, and the lock is taken only when a chunk meets a text first.

use std::sync::{Mutex, PoisonError};

use super::catalog::Field;

/// One signature a text confirms, before any record's scope applies.
#[derive(Debug, Clone)]
pub(crate) struct Confirmed {
    pub signature: usize,
    pub fingerprint_hash: u64,
    pub fingerprint: String,
}

/// Texts longer than this are confirmed each time (rare, and costly to
/// keep).
const MAX_TEXT: usize = 2048;
/// Most bytes of texts and fingerprints remembered per memo (one per chunk
/// being scanned).
const MAX_BYTES: usize = 1 << 20;
/// Most bytes remembered by the memo the chunks share.
const MAX_SHARED_BYTES: usize = 4 << 20;

/// One field's candidate texts and what each confirmed.
type Texts = foldhash::HashMap<Box<str>, Box<[Confirmed]>>;

/// Per field, each candidate text's confirmations. Bounded: past
/// [`MAX_BYTES`], new texts are confirmed without being remembered.
#[derive(Debug, Default)]
pub struct ConfirmMemo {
    fields: Vec<(Field, Texts)>,
    bytes: usize,
}

impl ConfirmMemo {
    pub(crate) fn get(&self, field: Field, text: &str) -> Option<&[Confirmed]> {
        let (_, map) = self.fields.iter().find(|(f, _)| *f == field)?;
        map.get(text).map(|found| &found[..])
    }

    /// Remembers `found` for `text`, when there is room.
    pub(crate) fn remember(&mut self, field: Field, text: &str, found: Vec<Confirmed>) {
        self.remember_within(MAX_BYTES, field, text, found);
    }

    fn remember_within(&mut self, limit: usize, field: Field, text: &str, found: Vec<Confirmed>) {
        let bytes = text.len() + found.iter().map(|c| c.fingerprint.len()).sum::<usize>();
        if text.len() > MAX_TEXT || self.bytes + bytes > limit {
            return;
        }
        let i = match self.fields.iter().position(|(f, _)| *f == field) {
            Some(i) => i,
            None => {
                self.fields.push((field, Default::default()));
                self.fields.len() - 1
            }
        };
        self.bytes += bytes;
        self.fields[i]
            .1
            .insert(Box::from(text), found.into_boxed_slice());
    }
}

/// What the chunks of every scan with one signature set confirmed. Bounded
/// as a chunk's memo is, at [`MAX_SHARED_BYTES`].
#[derive(Debug, Default)]
pub(crate) struct SharedConfirmations(Mutex<ConfirmMemo>);

impl SharedConfirmations {
    fn lock(&self) -> std::sync::MutexGuard<'_, ConfirmMemo> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn get(&self, field: Field, text: &str) -> Option<Vec<Confirmed>> {
        self.lock().get(field, text).map(<[Confirmed]>::to_vec)
    }

    pub(crate) fn remember(&self, field: Field, text: &str, found: &[Confirmed]) {
        let mut memo = self.lock();
        if memo.get(field, text).is_none() {
            memo.remember_within(MAX_SHARED_BYTES, field, text, found.to_vec());
        }
    }
}

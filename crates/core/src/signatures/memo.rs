//! [`ConfirmMemo`]: what candidate texts confirmed, remembered for the rest
//! of a chunk. Incidents repeat the same error line in many records, and
//! confirming it (the automaton's overlapping walk, the regex captures, the
//! fingerprint) costs more than hashing it again.

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
        let bytes = text.len() + found.iter().map(|c| c.fingerprint.len()).sum::<usize>();
        if text.len() > MAX_TEXT || self.bytes + bytes > MAX_BYTES {
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

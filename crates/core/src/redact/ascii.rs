//! The redaction pattern compiled without Unicode classes, for text it
//! reads the same way: a sixth of the compile time of the Unicode form,
//! which was a quarter of a run on a small export.
//!
//! On ASCII text the two forms match alike: a Unicode class (`\d`, `\s`,
//! `\w` for `\b`) holds the same ASCII characters as its ASCII form, and
//! case folding maps no ASCII letter to another ASCII one. A character
//! outside ASCII that is no letter, mark, digit, connector or space (a
//! symbol, an arrow, a dash, a quote mark, an emoji: Next.js prints `⨯`
//! before its errors) takes part in a match only as "another character",
//! as a control character does: such characters are replaced by one stand-in
//! byte each, and the matches are mapped back onto the text. Any other
//! character sends the text to the Unicode form.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::bytes::{Captures, Regex, RegexBuilder};

use super::{Groups, replace, secret_pattern};

static SECRET_ASCII: LazyLock<Regex> = LazyLock::new(|| {
    RegexBuilder::new(&secret_pattern())
        .unicode(false)
        .build()
        .expect("redaction regex compiles")
});

/// What stands in for a neutral character: a control character, which no
/// class of the pattern names and every negated class admits.
const STAND_IN: u8 = 0x01;

/// Characters outside ASCII that no Unicode class of the pattern holds but
/// the negated ones: Latin-1 signs, general punctuation, arrows,
/// mathematical and technical signs, box drawing, shapes, symbols,
/// dingbats, emoji. The `neutral_characters_are_in_no_class` test checks
/// every one of them against the Unicode classes.
fn neutral(c: char) -> bool {
    matches!(
        c as u32,
        0x00A1..=0x00A9
            | 0x00AB
            | 0x00AE
            | 0x00B0
            | 0x00B1
            | 0x00B7
            | 0x00BB
            | 0x00BF
            | 0x00D7
            | 0x00F7
            | 0x2010..=0x2027
            | 0x2030..=0x203E
            | 0x2041..=0x2053
            | 0x2055..=0x205E
            | 0x2190..=0x23FF
            | 0x2500..=0x27BF
            | 0x2900..=0x2AFF
            | 0x1F300..=0x1F64F
            | 0x1F680..=0x1F6FF
            | 0x1F900..=0x1F9FF
    )
}

/// The longest text with characters outside ASCII that stand-ins are made
/// for: its offsets take eight bytes per byte (a longer one, rare, takes
/// the Unicode form).
const MAX_STAND_IN: usize = 64 << 10;

/// A text the ASCII form can read: its bytes, with stand-ins when it has
/// neutral characters.
pub(super) struct Form<'t> {
    text: &'t str,
    hay: Cow<'t, [u8]>,
    /// With stand-ins: the text's offset of each byte of `hay`, and of its
    /// end.
    at: Option<Vec<usize>>,
}

impl<'t> Form<'t> {
    /// `None` when the text has a character only the Unicode form reads.
    pub(super) fn of(text: &'t str) -> Option<Form<'t>> {
        if text.is_ascii() {
            return Some(Form {
                text,
                hay: Cow::Borrowed(text.as_bytes()),
                at: None,
            });
        }
        if text.len() > MAX_STAND_IN {
            return None;
        }
        let mut hay = Vec::with_capacity(text.len());
        let mut at = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            if c.is_ascii() {
                hay.push(c as u8);
            } else if neutral(c) {
                hay.push(STAND_IN);
            } else {
                return None;
            }
            at.push(i);
        }
        at.push(text.len());
        Some(Form {
            text,
            hay: Cow::Owned(hay),
            at: Some(at),
        })
    }

    /// The text's offset of `hay[i]`.
    fn offset(&self, i: usize) -> usize {
        self.at.as_ref().map_or(i, |at| at[i])
    }

    /// The text a match of `hay` covers.
    fn slice(&self, m: regex::bytes::Match<'_>) -> &'t str {
        &self.text[self.offset(m.start())..self.offset(m.end())]
    }

    /// What [`super::redact`] makes of the text.
    pub(super) fn redact(&self) -> Cow<'t, str> {
        let mut out = String::new();
        let (mut last, mut matched) = (0, false);
        for caps in SECRET_ASCII.captures_iter(&self.hay) {
            let m = caps.get_match();
            out.push_str(&self.text[last..self.offset(m.start())]);
            last = self.offset(m.end());
            out.push_str(&replace(&Mapped { form: self, caps }));
            matched = true;
        }
        if !matched {
            return Cow::Borrowed(self.text);
        }
        out.push_str(&self.text[last..]);
        Cow::Owned(out)
    }
}

/// One match of the ASCII form, its groups read from the text.
struct Mapped<'f, 't, 'h> {
    form: &'f Form<'t>,
    caps: Captures<'h>,
}

impl<'t> Groups<'t> for Mapped<'_, 't, '_> {
    fn all(&self) -> &'t str {
        self.form.slice(self.caps.get_match())
    }
    fn get(&self, name: &str) -> Option<&'t str> {
        self.caps.name(name).map(|m| self.form.slice(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No neutral character is a word character, a digit or a space in the
    /// Unicode sense, nor folds to an ASCII letter: each is read as the
    /// stand-in is.
    #[test]
    fn neutral_characters_are_in_no_class() {
        let classes = regex::Regex::new(r"(?i)^[\w\s\da-z]$").unwrap();
        let mut count = 0;
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| neutral(c))
        {
            assert!(!c.is_ascii());
            assert!(!classes.is_match(c.encode_utf8(&mut [0; 4])), "{c:?}");
            count += 1;
        }
        assert!(count > 2000, "{count}");
        assert!(!classes.is_match("\u{1}"));
    }

    /// A letter outside ASCII, a digit or a space sends the text to the
    /// Unicode form; neutral characters do not.
    #[test]
    fn only_neutral_characters_are_stood_in_for() {
        for text in ["José", "٣", "a\u{a0}b", "\u{212a}ey"] {
            assert!(Form::of(text).is_none(), "{text}");
        }
        let form = Form::of(" ⨯ Error → done … ✓ 😀").expect("neutral");
        assert_eq!(form.hay.iter().filter(|&&b| b == STAND_IN).count(), 5);
        // A long text with them takes the Unicode form; a long ASCII text
        // needs no offsets.
        let long = "⨯ ".repeat(MAX_STAND_IN);
        assert!(Form::of(&long).is_none());
        assert!(Form::of(&"x".repeat(4 * MAX_STAND_IN)).is_some());
    }
}

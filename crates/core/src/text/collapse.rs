//! Collapses variable-length lists of values into one `<*>`.
//!
//! `purge key_1 key_2 key_3` and `purge key_9` are the same event with a
//! different number of ids; so are `ids 1, 2, 3` and `ids 7`. Without this,
//! the miner (which only compares messages of equal chunk count) would make
//! one template per list length.
//!
//! A comma list holds values of one kind: in `via 10.0.0.7, 2 recipients`
//! the address and the count are two values, not a list, or the message
//! would lose a chunk that `via LOCAL(0), 2 recipients` keeps.

use super::token::Token;

/// Collapses variable-length lists of values into one `<*>`: `<*> <*> <*>`
/// and `<*>, <*>, <*>` become `<*>`, so a message with three ids and one
/// with thirty share a template.
pub struct ListCollapser<'a, 'o, F: FnMut(Token<'a>)> {
    out: &'o mut F,
    prev_var: bool,
    /// The kind of the last value passed.
    kind: ValueKind,
    /// A comma after a variable, held back until we know whether another
    /// variable follows.
    comma: Option<Token<'a>>,
}

/// What kind of value a `<*>` stands for, as far as lists go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValueKind {
    /// A plain number (`42`, `16.0`).
    Number,
    /// A value recognised as a whole chunk: an address, URL, path, id.
    Whole,
    /// Anything else with digits in it, or a quoted value.
    #[default]
    Other,
}

impl<'a, 'o, F: FnMut(Token<'a>)> ListCollapser<'a, 'o, F> {
    /// A collapser passing tokens on to `out`.
    pub fn new(out: &'o mut F) -> Self {
        Self {
            out,
            prev_var: false,
            kind: ValueKind::Other,
            comma: None,
        }
    }

    /// Passes `t` on unless it continues a list of values; `kind` is the
    /// kind of value `t` stands for, if it is a variable.
    pub fn push(&mut self, t: Token<'a>, kind: ValueKind) {
        if t.text.is_none() {
            let continues_list = match self.comma.take() {
                Some(_) if kind == self.kind => true,
                Some(comma) => {
                    (self.out)(comma);
                    false
                }
                None => self.prev_var && !t.joined,
            };
            if !continues_list {
                (self.out)(t);
            }
            self.prev_var = true;
            self.kind = kind;
            return;
        }
        self.finish();
        if self.prev_var && t.text == Some(",") {
            self.comma = Some(t);
        } else {
            (self.out)(t);
        }
        self.prev_var = false;
    }

    /// Flushes a held-back comma; call after the last token.
    pub fn finish(&mut self) {
        if let Some(c) = self.comma.take() {
            (self.out)(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collapse(tokens: &[(Option<&'static str>, bool)]) -> Vec<Option<&'static str>> {
        collapse_kinds(tokens, &[])
    }

    /// Like `collapse`, with the kinds of the values in order (`Other`
    /// when not given).
    fn collapse_kinds(
        tokens: &[(Option<&'static str>, bool)],
        kinds: &[ValueKind],
    ) -> Vec<Option<&'static str>> {
        let mut out = Vec::new();
        let mut push = |t: Token<'static>| out.push(t.text);
        let mut c = ListCollapser::new(&mut push);
        let mut kinds = kinds.iter().copied();
        for &(text, joined) in tokens {
            let kind = match text {
                None => kinds.next().unwrap_or_default(),
                Some(_) => ValueKind::Other,
            };
            c.push(Token { text, joined }, kind);
        }
        c.finish();
        out
    }

    #[test]
    fn spaced_and_comma_lists_become_one_value() {
        let v = None;
        assert_eq!(
            collapse(&[(Some("a"), false), (v, false), (v, false), (v, false)]),
            [Some("a"), v]
        );
        assert_eq!(
            collapse(&[
                (v, false),
                (Some(","), true),
                (v, false),
                (Some(","), true),
                (v, false)
            ]),
            [v]
        );
    }

    #[test]
    fn commas_between_words_and_trailing_commas_stay() {
        let v = None;
        assert_eq!(
            collapse(&[(v, false), (Some(","), true), (Some("b"), false)]),
            [v, Some(","), Some("b")]
        );
        assert_eq!(collapse(&[(v, false), (Some(","), true)]), [v, Some(",")]);
    }

    #[test]
    fn comma_lists_hold_one_kind_of_value() {
        let v = None;
        let (num, whole) = (ValueKind::Number, ValueKind::Whole);
        let tokens = [
            (v, false),
            (Some(","), true),
            (v, false),
            (Some("sent"), false),
        ];
        assert_eq!(collapse_kinds(&tokens, &[num, num]), [v, Some("sent")]);
        assert_eq!(
            collapse_kinds(&tokens, &[whole, num]),
            [v, Some(","), v, Some("sent")]
        );
    }
}

//! Collapses variable-length lists of values into one `<*>`.
//!
//! `purge key_1 key_2 key_3` and `purge key_9` are the same event with a
//! different number of ids; so are `ids 1, 2, 3` and `ids 7`. Without this,
//! the miner (which only compares messages of equal token count) would make
//! one template per list length.

use super::token::Token;

/// Collapses variable-length lists of values into one `<*>`: `<*> <*> <*>`
/// and `<*>, <*>, <*>` become `<*>`, so a message with three ids and one
/// with thirty share a template.
pub struct ListCollapser<'a, 'o, F: FnMut(Token<'a>)> {
    out: &'o mut F,
    prev_var: bool,
    /// A comma after a variable, held back until we know whether another
    /// variable follows.
    comma: Option<Token<'a>>,
}

impl<'a, 'o, F: FnMut(Token<'a>)> ListCollapser<'a, 'o, F> {
    /// A collapser passing tokens on to `out`.
    pub fn new(out: &'o mut F) -> Self {
        Self {
            out,
            prev_var: false,
            comma: None,
        }
    }

    /// Passes `t` on unless it continues a list of values.
    pub fn push(&mut self, t: Token<'a>) {
        if t.text.is_none() {
            let continues_list = self.comma.take().is_some() || (self.prev_var && !t.joined);
            if !continues_list {
                (self.out)(t);
            }
            self.prev_var = true;
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
        let mut out = Vec::new();
        let mut push = |t: Token<'static>| out.push(t.text);
        let mut c = ListCollapser::new(&mut push);
        for &(text, joined) in tokens {
            c.push(Token { text, joined });
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
}

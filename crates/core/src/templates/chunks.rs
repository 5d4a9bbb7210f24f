//! Messages as whitespace chunks: the unit the miner compares.
//!
//! Tokens split at every delimiter, so punctuation changes their count:
//! `()` is two tokens and `(host)` three, `LOCAL(0),` five and `10.0.0.1,`
//! two. Whitespace chunks do not move with punctuation, so two messages of
//! one event have the same number of chunks even when a value inside a
//! chunk comes and goes. Each distinct chunk (`user=<*>`, `(<*>)`,
//! `Started`) gets an id; a chunk whose only text is values and
//! punctuation (`<*>`, `(<*>),`, `()`) is *value-like* and agrees with
//! anything when messages are compared.

use super::intern::FxHashMap;
use crate::text::Token;

/// One distinct message (or a template saved by an earlier run).
#[derive(Debug, Clone)]
pub(super) struct Item<'a> {
    pub tokens: Vec<Token<'a>>,
    /// How many messages had it (0 for a saved template).
    pub count: u64,
    /// A template saved by an earlier run: it leads its group.
    pub seed: bool,
}

/// The distinct chunks of a mining run.
#[derive(Debug, Default)]
pub(super) struct ChunkTable {
    ids: FxHashMap<String, u32>,
    texts: Vec<String>,
    valueish: Vec<bool>,
}

/// One message as chunks.
#[derive(Debug, Clone)]
pub(super) struct Shape {
    /// Chunk ids, in order.
    pub ids: Vec<u32>,
    /// Token index where each chunk starts, then the token count.
    pub starts: Vec<usize>,
}

impl Shape {
    /// The tokens of chunk `p`.
    pub fn tokens<'t, 'a>(&self, tokens: &'t [Token<'a>], p: usize) -> &'t [Token<'a>] {
        &tokens[self.starts[p]..self.starts[p + 1]]
    }
}

/// True for a chunk made only of values and punctuation.
fn is_valueish(text: &str) -> bool {
    let rest = text.replace("<*>", "");
    let has_value = rest.len() < text.len();
    let empty_pair = matches!(rest.as_str(), "()" | "[]" | "{}" | "\"\"" | "''" | "<>");
    !rest.bytes().any(|c| c.is_ascii_alphanumeric() || c >= 0x80) && (has_value || empty_pair)
}

impl ChunkTable {
    /// The chunks of `tokens`.
    pub fn shape(&mut self, tokens: &[Token<'_>]) -> Shape {
        let mut shape = Shape {
            ids: Vec::new(),
            starts: Vec::new(),
        };
        let mut text = String::new();
        for (i, t) in tokens.iter().enumerate() {
            if i > 0 && !t.joined {
                shape.ids.push(self.intern(&text));
                text.clear();
            }
            if i == 0 || !t.joined {
                shape.starts.push(i);
            }
            text.push_str(t.text.unwrap_or("<*>"));
        }
        if !tokens.is_empty() {
            shape.ids.push(self.intern(&text));
        }
        shape.starts.push(tokens.len());
        shape
    }

    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        self.ids.insert(text.to_string(), id);
        self.texts.push(text.to_string());
        self.valueish.push(is_valueish(text));
        id
    }

    /// Whether chunk `id` is only values and punctuation.
    pub fn valueish(&self, id: u32) -> bool {
        self.valueish.get(id as usize).copied().unwrap_or(false)
    }

    /// The text of chunk `id`.
    pub fn text(&self, id: u32) -> &str {
        self.texts.get(id as usize).map_or("", String::as_str)
    }
}

/// Merges the tokens of one column's different chunks into the template's
/// tokens for it: chunks of the same token count keep the tokens they
/// share and get `<*>` elsewhere (`user=alice`, `user=bob` → `user=<*>`);
/// otherwise the shared leading and trailing punctuation stays around one
/// `<*>` (`()`, `(host)` → `(<*>)`).
pub(super) fn merge_column<'a>(chunks: &[&[Token<'a>]], out: &mut Vec<Token<'a>>) {
    let Some((first, rest)) = chunks.split_first() else {
        return;
    };
    let joined = first.first().is_some_and(|t| t.joined);
    if rest.iter().all(|c| c.len() == first.len()) {
        for (i, t) in first.iter().enumerate() {
            let same = rest.iter().all(|c| c[i].text == t.text);
            out.push(Token {
                text: if same { t.text } else { None },
                joined: t.joined,
            });
        }
        return;
    }
    let punct = |t: &Token<'_>| {
        t.text
            .is_some_and(|s| !s.bytes().any(|c| c.is_ascii_alphanumeric()))
    };
    let shortest = chunks.iter().map(|c| c.len()).min().unwrap_or(0);
    let lead = (0..shortest)
        .take_while(|&i| punct(&first[i]) && rest.iter().all(|c| c[i].text == first[i].text))
        .count();
    let trail = (0..shortest - lead)
        .take_while(|&i| {
            let t = &first[first.len() - 1 - i];
            punct(t) && rest.iter().all(|c| c[c.len() - 1 - i].text == t.text)
        })
        .count();
    out.extend_from_slice(&first[..lead]);
    out.push(Token {
        text: None,
        joined: lead > 0 || joined,
    });
    for t in &first[first.len() - trail..] {
        out.push(Token {
            text: t.text,
            joined: true,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn toks(s: &str) -> Vec<Token<'_>> {
        let mut v = Vec::new();
        tokenize(s, &mut |t| v.push(t));
        v
    }

    fn show(tokens: &[Token<'_>]) -> String {
        let mut s = String::new();
        crate::text::render_into(tokens, &mut s);
        s
    }

    #[test]
    fn chunks_do_not_move_with_punctuation() {
        let mut table = ChunkTable::default();
        let a = toks("connect from 10.0.0.1 () at x");
        let b = toks("connect from 10.0.0.2 (host) at x");
        let (sa, sb) = (table.shape(&a), table.shape(&b));
        assert_eq!(sa.ids.len(), 6);
        assert_eq!(sb.ids.len(), 6);
        assert!(table.valueish(sa.ids[2]) && table.valueish(sa.ids[3]));
        assert!(!table.valueish(sb.ids[3]) && !table.valueish(sa.ids[0]));
        assert_eq!(table.text(sb.ids[3]), "(host)");
        let mut out = Vec::new();
        merge_column(&[sa.tokens(&a, 3), sb.tokens(&b, 3)], &mut out);
        assert_eq!(show(&out), "(<*>)");
    }

    #[test]
    fn same_length_chunks_keep_what_they_share() {
        let (a, b) = (toks("user=alice"), toks("user=bob"));
        let mut out = Vec::new();
        merge_column(&[&a, &b], &mut out);
        assert_eq!(show(&out), "user=<*>");
        assert!(is_valueish("<*>,") && is_valueish("[]") && !is_valueish("-"));
    }
}

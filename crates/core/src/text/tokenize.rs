//! Splits a log message into template tokens: constant words, punctuation,
//! and `<*>` for every variable part.
//!
//! Why split more finely than on whitespace: `key=value`, `Old: host:port`
//! and `(pid 12)` carry constants and variables glued together; cutting on
//! `= : , ; ( ) [ ] { } < >` (kept as their own tokens) lets the constant key
//! survive while the value becomes `<*>`. Whole chunks that contain those
//! characters but are one value (URLs, paths, IPv6, times, emails) are
//! recognised first, so they become a single `<*>`.
//!
//! Runs of dots (`......` leaders) are punctuation too. Tokens borrow from
//! the message and are handed to a callback through
//! [`ListCollapser`], so tokenising allocates nothing.

use super::classify::{
    class_of, digest_code, is_code_name, is_number, is_unit, is_url_or_path, is_whole_variable,
    may_be_whole_variable,
};
use super::collapse::{ListCollapser, ValueKind};
use super::token::Token;
use super::values::{is_code_key, is_code_value, is_date_word};

/// Byte kinds the scanner stops at, one table lookup per byte.
const SPACE: u8 = 1;
const DELIM: u8 = 2;
const DIGIT: u8 = 4;

const KIND: [u8; 256] = {
    let mut t = [0u8; 256];
    let spaces = b" \t\n\r\x0c";
    let mut k = 0;
    while k < spaces.len() {
        t[spaces[k] as usize] = SPACE;
        k += 1;
    }
    let delims = b"=:,;()[]{}<>";
    k = 0;
    while k < delims.len() {
        t[delims[k] as usize] = DELIM;
        k += 1;
    }
    let mut d = b'0';
    while d <= b'9' {
        t[d as usize] = DIGIT;
        d += 1;
    }
    t
};

/// Characters that separate a key from its value; kept as tokens.
#[inline]
fn is_delim(b: u8) -> bool {
    KIND[usize::from(b)] & DELIM != 0
}

#[inline]
fn is_quote(b: u8) -> bool {
    matches!(b, b'\'' | b'"' | b'`')
}

/// Punctuation stripped from a chunk's ends before asking whether the rest
/// is one whole variable (`(10.0.0.1:80),` → `10.0.0.1:80`).
const LEAD: &[u8] = b"([{<";
const TRAIL: &[u8] = b".,;:!?)]}>";

/// The end of the quoted value opened at `open`, if the quote closes on
/// the same line and is followed by a boundary (so `Can't` is not a quote).
fn closing_quote(b: &[u8], open: usize) -> Option<usize> {
    let q = b[open];
    let rel = memchr::memchr(q, &b[open + 1..])?;
    let close = open + 1 + rel;
    let after = b.get(close + 1).copied();
    match after {
        None => Some(close),
        Some(c) if c.is_ascii_whitespace() || is_delim(c) || c == b'.' => Some(close),
        _ => None,
    }
}

/// Calls `out` with each token of `head` (one line: see
/// [`super::head::message_head`]), in order.
pub fn tokenize<'a>(head: &'a str, out: &mut impl FnMut(Token<'a>)) {
    let mut s = Scanner {
        head,
        i: 0,
        joined: false,
        after_number: false,
        prev_var: false,
        close_quote: None,
        code_key: CodeKey::None,
        kind: ValueKind::Other,
        sink: ListCollapser::new(out),
    };
    s.run();
    s.sink.finish();
}

/// Where the scanner stands with respect to a `code` key (`code: 'P2002'`):
/// its value names an error and is kept.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CodeKey {
    None,
    /// The last token was a code key.
    Key,
    /// The last tokens were a code key and `:` or `=`.
    Value,
}

/// Walks a message head left to right, one token at a time.
struct Scanner<'a, 'o, F: FnMut(Token<'a>)> {
    head: &'a str,
    i: usize,
    /// No whitespace since the last token.
    joined: bool,
    /// The last token was a number, so a unit word after it (`16.0 KB`)
    /// belongs to the value.
    after_number: bool,
    /// The last token was a variable.
    prev_var: bool,
    /// The closing quote of the multi-word quoted span being read.
    close_quote: Option<usize>,
    code_key: CodeKey,
    /// The kind of the next `<*>` emitted (then back to `Other`).
    kind: ValueKind,
    sink: ListCollapser<'a, 'o, F>,
}

impl<'a, F: FnMut(Token<'a>)> Scanner<'a, '_, F> {
    fn emit(&mut self, text: Option<&'a str>) {
        let kind = std::mem::take(&mut self.kind);
        self.sink.push(
            Token {
                text,
                joined: self.joined,
            },
            kind,
        );
        self.code_key = match (self.code_key, text) {
            (_, Some(t)) if is_code_key(t) => CodeKey::Key,
            (CodeKey::Key, Some(":" | "=")) => CodeKey::Value,
            _ => CodeKey::None,
        };
        self.joined = true;
        self.after_number = false;
        self.prev_var = text.is_none();
    }

    /// Emits each byte of `head[from..to]` (ASCII punctuation) as a token.
    fn emit_bytes(&mut self, from: usize, to: usize) {
        for k in from..to {
            self.emit(Some(&self.head[k..k + 1]));
        }
    }

    fn run(&mut self) {
        let b = self.head.as_bytes();
        let n = b.len();
        let mut chunk_start = true;
        while self.i < n {
            let i = self.i;
            let c = b[i];
            if c.is_ascii_whitespace() {
                self.i += 1;
                self.joined = false;
                chunk_start = true;
                continue;
            }
            if self.close_quote == Some(i) {
                self.close_quote = None;
                self.emit(Some(&self.head[i..i + 1]));
                self.i += 1;
                continue;
            }
            if std::mem::take(&mut chunk_start) && self.whole_chunk() {
                continue;
            }
            let at_start = i == 0 || b[i - 1].is_ascii_whitespace() || is_delim(b[i - 1]);
            if is_quote(c) && at_start && self.close_quote.is_none() && self.quoted() {
                continue;
            }
            if is_delim(c) {
                self.emit(Some(&self.head[i..i + 1]));
                self.i += 1;
            } else if c == b'.' && b.get(i + 1) == Some(&b'.') {
                let len = b[i..].iter().take_while(|&&d| d == b'.').count();
                self.emit(Some(&self.head[i..i + len]));
                self.i += len;
            } else {
                self.piece();
            }
        }
    }

    /// If the chunk (up to the next whitespace) is one value such as a URL,
    /// path or address, emits it as `<*>` with its surrounding punctuation.
    fn whole_chunk(&mut self) -> bool {
        let (head, b, i) = (self.head, self.head.as_bytes(), self.i);
        let (mut end, mut seen) = (i, 0);
        while end < b.len() && KIND[usize::from(b[end])] & SPACE == 0 {
            seen |= class_of(b[end]);
            end += 1;
        }
        if !may_be_whole_variable(seen) {
            return false;
        }
        let mut e = end;
        while e > i && TRAIL.contains(&b[e - 1]) {
            e -= 1;
        }
        let mut s = i;
        while s < e && LEAD.contains(&b[s]) {
            s += 1;
        }
        let (whole, inner) = (&head[i..e], &head[s..e]);
        let (lead, core) = if is_whole_variable(whole) {
            (0, whole)
        } else {
            (whole.len() - inner.len(), inner)
        };
        if core.contains(['\'', '"', '`']) || !is_whole_variable(core) {
            return false;
        }
        self.emit_bytes(i, i + lead);
        self.kind = ValueKind::Whole;
        self.emit(None);
        self.emit_bytes(i + lead + core.len(), end);
        self.i = end;
        true
    }

    /// Reads a quoted span. One without whitespace is a value: `<*>`, except
    /// a JSON key (`{"key":`) and the value of a code key, which stay
    /// constants. One with whitespace is a phrase (`"GET /x HTTP/1.1"`,
    /// `tag="View Lock"`): its quotes become tokens and its words are read
    /// as words, so that what it says still tells messages apart.
    fn quoted(&mut self) -> bool {
        let (b, i) = (self.head.as_bytes(), self.i);
        let Some(close) = closing_quote(b, i) else {
            return false;
        };
        if b[i + 1..close].iter().any(u8::is_ascii_whitespace) {
            self.emit(Some(&self.head[i..=i]));
            self.close_quote = Some(close);
            self.i = i + 1;
            return true;
        }
        let inner = &self.head[i + 1..close];
        if self.code_key == CodeKey::Value && is_code_value(inner) {
            self.emit(Some(inner));
        } else {
            let key = b.get(close + 1) == Some(&b':') && i > 0 && matches!(b[i - 1], b'{' | b',');
            self.emit(key.then(|| &self.head[i..=close]));
        }
        self.i = close + 1;
        true
    }

    /// Emits the run of characters up to whitespace, a delimiter, `..` or
    /// the closing quote of the span being read.
    fn piece(&mut self) {
        let (head, b, start) = (self.head, self.head.as_bytes(), self.i);
        let stop = self.close_quote.unwrap_or(b.len());
        let (mut i, mut kinds) = (start, 0);
        while i < stop {
            let k = KIND[usize::from(b[i])];
            if k & (SPACE | DELIM) != 0 || (b[i] == b'.' && b.get(i + 1) == Some(&b'.')) {
                break;
            }
            kinds |= k;
            i += 1;
        }
        if head[i..].starts_with("://") {
            // `key=scheme://…`: the rest of the chunk is one URL.
            let end = i + b[i..stop]
                .iter()
                .position(u8::is_ascii_whitespace)
                .unwrap_or(stop - i);
            let mut url_end = end;
            while url_end > start && TRAIL.contains(&b[url_end - 1]) {
                url_end -= 1;
            }
            self.kind = ValueKind::Whole;
            self.emit(None);
            self.emit_bytes(url_end, end);
            self.i = end;
            return;
        }
        self.i = i;
        self.piece_tokens(&head[start..i], kinds & DIGIT != 0);
    }

    /// Emits one piece (no whitespace, no delimiters): a variable if it has
    /// digits, is a path or is part of a written date, else a word.
    fn piece_tokens(&mut self, piece: &'a str, has_digit: bool) {
        if has_digit {
            if let Some(code) = digest_code(piece) {
                self.emit(None);
                self.emit(Some(code));
            } else if is_code_name(piece)
                || (self.code_key == CodeKey::Value && is_code_value(piece))
            {
                self.emit(Some(piece));
            } else {
                let number = is_number(piece);
                if number {
                    self.kind = ValueKind::Number;
                }
                self.emit(None);
                self.after_number = number;
            }
        } else if self.after_number && !self.joined && is_unit(piece) {
            self.after_number = false; // absorbed into the preceding number
            self.joined = true;
        } else if is_url_or_path(piece) {
            self.kind = ValueKind::Whole;
            self.emit(None);
        } else if is_date_word(piece) && self.in_date() {
            self.emit(None);
        } else {
            self.emit(Some(piece));
        }
    }

    /// Whether the date word just read stands in a date: a value before
    /// it, or a number or another date word after it (`Jul 25`, `Mon Jul`,
    /// `25 Jul`).
    fn in_date(&self) -> bool {
        if self.prev_var && !self.joined {
            return true;
        }
        let rest = self.head[self.i..].trim_start_matches([',', ' ']);
        let next = rest.split(' ').next().unwrap_or("");
        next.starts_with(|c: char| c.is_ascii_digit()) || is_date_word(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(s: &str) -> String {
        let mut v = Vec::new();
        tokenize(s, &mut |t| v.push(t));
        v.iter()
            .map(|t| t.text.unwrap_or("<*>"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn splits_keys_from_values() {
        assert_eq!(
            render("retries=4 backoff= 0"),
            "retries = <*> backoff = <*>"
        );
        assert_eq!(render("(pid 12)."), "( pid <*> ) .");
        assert_eq!(
            render("limits=<cpu:2, mem:512>"),
            "limits = < cpu : <*> , mem : <*> >"
        );
    }

    #[test]
    fn whole_chunk_values_are_one_token() {
        assert_eq!(render("to /10.0.0.1:8080 at 08:16:53"), "to <*> at <*>");
        assert_eq!(render("[client 1.2.3.4]"), "[ client <*> ]");
        assert_eq!(render("url=https://a.io/x?y=1, ok"), "url = <*> , ok");
    }

    #[test]
    fn quotes_and_apostrophes() {
        assert_eq!(render("service 'x' on"), "service <*> on");
        assert_eq!(render("service 'x y' on"), "service ' x y ' on");
        assert_eq!(
            render(r#"10.0.0.1 "GET /api/a HTTP/1.1" code: 200"#),
            r#"<*> " GET <*> " code : <*>"#
        );
        assert_eq!(render("Can't load config"), "Can't load config");
        assert_eq!(
            render(r#"{"level":"error","msg":"boom"}"#),
            r#"{ "level" : <*> , "msg" : <*> }"#
        );
    }

    #[test]
    fn hosts_dates_and_codes() {
        assert_eq!(
            render("to db.example.com:5432 and 1.2.3.4:80"),
            "to <*> and <*>"
        );
        assert_eq!(render(r"loaded C:\Windows\x.dll ok"), "loaded <*> ok");
        assert_eq!(
            render("from h (h) at Tue Mar 4 11:20:05 2025"),
            "from h ( h ) at <*>"
        );
        assert_eq!(
            render("May I help; Sunday best"),
            "May I help ; Sunday best"
        );
        assert_eq!(
            render("{ code: 'P2002' } code=E352 P2002"),
            "{ code : P2002 } code = E352 <*>"
        );
        assert_eq!(
            render(r#"{"error_code":"refresh_token_not_found"}"#),
            r#"{ "error_code" : refresh_token_not_found }"#
        );
        assert_eq!(render("lifetime <1 sec"), "lifetime < <*>");
    }

    #[test]
    fn units_follow_numbers() {
        assert_eq!(render("size 16.0 KB, free 3 MB)"), "size <*> , free <*> )");
        assert_eq!(render("took 35ms"), "took <*>");
        assert_eq!(render("B is a letter"), "B is a letter");
    }
}

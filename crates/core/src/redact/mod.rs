//! Redaction of secrets and personal data in every sample the tool prints:
//! emails, phone numbers, credentials in URLs, cookies, bearer and
//! `key=value` tokens, JWTs, API keys, and IP addresses.
//!
//! One regex finds every candidate in a single pass; a closure then decides
//! what each becomes. The regex is compiled in two forms: with ASCII
//! classes for the texts it reads alike (see [`ascii`]: most log lines),
//! and with Unicode classes for the others, compiled only when one comes.
//!
//! Error text must survive: `Invalid Refresh Token:
//! Refresh Token Not Found` is prose, not a `token: value` pair. So a
//! `Key: value` pair whose key is written like a word (`Token`, `Password`)
//! only counts when the value looks like a secret (it has a digit or a
//! symbol, or is long); keys written like identifiers (`token`,
//! `refresh_token`, `X-Api-Key`, `"token"`) always count, as does `key=value`.
//!
//! Kinds: `[email]`, `[phone]`, `[credentials]` (user and password of a URL),
//! `[cookie]`, `[token]`, `[jwt]`, `[key]`, `[ip]`.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

mod ascii;
mod memo;

pub use memo::Memo;

/// Words that make a key sensitive when the key ends with them
/// (`aws_secret_access_key`, `SUPABASE_SERVICE_ROLE_KEY`, `x-api-key`).
const KEY_WORDS: &str = r"(?:secret|password|passwd|pwd|token|api[_-]?key|apikey|key|auth|authorization|signature|sig|credentials?)";

/// The one pattern of every kind, case-insensitive, in verbose syntax.
fn secret_pattern() -> String {
    format!(
        r#"(?xi)
          (?P<jwt>\beyJ[A-Za-z0-9_-]{{5,}}\.[A-Za-z0-9_-]{{5,}}\.[A-Za-z0-9_-]{{5,}})
        | (?P<url>\b[a-z][a-z0-9+.-]*://)(?P<userinfo>[^\s/@:"'`<>]+(?::[^\s/@"'`<>]*)?)@
        | (?P<cookie>\b(?:set-)?cookie["']?\s*[:=]\s*["']?)(?P<cookieval>[^\n"']+)
        | (?P<bearer>\bbearer\s+)[A-Za-z0-9._~+/=-]{{8,}}
        | (?P<word>\b(?:basic|token)\s+)(?P<wordval>[A-Za-z0-9._~+/=-]{{8,}})
        | (?P<key>\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{{8,}}|\bsk-[A-Za-z0-9_-]{{16,}}|\bsb_(?:secret|publishable)_[A-Za-z0-9_-]{{10,}}|\bgh[pousr]_[A-Za-z0-9]{{20,}}|\bxox[abprs]-[A-Za-z0-9-]{{10,}}|\bAKIA[0-9A-Z]{{16}}\b|\bAIza[0-9A-Za-z_-]{{30,}})
        | (?P<kv>(?P<q>["']?)(?P<k>\b[a-z0-9_.-]*{KEY_WORDS})\b["']?\s*(?P<sep>[:=])\s*["']?(?P<scheme>(?:bearer|basic|token)\s+)?)(?P<v>[^\s"'&,;}}]{{3,}})
        | (?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}})
        | (?P<ip4>\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){{3}}\b)
        | (?P<ip6>\b(?:[0-9a-f]{{1,4}}:){{7}}[0-9a-f]{{1,4}}\b|\b(?:[0-9a-f]{{1,4}}:){{1,6}}:(?:[0-9a-f]{{1,4}}:?){{1,6}}\b)
        | (?P<phonectx>\b(?:phone|tel|telephone|mobile|cell|sms|whatsapp|msisdn)\b[^\d\n]{{0,12}})(?P<bare>\d{{10,11}})\b
        | (?P<phone>\+\d{{1,3}}[\s.-]?\(?\d{{1,4}}\)?(?:[\s.-]?\d{{2,4}}){{2,4}}\b|(?:\+\d{{1,3}}[\s.-]?)?\(?\b\d{{3}}\)?[\s.-]\d{{3}}[\s.-]\d{{4}}\b|\+\d{{10,14}}\b)
        "#
    )
}

/// The pattern with Unicode classes (`\d`, `\s`, `\b`, case folding), for
/// text with characters that [`ascii`] cannot stand in for. Compiling
/// their tables was a quarter of a run on a small export, so it waits for
/// such a text.
static SECRET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&secret_pattern()).expect("redaction regex compiles"));

/// The named groups of one match, from either form of the pattern.
trait Groups<'h> {
    fn all(&self) -> &'h str;
    fn get(&self, name: &str) -> Option<&'h str>;
}

impl<'h> Groups<'h> for Captures<'h> {
    fn all(&self) -> &'h str {
        self.get_match().as_str()
    }
    fn get(&self, name: &str) -> Option<&'h str> {
        self.name(name).map(|m| m.as_str())
    }
}

/// Whether a value after a word-like key (`Token: …`) looks like a secret
/// rather than the next word of a sentence: long, or with a digit, a symbol,
/// or an upper-case letter after the first (`dXNlcjpwYXNz`).
fn looks_secret(v: &str) -> bool {
    v.len() >= 20
        || v.bytes()
            .any(|b| b.is_ascii_digit() || b"_+/=.~-".contains(&b))
        || v.bytes().skip(1).any(|b| b.is_ascii_uppercase())
}

/// Whether a key is written like an identifier (`token`, `api_key`,
/// `X-Api-Key`, `TOKEN`) rather than a capitalised word (`Token`).
fn identifier_like(key: &str, quoted: bool) -> bool {
    quoted
        || key.starts_with(|c: char| c.is_ascii_lowercase())
        || key.contains(['_', '-', '.'])
        || !key.bytes().any(|b| b.is_ascii_lowercase())
}

fn replace<'h>(c: &impl Groups<'h>) -> String {
    let all = c.all();
    if c.get("jwt").is_some() {
        "[jwt]".into()
    } else if let Some(scheme) = c.get("url") {
        format!("{scheme}[credentials]@")
    } else if let Some(prefix) = c.get("cookie") {
        format!("{prefix}[cookie]")
    } else if let Some(prefix) = c.get("bearer") {
        format!("{prefix}[token]")
    } else if let (Some(prefix), Some(v)) = (c.get("word"), c.get("wordval")) {
        if looks_secret(v) {
            format!("{prefix}[token]")
        } else {
            all.to_string()
        }
    } else if c.get("key").is_some() {
        "[key]".into()
    } else if let (Some(prefix), Some(k), Some(v)) = (c.get("kv"), c.get("k"), c.get("v")) {
        let quoted = c.get("q").is_some_and(|q| !q.is_empty());
        let by_equals = c.get("sep") == Some("=");
        let scheme = c.get("scheme").map(|m| m.trim().to_ascii_lowercase());
        let credential = matches!(scheme.as_deref(), Some("bearer" | "basic"));
        if by_equals || credential || identifier_like(k, quoted) || looks_secret(v) {
            format!("{prefix}[token]")
        } else {
            // Prose (`Invalid Refresh Token: Refresh Token Not Found`): keep
            // the words, still redacting anything inside them.
            format!("{prefix}{}", redact(v))
        }
    } else if c.get("email").is_some() {
        "[email]".into()
    } else if c.get("ip4").is_some() || c.get("ip6").is_some() {
        "[ip]".into()
    } else if let Some(prefix) = c.get("phonectx") {
        format!("{prefix}[phone]")
    } else {
        "[phone]".into()
    }
}

/// Replaces secrets and personal data with a bracketed kind: `[email]`,
/// `[phone]`, `[credentials]`, `[cookie]`, `[token]`, `[jwt]`, `[key]`,
/// `[ip]`.
pub fn redact(text: &str) -> Cow<'_, str> {
    // A field that is one IPv4 address (a client address) needs no regex.
    if is_ipv4(text) {
        return Cow::Borrowed("[ip]");
    }
    match ascii::Form::of(text) {
        Some(form) => form.redact(),
        None => redact_unicode(text),
    }
}

/// Whether `text` is one IPv4 address and nothing else.
fn is_ipv4(text: &str) -> bool {
    text.len() <= 15 && text.parse::<std::net::Ipv4Addr>().is_ok()
}

fn redact_unicode(text: &str) -> Cow<'_, str> {
    SECRET.replace_all(text, |c: &Captures<'_>| replace(c))
}

/// Redacts and shortens a sample to at most `max` characters (on a char
/// boundary), marking the cut.
pub fn sample(text: &str, max: usize) -> String {
    let red = redact(text);
    match red.char_indices().nth(max) {
        None => red.into_owned(),
        Some((i, _)) => format!("{}…", &red[..i]),
    }
}

/// A text from a log, kept for a report that may not show it: redacted
/// and bounded (as [`sample`] does) only when shown. A scan keeps samples
/// and fingerprints per chunk, and merging its chunks drops most of them;
/// redaction costs more than keeping the text. A text longer than four
/// bytes per character shown is redacted at once: what is kept is no larger
/// than the sample would be.
#[derive(Debug, Clone)]
pub enum Deferred {
    /// As read, to be shown as `sample(text, max)`.
    Raw { text: Box<str>, max: usize },
    /// Ready to show.
    Shown(Box<str>),
}

impl Deferred {
    /// `text`, to be shown as `sample(text, max)`.
    pub fn new(text: &str, max: usize) -> Self {
        if text.len() > max.saturating_mul(4) {
            Deferred::Shown(sample(text, max).into())
        } else {
            Deferred::Raw {
                text: text.into(),
                max,
            }
        }
    }

    /// A text of the tool's own, shown as it is.
    pub fn own(text: String) -> Self {
        Deferred::Shown(text.into())
    }

    /// The text as a report shows it: redacted and bounded.
    pub fn shown(&self) -> String {
        match self {
            Deferred::Raw { text, max } => sample(text, *max),
            Deferred::Shown(text) => text.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deferred text shows what redacting it at once would have, short
    /// or past the size kept as it is, and keeps no secret past that size.
    #[test]
    fn a_deferred_text_shows_its_sample() {
        let short = "user jane@example.com token=abc123456 from 203.0.113.7";
        let long = format!("{short} {}", "x".repeat(4 * 600));
        for (text, max) in [(short, 600), (short, 12), (long.as_str(), 600)] {
            assert_eq!(Deferred::new(text, max).shown(), sample(text, max));
        }
        let Deferred::Shown(kept) = Deferred::new(&long, 600) else {
            panic!("a long text is redacted at once");
        };
        assert!(!kept.contains("jane@example.com"));
        assert!(kept.chars().count() <= 601);
        assert_eq!(Deferred::own("(a@b.co)".into()).shown(), "(a@b.co)");
    }

    #[test]
    fn redacts_each_kind() {
        let cases = [
            ("mail jane.doe+x@example.co.uk now", "mail [email] now"),
            (
                "Authorization: Bearer abcDEF123456789.xyz",
                "Authorization: Bearer [token]",
            ),
            (
                "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "jwt [jwt]",
            ),
            ("key sk_live_51HxYzABCDEFGHijkl used", "key [key] used"),
            ("openai sk-proj-abcdefghijklmnop1234", "openai [key]"),
            (
                "from 203.0.113.7 and 2001:db8:0:0:0:0:2:1",
                "from [ip] and [ip]",
            ),
            (
                "call +1 415-555-0123 or (415) 555-0123",
                "call [phone] or [phone]",
            ),
            ("api_key=abcdef123456&x=1", "api_key=[token]&x=1"),
            (
                "postgres://postgres:hunter2@db.x.supabase.co:5432/postgres",
                "postgres://[credentials]@db.x.supabase.co:5432/postgres",
            ),
            ("Cookie: session=abc; theme=dark", "Cookie: [cookie]"),
        ];
        for (input, want) in cases {
            assert_eq!(redact(input), want, "{input}");
        }
    }

    #[test]
    fn a_bare_address_is_what_the_regex_makes_of_it() {
        for ip in ["203.0.113.7", "0.0.0.0", "255.255.255.255", "10.1.2.3"] {
            let by_regex = SECRET.replace_all(ip, |c: &Captures<'_>| replace(c));
            assert_eq!(redact(ip), by_regex, "{ip}");
            assert_eq!(redact(ip), "[ip]");
        }
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        for s in [
            "Task timed out after 300 seconds",
            "2026-01-19 08:24:20 GET /api/leads 200 in 35ms",
            "digest: '4171760897@E352'",
            "Can't reach database server at `db.example.supabase.co`:`5432`",
            "AuthApiError: Invalid Refresh Token: Refresh Token Not Found",
            "the access token verification failed",
        ] {
            assert_eq!(redact(s), s);
        }
    }

    proptest::proptest! {
        /// Redacting with the ASCII form where it can read the text gives
        /// exactly what the Unicode form gives: texts made of the pieces
        /// every kind looks for (keys, schemes, separators, digits,
        /// addresses, mixed case, symbols, letters and spaces outside
        /// ASCII), and any printable ASCII.
        #[test]
        fn the_ascii_form_redacts_as_the_unicode_form(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "token", "Token", "TOKEN", "api_key", "X-Api-Key", "secret", "Password",
                "sig", "\"", "'", ":", "=", " ", "  ", "\t", "\n", "&", ",", ";", "}",
                "Bearer ", "basic ", "bearer", "eyJhbGciOi", ".", "eyJzdWIi", "_", "-",
                "@", "example.com", "jane.doe", "postgres://", "user:pw", "Cookie",
                "set-cookie", "203.0.113.7", "10.0.0.1", "256.1.1.1", "2001:db8:0:0:0:0:2:1",
                "fe80::1", "+1 415-555-0123", "(415) 555-0123", "+4915112345678",
                "phone", "SMS", "14155550123", "sk_live_", "sk-", "sb_secret_", "ghp_",
                "xoxb-", "AKIA", "AIza", "ABCDEFGHIJKLMNOP", "abcdefgh1234", "0", "12",
                "999", "k", "K", "s", "S", "kelvin", "/", "x", "⨯", "→", "…", "—", "✓",
                "•", "😀", "«", "×", "José", "٣", "\u{a0}", "\u{212a}", "\u{1}",
            ]), 0..24),
            printable in "[ -~\t\n]{0,80}",
        ) {
            let built = pieces.concat();
            for text in [built.as_str(), printable.as_str()] {
                proptest::prop_assert_eq!(redact(text), redact_unicode(text), "{:?}", text);
            }
        }
    }
}

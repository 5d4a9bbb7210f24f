//! Redaction of secrets and personal data in every sample the tool prints:
//! emails, phone numbers, bearer tokens, JWTs, API keys, and IP addresses.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

static SECRET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?xi)
          (?P<jwt>\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,})
        | (?P<bearer>\b(?:bearer|basic|token)\s+)[A-Za-z0-9._~+/=-]{8,}
        | (?P<kv>\b(?:api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|secret|password|passwd|pwd|token|authorization|auth|key|sig|signature)\b["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token)\s+)?)[^\s"'&,;}]{6,}
        | (?P<key>\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}|\bsk-[A-Za-z0-9_-]{16,}|\bgh[pousr]_[A-Za-z0-9]{20,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\bAKIA[0-9A-Z]{16}\b|\bAIza[0-9A-Za-z_-]{30,})
        | (?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})
        | (?P<ip4>\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b)
        | (?P<ip6>\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:?){1,6}\b)
        | (?P<phone>(?:\+\d{1,3}[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|\+\d{10,14}\b)
        "#,
    )
    .expect("redaction regex compiles")
});

/// Replaces secrets and personal data with a bracketed kind: `[email]`,
/// `[phone]`, `[token]`, `[jwt]`, `[key]`, `[ip]`.
pub fn redact(text: &str) -> Cow<'_, str> {
    SECRET.replace_all(text, |c: &Captures<'_>| {
        if c.name("jwt").is_some() {
            "[jwt]".to_string()
        } else if let Some(prefix) = c.name("bearer").or_else(|| c.name("kv")) {
            format!("{}[token]", prefix.as_str())
        } else if c.name("key").is_some() {
            "[key]".to_string()
        } else if c.name("email").is_some() {
            "[email]".to_string()
        } else if c.name("ip4").is_some() || c.name("ip6").is_some() {
            "[ip]".to_string()
        } else {
            "[phone]".to_string()
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;

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
        ];
        for (input, want) in cases {
            assert_eq!(redact(input), want, "{input}");
        }
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        for s in [
            "Task timed out after 300 seconds",
            "2026-01-19 08:24:20 GET /api/leads 200 in 35ms",
            "digest: '4171760897@E352'",
            "Can't reach database server at `db.example.supabase.co`:`5432`",
        ] {
            assert_eq!(redact(s), s);
        }
    }
}

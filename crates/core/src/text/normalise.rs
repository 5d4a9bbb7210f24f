//! Message normalisation: the head of a (possibly multi-line) message
//! (see [`super::head`]) with its variable parts replaced by `<*>`, and the
//! token encoding templates are saved in.
//!
//! This is the crate's only normaliser: signature fingerprints
//! ([`fingerprint_line`], used by the matcher) and templates mask values the
//! same way, so a fingerprint and a template of the same line agree.

use super::head::message_head;
use super::token::Token;
use super::tokenize::tokenize;

/// Renders tokens as text: `<*>` for variables, a space between tokens that
/// were separated by whitespace.
pub fn render_into(tokens: &[Token<'_>], out: &mut String) {
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 && !t.joined {
            out.push(' ');
        }
        out.push_str(t.text.unwrap_or("<*>"));
    }
}

/// The message's head (see [`message_head`]) with every variable part
/// replaced by `<*>`: `GET /api/x 200 in 35ms` → `GET <*> in <*>`.
pub fn normalise(msg: &str) -> String {
    let head = message_head(msg);
    let mut toks = Vec::new();
    tokenize(&head, &mut |t| toks.push(t));
    let mut out = String::with_capacity(head.len().min(256));
    render_into(&toks, &mut out);
    out
}

/// Writes tokens as strings that [`decode_tokens`] reads back exactly: a
/// leading space marks a token separated from the previous one by
/// whitespace, and `<*>` is a variable (the tokeniser never yields `<*>` as
/// one constant: `<` and `>` are delimiters of their own). Used to save
/// templates between runs.
pub fn encode_tokens(tokens: &[Token<'_>]) -> Vec<String> {
    tokens
        .iter()
        .map(|t| {
            let text = t.text.unwrap_or("<*>");
            if t.joined {
                text.to_string()
            } else {
                format!(" {text}")
            }
        })
        .collect()
}

/// Reads tokens written by [`encode_tokens`].
pub fn decode_tokens(encoded: &[String]) -> Vec<Token<'_>> {
    encoded
        .iter()
        .map(|s| {
            let (joined, text) = match s.strip_prefix(' ') {
                Some(rest) => (false, rest),
                None => (true, s.as_str()),
            };
            Token {
                text: (text != "<*>").then_some(text),
                joined,
            }
        })
        .collect()
}

/// Normalises the line of `text` that contains byte offset `at` (the line a
/// signature anchor was found on): its signature fingerprint.
pub fn fingerprint_line(text: &str, at: usize) -> String {
    let at = at.min(text.len());
    let start = text.as_bytes()[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i);
    normalise(&text[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_mask_values_and_keep_digest_codes() {
        assert_eq!(
            normalise("{ digest: '4171760897@E352' }"),
            "{ digest: <*> }"
        );
        assert_eq!(normalise("Digest: 296987159@E352"), "Digest: <*>@E352");
        assert_eq!(
            normalise(
                "user a.b@example.com from 10.0.0.12:5432 took 35ms id=hp74t-1768813460047-21e481a8c16a"
            ),
            "user <*> from <*> took <*> id=<*>"
        );
        assert_eq!(
            normalise("Task timed out after 300 seconds"),
            "Task timed out after <*> seconds"
        );
        assert_eq!(normalise("job 3f2a9c0d1e failed"), "job <*> failed");
    }

    #[test]
    fn encoded_tokens_read_back_exactly() {
        let mut toks = Vec::new();
        tokenize("Failed to sync user:42 (attempt 3)", &mut |t| toks.push(t));
        let encoded = encode_tokens(&toks);
        assert_eq!(encoded[..2], [" Failed", " to"]);
        assert_eq!(encoded[5], "<*>");
        assert_eq!(encoded[3], " user");
        assert_eq!(decode_tokens(&encoded), toks);
    }

    #[test]
    fn fingerprint_picks_the_matching_line() {
        let text = "Error: boom\n    at foo (/var/task/a.js:1:2)\n{ code: 'P2002' }";
        let at = text.find("P2002").unwrap();
        assert_eq!(fingerprint_line(text, at), "{ code: P2002 }");
        assert_eq!(fingerprint_line(text, 0), "Error: boom");
    }

    #[test]
    fn masks_each_variable_kind() {
        let cases = [
            ("took 35ms to answer", "took <*> to answer"),
            ("user bob@example.com logged in", "user <*> logged in"),
            ("from 10.1.2.3:443 and [::1]:80", "from <*> and <*>"),
            (
                "id 123e4567-e89b-12d3-a456-426614174000 gone",
                "id <*> gone",
            ),
            ("req iad1a-1700000000000-0123456789ab ok", "req <*> ok"),
            ("digest: 4171760897@E352", "digest: <*>@E352"),
            ("GET /api/users/42 200 in 3ms", "GET <*> in <*>"),
            ("ids 1, 2, 3 and 4 5", "ids <*> and <*>"),
            ("fetch https://api.x.io/v1?q=2 failed", "fetch <*> failed"),
            ("at 0xdeadbeef and 0x1f", "at <*> and <*>"),
            ("value 'abc' and \"x\" and `y`", "value <*> and <*> and <*>"),
            ("value 'abc def' here", "value 'abc def' here"),
            ("attempt=3, code=ECONNRESET", "attempt=<*>, code=ECONNRESET"),
            ("over quota (1024 MB)", "over quota (<*>)"),
        ];
        for (input, want) in cases {
            assert_eq!(normalise(input), want, "input: {input}");
        }
    }

    #[test]
    fn keeps_constant_words() {
        let s = "Failed to compile: Module not found, can't resolve module";
        assert_eq!(normalise(s), s);
        assert_eq!(
            normalise("ERR_HTTP2_STREAM_ERROR on retry"),
            "ERR_HTTP2_STREAM_ERROR on retry"
        );
    }
}

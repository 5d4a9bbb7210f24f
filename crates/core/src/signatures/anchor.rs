//! Where an anchor occurrence counts as evidence.
//!
//! An anchor must stand at token boundaries (`P2002` in `INV-P20021` is not a
//! hit). In message text it must also not sit inside a URL or a request path:
//! `GET /docs/errors/P2002 200` and `https://vercel.com/docs/errors/
//! FUNCTION_INVOCATION_TIMEOUT` name an error without being one. JSON bodies
//! logged as text escape their line breaks, so an escaped `\n`, `\t` or `\r`
//! counts as a boundary too (`…deployment\n\nFUNCTION_INVOCATION_TIMEOUT`).

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Whether `before` ends with a JSON escape of whitespace (`\n`, `\t`, `\r`).
fn ends_with_escaped_space(before: &str) -> bool {
    let b = before.as_bytes();
    b.len() >= 2 && b[b.len() - 2] == b'\\' && matches!(b[b.len() - 1], b'n' | b't' | b'r')
}

/// Whether `text[start..end]` stands at token boundaries: an anchor edge that
/// is itself a token character must not continue into one.
pub fn at_boundaries(text: &str, start: usize, end: usize) -> bool {
    let anchor = &text[start..end];
    let before = &text[..start];
    let starts_token = anchor.chars().next().is_some_and(is_token_char);
    let ends_token = anchor.chars().next_back().is_some_and(is_token_char);
    let before_ok = !starts_token
        || !before.chars().next_back().is_some_and(is_token_char)
        || ends_with_escaped_space(before);
    let after_ok = !ends_token || !text[end..].chars().next().is_some_and(is_token_char);
    before_ok && after_ok
}

/// Characters that end the token an anchor sits in, scanning backwards.
fn is_delimiter(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | '`' | '(' | ')' | '[' | ']' | '<' | '>' | '{' | '}'
        )
}

/// Whether the anchor starting at `start` is part of a URL or a path: the
/// token it belongs to has a `/` before it (`/docs/errors/P2002`,
/// `https://…/FUNCTION_INVOCATION_TIMEOUT`, `?code=P2002` after a path).
pub fn in_url_or_path(text: &str, start: usize) -> bool {
    let mut prefix = &text[..start];
    loop {
        if ends_with_escaped_space(prefix) {
            return false;
        }
        match prefix.chars().next_back() {
            None => return false,
            Some(c) if is_delimiter(c) => return false,
            Some('/') => return true,
            Some(c) => prefix = &prefix[..prefix.len() - c.len_utf8()],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str, anchor: &str) -> bool {
        in_url_or_path(text, text.find(anchor).unwrap())
    }

    #[test]
    fn anchors_in_paths_and_urls_do_not_count() {
        assert!(url("GET /docs/errors/P2002 200 in 14ms", "P2002"));
        assert!(url(
            "see https://vercel.com/docs/errors/EDGE_FUNCTION_INVOCATION_TIMEOUT",
            "EDGE_"
        ));
        assert!(url("GET /search?q=P2002 200", "P2002"));
        assert!(url(
            "(https://x.dev/e/FUNCTION_INVOCATION_FAILED)",
            "FUNCTION"
        ));
    }

    #[test]
    fn anchors_beside_paths_still_count() {
        assert!(!url("{ code: 'P2002' }", "P2002"));
        assert!(!url(r#"{"url":"https://x.dev/a","code":"P2002"}"#, "P2002"));
        assert!(!url(
            "Error: /server: Failed to find Server Action",
            "Failed"
        ));
        assert!(!url(
            r"deployment\n\nFUNCTION_INVOCATION_TIMEOUT\n",
            "FUNCTION"
        ));
        assert!(!url("[POST] /api/chat reason=EDGE_FUNCTION", "EDGE"));
    }

    #[test]
    fn escaped_line_breaks_are_boundaries() {
        let t = r"deployment\n\nFUNCTION_INVOCATION_TIMEOUT\n\nfra1";
        let s = t.find("FUNCTION").unwrap();
        assert!(at_boundaries(t, s, s + "FUNCTION_INVOCATION_TIMEOUT".len()));
        let t = "EDGE_FUNCTION_INVOCATION_TIMEOUT";
        assert!(!at_boundaries(t, 5, t.len()));
        assert!(!at_boundaries("INV-P20021", 4, 9));
    }
}

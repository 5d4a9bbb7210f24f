//! The head of a message: the one line that names what happened, which is
//! what templates group on.
//!
//! A one-line message is its own head. A multi-line one is usually a
//! Node.js error as runtimes print it, and its first line is often not the
//! one that says what went wrong:
//!
//! - stack frames (`    at fn (file:1:2)`) differ between builds;
//! - Prisma opens with a preamble naming the call
//!   (``Invalid `prisma.user.create()` invocation:``, sometimes followed by
//!   a file path and a code excerpt), and the error comes after it;
//! - an error class alone on its line (`PrismaClientKnownRequestError:`)
//!   has its message on the next one;
//! - inspected objects start with `{`, `[` or `<ref *1> Promise {`, and
//!   their `message: '…'` field is the error;
//! - a `[cause]` (or older `cause:`) says why: `TypeError: fetch failed`
//!   because of `ECONNRESET`, `ETIMEDOUT` or `UND_ERR_CONNECT_TIMEOUT` are
//!   different incidents, so the cause's `code` (or, without one, its first
//!   line) is appended: `TypeError: fetch failed [cause: ECONNRESET]`.
//!
//! Everything here is about the layout Node.js and its libraries print,
//! not about one application's words.

use std::borrow::Cow;

use super::classify::is_code_name;
use super::values::is_code_value;

/// Lines read at most when looking for the head and the cause of a long
/// message (a 256 KB message can hold thousands).
const MAX_LINES: usize = 400;

/// The line of `msg` that names it, trimmed, with the cause's code when it
/// has one; `""` for a message with no text.
pub fn message_head(msg: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\n', msg.as_bytes()).is_none() {
        return Cow::Borrowed(msg.trim());
    }
    let lines: Vec<&str> = msg.lines().take(MAX_LINES).collect();
    let (head, at) = match naming_line(&lines) {
        Some(found) => found,
        None => match first_text(&lines) {
            Some(t) => (Cow::Borrowed(t), 0),
            None => return Cow::Borrowed(""),
        },
    };
    match cause(&lines, at) {
        Some(c) => Cow::Owned(format!("{head} [cause: {c}]")),
        None => head,
    }
}

/// A stack frame: `at …` (indented, or a `    ... N lines matching …`).
fn is_frame(line: &str) -> bool {
    let t = line.trim_start();
    (t.starts_with("at ") && (t.len() < line.len() || t.ends_with(')')))
        || (t.starts_with("... ") && t.contains(" lines matching "))
}

/// Lines that carry no words of their own: brackets of an inspected
/// object, or the class name that opens one (`Promise {`, `Headers {`).
fn is_bracket(t: &str) -> bool {
    let t = t.trim_end_matches([',', ';']);
    let opener = t.strip_suffix(" {").is_some_and(|name| {
        !name.is_empty()
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$'))
    });
    opener
        || t.bytes()
            .all(|c| matches!(c, b'{' | b'}' | b'[' | b']' | b'(' | b')' | b' '))
}

/// `key: value` inside an inspected object (`code: 'P2002',`,
/// `status: 400`, `"errno": -3008,`, `meta: { … }`): the key and the value
/// (without a trailing comma). An indented line, or one whose value is
/// clearly data (quoted, an object, or followed by a comma); an error
/// class (`Error: …`) is never a key.
fn field(line: &str) -> Option<(&str, &str)> {
    let t = line.trim();
    let (key, value) = match t.split_once(": ") {
        Some(kv) => kv,
        None => (t.strip_suffix(':')?, ""),
    };
    let bare = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .unwrap_or(key);
    let ident = !bare.is_empty()
        && !bare.as_bytes()[0].is_ascii_digit()
        && bare
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$'));
    if !ident || bare.ends_with("Error") || bare.ends_with("Exception") {
        return None;
    }
    let v = value.trim_end_matches(',').trim();
    let data = value.ends_with(',') || v.starts_with(['\'', '"', '`', '{', '[']);
    (line.starts_with([' ', '\t']) || data).then_some((bare, v))
}

/// A Prisma call preamble (``Invalid `prisma.user.create()` invocation:``
/// or ``… invocation in``).
fn is_preamble(t: &str) -> bool {
    t.starts_with("Invalid `")
        && (t.ends_with("invocation:") || t.ends_with("invocation in") || t.ends_with("invocation"))
}

/// What follows ``… invocation in``: the file, then a code excerpt
/// (`  4 import …`, `→ 5 await prisma…`).
fn is_excerpt(t: &str) -> bool {
    t.starts_with('→')
        || t.starts_with(|c: char| c.is_ascii_digit())
            && t.split(' ')
                .next()
                .is_some_and(|n| n.bytes().all(|c| c.is_ascii_digit()))
        || (t.starts_with('/') || t.starts_with("file://")) && !t.contains(' ')
}

/// Prefixes that wrap an error line without naming anything:
/// `<ref *1> `, `<rejected> `, `Uncaught `, `⨯ ` stays (it is part of how
/// Next.js prints every error).
fn strip_wrapper(t: &str) -> &str {
    let mut t = t;
    loop {
        let before = t;
        if let Some(rest) = t.strip_prefix("<ref *") {
            t = rest.split_once("> ").map_or(t, |(_, r)| r);
        }
        for p in ["<rejected> ", "Promise { ", "Uncaught "] {
            t = t.strip_prefix(p).unwrap_or(t);
        }
        if t == before {
            return t;
        }
    }
}

/// A line that ends with an error class and nothing after it
/// (`PrismaClientKnownRequestError:`, `Error [PrismaClientInitializationError]:`,
/// `Hot Updater handler error: PrismaClientKnownRequestError:`): the
/// message is on a later line, and this one only says how it was printed.
fn is_bare_class(t: &str) -> bool {
    let Some(name) = t.trim_end().strip_suffix(':') else {
        return false;
    };
    let last = name.rsplit(' ').next().unwrap_or(name);
    let class = last.trim_start_matches('[').trim_end_matches(']');
    (class.ends_with("Error") || class.ends_with("Exception"))
        && class
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'.'))
}

/// Index of the first line with text of its own (not a frame, a bracket,
/// an object field, a preamble or its excerpt), from `from`.
fn next_text(lines: &[&str], from: usize) -> Option<usize> {
    let mut excerpt = false;
    for (i, line) in lines.iter().enumerate().skip(from) {
        let t = strip_wrapper(line.trim());
        if t.is_empty() {
            continue;
        }
        if is_preamble(t) {
            excerpt = t.ends_with(" in");
            continue;
        }
        if excerpt && is_excerpt(t) {
            continue;
        }
        excerpt = false;
        if cause_of(t).is_some() || is_frame(line) || is_bracket(t) || field(line).is_some() {
            continue;
        }
        return Some(i);
    }
    None
}

/// The line that names the message and its index: the first line with
/// text of its own, or the one after it when it is only an error class.
/// A line that opens an object (`… {`) takes the object's `message`, or
/// else its `code` or `digest` when that is a name. Without any line of
/// text, an object's `message` field.
fn naming_line<'a>(lines: &[&'a str]) -> Option<(Cow<'a, str>, usize)> {
    let Some(mut i) = next_text(lines, 0) else {
        return message_field(lines).map(|(m, i)| (Cow::Borrowed(m), i));
    };
    if is_bare_class(strip_wrapper(lines[i].trim()))
        && let Some(j) = next_text(lines, i + 1)
    {
        i = j;
    }
    let t = strip_wrapper(lines[i].trim());
    if let Some(opener) = t.strip_suffix('{').map(str::trim_end) {
        let body = object_lines(&lines[i + 1..]);
        if let Some((m, _)) = message_field(body) {
            return Some((Cow::Owned(format!("{opener} {m}")), i));
        }
        if let Some((key, code)) = code_field(body, &["code", "digest"]) {
            return Some((Cow::Owned(format!("{opener} [{key}: {code}]")), i));
        }
    }
    Some((Cow::Borrowed(t), i))
}

/// The lines of the object that starts after an opening line: up to the
/// first line that closes it at the outer level (`}`).
fn object_lines<'a, 'l>(lines: &'l [&'a str]) -> &'l [&'a str] {
    let end = lines
        .iter()
        .position(|l| l.starts_with('}'))
        .unwrap_or(lines.len());
    &lines[..end]
}

/// The first field named one of `keys` whose value names something (a
/// code, not a number).
fn code_field<'a>(lines: &[&'a str], keys: &[&'static str]) -> Option<(&'static str, &'a str)> {
    lines.iter().find_map(|l| {
        let (key, value) = field(l)?;
        let v = unquote(value).unwrap_or(value);
        let k = keys.iter().find(|k| **k == key)?;
        is_code_value(v).then_some((*k, v))
    })
}

/// The unquoted value of the first `message:` (or `msg:`, `error:`) field.
fn message_field<'a>(lines: &[&'a str]) -> Option<(&'a str, usize)> {
    lines.iter().enumerate().find_map(|(i, line)| {
        let (key, value) = field(line)?;
        let text = unquote(value)?;
        (matches!(key, "message" | "msg" | "error" | "errorMessage") && !text.trim().is_empty())
            .then_some((text, i))
    })
}

/// The inside of a quoted value (`'…'`, `"…"`, `` `…` ``).
fn unquote(v: &str) -> Option<&str> {
    let q = v.chars().next()?;
    if !matches!(q, '\'' | '"' | '`') {
        return None;
    }
    v[1..].strip_suffix(q)
}

/// The first line with text, trimmed (frames included: a message that is
/// only a stack is named by its first frame).
fn first_text<'a>(lines: &[&'a str]) -> Option<&'a str> {
    lines
        .iter()
        .map(|l| l.trim())
        .find(|t| !t.is_empty() && !is_bracket(t))
}

/// The text after a cause marker (`[cause]: …`, `cause: …`, `Cause: …`,
/// `caused by: …`, or `cause` alone on its line before an object).
fn cause_of(t: &str) -> Option<&str> {
    if t == "cause" || t == "[cause]" {
        return Some("");
    }
    ["[cause]:", "cause:", "Cause:", "caused by:", "Caused by:"]
        .iter()
        .find_map(|m| t.strip_prefix(m))
        .map(str::trim)
}

/// A system or library error code in a cause's text (`read ECONNRESET`,
/// `AggregateError [ETIMEDOUT]:`, `connect ETIMEDOUT 10.0.0.1:443`).
fn code_in(text: &str) -> Option<&str> {
    text.rsplit([' ', '[', ']', ':', '(', ')', ',']).find(|w| {
        let errno = w.len() >= 5 && w.starts_with('E') && w.bytes().all(|c| c.is_ascii_uppercase());
        errno || (is_code_name(w) && w.contains("ERR"))
    })
}

/// The cause of the error named at line `at`: the `code` of the first
/// cause after it, else a code in the cause's own line, else that line.
fn cause<'a>(lines: &[&'a str], at: usize) -> Option<&'a str> {
    let (i, rest) = lines
        .iter()
        .enumerate()
        .skip(at + 1)
        .find_map(|(i, l)| cause_of(l.trim()).map(|r| (i, r)))?;
    let code = code_field(&lines[i + 1..], &["code"]).map(|(_, c)| c);
    let own = strip_wrapper(rest).trim_end_matches('{').trim_end();
    let own = own.trim_start_matches('[').trim_end_matches(']');
    code.or_else(|| code_in(own))
        .or((!own.is_empty()).then_some(own))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_messages_are_their_own_head() {
        assert_eq!(message_head("  GET /x 200 "), "GET /x 200");
        assert_eq!(message_head(" \n \n"), "");
    }

    #[test]
    fn frames_are_skipped() {
        let msg = "\n⨯ Error: X failed\n    at foo (/var/task/a.js:1:2)\n    at bar";
        assert_eq!(message_head(msg), "⨯ Error: X failed");
        assert_eq!(
            message_head("    at only (a.js:1:2)\n"),
            "at only (a.js:1:2)"
        );
    }

    #[test]
    fn causes_add_their_code() {
        let reset = "TypeError: fetch failed\n    at node:internal/deps/undici/undici:13502:13\n    at async x (/var/task/a.js:1:1) {\n  [cause]: Error: read ECONNRESET\n      at TLSWrap.onStreamRead (node:internal/stream_base_commons:218:20) {\n    errno: -104,\n    code: 'ECONNRESET',\n    syscall: 'read'\n  }\n}";
        assert_eq!(
            message_head(reset),
            "TypeError: fetch failed [cause: ECONNRESET]"
        );
        let older = "TypeError: fetch failed\n    at Object.fetch (node:internal/deps/undici/undici:11413:11) {\n  cause: ConnectTimeoutError: Connect Timeout Error\n      at onConnectTimeout (node:internal/deps/undici/undici:8380:28) {\n    code: 'UND_ERR_CONNECT_TIMEOUT'\n  }\n}";
        assert_eq!(
            message_head(older),
            "TypeError: fetch failed [cause: UND_ERR_CONNECT_TIMEOUT]"
        );
        let no_code = "TypeError: fetch failed\n    at x (a.js:1:1) {\n  [cause]: read ECONNRESET\n\n      at TLSWrap.onStreamRead (node:internal/stream_base_commons:216:2)\n}";
        assert_eq!(
            message_head(no_code),
            "TypeError: fetch failed [cause: ECONNRESET]"
        );
        let text_only = "TypeError: fetch failed\n    at x (a.js:1:1) {\n  cause: InvalidArgumentError: invalid connection header";
        assert_eq!(
            message_head(text_only),
            "TypeError: fetch failed [cause: InvalidArgumentError: invalid connection header]"
        );
        let json = "TypeError: fetch failed\n    at x (a.js:1:1)\n\ncause\n\n{\n  \"errno\": -3008,\n  \"code\": \"ENOTFOUND\"\n}";
        assert_eq!(
            message_head(json),
            "TypeError: fetch failed [cause: ENOTFOUND]"
        );
    }

    #[test]
    fn prisma_preambles_are_skipped() {
        let msg = "PrismaClientKnownRequestError: \nInvalid `prisma.occurrence.upsert()` invocation:\n\n\nUnique constraint failed on the fields: (`notice_id`,`message`)\n    at zr.handleRequestError (/app/node_modules/@prisma/client/runtime/library.js:122:8308) {\n  code: 'P2002',\n  clientVersion: '5.0.0',\n  meta: { target: [ 'notice_id', 'message' ] }\n}";
        assert_eq!(
            message_head(msg),
            "Unique constraint failed on the fields: (`notice_id`,`message`)"
        );
        let prefixed = "- error PrismaClientKnownRequestError: \nInvalid `prisma.user.upsert()` invocation:\nUnique constraint failed on the (not available)";
        assert_eq!(
            message_head(prefixed),
            "Unique constraint failed on the (not available)"
        );
        let excerpt = "Invalid `prisma.user.create()` invocation in\n/var/task/.next/server/app/api/route.js:1:2345\n\n  1 import x\n→ 2 await prisma.user.create(\nUnique constraint failed on the constraint: `User_email_key`";
        assert_eq!(
            message_head(excerpt),
            "Unique constraint failed on the constraint: `User_email_key`"
        );
    }

    #[test]
    fn objects_are_named_by_their_message() {
        let obj = "{\n  message: 'Invalid Refresh Token: Already Used',\n  status: 400\n}";
        assert_eq!(message_head(obj), "Invalid Refresh Token: Already Used");
        let logged = "Error getting user: {\n  message: 'Invalid Refresh Token',\n  status: 400\n}";
        assert_eq!(
            message_head(logged),
            "Error getting user: Invalid Refresh Token"
        );
        let promise = "<ref *1> Promise {\n  <rejected> Error: boom\n      at f (a.js:1:1)\n}";
        assert_eq!(message_head(promise), "Error: boom");
        let digest = " ⨯ [Error: render failed] {\n  digest: 'DYNAMIC_SERVER_USAGE'\n}";
        assert_eq!(
            message_head(digest),
            "⨯ [Error: render failed] [digest: DYNAMIC_SERVER_USAGE]"
        );
        let numeric = "⨯ [Error: render failed] {\n  digest: '1930860604'\n}";
        assert_eq!(message_head(numeric), "⨯ [Error: render failed] {");
    }
}

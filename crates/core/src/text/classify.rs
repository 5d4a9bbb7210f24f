//! Byte-level predicates that decide whether a piece of a log message is a
//! variable (an id, a number, an address, …) or a constant word.
//!
//! Everything here is hand-written over bytes instead of regexes: the
//! tokeniser calls these for every piece of every message, and the miner's
//! throughput target (a million messages a second on one core) leaves no room
//! for a regex pass per variable kind. Each predicate is small, documented by
//! the shape it accepts, and tested below.

use super::values::{is_host_port, is_windows_path};

/// True for ASCII digits.
#[inline]
fn digit(b: u8) -> bool {
    b.is_ascii_digit()
}

/// True if any byte is an ASCII digit.
#[inline]
pub fn has_digit(s: &str) -> bool {
    s.bytes().any(digit)
}

/// A numeric literal: optional sign, digits, at most one decimal point
/// (`42`, `-17`, `16.0`). Used to decide whether a following unit word
/// (`B`, `MB`, `ms`) belongs to the value.
pub fn is_number(s: &str) -> bool {
    let b = s.strip_prefix(['-', '+']).unwrap_or(s).as_bytes();
    let mut dots = 0;
    !b.is_empty()
        && digit(b[0])
        && b.iter().all(|&c| {
            dots += usize::from(c == b'.');
            digit(c) || c == b'.'
        })
        && dots <= 1
}

/// A unit that, written after a number (`16.0 KB`, `24 ms`), is part of the
/// value rather than a constant of the template.
pub fn is_unit(s: &str) -> bool {
    matches!(
        s,
        "B" | "KB"
            | "MB"
            | "GB"
            | "TB"
            | "KiB"
            | "MiB"
            | "GiB"
            | "TiB"
            | "kB"
            | "ms"
            | "us"
            | "µs"
            | "ns"
            | "s"
            | "sec"
            | "secs"
    )
}

/// An enum-like constant: an UPPER_SNAKE name (`CACHE_HIT`, `RUNNING`,
/// `ECONNRESET`, `GET`), optionally qualified (`io.grpc.Status.UNAVAILABLE`,
/// `State.RUNNING`). Such names are states, codes and verbs that tell events
/// apart, so the miner never generalises a position where they differ.
pub fn is_enum_constant(s: &str) -> bool {
    let s = s.trim_end_matches(['.', '!', '?']);
    let name = s.rsplit(['.', '$']).next().unwrap_or(s);
    let upper = name.bytes().filter(u8::is_ascii_uppercase).count();
    upper >= 2
        && name
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c == b'_' || digit(c))
        && !digit(name.as_bytes()[0])
}

/// An UPPER_SNAKE identifier whose digits sit inside name segments
/// (`ERR_HTTP2_STREAM_ERROR`): an error code, not a value, even though it
/// contains digits. A segment made only of digits (`JOB_0042`) is a value.
pub fn is_code_name(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        && memchr::memchr(b'_', s.as_bytes()).is_some()
        && s.split('_').all(|seg| {
            let b = seg.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_uppercase()
                && b.iter().all(|&c| c.is_ascii_uppercase() || digit(c))
        })
}

/// The code of a Next.js error digest (`4171760897@E352` → `@E352`): the
/// number before `@` varies per occurrence, the code after it names the error.
pub fn digest_code(s: &str) -> Option<&str> {
    let at = memchr::memchr(b'@', s.as_bytes())?;
    let (num, code) = (&s[..at], &s[at + 1..]);
    let code_ok = code.len() >= 2 && code.as_bytes()[0] == b'E' && code.bytes().skip(1).all(digit);
    (!num.is_empty() && num.bytes().all(digit) && code_ok).then_some(&s[at..])
}

/// True if every byte is a hex digit.
fn all_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_hexdigit())
}

/// A UUID: `8-4-4-4-12` hex groups.
pub fn is_uuid(s: &str) -> bool {
    let mut lens = [8usize, 4, 4, 4, 12].into_iter();
    s.len() == 36
        && s.split('-')
            .all(|g| lens.next() == Some(g.len()) && all_hex(g))
}

/// A Vercel request id: `[a-z0-9]{5}-\d{13}-[0-9a-f]{12}`.
pub fn is_request_id(s: &str) -> bool {
    let mut parts = s.split('-');
    let ok = |p: Option<&str>, len: usize, f: fn(&u8) -> bool| {
        p.is_some_and(|p| p.len() == len && p.as_bytes().iter().all(f))
    };
    ok(parts.next(), 5, |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit()
    }) && ok(parts.next(), 13, u8::is_ascii_digit)
        && ok(parts.next(), 12, |c| {
            c.is_ascii_digit() || (b'a'..=b'f').contains(c)
        })
        && parts.next().is_none()
}

/// An IPv4 address with an optional `:port`.
pub fn is_ipv4(s: &str) -> bool {
    let (addr, port) = s.split_once(':').unwrap_or((s, "0"));
    let mut n = 0;
    let octets = addr.split('.').all(|o| {
        n += 1;
        (1..=3).contains(&o.len()) && o.bytes().all(digit)
    });
    octets && n == 4 && !port.is_empty() && port.bytes().all(digit)
}

/// An IPv6 address, a MAC address or a clock time: colon-separated hex
/// groups with at least two colons (`fe80::1`, `[::1]:3000`, `08:16:53`).
pub fn is_colon_hex(s: &str) -> bool {
    let s = s.strip_prefix('[').unwrap_or(s);
    let s = match s.split_once("]:") {
        Some((a, port)) if port.bytes().all(digit) => a,
        _ => s.strip_suffix(']').unwrap_or(s),
    };
    s.bytes().filter(|&c| c == b':').count() >= 2
        && s.bytes()
            .all(|c| c.is_ascii_hexdigit() || c == b':' || c == b'.')
        && (s.contains("::") || has_digit(s))
}

/// An email address: `local@domain.tld`.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._%+-".contains(&c));
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-');
    local_ok && domain_ok
}

/// A URL (`scheme://…`) or a filesystem/URL path (`/api/x`, `./a`, `~/a`,
/// `src/app/page.tsx`). A bare `/` and slash-words like `read/write` are
/// not paths.
pub fn is_url_or_path(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(slash) = memchr::memchr(b'/', b) else {
        return false;
    };
    if slash >= 2 && b[slash - 1] == b':' && b.get(slash + 1) == Some(&b'/') {
        let scheme = &b[..slash - 1];
        return scheme
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || b"+.-".contains(c));
    }
    if b.len() >= 2 && (slash == 0 || (slash == 1 && matches!(b[0], b'.' | b'~'))) {
        return true;
    }
    if b.starts_with(b"../") {
        return true;
    }
    // `dir/file.ext`: path characters only, a dotted name after the last slash.
    let path_chars = b
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || b"/._-@~+".contains(&c));
    path_chars
        && s.rsplit_once('/').is_some_and(|(dir, file)| {
            !dir.is_empty() && file.contains('.') && !file.ends_with('.')
        })
}

const SLASH: u8 = 1;
const AT: u8 = 2;
const COLON: u8 = 4;
const DOT: u8 = 8;
const DASH: u8 = 16;
const DIGIT: u8 = 32;
const BACKSLASH: u8 = 64;

/// Per byte, which of the characters that whole-chunk values need it is.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'/' as usize] = SLASH;
    t[b'@' as usize] = AT;
    t[b':' as usize] = COLON;
    t[b'.' as usize] = DOT;
    t[b'-' as usize] = DASH;
    t[b'\\' as usize] = BACKSLASH;
    let mut d = b'0';
    while d <= b'9' {
        t[d as usize] = DIGIT;
        d += 1;
    }
    t
};

/// The classes of one byte, to be or-ed over a chunk and given to
/// [`may_be_whole_variable`].
#[inline]
pub fn class_of(b: u8) -> u8 {
    CLASS[usize::from(b)]
}

/// Whether a chunk whose bytes have the classes `seen` can be a whole
/// variable at all: a quick test that lets plain words skip the rest.
#[inline]
pub fn may_be_whole_variable(seen: u8) -> bool {
    seen & (SLASH | AT | COLON | BACKSLASH | DASH) != 0 || seen & (DOT | DIGIT) == DOT | DIGIT
}

/// A whole chunk (a run of non-space characters, with surrounding brackets
/// and punctuation already stripped) that is one variable of a kind that
/// contains delimiters or may contain no digits: URLs, paths (also
/// Windows ones), emails, addresses (also `host:port` with a DNS name),
/// UUIDs, request ids. One pass finds which characters occur, so a plain
/// word costs a single scan.
pub fn is_whole_variable(s: &str) -> bool {
    let seen = s.bytes().fold(0, |acc, c| acc | class_of(c));
    (seen & SLASH != 0 && is_url_or_path(s))
        || (seen & AT != 0 && is_email(s))
        || (seen & (DOT | DIGIT) == DOT | DIGIT && is_ipv4(s))
        || (seen & COLON != 0 && is_colon_hex(s))
        || (seen & (COLON | DIGIT) == COLON | DIGIT && is_host_port(s))
        || (seen & BACKSLASH != 0 && is_windows_path(s))
        || (seen & DASH != 0 && (is_uuid(s) || is_request_id(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_units() {
        assert!(is_number("42") && is_number("-17") && is_number("16.0"));
        assert!(!is_number("1.2.3") && !is_number("v1") && !is_number("-"));
        assert!(is_unit("KB") && is_unit("ms") && !is_unit("seconds"));
    }

    #[test]
    fn enum_constants_and_code_names() {
        assert!(is_enum_constant("CACHE_HIT") && is_enum_constant("RUNNING"));
        assert!(is_enum_constant("io.grpc.Status.UNAVAILABLE"));
        assert!(is_enum_constant("DENIED!") && is_enum_constant("GET"));
        assert!(!is_enum_constant("M") && !is_enum_constant("root"));
        assert!(!is_enum_constant("Error") && !is_enum_constant("2XX"));
        assert!(is_code_name("ERR_HTTP2_STREAM_ERROR"));
        assert!(!is_code_name("JOB_0042") && !is_code_name("job_12"));
    }

    #[test]
    fn digests_keep_their_code() {
        assert_eq!(digest_code("4171760897@E352"), Some("@E352"));
        assert_eq!(digest_code("user@example.com"), None);
        assert_eq!(digest_code("12@E"), None);
    }

    #[test]
    fn ids_and_addresses() {
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567-e89b-12d3-a456-42661417400"));
        assert!(is_request_id("iad1a-1700000000000-0123456789ab"));
        assert!(!is_request_id("iad1a-170000000000-0123456789ab"));
        assert!(is_ipv4("10.0.0.1") && is_ipv4("10.0.0.1:8080"));
        assert!(!is_ipv4("1.2.3") && !is_ipv4("10.0.0.1:"));
        assert!(is_colon_hex("fe80::1") && is_colon_hex("[::1]:3000"));
        assert!(is_colon_hex("00:1A:2B:3C:4D:5E") && is_colon_hex("08:16:53"));
        assert!(!is_colon_hex("a:b") && !is_colon_hex("dead:beef:cafe"));
        assert!(is_email("bob@example.com") && !is_email("bob@localhost"));
    }

    #[test]
    fn urls_and_paths() {
        assert!(is_url_or_path("https://x.io/a?b=1") && is_url_or_path("hdfs://h:9000/x"));
        assert!(is_url_or_path("/api/users") && is_url_or_path("./a"));
        assert!(is_url_or_path("src/app/page.tsx"));
        assert!(!is_url_or_path("/") && !is_url_or_path("read/write"));
        assert!(!is_url_or_path("and/or") && !is_url_or_path("://x"));
        assert!(!is_url_or_path("open(/a/b.c") && is_url_or_path("a/b-c_d.e"));
    }
}

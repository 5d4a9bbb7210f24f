//! More value shapes the tokeniser masks or keeps: `host:port` with a DNS
//! name, Windows paths, the month and weekday names of a written date, and
//! error codes given as the value of a `code` key.
//!
//! Why these exist (each was a way one event became many templates):
//! `proxy.example.com:5070` must be one value like `10.0.0.1:5070`, or the
//! token count changes with the kind of address; `C:\Windows\…` is a path
//! like `/var/lib/…`; `Tue Mar 4 11:20:05 2025` is one timestamp, not two
//! constant words and a number; and `code: 'P2002'` names an error, so it
//! stays a constant although it has digits (the same code in a path, or a
//! bare `P2002`, is still a value).

/// A `host:port` whose host is a DNS name (`db.example.com:5432`,
/// `localhost:3000`): labels of letters, digits and `-` joined by dots,
/// then a port of 1–5 digits.
pub fn is_host_port(s: &str) -> bool {
    let Some((host, port)) = s.rsplit_once(':') else {
        return false;
    };
    let port_ok = (1..=5).contains(&port.len()) && port.bytes().all(|c| c.is_ascii_digit());
    port_ok && (host == "localhost" || is_dns_name(host))
}

/// Two or more dot-separated labels of letters, digits and `-`, not all
/// digits (so not an IPv4 address or a version).
fn is_dns_name(s: &str) -> bool {
    let mut labels = 0;
    let ok = s.split('.').all(|l| {
        labels += 1;
        !l.is_empty()
            && !l.starts_with('-')
            && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
    });
    ok && labels >= 2 && s.bytes().any(|c| c.is_ascii_alphabetic())
}

/// A Windows path: a drive (`C:\…`) or a UNC share (`\\server\share`).
pub fn is_windows_path(s: &str) -> bool {
    let b = s.as_bytes();
    let drive = b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\';
    drive || (b.len() > 2 && b.starts_with(b"\\\\") && b[2].is_ascii_alphanumeric())
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// An English month or weekday name, abbreviated (`Jul`, `Mon`) or in
/// full (`July`, `Monday`), capitalised as dates write them. Only a
/// candidate: the tokeniser masks it when a number stands next to it.
pub fn is_date_word(s: &str) -> bool {
    // Quick rejection: every name starts with one of these capitals.
    if !(3..=10).contains(&s.len())
        || !matches!(
            s.as_bytes()[0],
            b'A' | b'D' | b'F' | b'J' | b'M' | b'N' | b'O' | b'S' | b'T' | b'W'
        )
    {
        return false;
    }
    let s = s.trim_end_matches([',', '.']);
    let full = |abbr: &str, rest: &[&str]| {
        rest.iter()
            .any(|r| s.len() > 3 && s.starts_with(abbr) && &s[3..] == *r)
    };
    MONTHS.contains(&s)
        || WEEKDAYS.contains(&s)
        || full("Jan", &["uary"])
        || full("Feb", &["ruary"])
        || full("Mar", &["ch"])
        || full("Apr", &["il"])
        || full("Jun", &["e"])
        || full("Jul", &["y"])
        || full("Aug", &["ust"])
        || full("Sep", &["tember"])
        || full("Oct", &["ober"])
        || full("Nov", &["ember"])
        || full("Dec", &["ember"])
        || (s.len() > 3 && s.ends_with("day") && WEEKDAYS.iter().any(|w| s.starts_with(w)))
}

/// Whether a key names an error code: `code`, `errorCode`, `error_code`.
pub fn is_code_key(key: &str) -> bool {
    // Quick rejection: every code key ends in `e` (or a quote after it).
    if !matches!(key.as_bytes().last(), Some(b'e' | b'E' | b'"' | b'\'')) {
        return false;
    }
    let k = key.trim_matches(['"', '\'']);
    k.eq_ignore_ascii_case("code")
        || k.ends_with("_code")
        || k.ends_with("Code") && !k.eq_ignore_ascii_case("statusCode")
}

/// The value of a code key that names an error (`P2002`, `ECONNRESET`,
/// `refresh_token_not_found`): letters, digits, `_`, `-` and `.`, with a
/// letter, at most 48 bytes. Purely numeric codes (`503`, `23505`) stay
/// values: they are as often a status as a name.
pub fn is_code_value(s: &str) -> bool {
    (1..=48).contains(&s.len())
        && s.bytes().any(|c| c.is_ascii_alphabetic())
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_ports() {
        assert!(is_host_port("proxy.example.com:5070") && is_host_port("localhost:3000"));
        assert!(is_host_port("db-1.internal:5432"));
        assert!(!is_host_port("onExtend:1514038530000") && !is_host_port("time:12"));
        assert!(!is_host_port("1.2.3:80") && !is_host_port("a.b:") && !is_host_port("a..b:1"));
    }

    #[test]
    fn windows_paths() {
        assert!(is_windows_path(r"C:\Windows\winsxs\x.dll") && is_windows_path(r"\\srv\share"));
        assert!(!is_windows_path("C:") && !is_windows_path(r"a\b"));
    }

    #[test]
    fn date_words() {
        for w in ["Jul", "July", "Mon", "Monday", "Sep", "September", "Dec,"] {
            assert!(is_date_word(w), "{w}");
        }
        for w in ["Mark", "March1", "jul", "Mayday", "Sunny", "Decided"] {
            assert!(!is_date_word(w), "{w}");
        }
    }

    #[test]
    fn codes() {
        assert!(is_code_key("code") && is_code_key("\"error_code\"") && is_code_key("errorCode"));
        assert!(!is_code_key("statusCode") && !is_code_key("encode") && !is_code_key("zipcode"));
        assert!(is_code_value("P2002") && is_code_value("UND_ERR_SOCKET"));
        assert!(!is_code_value("503") && !is_code_value("a b") && !is_code_value(""));
    }
}

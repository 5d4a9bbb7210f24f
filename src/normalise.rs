//! Message normalisation: the variable parts of a log line (numbers, hex, ids,
//! digests' hash part, emails, IPs, quoted values) replaced by `<*>`, so that
//! occurrences of the same error compare equal. Used for fingerprints.

use std::sync::LazyLock;

use regex::{Captures, Regex};

static VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
          (?P<digest>\b\d+[@;](?P<code>E\d+)\b)                 # Next.js digest: keep the code
        | [a-z0-9]{5}-\d{13}-[0-9a-f]{12}                       # Vercel request id
        | [A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+   # email
        | \b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b  # UUID
        | \b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b                  # IPv4
        | \b(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b        # IPv6 (full form)
        | '[^'\n]*' | "[^"\n]*" | `[^`\n]*`                     # quoted values
        | \b0x[0-9a-fA-F]+\b                                    # hex literal
        | \b[0-9a-fA-F]*\d[0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*\b    # hex with digits and letters
        | \b[A-Za-z]*\d[\w.-]*                                   # numbers and tokens holding digits
        "#,
    )
    .expect("normaliser regex compiles")
});

/// Normalises one line of text.
pub fn normalise_line(line: &str) -> String {
    let out = VARIABLE.replace_all(line.trim(), |c: &Captures<'_>| match c.name("code") {
        Some(code) if c.name("digest").is_some() => format!("<*>@{}", code.as_str()),
        _ => "<*>".to_string(),
    });
    collapse(&out)
}

/// Normalises the line of `text` that contains byte offset `at`.
pub fn fingerprint_line(text: &str, at: usize) -> String {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    normalise_line(&text[start..end])
}

/// Collapses runs of whitespace and of adjacent `<*>`.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    while out.contains("<*><*>") {
        out = out.replace("<*><*>", "<*>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_variable_parts() {
        assert_eq!(
            normalise_line("{ digest: '4171760897@E352' }"),
            "{ digest: <*> }"
        );
        assert_eq!(normalise_line("Digest: 296987159@E352"), "Digest: <*>@E352");
        assert_eq!(
            normalise_line(
                "user a.b@example.com from 10.0.0.12:5432 took 35ms id=hp74t-1768813460047-21e481a8c16a"
            ),
            "user <*> from <*> took <*> id=<*>"
        );
        assert_eq!(
            normalise_line("Task timed out after 300 seconds"),
            "Task timed out after <*> seconds"
        );
        assert_eq!(normalise_line("job 3f2a9c0d1e failed"), "job <*> failed");
    }

    #[test]
    fn picks_the_matching_line() {
        let text = "Error: boom\n    at foo (/var/task/a.js:1:2)\n{ code: 'P2002' }";
        let at = text.find("P2002").unwrap();
        assert_eq!(fingerprint_line(text, at), "{ code: <*> }");
    }
}

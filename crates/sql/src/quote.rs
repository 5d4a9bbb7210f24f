//! Quoting for generated SQL: ClickHouse string literals, RE2 literal text,
//! and table names. Every value from a catalog, a policy or a flag reaches
//! the SQL through one of these, never by plain formatting.

/// A ClickHouse string literal: `'…'` with `\` and `'` escaped, and control
/// characters written as escapes so a literal never spans lines.
pub fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// An array literal of strings: `['a', 'b']`.
pub fn lits<S: AsRef<str>>(items: &[S]) -> String {
    let parts: Vec<String> = items.iter().map(|s| lit(s.as_ref())).collect();
    format!("[{}]", parts.join(", "))
}

/// `text` as RE2 pattern text matching it literally.
pub fn re_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A finite `f64` as SQL: Rust's shortest round-trip form, so the number
/// SQL computes with is the one the policy holds.
pub fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x:?}")
    } else {
        "nan".to_string()
    }
}

/// Whether `name` is a plain (optionally database-qualified) table name:
/// `[A-Za-z_][A-Za-z0-9_]*`, at most one `.`.
pub fn is_table_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() <= 2
        && parts.iter().all(|p| {
            p.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_quotes_backslashes_and_breaks() {
        assert_eq!(lit(r"it's a\b"), r"'it\'s a\\b'");
        assert_eq!(lit("a\nb"), r"'a\nb'");
        assert_eq!(lits(&["x", "y"]), "['x', 'y']");
    }

    #[test]
    fn regex_text_is_literal() {
        assert_eq!(re_escape("a.b(c)"), r"a\.b\(c\)");
        assert_eq!(re_escape("Can't reach"), "Can't reach");
    }

    #[test]
    fn table_names_are_plain() {
        assert!(is_table_name("vercel_logs"));
        assert!(is_table_name("logs.vercel_logs"));
        assert!(!is_table_name("x; DROP TABLE y"));
        assert!(!is_table_name("a.b.c"));
        assert!(!is_table_name("1x"));
    }
}

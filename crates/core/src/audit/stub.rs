//! Suggested signature stubs for unknown-error templates, in the catalog's
//! TOML format (`signatures/*.toml`), ready to fill in and add.
//!
//! A stub must match its group and nothing else the audit saw:
//!
//! - its **anchor** is the run of the template's constant text (printable
//!   ASCII, at least 3 characters) that the real matcher finds in the most
//!   examples of the group, the longest of those;
//! - its **regex** asks for the whole template in order (each constant
//!   run, values anywhere between), and for the cause's code when the
//!   template names one (`TypeError: fetch failed [cause: ECONNRESET]` must
//!   not catch the `ETIMEDOUT` ones, which share the anchor);
//! - its **rejects** are examples of *other* unknown groups that the anchor
//!   alone would catch, so `logs signatures test` fails if the stub is ever
//!   loosened to match them;
//! - its **matches** are the group's redacted examples it matches. An
//!   example cut short before the cause (examples are bounded) is left
//!   out rather than weakening the stub.
//!
//! The stub is built, then checked with the catalog's own parser and
//! example runner; a stub that would not pass is not offered.

use serde::Serialize;

use crate::signatures::{
    Field, Severity, SignatureDef, SignatureSet, check_examples, parse_catalog,
};

/// Most `rejects` written per stub.
const REJECTS: usize = 3;

/// A suggested signature.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Suggestion {
    /// Proposed id (`[a-z0-9-]+`), unique among the catalog and the other
    /// suggestions of the same audit.
    pub id: String,
    pub anchor: String,
    /// The stub as a catalog file.
    pub toml: String,
}

/// What a stub is made from.
pub struct StubInput<'a> {
    pub template: &'a str,
    /// The group's redacted examples (whole messages, as bounded samples).
    pub examples: &'a [&'a str],
    /// Redacted examples of the audit's other unknown groups.
    pub others: &'a [&'a str],
    pub severity: Severity,
    /// A comment line about where and when the group was seen.
    pub facts: &'a str,
}

/// The template without the marks the head adds (`[cause: X]`,
/// `[code: X]`, `[digest: X]`), and those marks' values.
fn split_marks(template: &str) -> (&str, Vec<&str>) {
    let mut head = template.trim_end();
    let mut marks = Vec::new();
    while let Some(open) = head.rfind(" [") {
        let tail = &head[open + 2..];
        let Some(value) = ["cause: ", "code: ", "digest: "]
            .iter()
            .find_map(|k| tail.strip_prefix(k))
            .and_then(|v| v.strip_suffix(']'))
        else {
            break;
        };
        marks.insert(0, value);
        head = head[..open].trim_end();
    }
    (head, marks)
}

/// Runs of printable ASCII between the template's variables, longest first.
fn candidates(head: &str) -> Vec<String> {
    let mut out: Vec<String> = head
        .split("<*>")
        .flat_map(|seg| seg.split(|c: char| !(' '..='~').contains(&c)))
        .map(|s| {
            // Not starting with what closes a value, nor ending with what opens one.
            s.trim_start_matches(|c: char| c.is_whitespace() || ")]}>,:;.=".contains(c))
                .trim_end_matches(|c: char| c.is_whitespace() || "([{<=,".contains(c))
                .to_string()
        })
        .filter(|s| s.len() >= 3)
        .collect();
    out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// The regex asking for the template's constant runs in order (blanks
/// match any whitespace, values anything), then each mark as a word.
fn pattern(head: &str, marks: &[&str]) -> String {
    let mut re = String::from("(?s)");
    let mut first = true;
    for run in head.split("<*>").map(str::trim).filter(|r| !r.is_empty()) {
        if !first {
            re.push_str(".*?");
        }
        first = false;
        let words: Vec<String> = run.split_whitespace().map(regex::escape).collect();
        re.push_str(&words.join(r"\s+"));
    }
    for m in marks {
        re.push_str(&format!(r".*?\b{}\b", regex::escape(m)));
    }
    re
}

/// `Failed to sync campaign:` → `failed-to-sync-campaign`, at most 48
/// characters, cut at a word.
fn slug(anchor: &str) -> String {
    let mut s = String::new();
    for c in anchor.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    while s.len() > 48 {
        match s.rfind('-') {
            Some(i) if i > 0 => s.truncate(i),
            _ => s.truncate(48),
        }
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "unknown-error".to_string()
    } else {
        s
    }
}

fn def(id: &str, anchor: &str, regex: Option<&str>, severity: Severity) -> SignatureDef {
    SignatureDef {
        id: id.to_string(),
        title: anchor.to_string(),
        severity,
        meaning: String::new(),
        action: String::new(),
        field: Field::Message,
        anchors: vec![anchor.to_string()],
        regex: regex.map(str::to_string),
        sources: Vec::new(),
        matches: Vec::new(),
        rejects: Vec::new(),
        source: String::new(),
    }
}

/// The texts a one-anchor signature (with an optional regex) matches.
fn matching<'t>(anchor: &str, regex: Option<&str>, texts: &[&'t str]) -> Vec<&'t str> {
    let Ok(set) = SignatureSet::new(vec![def("stub", anchor, regex, Severity::Low)]) else {
        return Vec::new();
    };
    let mut hits = Vec::new();
    texts
        .iter()
        .copied()
        .filter(|t| {
            hits.clear();
            set.match_text(Field::Message, t, 0, &mut hits);
            !hits.is_empty()
        })
        .collect()
}

/// A TOML basic string (quoted and escaped).
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The stub for one group, or `None` when its template has no constant
/// text the matcher finds in its examples. `taken` holds the ids already in
/// use (catalog and earlier suggestions); the chosen id is added to it.
pub fn suggest(input: &StubInput<'_>, taken: &mut Vec<String>) -> Option<Suggestion> {
    let (head, marks) = split_marks(input.template);
    let anchor = candidates(head)
        .into_iter()
        .map(|a| (matching(&a, None, input.examples).len(), a))
        .filter(|(n, _)| *n > 0)
        .max_by(|(n, a), (m, b)| n.cmp(m).then_with(|| a.len().cmp(&b.len())))?
        .1;
    // The most specific regex that still matches an example of the group.
    let full = pattern(head, &marks);
    let short = pattern(&anchor, &marks);
    let regex = [Some(full.as_str()), Some(short.as_str()), None]
        .into_iter()
        .find(|re| !matching(&anchor, *re, input.examples).is_empty())?;
    let matches = matching(&anchor, regex, input.examples);
    let caught = matching(&anchor, regex, input.others);
    let rejects: Vec<&str> = matching(&anchor, None, input.others)
        .into_iter()
        .filter(|o| !caught.contains(o))
        .take(REJECTS)
        .collect();
    let base = slug(&anchor);
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    let title: String = input.template.chars().take(100).collect();
    let one_line = |s: &str| s.replace(['\n', '\r'], " ");
    let mut toml = format!(
        "# Suggested by `logs audit` for unknown errors like:\n#   {}\n# {}\n",
        one_line(input.template),
        one_line(input.facts)
    );
    toml.push_str("[[signature]]\n");
    toml.push_str(&format!("id = {}\n", quoted(&id)));
    toml.push_str(&format!("title = {}\n", quoted(&title)));
    toml.push_str(&format!("severity = {}\n", quoted(input.severity.as_str())));
    toml.push_str(&format!("anchors = [{}]\n", quoted(&anchor)));
    if let Some(re) = regex {
        toml.push_str(&format!("regex = {}\n", quoted(re)));
    }
    toml.push_str("meaning = \"TODO: what this error means and what causes it.\"\n");
    toml.push_str("action = \"TODO: what to do when it fires.\"\n");
    for (key, list) in [("matches", &matches), ("rejects", &rejects)] {
        if list.is_empty() && key == "rejects" {
            continue;
        }
        toml.push_str(&format!("{key} = [\n"));
        for m in list.iter() {
            toml.push_str(&format!("  {},\n", quoted(m)));
        }
        toml.push_str("]\n");
    }
    // The stub must be a valid catalog file whose examples pass; if it
    // ever is not, offer none.
    let defs = parse_catalog(&id, &toml).ok()?;
    let set = SignatureSet::new(defs).ok()?;
    if !check_examples(&set).1.is_empty() {
        return None;
    }
    taken.push(id.clone());
    Some(Suggestion { id, anchor, toml })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stub(template: &str, examples: &[&str], others: &[&str]) -> Option<Suggestion> {
        suggest(
            &StubInput {
                template,
                examples,
                others,
                severity: Severity::Medium,
                facts: "3 times on /api/sync",
            },
            &mut vec!["error-sync-failed-for-lead".to_string()],
        )
    }

    fn checked(s: &Suggestion) -> usize {
        let defs = parse_catalog("stub.toml", &s.toml).expect("valid TOML");
        let set = SignatureSet::new(defs).expect("compiles");
        let (checked, failures) = check_examples(&set);
        assert!(failures.is_empty(), "{}", s.toml);
        checked
    }

    #[test]
    fn anchors_on_the_longest_constant_run_and_asks_for_the_whole_template() {
        let s = stub(
            "⨯ Error: Sync failed for lead <*>: timeout after <*> tries",
            &["⨯ Error: Sync failed for lead 12: timeout after 3 tries"],
            &["⨯ Error: Sync failed for lead 9: quota exceeded"],
        )
        .expect("a stub");
        assert_eq!(s.anchor, "Error: Sync failed for lead");
        assert_eq!(s.id, "error-sync-failed-for-lead-2");
        assert!(s.toml.contains(r"timeout\s+after"), "{}", s.toml);
        assert!(
            s.toml
                .contains("rejects = [\n  \"⨯ Error: Sync failed for lead 9")
        );
        assert_eq!(checked(&s), 2);
    }

    #[test]
    fn a_cause_code_keeps_sibling_causes_out() {
        let reset = "TypeError: fetch failed\n    at x (a.js:1:1) {\n  [cause]: Error: read ECONNRESET\n  {\n    code: 'ECONNRESET'\n  }\n}";
        let timeout = "TypeError: fetch failed\n    at x (a.js:1:1) {\n  cause: ConnectTimeoutError: Connect Timeout Error {\n    code: 'UND_ERR_CONNECT_TIMEOUT'\n  }\n}";
        let s = stub(
            "TypeError: fetch failed [cause: ECONNRESET]",
            &[reset],
            &[timeout, "disk full"],
        )
        .expect("a stub");
        assert_eq!(s.anchor, "TypeError: fetch failed");
        assert!(s.toml.contains(r"ECONNRESET\b"), "{}", s.toml);
        assert!(s.toml.contains("rejects"), "{}", s.toml);
        assert_eq!(checked(&s), 2);
    }

    #[test]
    fn no_stub_without_constant_text() {
        assert!(stub("<*> <*>: <*>", &["a 1: 2"], &[]).is_none());
        assert_eq!(slug("Can't reach \"db\" (pool)"), "can-t-reach-db-pool");
        assert_eq!(
            split_marks("TypeError: fetch failed [cause: ETIMEDOUT]"),
            ("TypeError: fetch failed", vec!["ETIMEDOUT"])
        );
    }
}

//! Suggested signature stubs for unknown-error templates, in the catalog's
//! TOML format (`signatures/*.toml`), ready to fill in and add.
//!
//! The anchor is the template's longest run of constant text (printable
//! ASCII, at least 3 characters). One anchor, not several: a signature
//! fires when *any* of its anchors occurs, so adding the next-longest words
//! would only widen it. Every candidate is tried with the real matcher on
//! the group's own messages, so a stub always matches what it was made
//! from; its `matches` examples are the redacted examples it matches, which
//! `logs signatures test` then checks.

use serde::Serialize;

use crate::signatures::{Field, Severity, SignatureDef, SignatureSet, parse_catalog};

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
    /// The group's messages as seen (unredacted heads): anchors are checked
    /// against these.
    pub messages: &'a [&'a str],
    /// Redacted examples, offered as `matches`.
    pub examples: &'a [&'a str],
    pub severity: Severity,
    /// A comment line about where and when the group was seen.
    pub facts: &'a str,
}

/// Runs of printable ASCII between the template's variables, longest first.
fn candidates(template: &str) -> Vec<String> {
    let mut out: Vec<String> = template
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

fn def(id: &str, anchor: &str, severity: Severity) -> SignatureDef {
    SignatureDef {
        id: id.to_string(),
        title: anchor.to_string(),
        severity,
        meaning: String::new(),
        action: String::new(),
        field: Field::Message,
        anchors: vec![anchor.to_string()],
        regex: None,
        sources: Vec::new(),
        matches: Vec::new(),
        rejects: Vec::new(),
        source: String::new(),
    }
}

/// How many of `texts` a one-anchor signature matches.
fn matching<'t>(anchor: &str, texts: &[&'t str]) -> Vec<&'t str> {
    let Ok(set) = SignatureSet::new(vec![def("stub", anchor, Severity::Low)]) else {
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
/// text the matcher can anchor on. `taken` holds the ids already in use
/// (catalog and earlier suggestions); the chosen id is added to it.
pub fn suggest(input: &StubInput<'_>, taken: &mut Vec<String>) -> Option<Suggestion> {
    let anchor = candidates(input.template)
        .into_iter()
        .map(|a| (matching(&a, input.messages).len(), a))
        .filter(|(n, _)| *n > 0)
        .max_by(|(n, a), (m, b)| n.cmp(m).then_with(|| a.len().cmp(&b.len())))?
        .1;
    let base = slug(&anchor);
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    taken.push(id.clone());
    let matches = matching(&anchor, input.examples);
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
    toml.push_str("meaning = \"TODO: what this error means and what causes it.\"\n");
    toml.push_str("action = \"TODO: what to do when it fires.\"\n");
    toml.push_str("matches = [\n");
    for m in matches {
        toml.push_str(&format!("  {},\n", quoted(&one_line(m))));
    }
    toml.push_str("]\n");
    // The stub must be a valid catalog file; if it ever is not, offer none.
    parse_catalog(&id, &toml).ok()?;
    Some(Suggestion { id, anchor, toml })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signatures::check_examples;

    #[test]
    fn anchors_on_the_longest_constant_run_that_matches() {
        let messages = ["⨯ Error: Sync failed for lead 12: timeout after 3 tries"];
        let examples = ["⨯ Error: Sync failed for lead 12: timeout after 3 tries"];
        let mut taken = vec!["error-sync-failed-for-lead".to_string()];
        let s = suggest(
            &StubInput {
                template: "⨯ Error: Sync failed for lead <*>: timeout after <*> tries",
                messages: &messages,
                examples: &examples,
                severity: Severity::Medium,
                facts: "3 times on /api/sync",
            },
            &mut taken,
        )
        .expect("a stub");
        assert_eq!(s.anchor, "Error: Sync failed for lead");
        assert_eq!(s.id, "error-sync-failed-for-lead-2");
        let defs = parse_catalog("stub.toml", &s.toml).expect("valid TOML");
        let set = SignatureSet::new(defs).expect("compiles");
        let (checked, failures) = check_examples(&set);
        assert_eq!((checked, failures.len()), (1, 0), "{}", s.toml);
    }

    #[test]
    fn no_stub_without_constant_text() {
        let input = StubInput {
            template: "<*> <*>: <*>",
            messages: &["a 1: 2"],
            examples: &[],
            severity: Severity::High,
            facts: "",
        };
        assert!(suggest(&input, &mut Vec::new()).is_none());
        assert_eq!(slug("Can't reach \"db\" (pool)"), "can-t-reach-db-pool");
    }
}

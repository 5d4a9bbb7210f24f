//! The literals of the raw-byte prefilter: few and distinctive, so that
//! the SIMD searcher (Teddy) runs at memory speed.
//!
//! An anchor can appear in an export in several encodings (plain,
//! JSON-escaped, JSON with HTML-safe escapes, CSV with doubled quotes), and
//! JSON may escape other characters too (`'` as `\u0027`). Encoders only
//! change the characters `"`, `\`, `<`, `>`, `&` and `'`, so the longest run
//! of an anchor without them appears verbatim in every encoding: that run
//! alone stands for the anchor. A literal that contains another literal is
//! dropped (the shorter one finds every record the longer one does).
//!
//! The prefilter only picks candidates: every candidate is decoded and
//! confirmed on its field, so a looser literal costs a decode, never a
//! false finding, while a missing one would lose findings. The property
//! test below checks that every encoding of every anchor contains a
//! literal.

use std::collections::BTreeSet;

/// Characters an encoder may rewrite.
const ESCAPED: &[u8] = b"\"\\<>&'";

/// A run shorter than this is too common to search for alone: the anchor's
/// encodings are searched for instead.
const MIN_RUN: usize = 5;

/// Every way an anchor may appear in an export's raw bytes.
pub(super) fn encodings(anchor: &str) -> impl Iterator<Item = String> {
    let json = anchor.replace('\\', "\\\\").replace('"', "\\\"");
    let html = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    let csv = anchor.replace('"', "\"\"");
    [anchor.to_string(), json, html, csv].into_iter()
}

/// The longest run of `anchor` that no encoder rewrites (the first of equal
/// length), trimmed of spaces at its ends.
fn stable_run(anchor: &str) -> &str {
    anchor
        .split(|c: char| c.is_ascii() && ESCAPED.contains(&(c as u8)))
        .map(|run| run.trim_matches(' '))
        .fold(
            "",
            |best, run| if run.len() > best.len() { run } else { best },
        )
}

/// The prefilter literals for `anchors`.
pub(super) fn literals<'a>(anchors: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut set = BTreeSet::new();
    for anchor in anchors {
        let run = stable_run(anchor);
        if run.len() >= MIN_RUN || run.len() == anchor.len() {
            set.insert(run.to_string());
        } else {
            set.extend(encodings(anchor));
        }
    }
    let all: Vec<String> = set.into_iter().filter(|l| !l.is_empty()).collect();
    all.iter()
        .filter(|l| !all.iter().any(|o| o != *l && l.contains(o.as_str())))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signatures::load_catalog;

    /// What makes the prefilter sound: every encoding of every built-in
    /// anchor (and `'` escaped as JSON does) contains one of the literals.
    #[test]
    fn every_encoding_of_every_anchor_holds_a_literal() {
        let defs = load_catalog(true, &[]).expect("catalog");
        let anchors: Vec<&str> = defs
            .iter()
            .flat_map(|d| d.anchors.iter().map(String::as_str))
            .collect();
        let lits = literals(anchors.iter().copied());
        let full: BTreeSet<String> = anchors.iter().flat_map(|a| encodings(a)).collect();
        assert!(lits.len() < full.len(), "{} vs {}", lits.len(), full.len());
        for a in &anchors {
            let mut forms: Vec<String> = encodings(a).collect();
            forms.push(a.replace('\'', "\\u0027"));
            for form in forms {
                assert!(
                    lits.iter().any(|l| form.contains(l.as_str())),
                    "{form:?} holds none of the literals"
                );
            }
        }
    }

    #[test]
    fn runs_skip_what_encoders_rewrite() {
        assert_eq!(
            stable_run("\"use server\" file can only export"),
            "file can only export"
        );
        assert_eq!(
            stable_run("Can't reach database server"),
            "t reach database server"
        );
        assert_eq!(stable_run("P2002"), "P2002");
        assert_eq!(
            literals([
                "signal \"SIGKILL\"",
                "SIGKILL",
                "Invalid Refresh Token",
                "Invalid Refresh Token: Already Used"
            ]),
            ["Invalid Refresh Token", "SIGKILL"]
        );
        // Too short a run: the encodings themselves.
        assert_eq!(literals(["a\"b"]), ["a\"\"b", "a\"b", "a\\\"b"]);
    }
}

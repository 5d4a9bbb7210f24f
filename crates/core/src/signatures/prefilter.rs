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
//! The SIMD searcher slows down with every literal it holds (more
//! candidates to verify in each bucket), so literals that share a
//! distinctive piece are replaced by that piece: `UND_ERR_BODY_TIMEOUT`
//! and `UND_ERR_SOCKET` by `UND_ERR_`, `Body Timeout Error` and `Headers
//! Timeout Error` by `Timeout Error`. A piece starts and ends at a word or
//! `_` boundary, and a piece of plain lowercase words must be long (a word
//! such as `connection` is in too many ordinary lines). On the built-in
//! catalog this takes the literals from 76 to 53.
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
    minimal(&cover(minimal(&all)))
}

/// The anchors' literals (`own`, from [`literals`]) and those of `probes`
/// together, without those containing another (the shorter finds every
/// record the longer does). The probes are covered apart: no piece is cut
/// from an anchor's literal and a probe's together, so the anchors'
/// literals stay what they are without probes, unless one contains a
/// probe's. Each anchor still contains a pattern.
pub(super) fn with_probes(own: &[String], probes: &[String]) -> Vec<String> {
    if probes.is_empty() {
        return own.to_vec();
    }
    let mut all = own.to_vec();
    all.extend(literals(probes.iter().map(String::as_str)));
    all.sort();
    all.dedup();
    minimal(&all)
}

/// `literals` without those containing another.
fn minimal(literals: &[String]) -> Vec<String> {
    (literals.iter())
        .filter(|l| !literals.iter().any(|o| o != *l && l.contains(o.as_str())))
        .cloned()
        .collect()
}

/// The shortest shared piece.
const MIN_SHARED: usize = 6;
/// The shortest shared piece made only of lowercase words.
const MIN_SHARED_WORDS: usize = 12;

/// Whether `piece` may stand for several literals: long enough, and not
/// just common words.
fn distinctive(piece: &str) -> bool {
    let words = piece.bytes().all(|b| b.is_ascii_lowercase() || b == b' ');
    piece.len() >= if words { MIN_SHARED_WORDS } else { MIN_SHARED }
}

/// The pieces of `literal` that start and end at a boundary: its ends, the
/// letters next to a space, and both sides of a `_`.
fn pieces(literal: &str) -> impl Iterator<Item = &str> {
    let b = literal.as_bytes();
    let mut starts = vec![0];
    let mut ends = vec![b.len()];
    for (i, &c) in b.iter().enumerate() {
        match c {
            b' ' => {
                ends.push(i);
                starts.push(i + 1);
            }
            b'_' => {
                ends.extend([i, i + 1]);
                starts.extend([i, i + 1]);
            }
            _ => {}
        }
    }
    starts.into_iter().flat_map(move |s| {
        let ends = ends.clone();
        ends.into_iter()
            // Every boundary is next to an ASCII byte: a char boundary.
            .filter(move |&e| e > s)
            .map(move |e| &literal[s..e])
            .filter(|p| !p.starts_with(' ') && !p.ends_with(' ') && distinctive(p))
    })
}

/// Replaces literals sharing a distinctive piece by that piece, greedily:
/// the piece shared by the most literals first (the longer on a tie).
/// Every literal is still covered: each kept piece lies in each literal it
/// replaces. Each literal's pieces are listed once; a literal covered takes
/// its pieces off the counts.
fn cover(literals: Vec<String>) -> Vec<String> {
    let own: Vec<Vec<&str>> = (literals.iter())
        .map(|l| {
            let mut v: Vec<&str> = pieces(l).collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let mut counts: foldhash::HashMap<&str, usize> = Default::default();
    for p in own.iter().flatten() {
        *counts.entry(p).or_default() += 1;
    }
    let mut left = vec![true; literals.len()];
    let mut out = Vec::new();
    loop {
        let best = (counts.iter())
            .filter(|&(_, &n)| n >= 2)
            .max_by(|a, b| (a.1, a.0.len(), b.0).cmp(&(b.1, b.0.len(), a.0)))
            .map(|(&p, _)| p);
        let Some(piece) = best else { break };
        for (i, l) in literals.iter().enumerate() {
            if left[i] && l.contains(piece) {
                left[i] = false;
                for p in &own[i] {
                    if let Some(n) = counts.get_mut(p) {
                        *n -= 1;
                    }
                }
            }
        }
        out.push(piece.to_string());
    }
    out.extend(
        (literals.iter().zip(left))
            .filter(|&(_, keep)| keep)
            .map(|(l, _)| l.clone()),
    );
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signatures::load_catalog;

    /// Every anchor of the built-in catalog.
    fn builtin_anchors() -> Vec<String> {
        let defs = load_catalog(true, &[]).expect("catalog");
        defs.into_iter().flat_map(|d| d.anchors).collect()
    }

    /// What makes the prefilter sound: every encoding of every built-in
    /// anchor (and `'` escaped as JSON does) contains one of the literals.
    #[test]
    fn every_encoding_of_every_anchor_holds_a_literal() {
        let anchors = builtin_anchors();
        let lits = literals(anchors.iter().map(String::as_str));
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

    #[test]
    fn literals_sharing_a_distinctive_piece_are_searched_by_it() {
        assert_eq!(
            literals([
                "UND_ERR_BODY_TIMEOUT",
                "UND_ERR_SOCKET",
                "Body Timeout Error",
                "Headers Timeout Error",
                "P2002",
            ]),
            ["P2002", "Timeout Error", "UND_ERR_"]
        );
        // Common words are not a piece: each line keeps its own literal.
        assert_eq!(
            literals(["lost the connection to x", "connection refused by y"]),
            ["connection refused by y", "lost the connection to x"]
        );
        // Pieces start and end at boundaries, never inside a word.
        assert_eq!(
            literals(["ThisOperationFailed", "OtherOperationFailed"]),
            ["OtherOperationFailed", "ThisOperationFailed"]
        );
    }

    #[test]
    fn a_piece_a_probe_shares_with_an_anchor_still_finds_the_anchor() {
        // Covered together, `ALPHA_BRAVO_` would stand for the first anchor
        // and the probe: still correct, but the anchor's literal would
        // change with the probes. Covered apart, each keeps its own.
        let anchors = ["ALPHA_BRAVO_CHARLIE", "ZULU_CHARLIE"];
        let probes = ["ALPHA_BRAVO_jobs".to_string()];
        let own = literals(anchors);
        let patterns = with_probes(&own, &probes);
        for a in anchors {
            assert!(
                patterns.iter().any(|p| a.contains(p.as_str())),
                "{a}: {patterns:?}"
            );
        }
        assert!(patterns.iter().any(|p| probes[0].contains(p.as_str())));
        assert!(own.iter().all(|l| patterns.contains(l)), "{patterns:?}");
    }

    #[test]
    fn the_catalog_needs_far_fewer_literals_than_anchors() {
        let anchors = builtin_anchors();
        let lits = literals(anchors.iter().map(String::as_str));
        assert!(lits.len() <= 56, "{} literals: {lits:?}", lits.len());
    }
}

//! [`SignatureSet`]: the compiled catalog.
//!
//! Matching is two-stage. The prefilter runs one Aho-Corasick automaton over
//! the raw bytes of each record, with every anchor in each encoding it can
//! take in an export (plain, JSON-escaped, JSON with HTML-safe escapes, CSV
//! with doubled quotes), so records without any anchor are never decoded.
//! Candidates are decoded and confirmed on the signature's own field: the
//! anchor must stand at token boundaries there (`P2002` in `INV-P20021` does
//! not count) and the optional regex must match.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use super::catalog::{CatalogError, Field, SignatureDef};
use crate::record::Record;
use crate::templates::fingerprint_line;

/// A confirmed match of one signature in one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`SignatureSet::defs`].
    pub signature: usize,
    /// Which of the record's message lines matched (0 for other fields).
    pub line: usize,
    /// Hash of `fingerprint`, for counting distinct occurrences.
    pub fingerprint_hash: u64,
    /// The matched line with its variable parts replaced, plus the regex
    /// captures that tell occurrences apart.
    pub fingerprint: String,
}

/// A compiled catalog.
pub struct SignatureSet {
    defs: Vec<SignatureDef>,
    regexes: Vec<Option<Regex>>,
    raw: AhoCorasick,
    text: AhoCorasick,
    /// Signature of each pattern of `text`.
    text_owner: Vec<usize>,
    fields: Vec<Field>,
}

/// The ways an ASCII anchor can appear in raw export bytes.
fn encodings(anchor: &str) -> impl Iterator<Item = String> {
    let json = anchor.replace('\\', "\\\\").replace('"', "\\\"");
    let html = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    let csv = anchor.replace('"', "\"\"");
    [anchor.to_string(), json, html, csv].into_iter()
}

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Whether `text[start..end]` stands at token boundaries: an anchor edge that
/// is itself a token character must not continue into one.
fn at_boundaries(text: &str, start: usize, end: usize) -> bool {
    let anchor = &text[start..end];
    let starts_token = anchor.chars().next().is_some_and(is_token_char);
    let ends_token = anchor.chars().next_back().is_some_and(is_token_char);
    let before_ok = !starts_token || !text[..start].chars().next_back().is_some_and(is_token_char);
    let after_ok = !ends_token || !text[end..].chars().next().is_some_and(is_token_char);
    before_ok && after_ok
}

impl SignatureSet {
    /// Compiles validated definitions.
    pub fn new(defs: Vec<SignatureDef>) -> Result<SignatureSet, CatalogError> {
        let build_err = |e: aho_corasick::BuildError| CatalogError {
            file: "catalog".into(),
            signature: None,
            problem: format!("anchors do not compile: {e}"),
        };
        let mut raw_patterns = BTreeSet::new();
        let mut text_patterns = Vec::new();
        let mut text_owner = Vec::new();
        let mut regexes = Vec::with_capacity(defs.len());
        let mut fields = Vec::new();
        for (i, def) in defs.iter().enumerate() {
            for a in &def.anchors {
                raw_patterns.extend(encodings(a));
                text_patterns.push(a.clone());
                text_owner.push(i);
            }
            let re = match &def.regex {
                Some(r) => Some(Regex::new(r).map_err(|e| CatalogError {
                    file: def.source.clone(),
                    signature: Some(def.id.clone()),
                    problem: format!("invalid regex: {e}"),
                })?),
                None => None,
            };
            regexes.push(re);
            if !fields.contains(&def.field) {
                fields.push(def.field);
            }
        }
        let raw = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&raw_patterns)
            .map_err(build_err)?;
        let text = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&text_patterns)
            .map_err(build_err)?;
        Ok(SignatureSet {
            defs,
            regexes,
            raw,
            text,
            text_owner,
            fields,
        })
    }

    /// The definitions, in catalog order.
    pub fn defs(&self) -> &[SignatureDef] {
        &self.defs
    }

    /// Every raw-byte pattern of the prefilter (for benchmarks against other
    /// tools searching the same literals).
    pub fn raw_patterns(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .defs
            .iter()
            .flat_map(|d| d.anchors.iter())
            .flat_map(|a| encodings(a))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Whether a record's raw bytes contain any anchor in any encoding.
    #[inline]
    pub fn is_candidate(&self, raw: &[u8]) -> bool {
        !self.defs.is_empty() && self.raw.is_match(raw)
    }

    /// The first offset in `from..to` where an anchor occurs whole in `hay`.
    #[inline]
    pub fn find_candidate(&self, hay: &[u8], from: usize, to: usize) -> Option<usize> {
        if self.defs.is_empty() || from >= to {
            return None;
        }
        let input = aho_corasick::Input::new(hay).range(from..to);
        self.raw.find(input).map(|m| m.start())
    }

    /// Confirms signatures on a decoded record, appending one hit per
    /// matching signature (a record counts once per signature).
    pub fn match_record(&self, rec: &Record<'_>, out: &mut Vec<Hit>) {
        for &field in &self.fields {
            match field {
                Field::Message => {
                    for (i, line) in rec.lines.iter().enumerate() {
                        self.match_text(field, &line.text, i, out);
                    }
                }
                Field::Path => self.match_opt(field, rec.path.as_deref(), out),
                Field::Route => self.match_opt(field, rec.route.as_deref(), out),
                Field::UserAgent => self.match_opt(field, rec.user_agent.as_deref(), out),
                Field::Host => self.match_opt(field, rec.host.as_deref(), out),
            }
        }
    }

    fn match_opt(&self, field: Field, text: Option<&str>, out: &mut Vec<Hit>) {
        if let Some(t) = text {
            self.match_text(field, t, 0, out);
        }
    }

    /// Confirms signatures of `field` on one text.
    pub fn match_text(&self, field: Field, text: &str, line: usize, out: &mut Vec<Hit>) {
        for m in self.text.find_overlapping_iter(text) {
            let sig = self.text_owner[m.pattern().as_usize()];
            if self.defs[sig].field != field || out.iter().any(|h| h.signature == sig) {
                continue;
            }
            if !at_boundaries(text, m.start(), m.end()) {
                continue;
            }
            let captures = match &self.regexes[sig] {
                None => String::new(),
                Some(re) => match re.captures(text) {
                    None => continue,
                    Some(c) => re
                        .capture_names()
                        .flatten()
                        .filter_map(|n| c.name(n).map(|v| format!(" [{n}={}]", v.as_str())))
                        .collect(),
                },
            };
            let fingerprint = fingerprint_line(text, m.start()) + &captures;
            let mut h = std::collections::hash_map::DefaultHasher::new();
            fingerprint.hash(&mut h);
            out.push(Hit {
                signature: sig,
                line,
                fingerprint_hash: h.finish(),
                fingerprint,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signatures::load_catalog;

    fn set() -> SignatureSet {
        SignatureSet::new(load_catalog(true, &[]).unwrap()).unwrap()
    }

    fn ids(set: &SignatureSet, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        set.match_text(Field::Message, text, 0, &mut out);
        out.iter()
            .map(|h| set.defs()[h.signature].id.clone())
            .collect()
    }

    #[test]
    fn anchors_inside_longer_tokens_do_not_count() {
        let s = set();
        assert!(ids(&s, "Invoice INV-P20021 paid").is_empty());
        assert!(ids(&s, "Order SKU E352-blue shipped").is_empty());
        assert_eq!(ids(&s, "{ code: 'P2002' }"), ["prisma-unique-constraint"]);
    }

    #[test]
    fn prefilter_sees_escaped_anchors() {
        let s = set();
        assert!(s.is_candidate(
            br#"{"message":"A \"use server\" file can only export async functions"}"#
        ));
        assert!(s.is_candidate(b"x,\"A \"\"use server\"\" file can only export async\""));
        assert!(!s.is_candidate(br#"{"message":"all good"}"#));
    }

    #[test]
    fn fingerprints_ignore_variable_parts_and_keep_captures() {
        let s = set();
        let mut a = Vec::new();
        s.match_text(
            Field::Message,
            "Vercel Runtime Timeout Error: Task timed out after 300 seconds",
            0,
            &mut a,
        );
        let mut b = Vec::new();
        s.match_text(
            Field::Message,
            "Vercel Runtime Timeout Error: Task timed out after 800 seconds",
            0,
            &mut b,
        );
        assert_ne!(a[0].fingerprint_hash, b[0].fingerprint_hash);
        let mut c = Vec::new();
        s.match_text(Field::Message, "{ digest: '1111@E352' }", 0, &mut c);
        let mut d = Vec::new();
        s.match_text(Field::Message, "{ digest: '2222@E352' }", 0, &mut d);
        assert_eq!(c[0].fingerprint, d[0].fingerprint);
    }
}

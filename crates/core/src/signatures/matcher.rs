//! [`SignatureSet`]: the compiled catalog.
//!
//! Matching is two-stage. The prefilter runs one SIMD multi-literal search
//! (Teddy, falling back to an Aho-Corasick automaton for a large catalog)
//! over the raw bytes, with literals that every encoding of every anchor
//! contains (see `prefilter`), so records without any anchor are never
//! decoded.
//! Candidates are decoded and confirmed on the signature's own field: the
//! anchor must stand at token boundaries there (`P2002` in `INV-P20021` does
//! not count) and the optional regex must match.

use std::hash::{Hash, Hasher};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use super::anchor::{at_boundaries, in_url_or_path};
use super::catalog::{CatalogError, Field, SignatureDef};
use super::prefilter::{self, encodings};
use super::source::{RecordSource, SourceScope};
use crate::record::Record;
use crate::text::fingerprint_line;

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
    /// The same patterns as `raw`, for the raw-byte search when they fit.
    packed: Option<aho_corasick::packed::Searcher>,
    text: AhoCorasick,
    /// Signature of each pattern of `text`.
    text_owner: Vec<usize>,
    fields: Vec<Field>,
    /// The record sources each signature applies to.
    scopes: Vec<SourceScope>,
    /// The prefilter has at least one pattern (an anchor or a probe, see
    /// [`SignatureSet::with_probes`]).
    prefilter: bool,
}

impl SignatureSet {
    /// Compiles validated definitions.
    pub fn new(defs: Vec<SignatureDef>) -> Result<SignatureSet, CatalogError> {
        Self::build(defs, Vec::new())
    }

    /// The same catalog with `probes` added to the prefilter: literals (in
    /// every encoding an anchor can take) that make a record a candidate for
    /// decoding without being a signature. The access checks use them so
    /// that requests to cron and webhook paths are decoded, while other
    /// records still cost one automaton pass.
    pub fn with_probes(self, probes: Vec<String>) -> Result<SignatureSet, CatalogError> {
        Self::build(self.defs, probes)
    }

    fn build(defs: Vec<SignatureDef>, probes: Vec<String>) -> Result<SignatureSet, CatalogError> {
        let build_err = |e: aho_corasick::BuildError| CatalogError {
            file: "catalog".into(),
            signature: None,
            problem: format!("anchors do not compile: {e}"),
        };
        let mut text_patterns = Vec::new();
        let mut text_owner = Vec::new();
        let mut regexes = Vec::with_capacity(defs.len());
        let mut fields = Vec::new();
        let scopes = defs.iter().map(SignatureDef::scope).collect();
        for (i, def) in defs.iter().enumerate() {
            for a in &def.anchors {
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
        let raw_patterns = prefilter::literals(
            text_patterns
                .iter()
                .chain(probes.iter())
                .map(String::as_str),
        );
        let prefilter = !raw_patterns.is_empty();
        let raw = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&raw_patterns)
            .map_err(build_err)?;
        // The SIMD (Teddy) searcher, as ripgrep uses for many literals: the
        // automaton's own prefilter gives up on this many patterns and the
        // search falls back to a byte-at-a-time walk. The packed searcher
        // takes up to 128 patterns; a larger catalog keeps the automaton.
        let packed = aho_corasick::packed::Config::new()
            .heuristic_pattern_limits(false)
            .builder()
            .extend(&raw_patterns)
            .build();
        let text = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&text_patterns)
            .map_err(build_err)?;
        Ok(SignatureSet {
            defs,
            regexes,
            raw,
            packed,
            text,
            text_owner,
            fields,
            scopes,
            prefilter,
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

    /// Whether the prefilter can rule records out: without it (no literal
    /// long enough) every decoded record is confirmed.
    pub fn has_prefilter(&self) -> bool {
        self.prefilter
    }

    /// Whether a record's raw bytes contain any anchor in any encoding.
    #[inline]
    pub fn is_candidate(&self, raw: &[u8]) -> bool {
        if !self.prefilter {
            return false;
        }
        match &self.packed {
            Some(p) => p.find(raw).is_some(),
            None => self.raw.is_match(raw),
        }
    }

    /// The first offset in `from..to` where an anchor occurs whole in `hay`.
    #[inline]
    pub fn find_candidate(&self, hay: &[u8], from: usize, to: usize) -> Option<usize> {
        if !self.prefilter || from >= to {
            return None;
        }
        match &self.packed {
            Some(p) => p
                .find_in(
                    hay,
                    aho_corasick::Span {
                        start: from,
                        end: to,
                    },
                )
                .map(|m| m.start()),
            None => {
                let input = aho_corasick::Input::new(hay).range(from..to);
                self.raw.find(input).map(|m| m.start())
            }
        }
    }

    /// Confirms signatures on a decoded record, appending one hit per
    /// matching signature (a record counts once per signature). A signature
    /// scoped by `sources` only counts records from those sources.
    pub fn match_record(&self, rec: &Record<'_>, out: &mut Vec<Hit>) {
        let scope = Some(RecordSource::of(rec));
        for &field in &self.fields {
            match field {
                Field::Message => {
                    for (i, line) in rec.lines.iter().enumerate() {
                        self.confirm(field, &line.text, i, scope, out);
                    }
                }
                Field::Path => self.match_opt(field, rec.path.as_deref(), scope, out),
                Field::Route => self.match_opt(field, rec.route.as_deref(), scope, out),
                Field::UserAgent => self.match_opt(field, rec.user_agent.as_deref(), scope, out),
                Field::Host => self.match_opt(field, rec.host.as_deref(), scope, out),
            }
        }
    }

    fn match_opt(
        &self,
        field: Field,
        text: Option<&str>,
        scope: Option<Option<RecordSource>>,
        out: &mut Vec<Hit>,
    ) {
        if let Some(t) = text {
            self.confirm(field, t, 0, scope, out);
        }
    }

    /// Confirms signatures of `field` on one text, with no record around it
    /// (so `sources` scopes do not apply).
    pub fn match_text(&self, field: Field, text: &str, line: usize, out: &mut Vec<Hit>) {
        self.confirm(field, text, line, None, out);
    }

    /// `scope`: the record's source when there is a record (`Some(None)`:
    /// a record that names no source), `None` for a bare text.
    fn confirm(
        &self,
        field: Field,
        text: &str,
        line: usize,
        scope: Option<Option<RecordSource>>,
        out: &mut Vec<Hit>,
    ) {
        for m in self.text.find_overlapping_iter(text) {
            let sig = self.text_owner[m.pattern().as_usize()];
            if self.defs[sig].field != field || out.iter().any(|h| h.signature == sig) {
                continue;
            }
            if scope.is_some_and(|s| !self.scopes[sig].admits(s)) {
                continue;
            }
            if !at_boundaries(text, m.start(), m.end()) {
                continue;
            }
            if field == Field::Message && in_url_or_path(text, m.start()) {
                continue;
            }
            let captures = match &self.regexes[sig] {
                None => String::new(),
                Some(re) => match captures(re, text) {
                    None => continue,
                    Some(c) => c,
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

/// `None` when `re` does not match `text`; otherwise its named captures as
/// ` [name=value]` pairs. A capture missing from the first match is taken
/// from a later one (`P1001: Can't reach database server at `db`:`5432`` has
/// its code first and its host after).
fn captures(re: &Regex, text: &str) -> Option<String> {
    let names: Vec<&str> = re.capture_names().flatten().collect();
    if names.is_empty() {
        return re.is_match(text).then(String::new);
    }
    let mut values: Vec<Option<&str>> = vec![None; names.len()];
    let mut matched = false;
    for c in re.captures_iter(text) {
        matched = true;
        for (v, n) in values.iter_mut().zip(&names) {
            if v.is_none() {
                *v = c.name(n).map(|m| m.as_str());
            }
        }
        if values.iter().all(Option::is_some) {
            break;
        }
    }
    matched.then(|| {
        names
            .iter()
            .zip(values)
            .filter_map(|(n, v)| v.map(|v| format!(" [{n}={v}]")))
            .collect()
    })
}

//! [`SignatureSet`]: the compiled catalog.
//!
//! Matching is two-stage. The prefilter runs one SIMD multi-literal search
//! (Teddy, falling back to an Aho-Corasick automaton for a large catalog)
//! over the raw bytes, with literals that every encoding of every anchor
//! contains (see `prefilter`), so records without any anchor are never
//! decoded. For a large input, the literals are handed to the searcher in
//! an order chosen for that input's bytes (see `teddy_order`).
//! Candidates are decoded and confirmed on the signature's own field: the
//! anchor must stand at token boundaries there (`P2002` in `INV-P20021` does
//! not count) and the optional regex must match. What a text confirmed is
//! remembered for the rest of its chunk (see `memo`): an incident repeats
//! the same error line in many records.

use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use super::anchor::{at_boundaries, in_url_or_path};
use super::catalog::{CatalogError, Field, SignatureDef};
use super::memo::{ConfirmMemo, Confirmed, SharedConfirmations};
use super::prefilter::{self, encodings};
use super::source::{RecordSource, SourceScope};
use super::teddy_order;
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
    regexes: Vec<Option<Confirm>>,
    prefilter: Prefilter,
    text: AhoCorasick,
    /// Signature of each pattern of `text`.
    text_owner: Vec<usize>,
    fields: Vec<Field>,
    /// The record sources each signature applies to.
    scopes: Vec<SourceScope>,
    /// What texts confirmed, for every chunk's memo to draw on.
    shared: SharedConfirmations,
}

/// A signature's confirming regex. A user's is compiled with the catalog,
/// so that a bad one is reported before the scan; a built-in one (which
/// a test compiles) when a record first needs it: most runs confirm few
/// signatures, and compiling them all was half of the start-up time.
struct Confirm {
    pattern: String,
    compiled: OnceLock<Option<Regex>>,
}

impl Confirm {
    fn new(def: &SignatureDef, pattern: &str) -> Result<Confirm, CatalogError> {
        let compiled = OnceLock::new();
        if !def.is_builtin() {
            let re = Regex::new(pattern).map_err(|e| CatalogError {
                file: def.source.clone(),
                signature: Some(def.id.clone()),
                problem: format!("invalid regex: {e}"),
            })?;
            let _ = compiled.set(Some(re));
        }
        Ok(Confirm {
            pattern: pattern.to_string(),
            compiled,
        })
    }

    /// `None` only for a built-in regex that does not compile, which the
    /// catalog's tests rule out.
    fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| Regex::new(&self.pattern).ok())
            .as_ref()
    }
}

fn build_err(e: aho_corasick::BuildError) -> CatalogError {
    CatalogError {
        file: "catalog".into(),
        signature: None,
        problem: format!("anchors do not compile: {e}"),
    }
}

/// The raw-byte search: every encoding of every anchor (and probe).
struct Prefilter {
    search: Search,
    /// The anchors' own literals, kept to add probes without covering them
    /// again.
    own: Vec<String>,
    /// The literals searched (the anchors' and the probes').
    patterns: Vec<String>,
    /// The same literals in the order chosen for a large input
    /// ([`SignatureSet::order_prefilter_for`]), once there is one.
    ordered: OnceLock<aho_corasick::packed::Searcher>,
}

enum Search {
    /// No pattern: nothing is a candidate.
    Empty,
    /// The SIMD (Teddy) searcher, as ripgrep uses for many literals: an
    /// automaton's own prefilter gives up on this many patterns and its
    /// search falls back to a byte-at-a-time walk. It takes up to 128
    /// patterns.
    Packed(aho_corasick::packed::Searcher),
    /// A larger catalog: one automaton.
    Automaton(AhoCorasick),
}

impl Prefilter {
    /// The anchors' literals (`own`) and those of `probes`, as
    /// [`prefilter::with_probes`] combines them.
    fn build(own: Vec<String>, probes: &[String]) -> Result<Prefilter, CatalogError> {
        let patterns = prefilter::with_probes(&own, probes);
        if patterns.is_empty() {
            return Ok(Prefilter {
                search: Search::Empty,
                own,
                patterns,
                ordered: OnceLock::new(),
            });
        }
        let search = match packed(patterns.iter()) {
            Some(p) => Search::Packed(p),
            None => Search::Automaton(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(&patterns)
                    .map_err(build_err)?,
            ),
        };
        Ok(Prefilter {
            search,
            own,
            patterns,
            ordered: OnceLock::new(),
        })
    }

    /// Orders the SIMD searcher's literals for input like `sample`, once
    /// (see `teddy_order`).
    fn order_for(&self, sample: &[u8]) {
        if !matches!(self.search, Search::Packed(_)) || self.ordered.get().is_some() {
            return;
        }
        let Some(order) = teddy_order::order(&self.patterns, sample) else {
            return;
        };
        if let Some(searcher) = packed(order.iter().map(|&i| &self.patterns[i])) {
            let _ = self.ordered.set(searcher);
        }
    }

    /// Where the first pattern lying wholly in `from..to` of `hay` starts.
    #[inline]
    fn find(&self, hay: &[u8], from: usize, to: usize) -> Option<usize> {
        if from >= to {
            return None;
        }
        let m = match &self.search {
            Search::Empty => None,
            Search::Packed(p) => self.ordered.get().unwrap_or(p).find_in(
                hay,
                aho_corasick::Span {
                    start: from,
                    end: to,
                },
            ),
            Search::Automaton(a) => a.find(aho_corasick::Input::new(hay).range(from..to)),
        }?;
        Some(m.start())
    }
}

/// The SIMD (Teddy) searcher for `patterns`, in that order; `None` when
/// it cannot take them.
fn packed<'p>(
    patterns: impl Iterator<Item = &'p String>,
) -> Option<aho_corasick::packed::Searcher> {
    aho_corasick::packed::Config::new()
        .heuristic_pattern_limits(false)
        .builder()
        .extend(patterns)
        .build()
}

impl SignatureSet {
    /// Compiles validated definitions.
    pub fn new(defs: Vec<SignatureDef>) -> Result<SignatureSet, CatalogError> {
        Self::build(defs)
    }

    /// The same catalog with `probes` added to the prefilter: literals (in
    /// every encoding an anchor can take) that make a record a candidate for
    /// decoding without being a signature. The access checks use them so
    /// that requests to cron and webhook paths are decoded, while other
    /// records still cost one automaton pass. A candidate is confirmed
    /// whichever literal made it one: confirming a record without an anchor
    /// finds nothing, and costs less than searching the rest of the record
    /// for an anchor's literal (a field without a literal is ruled out by
    /// one search of its own few bytes). Only the prefilter is built again.
    pub fn with_probes(mut self, probes: Vec<String>) -> Result<SignatureSet, CatalogError> {
        let own = std::mem::take(&mut self.prefilter.own);
        self.prefilter = Prefilter::build(own, &probes)?;
        Ok(self)
    }

    /// Orders the prefilter's literals for input like `sample` (the start
    /// of a large input): the same literals, searched faster (see
    /// `teddy_order`). The first call decides; results never change.
    pub fn order_prefilter_for(&self, sample: &[u8]) {
        self.prefilter.order_for(sample);
    }

    /// Whether the prefilter's literals were ordered for an input.
    #[cfg(test)]
    pub(super) fn prefilter_is_ordered(&self) -> bool {
        self.prefilter.ordered.get().is_some()
    }

    fn build(defs: Vec<SignatureDef>) -> Result<SignatureSet, CatalogError> {
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
            regexes.push(match &def.regex {
                Some(r) => Some(Confirm::new(def, r)?),
                None => None,
            });
            if !fields.contains(&def.field) {
                fields.push(def.field);
            }
        }
        let own = prefilter::literals(text_patterns.iter().map(String::as_str));
        let prefilter = Prefilter::build(own, &[])?;
        // Walked (overlapping) through each distinct field text that holds
        // a literal (the memo remembers the rest): a contiguous NFA. The
        // crate's own choice for this many patterns, a DFA, walks faster,
        // but building it was half of the start-up, and with the memo it
        // walks too little to win that back: on the whole dense 284 MB file
        // the two took the same instructions.
        let text = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(&text_patterns)
            .map_err(build_err)?;
        Ok(SignatureSet {
            defs,
            regexes,
            prefilter,
            text,
            text_owner,
            fields,
            scopes,
            shared: SharedConfirmations::default(),
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

    /// Whether a record's raw bytes contain any anchor (or probe) in any
    /// encoding.
    #[inline]
    pub fn is_candidate(&self, raw: &[u8]) -> bool {
        self.find_literal(raw, 0, raw.len()).is_some()
    }

    /// Where the first pattern (an anchor's or a probe's literal) lying
    /// wholly in `from..to` of `hay` starts.
    #[inline]
    pub fn find_literal(&self, hay: &[u8], from: usize, to: usize) -> Option<usize> {
        self.prefilter.find(hay, from, to)
    }

    /// Confirms signatures on a decoded record, appending one hit per
    /// matching signature (a record counts once per signature). A signature
    /// scoped by `sources` only counts records from those sources.
    pub fn match_record(&self, rec: &Record<'_>, out: &mut Vec<Hit>) {
        self.match_record_in(rec, None, out);
    }

    /// [`SignatureSet::match_record`], remembering what each candidate text
    /// confirmed in `memo`: the same error line repeats across records, and
    /// its confirmation (automaton walk, regex captures, fingerprint) is
    /// then done once per memo.
    pub fn match_record_memo(&self, rec: &Record<'_>, memo: &mut ConfirmMemo, out: &mut Vec<Hit>) {
        self.match_record_in(rec, Some(memo), out);
    }

    fn match_record_in(
        &self,
        rec: &Record<'_>,
        mut memo: Option<&mut ConfirmMemo>,
        out: &mut Vec<Hit>,
    ) {
        let scope = Some(RecordSource::of(rec));
        for &field in &self.fields {
            let mut one = |text: Option<&str>, line: usize| {
                if let Some(t) = text {
                    self.confirm(field, t, line, scope, memo.as_deref_mut(), out);
                }
            };
            match field {
                Field::Message => {
                    for (i, line) in rec.lines.iter().enumerate() {
                        one(Some(&line.text), i);
                    }
                }
                Field::Path => one(rec.path.as_deref(), 0),
                Field::Route => one(rec.route.as_deref(), 0),
                Field::UserAgent => one(rec.user_agent.as_deref(), 0),
                Field::Host => one(rec.host.as_deref(), 0),
            }
        }
    }

    /// Confirms signatures of `field` on one text, with no record around it
    /// (so `sources` scopes do not apply).
    pub fn match_text(&self, field: Field, text: &str, line: usize, out: &mut Vec<Hit>) {
        self.confirm(field, text, line, None, None, out);
    }

    /// `scope`: the record's source when there is a record (`Some(None)`:
    /// a record that names no source), `None` for a bare text.
    fn confirm(
        &self,
        field: Field,
        text: &str,
        line: usize,
        scope: Option<Option<RecordSource>>,
        memo: Option<&mut ConfirmMemo>,
        out: &mut Vec<Hit>,
    ) {
        // A text holding an anchor holds one of the prefilter's literals:
        // the SIMD search rules out most texts before the automaton's
        // overlapping walk, which is several times slower.
        if !self.is_candidate(text.as_bytes()) {
            return;
        }
        let mut push = |found: &[Confirmed]| {
            for c in found {
                // Once per record and signature, and only from the
                // sources the signature is scoped to.
                if out.iter().any(|h| h.signature == c.signature)
                    || scope.is_some_and(|s| !self.scopes[c.signature].admits(s))
                {
                    continue;
                }
                out.push(Hit {
                    signature: c.signature,
                    line,
                    fingerprint_hash: c.fingerprint_hash,
                    fingerprint: c.fingerprint.clone(),
                });
            }
        };
        match memo {
            None => push(&self.confirmations(field, text)),
            Some(memo) => match memo.get(field, text) {
                Some(found) => push(found),
                None => {
                    let found = match self.shared.get(field, text) {
                        Some(found) => found,
                        None => {
                            let found = self.confirmations(field, text);
                            self.shared.remember(field, text, &found);
                            found
                        }
                    };
                    push(&found);
                    memo.remember(field, text, found);
                }
            },
        }
    }

    /// What `text` confirms as `field`, whatever record it is in: each
    /// signature once, at its first match that stands at token boundaries,
    /// outside a URL or path, and that its regex confirms.
    fn confirmations(&self, field: Field, text: &str) -> Vec<Confirmed> {
        let mut found: Vec<Confirmed> = Vec::new();
        for m in self.text.find_overlapping_iter(text) {
            let sig = self.text_owner[m.pattern().as_usize()];
            if self.defs[sig].field != field || found.iter().any(|c| c.signature == sig) {
                continue;
            }
            if !at_boundaries(text, m.start(), m.end()) {
                continue;
            }
            if field == Field::Message && in_url_or_path(text, m.start()) {
                continue;
            }
            let captures = match self.regexes[sig].as_ref().map(Confirm::regex) {
                None => String::new(),
                Some(re) => match re.and_then(|re| captures(re, text)) {
                    None => continue,
                    Some(c) => c,
                },
            };
            let fingerprint = fingerprint_line(text, m.start()) + &captures;
            let mut h = std::collections::hash_map::DefaultHasher::new();
            fingerprint.hash(&mut h);
            found.push(Confirmed {
                signature: sig,
                fingerprint_hash: h.finish(),
                fingerprint,
            });
        }
        found
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

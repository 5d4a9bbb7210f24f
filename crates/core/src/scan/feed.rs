//! [`Feed`]: the engine's incremental entry point. Bytes are pushed as
//! they arrive (a `--follow` pipe, a drain POST body); every complete
//! record is framed, decoded, matched and handed to the analysis at once,
//! through the same block scanner as the mapped and streamed paths, so a
//! live reader and a batch scan of the same bytes agree by construction.
//!
//! A partial record at the end of a push waits for the next one. The
//! format is decided from the first complete line (or a whole copied-logs
//! header), as the stream reader decides it.

use std::sync::Arc;

use super::chunk::ChunkOut;
use super::prepare::HEAD;
use super::prepare::{Prepared, Start, prepare};
use super::stream::{Block, find_cut, scan_block};
use super::tally::Tally;
use super::{Analysis, ChunkContext, InputSummary, Progress};
use crate::input::{Damage, InputError, InputFormat, MAX_RECORD_BYTES, TopState};
use crate::signatures::SignatureSet;

/// An input fed incrementally.
pub struct Feed<'a, A: Analysis> {
    name: String,
    signatures: &'a SignatureSet,
    analysis: &'a A,
    forced: Option<InputFormat>,
    decode_all: bool,
    /// Bytes not yet scanned (a partial record, or everything before the
    /// format is known).
    buf: Vec<u8>,
    /// Absolute offset of `buf[0]`.
    base: u64,
    /// Lines before the next block's first record not counted by it.
    lead: u64,
    start: Option<Start>,
    top: TopState,
    seq: u32,
    tally: Tally,
    partial: A::Partial,
    damage: Option<Damage>,
    error: Option<InputError>,
}

impl<'a, A: Analysis> Feed<'a, A> {
    /// A feed for the input `name` (used in reports); `forced`: the
    /// `--input-format`, else detected.
    pub fn new(
        name: &str,
        signatures: &'a SignatureSet,
        analysis: &'a A,
        forced: Option<InputFormat>,
        validate_all: bool,
    ) -> Self {
        Feed {
            name: name.to_string(),
            signatures,
            analysis,
            forced,
            decode_all: analysis.decode_all() || validate_all,
            buf: Vec::new(),
            base: 0,
            lead: 0,
            start: None,
            top: TopState::Outside,
            seq: 0,
            tally: Tally::default(),
            partial: analysis.partial(),
            damage: None,
            error: None,
        }
    }

    /// The analysis state over every complete record pushed so far.
    pub fn partial(&self) -> &A::Partial {
        &self.partial
    }

    /// The analysis state, mutably (for an analysis that prunes what it no
    /// longer needs between evaluations).
    pub fn partial_mut(&mut self) -> &mut A::Partial {
        &mut self.partial
    }

    /// Records scanned so far.
    pub fn records(&self) -> u64 {
        self.tally.summary().records
    }

    /// Malformed records so far.
    pub fn malformed(&self) -> u64 {
        self.tally.summary().malformed
    }

    /// Whether the input failed or is damaged (nothing more is scanned).
    pub fn is_stopped(&self) -> bool {
        self.error.is_some() || self.damage.is_some()
    }

    /// Adds bytes; scans every record they complete.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.is_stopped() {
            return;
        }
        self.buf.extend_from_slice(bytes);
        self.scan(false);
    }

    /// Ends the input: scans what is left, as its end, and returns the
    /// summary and the analysis state.
    pub fn finish(mut self) -> (InputSummary, A::Partial) {
        if !self.is_stopped() {
            self.scan(true);
        }
        let format = self
            .start
            .as_ref()
            .map_or(InputFormat::JsonLines, |s| s.format);
        let export = self.start.as_mut().and_then(|s| s.export.take());
        let (mut summary, _) = self.tally.finish(format, self.damage);
        summary.name = self.name;
        summary.export = export;
        if let Some(e) = self.error {
            summary = InputSummary {
                name: summary.name,
                error: Some(Arc::new(e)),
                ..Default::default()
            };
        }
        (summary, self.partial)
    }

    fn scan(&mut self, eof: bool) {
        if self.start.is_none() {
            match prepare(&self.name, &self.buf, eof, self.forced) {
                Prepared::NeedMore if self.buf.len() > MAX_RECORD_BYTES => {
                    self.damage = Some(Damage::NoBoundary { after: self.base });
                    return;
                }
                Prepared::NeedMore => return,
                Prepared::Failed(e) => {
                    self.error = Some(e);
                    return;
                }
                Prepared::Ready(start) => {
                    self.buf.drain(..start.skip);
                    self.base = start.skip as u64;
                    self.lead = start.lead;
                    self.start = Some(start);
                }
            }
        }
        let Some(start) = &self.start else { return };
        let cut = start.cut;
        let end = if eof {
            Some((self.buf.len(), TopState::Outside))
        } else {
            find_cut(&self.buf, cut, self.top)
        };
        let Some((pos, next_top)) = end else {
            if self.buf.len() > MAX_RECORD_BYTES {
                self.damage = Some(Damage::NoBoundary { after: self.base });
            }
            return;
        };
        if pos == 0 && !eof {
            return;
        }
        let rest = self.buf.split_off(pos);
        let block = Block {
            seq: self.seq,
            base: self.base,
            data: std::mem::replace(&mut self.buf, rest),
            top: self.top,
            framing: cut.framing(),
            eof,
            lead: self.lead,
        };
        let progress = Progress::none();
        let ctx = ChunkContext {
            input: 0,
            signatures: self.signatures,
            analysis: self.analysis,
            decode_all: self.decode_all,
            probe_all: self.analysis.probe_all(),
            // As in a batch run (rollback decodes every record anyway).
            decode_before: start.skip as u64 + HEAD as u64,
            csv: start.csv.clone(),
            progress: &progress,
        };
        let out: ChunkOut<A::Partial> = scan_block(&ctx, &block);
        let partial = self.tally.add(block.lead, out);
        self.analysis.merge(&mut self.partial, partial);
        self.base += pos as u64;
        self.top = next_top;
        self.lead = 0;
        self.seq += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CheckAnalysis, CheckConfig};
    use crate::signatures::load_catalog;

    const LINES: &str = concat!(
        "{\"timestamp\":1768813460100,\"level\":\"error\",\"message\":\"Can't reach database server at `db`:`5432`\",\"source\":\"lambda\"}\n",
        "{\"timestamp\":1768813460200,\"level\":\"info\",\"message\":\"ok\",\"source\":\"lambda\"}\n",
        "not json\n",
        "{\"timestamp\":1768813460300,\"level\":\"error\",\"message\":\"Task timed out after 300 seconds\",\"source\":\"lambda\"}\n",
    );

    fn counts(p: &crate::check::CheckPartial) -> Vec<(usize, u64)> {
        p.signatures.iter().map(|(k, a)| (*k, a.count)).collect()
    }

    #[test]
    fn pieces_of_any_size_give_what_one_push_gives() {
        let set = SignatureSet::new(load_catalog(true, &[]).unwrap()).unwrap();
        let config = CheckConfig::default();
        let analysis = CheckAnalysis { config: &config };
        let mut whole = Feed::new("x", &set, &analysis, None, false);
        whole.push(LINES.as_bytes());
        let (want_summary, want) = whole.finish();
        assert_eq!((want_summary.records, want_summary.malformed), (3, 1));
        assert_eq!(want.signatures.len(), 2);
        for size in [1, 2, 7, 50, 1000] {
            let mut feed = Feed::new("x", &set, &analysis, None, false);
            for piece in LINES.as_bytes().chunks(size) {
                feed.push(piece);
            }
            let (summary, got) = feed.finish();
            assert_eq!(counts(&got), counts(&want), "{size}");
            assert_eq!(
                (summary.records, summary.malformed, summary.newlines),
                (3, 1, 4),
                "{size}"
            );
        }
    }

    #[test]
    fn records_are_seen_as_soon_as_their_line_ends() {
        let set = SignatureSet::new(load_catalog(true, &[]).unwrap()).unwrap();
        let config = CheckConfig::default();
        let analysis = CheckAnalysis { config: &config };
        let mut feed = Feed::new("x", &set, &analysis, None, false);
        let first = LINES.find('\n').unwrap() + 1;
        feed.push(&LINES.as_bytes()[..first - 1]);
        assert_eq!(feed.records(), 0, "the line is not complete yet");
        feed.push(b"\n");
        assert_eq!(feed.records(), 1);
        assert_eq!(feed.partial().signatures.len(), 1);
    }
}

//! Scanning one chunk: frame records, prefilter, decode, match, feed the
//! analysis. A chunk is a byte range that starts on a record boundary.

use crate::input::{FrameEnd, Framing, Item, MAX_RECORD_BYTES, MalformedKind, TopState, frame};
use crate::record::{DecodeError, Record, Shape, decode_json, decode_json_fields, repair_text};
use crate::signatures::{ConfirmMemo, Hit};

use super::{Analysis, ChunkContext, Location, MALFORMED_SAMPLES};

/// Longest malformed-record problem kept, in characters.
const PROBLEM_CHARS: usize = 300;

/// What one chunk produced.
pub(crate) struct ChunkOut<P> {
    pub partial: P,
    pub records: u64,
    pub malformed: u64,
    /// `(chunk line, offset, problem)` of the first malformed records.
    pub samples: Vec<(u64, u64, String)>,
    pub end: FrameEnd,
    pub truncated: bool,
    pub shape: Option<Shape>,
    pub bytes: u64,
    /// Records read after replacing invalid UTF-8 or lone surrogates.
    pub repaired: u64,
    /// The offset of the first record longer than the maximum record size
    /// (damage: it is not read).
    pub oversized: Option<u64>,
}

impl<P> ChunkOut<P> {
    pub fn empty(partial: P) -> Self {
        ChunkOut {
            partial,
            records: 0,
            malformed: 0,
            samples: Vec::new(),
            end: FrameEnd::default(),
            truncated: false,
            shape: None,
            bytes: 0,
            repaired: 0,
            oversized: None,
        }
    }

    pub(crate) fn malformed(&mut self, line: u64, offset: u64, problem: impl FnOnce() -> String) {
        self.malformed += 1;
        if self.samples.len() < MALFORMED_SAMPLES {
            // A decoder's message can quote the record's text.
            let problem = crate::redact::sample(&problem(), PROBLEM_CHARS);
            self.samples.push((line, offset, problem));
        }
    }
}

/// Where a JSON chunk starts and stops.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JsonSpan {
    pub chunk: u32,
    /// Absolute offset of `buf[0]`.
    pub base: u64,
    pub start: usize,
    pub top: TopState,
    pub stop: usize,
    pub framing: Framing,
    /// `buf` ends where the input ends.
    pub eof: bool,
}

/// The JSON side of a chunk scan: the output so far and the prefilter's
/// position.
struct JsonScan<'c, 'b, A: Analysis> {
    ctx: &'c ChunkContext<'c, A>,
    buf: &'b [u8],
    span: JsonSpan,
    out: ChunkOut<A::Partial>,
    hits: Vec<Hit>,
    /// What candidate texts confirmed in this chunk.
    memo: ConfirmMemo,
    /// Where the next literal before `limit` starts (`usize::MAX`: none),
    /// found by one search per candidate, not per record.
    next: Option<usize>,
    limit: usize,
}

impl<A: Analysis> JsonScan<'_, '_, A> {
    /// One framed item; `lead`: lines before the framer's line 0.
    fn item(&mut self, item: Item, lead: u64) {
        match item {
            Item::Record { start, end, line } => self.record(start, end, lead + line),
            Item::Malformed {
                start,
                end,
                line,
                kind,
            } => {
                // Garbage longer than the maximum record size is damage
                // too, as when it is streamed (the reader stops there).
                if end - start > MAX_RECORD_BYTES {
                    let at = self.span.base + start as u64;
                    self.out.oversized = self.out.oversized.or(Some(at));
                }
                self.out.truncated |= kind == MalformedKind::Truncated;
                let offset = self.span.base + start as u64;
                self.out
                    .malformed(lead + line, offset, || kind.describe().to_string());
            }
        }
    }

    /// A record at `start..end`: counted, and decoded and matched when it
    /// may hold an anchor (or the analysis needs every record).
    fn record(&mut self, start: usize, end: usize, line: u64) {
        let (ctx, buf, span) = (self.ctx, self.buf, self.span);
        if end - start > MAX_RECORD_BYTES {
            self.out.oversized = self.out.oversized.or(Some(span.base + start as u64));
            return;
        }
        self.out.records += 1;
        let raw = &buf[start..end];
        let head = span.base + (start as u64) < ctx.decode_before;
        let candidate = ctx.decode_all || head || self.holds_literal(start, end);
        let at = Location {
            input: ctx.input,
            chunk: span.chunk,
            chunk_line: line,
            offset: span.base + start as u64,
        };
        if !candidate {
            if !ctx.probe_all {
                return;
            }
            // Only the filter fields; a record they cannot be read from
            // takes the full decode below, for its error or its repair.
            if let Ok(rec) = decode_json_fields(raw) {
                self.out.shape = self.out.shape.or(rec.shape);
                ctx.analysis.record(&mut self.out.partial, &rec, &[], at);
                return;
            }
        }
        // A record without any literal (decoded for the filters) cannot
        // hold an anchor: it is not confirmed.
        match decode_json(raw) {
            Ok(rec) => self.matched(&rec, at, candidate),
            Err(e) => {
                // Invalid UTF-8 or a lone surrogate must not hide the
                // record: read it with U+FFFD in their place.
                let repaired = match &e {
                    DecodeError::Json(_) => repair_text(raw)
                        .and_then(|fixed| decode_json(&fixed).ok().map(Record::into_owned)),
                    DecodeError::Implausible(_) => None,
                };
                match repaired {
                    Some(rec) => {
                        self.out.repaired += 1;
                        self.matched(&rec, at, candidate);
                    }
                    None => {
                        self.out.records -= 1;
                        self.out.malformed(line, at.offset, || e.to_string());
                    }
                }
            }
        }
    }

    /// Whether the record at `start..end` holds a prefilter literal: the
    /// next literal falls inside it (one search per candidate, not per
    /// record); the record that runs past `limit` is searched on its own.
    fn holds_literal(&mut self, start: usize, end: usize) -> bool {
        let signatures = self.ctx.signatures;
        if self.next.is_none_or(|n| n < start) {
            let found = signatures.find_literal(self.buf, start, self.limit);
            self.next = Some(found.unwrap_or(usize::MAX));
        }
        match self.next {
            Some(n) if n < end => true,
            _ => end > self.limit && signatures.is_candidate(&self.buf[start..end]),
        }
    }

    fn matched(&mut self, rec: &Record<'_>, at: Location, confirm: bool) {
        self.out.shape = self.out.shape.or(rec.shape);
        self.hits.clear();
        if confirm {
            (self.ctx.signatures).match_record_memo(rec, &mut self.memo, &mut self.hits);
        }
        self.ctx
            .analysis
            .record(&mut self.out.partial, rec, &self.hits, at);
    }

    /// Line-framed input from the top level (NDJSON: drain, CLI, copied
    /// logs): lines are found with `memchr`, and a line that is one object
    /// (`{` … `}` after trimming) is a record without a structural pass;
    /// serde checks its grammar if it is decoded. Any other line (an array
    /// of records, a value cut off, text), and the last line when no newline
    /// ends it (where a truncated input is cut), goes through the full
    /// framer.
    fn lines(&mut self) -> FrameEnd {
        let (buf, span) = (self.buf, self.span);
        let mut end = FrameEnd {
            pos: span.start,
            top: Some(TopState::Outside),
            ..FrameEnd::default()
        };
        let mut pos = span.start;
        while pos < buf.len() && pos < span.stop {
            let nl = memchr::memchr(b'\n', &buf[pos..]).map(|i| pos + i);
            if let Some(n) = nl {
                let (mut s, mut e) = (pos, n);
                while s < e && matches!(buf[s], b' ' | b'\t' | b'\r') {
                    s += 1;
                }
                while e > s && matches!(buf[e - 1], b' ' | b'\t' | b'\r') {
                    e -= 1;
                }
                if s == e || (buf[s] == b'{' && buf[e - 1] == b'}') {
                    if s < e {
                        self.record(s, e, end.newlines);
                        end.top_objects += 1;
                    }
                    end.newlines += 1;
                    pos = n + 1;
                    continue;
                }
            }
            let lead = end.newlines;
            let after = nl.map_or(buf.len(), |n| n + 1);
            let framed = frame(
                buf,
                pos,
                TopState::Outside,
                span.stop.min(after),
                Framing::Lines,
                span.eof,
                &mut |item| self.item(item, lead),
            );
            end.arrays += framed.arrays;
            end.top_objects += framed.top_objects;
            end.newlines += framed.newlines;
            if framed.pos < after || framed.incomplete {
                // Stopped inside the line: at the chunk's stop (a long
                // one-line array goes on in the next chunk) or at the
                // buffer's end.
                end.pos = framed.pos;
                end.top = framed.top;
                end.incomplete = framed.incomplete;
                return end;
            }
            pos = framed.pos;
        }
        end.pos = pos;
        end
    }
}

/// Scans the JSON records of `buf` that start in `span`.
pub(crate) fn json_chunk<A: Analysis>(
    ctx: &ChunkContext<'_, A>,
    buf: &[u8],
    span: JsonSpan,
) -> ChunkOut<A::Partial> {
    let mut scan = JsonScan {
        ctx,
        buf,
        span,
        out: ChunkOut::empty(ctx.analysis.partial()),
        hits: Vec::new(),
        memo: ConfirmMemo::default(),
        next: None,
        limit: span.stop.min(buf.len()),
    };
    let end = if span.framing == Framing::Lines && span.top == TopState::Outside {
        scan.lines()
    } else {
        frame(
            buf,
            span.start,
            span.top,
            span.stop,
            span.framing,
            span.eof,
            &mut |item| scan.item(item, 0),
        )
    };
    let mut out = scan.out;
    if end.incomplete {
        // Block cuts never leave a partial record behind; if one did, say so
        // rather than drop it.
        out.malformed(end.newlines, span.base + end.pos as u64, || {
            "record runs past the end of its block".to_string()
        });
    }
    out.bytes = (end.pos.min(buf.len()) - span.start.min(buf.len())) as u64;
    ctx.progress.advance(out.bytes);
    out.end = end;
    out
}

/// Whether the head of an input (its first [`super::prepare::HEAD`] bytes
/// after any copy header) frames records of which none decodes: then the
/// input is garbage shaped like JSON, and every record of it is decoded, so
/// that it is reported as malformed rather than counted unread.
pub(crate) fn undecodable_head(head: &[u8], framing: Framing) -> bool {
    let (mut framed, mut decoded) = (false, false);
    frame(
        head,
        0,
        TopState::Outside,
        usize::MAX,
        framing,
        true,
        &mut |item| {
            if let (Item::Record { start, end, .. }, false) = (item, decoded) {
                framed = true;
                let raw = &head[start..end];
                decoded = decode_json(raw).is_ok()
                    || repair_text(raw).is_some_and(|fixed| decode_json(&fixed).is_ok());
            }
        },
    );
    framed && !decoded
}

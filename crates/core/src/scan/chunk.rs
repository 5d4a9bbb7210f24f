//! Scanning one chunk: frame records, prefilter, decode, match, feed the
//! analysis. A chunk is a byte range that starts on a record boundary.

use crate::input::{FrameEnd, Framing, Item, MAX_RECORD_BYTES, MalformedKind, TopState, frame};
use crate::record::{CsvColumns, DecodeError, Record, Shape, decode_json, repair_text};
use crate::signatures::Hit;

use super::{Analysis, ChunkContext, Location, MALFORMED_SAMPLES};

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

    fn malformed(&mut self, line: u64, offset: u64, problem: impl FnOnce() -> String) {
        self.malformed += 1;
        if self.samples.len() < MALFORMED_SAMPLES {
            self.samples.push((line, offset, problem()));
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

/// Scans the JSON records of `buf` that start in `span`.
pub(crate) fn json_chunk<A: Analysis>(
    ctx: &ChunkContext<'_, A>,
    buf: &[u8],
    span: JsonSpan,
) -> ChunkOut<A::Partial> {
    let mut out = ChunkOut::empty(ctx.analysis.partial());
    let mut hits: Vec<Hit> = Vec::new();
    let want_shape = span.chunk == 0;
    // One automaton search per candidate, not per record: `next` is the next
    // anchor offset before `limit` (usize::MAX: none). A record is a
    // candidate when that offset falls inside it; the record that runs past
    // `limit` is checked on its own bytes.
    let limit = span.stop.min(buf.len());
    let mut next: Option<usize> = None;
    let at = |offset: usize, line: u64| Location {
        input: ctx.input,
        chunk: span.chunk,
        chunk_line: line,
        offset: span.base + offset as u64,
    };
    let end = frame(
        buf,
        span.start,
        span.top,
        span.stop,
        span.framing,
        span.eof,
        &mut |item| match item {
            Item::Record { start, end, line } => {
                if end - start > MAX_RECORD_BYTES {
                    out.oversized = out.oversized.or(Some(span.base + start as u64));
                    return;
                }
                out.records += 1;
                let raw = &buf[start..end];
                let first = want_shape && out.shape.is_none();
                let candidate = ctx.decode_all || first || {
                    if next.is_none_or(|n| n < start) {
                        let found = ctx.signatures.find_candidate(buf, start, limit);
                        next = Some(found.unwrap_or(usize::MAX));
                    }
                    next.is_some_and(|n| n < end)
                        || (end > limit && ctx.signatures.is_candidate(raw))
                };
                if !candidate {
                    return;
                }
                match decode_json(raw) {
                    Ok(rec) => {
                        out.shape = out.shape.or(rec.shape);
                        hits.clear();
                        ctx.signatures.match_record(&rec, &mut hits);
                        ctx.analysis
                            .record(&mut out.partial, &rec, &hits, at(start, line));
                    }
                    Err(e) => {
                        // Invalid UTF-8 or a lone surrogate must not hide
                        // the record: read it with U+FFFD in their place.
                        let repaired = match &e {
                            DecodeError::Json(_) => repair_text(raw)
                                .and_then(|fixed| decode_json(&fixed).ok().map(Record::into_owned)),
                            DecodeError::Implausible(_) => None,
                        };
                        match repaired {
                            Some(rec) => {
                                out.repaired += 1;
                                out.shape = out.shape.or(rec.shape);
                                hits.clear();
                                ctx.signatures.match_record(&rec, &mut hits);
                                ctx.analysis
                                    .record(&mut out.partial, &rec, &hits, at(start, line));
                            }
                            None => {
                                out.records -= 1;
                                out.malformed(line, span.base + start as u64, || e.to_string());
                            }
                        }
                    }
                }
            }
            Item::Malformed {
                start, line, kind, ..
            } => {
                out.truncated |= kind == MalformedKind::Truncated;
                out.malformed(line, span.base + start as u64, || {
                    kind.describe().to_string()
                });
            }
        },
    );
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

/// Scans CSV rows (no header) of `buf`, whose first byte is at `base`;
/// `eof`: the input ends with `buf`.
pub(crate) fn csv_chunk<A: Analysis>(
    ctx: &ChunkContext<'_, A>,
    cols: &CsvColumns,
    buf: &[u8],
    base: u64,
    chunk: u32,
    eof: bool,
) -> ChunkOut<A::Partial> {
    let mut out = ChunkOut::empty(ctx.analysis.partial());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(buf);
    let mut row = csv::ByteRecord::new();
    let mut hits: Vec<Hit> = Vec::new();
    // Physical lines, counted from byte offsets: the csv crate counts record
    // terminators, not the newlines inside quoted fields.
    let (mut line, mut counted_to) = (0u64, 0usize);
    loop {
        let pos = reader.position().clone();
        let mut offset = (pos.byte() as usize).min(buf.len());
        // After a CRLF the reader stands on the `\n`: the record starts past it.
        while offset < buf.len() && matches!(buf[offset], b'\r' | b'\n') {
            offset += 1;
        }
        line += memchr::memchr_iter(b'\n', &buf[counted_to..offset]).count() as u64;
        counted_to = offset;
        match reader.read_byte_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                if row.len() == 1 && row[0].trim_ascii().is_empty() {
                    continue;
                }
                if row.as_slice().len() > MAX_RECORD_BYTES {
                    out.oversized = out.oversized.or(Some(base + offset as u64));
                    continue;
                }
                out.records += 1;
                if !(ctx.decode_all
                    || chunk == 0 && out.shape.is_none()
                    || ctx.signatures.is_candidate(row.as_slice()))
                {
                    continue;
                }
                let rec = match cols.decode(&row) {
                    Ok(rec) => rec,
                    Err(e) => {
                        out.records -= 1;
                        out.malformed(line, base + offset as u64, || e.to_string());
                        continue;
                    }
                };
                out.shape = out.shape.or(rec.shape);
                hits.clear();
                ctx.signatures.match_record(&rec, &mut hits);
                let at = Location {
                    input: ctx.input,
                    chunk,
                    chunk_line: line,
                    offset: base + offset as u64,
                };
                ctx.analysis.record(&mut out.partial, &rec, &hits, at);
            }
            Err(e) => {
                out.malformed(line, base + offset as u64, || {
                    format!("invalid CSV row: {e}")
                });
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
            }
        }
    }
    // Quotes pair up in well-formed CSV (a quote inside a field is doubled):
    // an odd count means the input ends inside a quoted field.
    if eof && memchr::memchr_iter(b'"', buf).count() % 2 == 1 {
        out.truncated = true;
    }
    let newlines = memchr::memchr_iter(b'\n', buf).count() as u64;
    out.end = FrameEnd {
        pos: buf.len(),
        newlines,
        ..FrameEnd::default()
    };
    out.bytes = buf.len() as u64;
    ctx.progress.advance(out.bytes);
    out
}

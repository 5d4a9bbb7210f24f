//! Scanning one chunk of CSV rows (the dashboard's CSV download): the csv
//! crate frames rows, the prefilter picks the candidates, the columns decode
//! them.

use crate::input::{FrameEnd, MAX_RECORD_BYTES, csv_ends_inside_quotes};
use crate::record::CsvColumns;
use crate::signatures::{ConfirmMemo, Hit};

use super::chunk::ChunkOut;
use super::{Analysis, ChunkContext, Location};

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
    let mut memo = ConfirmMemo::default();
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
                // CSV rows are cheap to decode whole: a probe reads them
                // all, as `decode_all` does.
                if !(ctx.decode_all
                    || ctx.probe_all
                    || base + (offset as u64) < ctx.decode_before
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
                (ctx.signatures).match_record_memo(&rec, &mut memo, &mut hits);
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
    if eof && csv_ends_inside_quotes(buf) {
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

//! Scanning a stream (gzip, pipe, stdin) in bounded memory.
//!
//! A reader thread decompresses and cuts the stream into blocks that end on
//! record boundaries (after the last newline; inside a line longer than a
//! block, after the last complete array element, found by the framer; for
//! CSV, after the last newline outside quotes). Blocks go through a bounded
//! channel to the rayon workers, so decompression overlaps scanning and at
//! most a few blocks are in memory at once.

use std::io::{ErrorKind, Read};
use std::sync::Arc;
use std::sync::mpsc::sync_channel;

use rayon::prelude::*;

use crate::input::{
    Damage, ExportHeader, Framing, InputError, InputFormat, TopState, csv_records_end, frame,
};
use crate::record::CsvColumns;
use crate::signatures::SignatureSet;

use super::chunk::{ChunkOut, JsonSpan, json_chunk, undecodable_head};
use super::csv_chunk::csv_chunk;
use super::mapped::summarise;
use super::prepare::HEAD;
use super::prepare::{Cut, Prepared, prepare};
use super::{Analysis, ChunkContext, InputSummary, Progress, ScanSettings};

/// Bytes offered to one `read` call.
const READ_WINDOW: usize = 1 << 20;

/// The longest stretch read without finding a record boundary: a record
/// longer than this is damage.
const MAX_UNCUT: usize = crate::input::MAX_RECORD_BYTES;

/// One block handed to the workers.
pub(crate) struct Block {
    pub seq: u32,
    pub base: u64,
    pub data: Vec<u8>,
    pub top: TopState,
    /// `None` for CSV.
    pub framing: Option<Framing>,
    pub eof: bool,
    /// Lines before this block's first record not counted by it (CSV header).
    pub lead: u64,
}

/// What the workers need before the first block: the CSV columns, and
/// which records to decode whatever they hold (see [`ChunkContext`]).
#[derive(Default)]
struct StreamStart {
    csv: Option<Arc<CsvColumns>>,
    garbage: bool,
    decode_before: u64,
}

/// What the reader found out.
struct ReaderEnd {
    format: Option<InputFormat>,
    export: Option<ExportHeader>,
    csv: Option<Arc<CsvColumns>>,
    damage: Option<Damage>,
    error: Option<InputError>,
}

/// Scans a whole stream.
pub(crate) fn scan_stream<A: Analysis>(
    input: u32,
    name: &str,
    reader: Box<dyn Read + Send>,
    signatures: &SignatureSet,
    analysis: &A,
    settings: &ScanSettings,
    progress: &Progress,
) -> (InputSummary, A::Partial, Vec<u64>) {
    // Bounded memory: a block is at most 256 MiB whatever the chunk size.
    let block_size = settings.chunk_size.clamp(64 << 10, 256 << 20);
    let (tx, rx) = sync_channel::<Block>(settings.threads.max(1));
    let (csv_tx, csv_rx) = sync_channel::<StreamStart>(1);
    let forced = settings.format;
    let decode_all = analysis.decode_all() || settings.validate_all;
    let (outs, end) = std::thread::scope(|s| {
        let reader_thread =
            s.spawn(move || read_blocks(name, reader, forced, block_size, tx, csv_tx));
        // The workers need the CSV columns before the first block.
        let start = csv_rx.recv().unwrap_or_default();
        let ctx = ChunkContext {
            input,
            signatures,
            analysis,
            decode_all: decode_all || start.garbage,
            probe_all: analysis.probe_all(),
            decode_before: start.decode_before,
            csv: start.csv,
            progress,
        };
        let mut outs: Vec<(u32, u64, ChunkOut<A::Partial>)> = rx
            .into_iter()
            .par_bridge()
            .map(|b| (b.seq, b.lead, scan_block(&ctx, &b)))
            .collect();
        outs.sort_by_key(|(seq, _, _)| *seq);
        let end = reader_thread.join().unwrap_or_else(|_| ReaderEnd {
            format: None,
            export: None,
            csv: None,
            damage: None,
            error: Some(InputError::Internal {
                path: name.to_string(),
                what: "the reader thread failed".into(),
            }),
        });
        (outs, end)
    });
    if let Some(error) = end.error {
        let summary = InputSummary {
            error: Some(Arc::new(error)),
            ..Default::default()
        };
        return (summary, analysis.partial(), Vec::new());
    }
    let format = end.format.unwrap_or(InputFormat::JsonLines);
    let outs = outs.into_iter().map(|(_, lead, o)| (lead, o)).collect();
    let (summary, partial, bases) = summarise(analysis, format, outs, end.damage);
    let summary = InputSummary {
        export: end.export,
        ..summary
    };
    (summary, partial, bases)
}

pub(crate) fn scan_block<A: Analysis>(
    ctx: &ChunkContext<'_, A>,
    b: &Block,
) -> ChunkOut<A::Partial> {
    match (&ctx.csv, b.framing) {
        (Some(cols), _) => csv_chunk(ctx, cols, &b.data, b.base, b.seq, b.eof),
        (None, framing) => {
            let span = JsonSpan {
                chunk: b.seq,
                base: b.base,
                start: 0,
                top: b.top,
                stop: b.data.len(),
                framing: framing.unwrap_or(Framing::Lines),
                eof: b.eof,
            };
            json_chunk(ctx, &b.data, span)
        }
    }
}

/// Reads until `buf` holds `target` bytes or the stream ends. Returns whether
/// it ended, and the read error that ended it, if any.
fn fill(reader: &mut dyn Read, buf: &mut Vec<u8>, target: usize) -> (bool, Option<std::io::Error>) {
    while buf.len() < target {
        let old = buf.len();
        // Zero at most one read's worth at a time: pipes deliver 64 KiB per
        // read, and zeroing up to `target` on each would cost more than the
        // scan.
        buf.resize(target.min(old + READ_WINDOW), 0);
        match reader.read(&mut buf[old..]) {
            Ok(0) => {
                buf.truncate(old);
                return (true, None);
            }
            Ok(n) => buf.truncate(old + n),
            Err(e) if e.kind() == ErrorKind::Interrupted => buf.truncate(old),
            Err(e) => {
                buf.truncate(old);
                return (true, Some(e));
            }
        }
    }
    (false, None)
}

/// Where to end a block, and the framing state there. `None`: no complete
/// record yet; read more.
pub(crate) fn find_cut(buf: &[u8], cut: Cut, top: TopState) -> Option<(usize, TopState)> {
    let cut_by_framer = |framing| {
        let end = frame(buf, 0, top, usize::MAX, framing, false, &mut |_| ());
        let top = end.top.unwrap_or(TopState::Outside);
        (end.pos > 0).then_some((end.pos, top))
    };
    match cut {
        Cut::Json(Framing::Lines) => match memchr::memrchr(b'\n', buf) {
            Some(i) => Some((i + 1, TopState::Outside)),
            None => cut_by_framer(Framing::Lines),
        },
        Cut::Json(Framing::Document) => cut_by_framer(Framing::Document),
        Cut::Csv => csv_records_end(buf).map(|i| (i, TopState::Outside)),
    }
}

fn read_blocks(
    name: &str,
    mut reader: Box<dyn Read + Send>,
    forced: Option<InputFormat>,
    block_size: usize,
    tx: std::sync::mpsc::SyncSender<Block>,
    csv_tx: std::sync::mpsc::SyncSender<StreamStart>,
) -> ReaderEnd {
    let mut end = ReaderEnd {
        format: None,
        export: None,
        csv: None,
        damage: None,
        error: None,
    };
    let mut buf: Vec<u8> = Vec::with_capacity(block_size + block_size / 4);
    let (mut eof, mut err) = fill(&mut *reader, &mut buf, HEAD);
    if let (Some(e), true) = (&err, buf.is_empty()) {
        end.error = Some(InputError::Read {
            path: name.to_string(),
            offset: 0,
            source: std::io::Error::new(e.kind(), e.to_string()),
        });
        let _ = csv_tx.send(StreamStart::default());
        return end;
    }
    // Decide how the input starts; a CSV header may need more bytes (up to
    // the maximum record size).
    let start = loop {
        match prepare(name, &buf, eof, forced) {
            Prepared::Ready(start) => break start,
            Prepared::Failed(e) => {
                end.error = Some(e);
                let _ = csv_tx.send(StreamStart::default());
                return end;
            }
            Prepared::NeedMore => {
                let want = (buf.len() * 2).clamp(HEAD, MAX_UNCUT + 1);
                (eof, err) = fill(&mut *reader, &mut buf, want);
            }
        }
    };
    // Whether the head decodes at all is judged on the same bytes as for a
    // mapped input: [`HEAD`] bytes after the skipped lead.
    if !eof && buf.len() < start.skip + HEAD {
        (eof, err) = fill(&mut *reader, &mut buf, start.skip + HEAD);
    }
    let head = &buf[start.skip..buf.len().min(start.skip + HEAD)];
    let garbage = start
        .cut
        .framing()
        .is_some_and(|f| undecodable_head(head, f));
    buf.drain(..start.skip);
    let mut base = start.skip as u64;
    let mut lead = start.lead;
    let cut = start.cut;
    end.format = Some(start.format);
    end.export = start.export;
    end.csv = start.csv;
    let workers = StreamStart {
        csv: end.csv.clone(),
        garbage,
        decode_before: start.skip as u64 + HEAD as u64,
    };
    if csv_tx.send(workers).is_err() {
        return end;
    }
    let framing = cut.framing();
    let mut seq = 0u32;
    let mut top = TopState::Outside;
    let mut target = block_size;
    loop {
        if !eof {
            (eof, err) = fill(&mut *reader, &mut buf, target);
        }
        if eof {
            if let Some(e) = err.take() {
                let at = base + buf.len() as u64;
                end.damage = Some(Damage::Corrupt {
                    after: at,
                    message: e.to_string(),
                });
            }
            let block = Block {
                seq,
                base,
                data: std::mem::take(&mut buf),
                top,
                framing,
                eof: true,
                lead,
            };
            let _ = tx.send(block);
            return end;
        }
        // Where this block ends, and the framing state there. A record
        // longer than a block is read on, up to the maximum record size;
        // past it the input is damaged: the records before it are scanned
        // and the stream is not read further, so memory stays bounded.
        let (pos, next_top) = match find_cut(&buf, cut, top) {
            Some(c) => c,
            None if buf.len() <= MAX_UNCUT => {
                target = (buf.len() * 2).min(MAX_UNCUT + 1);
                continue;
            }
            None => {
                end.damage = Some(Damage::NoBoundary { after: base });
                return end;
            }
        };
        let mut rest = Vec::with_capacity(block_size + block_size / 4);
        rest.extend_from_slice(&buf[pos..]);
        buf.truncate(pos);
        let data = std::mem::replace(&mut buf, rest);
        let block = Block {
            seq,
            base,
            data,
            top,
            framing,
            eof: false,
            lead,
        };
        if tx.send(block).is_err() {
            return end;
        }
        base += pos as u64;
        (seq, top, lead, target) = (seq + 1, next_top, 0, block_size);
    }
}

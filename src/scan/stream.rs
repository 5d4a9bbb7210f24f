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
    ExportHeader, Framing, InputFormat, TopState, csv_records_end, detect, frame, read_preamble,
};
use crate::record::CsvColumns;
use crate::signatures::SignatureSet;

use super::chunk::{ChunkOut, JsonSpan, csv_chunk, json_chunk, undecodable_head};
use super::mapped::{HEAD, summarise};
use super::{Analysis, ChunkContext, InputSummary, Progress, ScanSettings};

/// Bytes offered to one `read` call.
const READ_WINDOW: usize = 1 << 20;

/// The longest stretch read without finding a record boundary: a record
/// longer than this is damage.
const MAX_UNCUT: usize = crate::input::MAX_RECORD_BYTES;

/// One block handed to the workers.
struct Block {
    seq: u32,
    base: u64,
    data: Vec<u8>,
    top: TopState,
    /// `None` for CSV.
    framing: Option<Framing>,
    eof: bool,
    /// Lines before this block's first record not counted by it (CSV header).
    lead: u64,
}

/// How the reader cuts blocks.
#[derive(Clone, Copy)]
enum Cut {
    Json(Framing),
    Csv,
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
    damage: Option<String>,
    error: Option<String>,
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
        let reader_thread = s.spawn(move || read_blocks(reader, forced, block_size, tx, csv_tx));
        // The workers need the CSV columns before the first block.
        let start = csv_rx.recv().unwrap_or_default();
        let ctx = ChunkContext {
            input,
            signatures,
            analysis,
            decode_all: decode_all || start.garbage,
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
            error: Some("reader thread failed".into()),
        });
        (outs, end)
    });
    if let Some(error) = end.error {
        let summary = InputSummary {
            error: Some(format!("{name}: {error}")),
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

fn scan_block<A: Analysis>(ctx: &ChunkContext<'_, A>, b: &Block) -> ChunkOut<A::Partial> {
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
fn find_cut(buf: &[u8], cut: Cut, top: TopState) -> Option<(usize, TopState)> {
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
        end.error = Some(format!("read failed: {e}"));
        let _ = csv_tx.send(StreamStart::default());
        return end;
    }
    let mut base = 0u64;
    let mut lead = 0u64;
    // A copied-logs header comes before the JSON lines: skip it, keep it.
    if let Some(p) = read_preamble(&buf).filter(|_| forced.is_none_or(|f| f.framing().is_some())) {
        buf.drain(..p.body);
        (base, lead) = (p.body as u64, p.lines);
        end.export = Some(p.header);
        if buf.len() < HEAD && !eof {
            (eof, err) = fill(&mut *reader, &mut buf, HEAD);
        }
    }
    // As for a mapped input: counted from where the records start.
    let decode_before = base + HEAD as u64;
    let format = match forced.map(Ok).unwrap_or_else(|| detect(&buf)) {
        Ok(f) => f,
        Err(u) => {
            end.error = Some(format!(
                "unrecognised format (starts with {:?}); pass --input-format",
                u.head
            ));
            let _ = csv_tx.send(StreamStart::default());
            return end;
        }
    };
    end.format = Some(format);
    let cut = match format.framing() {
        Some(f) => Cut::Json(f),
        None => {
            // The header must be whole before it can be read (and is a
            // record like any other: bounded).
            while memchr::memchr(b'\n', &buf).is_none() && !eof {
                if buf.len() > MAX_UNCUT {
                    end.error = Some(format!(
                        "the CSV header is longer than {} MiB, the maximum record size",
                        MAX_UNCUT >> 20
                    ));
                    let _ = csv_tx.send(StreamStart::default());
                    return end;
                }
                let want = (buf.len() * 2).min(MAX_UNCUT + 1);
                (eof, err) = fill(&mut *reader, &mut buf, want);
            }
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&buf[..]);
            let mut header = csv::ByteRecord::new();
            let cols = rdr
                .read_byte_record(&mut header)
                .ok()
                .and_then(|_| CsvColumns::from_header(&header));
            let Some(cols) = cols else {
                end.error = Some("CSV input without a recognised header row".to_string());
                let _ = csv_tx.send(StreamStart::default());
                return end;
            };
            let body = rdr.position().byte() as usize;
            lead += memchr::memchr_iter(b'\n', &buf[..body]).count() as u64;
            buf.drain(..body);
            base += body as u64;
            end.csv = Some(Arc::new(cols));
            Cut::Csv
        }
    };
    let start = StreamStart {
        csv: end.csv.clone(),
        garbage: format
            .framing()
            .is_some_and(|f| undecodable_head(&buf[..buf.len().min(HEAD)], f)),
        decode_before,
    };
    if csv_tx.send(start).is_err() {
        return end;
    }
    let framing = match cut {
        Cut::Json(f) => Some(f),
        Cut::Csv => None,
    };
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
                end.damage = Some(format!(
                    "stream is truncated or corrupt after {at} bytes: {e}"
                ));
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
                end.damage = Some(format!(
                    "no record boundary within {} MiB after byte {base}: a record longer than the maximum record size",
                    MAX_UNCUT >> 20
                ));
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

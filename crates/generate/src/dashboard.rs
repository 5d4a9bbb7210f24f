//! Dashboard "Logs" exports (FORMATS.md §3): one compact JSON array on one
//! line, or the 30-column CSV. One row per log line plus one request-summary
//! row per invocation (a request with a duration): empty `level`/`message`,
//! filled `durationMs`, memory and `invocationId`. Numbers are `""` on some
//! rows, as in real exports. JSON rows are shuffled within small windows
//! (deterministically) because real exports are not in time order.

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use super::dashboard_row::{CSV_HEADER, CsvRow, Row, Scratch, build};
use super::event::Event;
use super::rng::SplitMix64;
use super::sink::Sink;

const WINDOW: usize = 16;

/// A byte buffer shared with the CSV encoder, so each encoded row can be
/// moved into the sink without re-creating the encoder.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A CSV encoder whose output we drain after every row.
struct CsvEncoder {
    writer: csv::Writer<Shared>,
    bytes: Shared,
}

impl CsvEncoder {
    fn new(crlf: bool) -> Self {
        let bytes = Shared::default();
        let terminator = if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        };
        let writer = csv::WriterBuilder::new()
            .has_headers(false)
            .terminator(terminator)
            .from_writer(bytes.clone());
        Self { writer, bytes }
    }

    /// Moves what the encoder has produced into `sink`.
    fn drain_into<W: Write>(&mut self, sink: &mut Sink<'_, W>) -> io::Result<()> {
        self.writer.flush()?;
        let mut bytes = self.bytes.0.borrow_mut();
        sink.buf.extend_from_slice(&bytes);
        bytes.clear();
        Ok(())
    }
}

/// Where rows go: a CSV encoder, or the JSON shuffle window.
struct Output {
    csv: Option<CsvEncoder>,
    window: Vec<Vec<u8>>,
    filled: usize,
    rng: SplitMix64,
    opened: bool,
    rows: u64,
}

impl Output {
    fn push<W: Write>(&mut self, row: &Row<'_>, sink: &mut Sink<'_, W>) -> io::Result<()> {
        self.rows += 1;
        if let Some(enc) = &mut self.csv {
            enc.writer.serialize(CsvRow::from(row))?;
            enc.drain_into(sink)?;
            return sink.end_record();
        }
        let slot = &mut self.window[self.filled];
        slot.clear();
        serde_json::to_writer(slot, row)?;
        self.filled += 1;
        if self.filled == WINDOW {
            self.flush_window(sink)
        } else {
            Ok(())
        }
    }

    fn flush_window<W: Write>(&mut self, sink: &mut Sink<'_, W>) -> io::Result<()> {
        let mut order: [usize; WINDOW] = std::array::from_fn(|i| i);
        for i in (1..self.filled).rev() {
            order.swap(i, self.rng.below(i as u64 + 1) as usize);
        }
        for &i in &order[..self.filled] {
            sink.buf.push(if self.opened { b',' } else { b'[' });
            self.opened = true;
            sink.buf.extend_from_slice(&self.window[i]);
            sink.end_record()?;
        }
        self.filled = 0;
        Ok(())
    }
}

/// Writes a dashboard export: CSV when `csv` is set (with `crlf` line ends
/// if asked), else one JSON array on one line.
pub(crate) fn write<W: Write>(
    events: impl Iterator<Item = Event>,
    csv: bool,
    crlf: bool,
    sink: &mut Sink<'_, W>,
) -> io::Result<u64> {
    let mut out = Output {
        csv: csv.then(|| CsvEncoder::new(crlf)),
        window: vec![Vec::new(); WINDOW],
        filled: 0,
        rng: SplitMix64::new(0x5EED_DA5B),
        opened: false,
        rows: 0,
    };
    if let Some(enc) = &mut out.csv {
        enc.writer.write_record(CSV_HEADER)?;
        enc.drain_into(sink)?;
    }
    let mut scratch = Scratch::default();
    let mut prev: Option<Event> = None;
    for e in events {
        if let Some(p) = prev
            .take_if(|p| p.request_id != e.request_id)
            .filter(|p| p.duration_ms.is_some())
        {
            out.push(&build(&mut scratch, &p, true), sink)?;
        }
        out.push(&build(&mut scratch, &e, false), sink)?;
        prev = Some(e);
    }
    if let Some(p) = prev.filter(|p| p.duration_ms.is_some()) {
        out.push(&build(&mut scratch, &p, true), sink)?;
    }
    if !csv {
        out.flush_window(sink)?;
        sink.buf
            .extend_from_slice(if out.opened { b"]" } else { b"[]" });
        sink.line_end();
        sink.end_record()?;
    }
    Ok(out.rows)
}

//! How an input's bytes start: a copied-logs header to skip, the format
//! (detected, or forced), and for CSV the header row. Decided once per
//! input, from its first bytes, by the stream reader and the incremental
//! feed alike.

use std::sync::Arc;

use crate::input::{
    ExportHeader, Framing, InputError, InputFormat, MAX_RECORD_BYTES, detect, read_preamble,
};
use crate::record::CsvColumns;

/// Detection looks at this many leading bytes.
pub(crate) const HEAD: usize = 64 << 10;

/// How blocks of an input are cut.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cut {
    Json(Framing),
    Csv,
}

impl Cut {
    /// The JSON framing; `None` for CSV.
    pub(crate) fn framing(self) -> Option<Framing> {
        match self {
            Cut::Json(f) => Some(f),
            Cut::Csv => None,
        }
    }
}

/// What the start of an input says.
#[derive(Debug)]
pub(crate) struct Start {
    /// Bytes before the first record (a copied-logs header, a CSV header).
    pub skip: usize,
    /// Lines in those bytes.
    pub lead: u64,
    pub export: Option<ExportHeader>,
    pub format: InputFormat,
    pub cut: Cut,
    pub csv: Option<Arc<CsvColumns>>,
}

/// The decision, or that more bytes are needed first.
#[derive(Debug)]
pub(crate) enum Prepared {
    NeedMore,
    Failed(InputError),
    Ready(Start),
}

/// Whether `buf` may be the start of a copied-logs header not yet whole.
fn may_be_preamble(buf: &[u8]) -> bool {
    let b = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
    let b = &b[b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len())..];
    b.starts_with(b"---") || b.starts_with(b"Copied ")
}

/// Decides how `buf` (the first bytes of an input; `eof`: all of it)
/// starts. Needs a complete first line (or [`HEAD`] bytes) to decide; a
/// copied-logs header must be whole.
pub(crate) fn prepare(name: &str, buf: &[u8], eof: bool, forced: Option<InputFormat>) -> Prepared {
    let json_ok = forced.is_none_or(|f| f.framing().is_some());
    let mut skip = 0;
    let mut lead = 0;
    let mut export = None;
    if json_ok {
        match read_preamble(buf) {
            Some(p) => {
                skip = p.body;
                lead = p.lines;
                export = Some(p.header);
            }
            None if !eof && buf.len() < HEAD && may_be_preamble(buf) => return Prepared::NeedMore,
            None => {}
        }
    }
    let body = &buf[skip..];
    if !eof && body.len() < HEAD && memchr::memchr(b'\n', body).is_none() {
        return Prepared::NeedMore;
    }
    let format = match forced
        .map(Ok)
        .unwrap_or_else(|| detect(&body[..body.len().min(HEAD)]))
    {
        Ok(f) => f,
        Err(u) => {
            return Prepared::Failed(InputError::UnknownFormat {
                path: name.to_string(),
                head: u.head,
            });
        }
    };
    if let Some(framing) = format.framing() {
        return Prepared::Ready(Start {
            skip,
            lead,
            export,
            format,
            cut: Cut::Json(framing),
            csv: None,
        });
    }
    // CSV: the header row must be whole (and is a record like any other:
    // bounded).
    if !eof && memchr::memchr(b'\n', body).is_none() {
        if body.len() > MAX_RECORD_BYTES {
            return Prepared::Failed(InputError::CsvHeaderTooLong {
                path: name.to_string(),
            });
        }
        return Prepared::NeedMore;
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut header = csv::ByteRecord::new();
    let cols = rdr
        .read_byte_record(&mut header)
        .ok()
        .and_then(|_| CsvColumns::from_header(&header));
    let Some(cols) = cols else {
        return Prepared::Failed(InputError::NoCsvHeader {
            path: name.to_string(),
        });
    };
    let header_end = rdr.position().byte() as usize;
    Prepared::Ready(Start {
        skip: skip + header_end,
        lead: lead + memchr::memchr_iter(b'\n', &body[..header_end]).count() as u64,
        export,
        format,
        cut: Cut::Csv,
        csv: Some(Arc::new(cols)),
    })
}

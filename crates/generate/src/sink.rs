//! [`Sink`]: where every shape writer puts its bytes.
//!
//! Writers serialise each record straight into [`Sink::buf`], a reused
//! buffer, then call [`Sink::end_record`]. The sink hands the buffer on in
//! 64 KiB pieces (so no `BufWriter` is needed in front of the caller's
//! writer), optionally through gzip, and can start a fresh gzip member once a
//! member holds enough bytes: concatenated members are what rotated and
//! appended `.gz` logs look like. Member boundaries fall on record ends.
//! Memory use is constant whatever the output size.

use std::cell::Cell;
use std::io::{self, Write};

use flate2::Compression;
use flate2::write::GzEncoder;

use super::WriteOptions;

const FLUSH_AT: usize = 64 * 1024;

enum Out<W: Write> {
    Plain(W),
    Gzip(Box<GzEncoder<W>>),
    /// Only while a gzip member is being swapped.
    Swapping,
}

/// Buffered, optionally gzipped output that counts uncompressed bytes.
pub(crate) struct Sink<'c, W: Write> {
    out: Out<W>,
    /// The current record(s), not yet handed on.
    pub buf: Vec<u8>,
    line_end: &'static [u8],
    member_bytes: Option<u64>,
    member_start: u64,
    flushed: u64,
    total: &'c Cell<u64>,
}

impl<'c, W: Write> Sink<'c, W> {
    /// Opens the sink; `total` tracks uncompressed bytes after each record.
    pub fn new(out: W, opts: &WriteOptions, total: &'c Cell<u64>) -> Self {
        let out = if opts.gzip {
            Out::Gzip(Box::new(GzEncoder::new(out, Compression::default())))
        } else {
            Out::Plain(out)
        };
        let mut buf = Vec::with_capacity(FLUSH_AT + 8 * 1024);
        if opts.bom {
            buf.extend_from_slice("\u{feff}".as_bytes());
        }
        Self {
            out,
            buf,
            line_end: if opts.crlf { b"\r\n" } else { b"\n" },
            member_bytes: opts.gzip_member_bytes.filter(|&m| m > 0),
            member_start: 0,
            flushed: 0,
            total,
        }
    }

    /// Appends the configured line end (`\n` or `\r\n`).
    pub fn line_end(&mut self) {
        self.buf.extend_from_slice(self.line_end);
    }

    /// Marks the end of a record: updates the byte count, hands on a full
    /// buffer, and starts a new gzip member when the current one is big enough.
    pub fn end_record(&mut self) -> io::Result<()> {
        let total = self.flushed + self.buf.len() as u64;
        self.total.set(total);
        if self.buf.len() >= FLUSH_AT {
            self.flush_buf()?;
        }
        let gzip = matches!(self.out, Out::Gzip(_));
        let member_full = self
            .member_bytes
            .is_some_and(|m| total - self.member_start >= m);
        if gzip && member_full {
            self.flush_buf()?;
            self.member_start = total;
            if let Out::Gzip(gz) = std::mem::replace(&mut self.out, Out::Swapping) {
                let inner = gz.finish()?;
                self.out = Out::Gzip(Box::new(GzEncoder::new(inner, Compression::default())));
            }
        }
        Ok(())
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        match &mut self.out {
            Out::Plain(w) => w.write_all(&self.buf)?,
            Out::Gzip(w) => w.write_all(&self.buf)?,
            Out::Swapping => return Err(io::Error::other("gzip member swap failed")),
        }
        self.flushed += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Writes what is left, closes gzip and flushes the caller's writer.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush_buf()?;
        self.total.set(self.flushed);
        match self.out {
            Out::Plain(mut w) => w.flush(),
            Out::Gzip(gz) => gz.finish()?.flush(),
            Out::Swapping => Err(io::Error::other("gzip member swap failed")),
        }
    }
}

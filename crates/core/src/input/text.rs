//! Plain text input, one message per line (`--input-format text`, read by
//! `logs templates` only: text has no records, levels or times for the
//! other commands to use).
//!
//! The input is opened like any other ([`super::open`]: mapped, or streamed
//! for gzip, pipes and stdin). A UTF-8 byte order mark and `\r` line ends
//! are dropped, invalid UTF-8 is replaced, blank lines are skipped but
//! counted, so line numbers are those of the file.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};

use super::{InputBytes, InputSpec, MAX_RECORD_BYTES, open};
use crate::input::InputError;

/// What reading one text input saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextStats {
    /// Lines, blank ones included.
    pub lines: u64,
    /// Non-blank lines, each handed to the caller.
    pub messages: u64,
    /// Bytes read (decompressed).
    pub bytes: u64,
    pub gzip: bool,
}

/// Calls `each(line_number, text)` (1-based) for every non-blank line.
pub fn read_text_lines(
    spec: &InputSpec,
    mut each: impl FnMut(u64, &str),
) -> Result<TextStats, InputError> {
    let opened = open(spec)?;
    let mut stats = TextStats {
        gzip: opened.gzip,
        ..TextStats::default()
    };
    let mut line = |raw: &[u8], stats: &mut TextStats| {
        stats.lines += 1;
        stats.bytes += raw.len() as u64 + 1;
        let raw = if stats.lines == 1 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        stats.messages += 1;
        let text = match std::str::from_utf8(raw) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(raw),
        };
        each(stats.lines, &text);
    };
    match opened.bytes {
        InputBytes::Mapped(m) => {
            let bytes = m.bytes();
            let too_long = |start: usize| InputError::TooLong {
                path: opened.name.clone(),
                offset: start as u64,
            };
            let mut start = 0;
            for nl in memchr::memchr_iter(b'\n', bytes) {
                if nl - start > MAX_RECORD_BYTES {
                    return Err(too_long(start));
                }
                line(&bytes[start..nl], &mut stats);
                start = nl + 1;
            }
            if bytes.len() - start > MAX_RECORD_BYTES {
                return Err(too_long(start));
            }
            if start < bytes.len() {
                line(&bytes[start..], &mut stats);
            }
        }
        InputBytes::Stream(reader) => read_stream(&opened.name, reader, &mut stats, &mut line)?,
    }
    Ok(stats)
}

fn read_stream(
    name: &str,
    reader: Box<dyn Read + Send>,
    stats: &mut TextStats,
    line: &mut impl FnMut(&[u8], &mut TextStats),
) -> Result<(), InputError> {
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    let mut buf = Vec::with_capacity(4096);
    loop {
        buf.clear();
        // At most one byte past the limit is read for a line.
        let limit = MAX_RECORD_BYTES as u64 + 2;
        match (&mut reader).take(limit).read_until(b'\n', &mut buf) {
            Ok(0) => return Ok(()),
            Ok(_) if buf.len() as u64 >= limit - 1 && buf.last() != Some(&b'\n') => {
                return Err(InputError::TooLong {
                    path: name.to_string(),
                    offset: stats.bytes,
                });
            }
            Ok(_) => {
                let raw = buf.strip_suffix(b"\n").unwrap_or(&buf);
                line(raw, stats);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(source) => {
                return Err(InputError::Read {
                    path: name.to_string(),
                    offset: stats.bytes,
                    source,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(bytes: &[u8]) -> (Vec<(u64, String)>, TextStats) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.txt");
        std::fs::write(&path, bytes).expect("write");
        let mut seen = Vec::new();
        let stats = read_text_lines(&InputSpec::Path(path), |n, t| seen.push((n, t.to_string())))
            .expect("read");
        (seen, stats)
    }

    #[test]
    fn numbers_lines_and_skips_blanks() {
        let (seen, stats) = lines_of(b"\xEF\xBB\xBFfirst\r\n\n  \nfourth\nlast");
        assert_eq!(
            seen,
            [
                (1, "first".into()),
                (4, "fourth".into()),
                (5, "last".into())
            ]
        );
        assert_eq!((stats.lines, stats.messages), (5, 3));
    }

    #[test]
    fn gzip_is_streamed() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"a 1\n\nb \xff 2\n").expect("gzip");
        let (seen, stats) = lines_of(&gz.finish().expect("gzip"));
        assert_eq!(seen, [(1, "a 1".into()), (3, "b \u{fffd} 2".into())]);
        assert!(stats.gzip);
    }
}

//! Where CSV records end, by the same state machine the `csv` crate reads
//! them with (`csv-core`): a quote opens a quoted field only at the start
//! of a field, `""` inside one is a quote, and a newline inside one is data.
//! Counting quotes instead goes wrong on a stray quote inside an unquoted
//! field (`6"`), which real messages hold.

use csv_core::{ReadRecordResult, Reader};

/// Reads `input` on from `rdr`'s state; returns the offset just past the
/// last record that ended in it. Never passes an empty input: to
/// `csv-core` that means the end of the data.
fn last_record_end(rdr: &mut Reader, input: &[u8]) -> Option<usize> {
    let mut out = [0u8; 4096];
    let mut ends = [0usize; 64];
    let (mut pos, mut last) = (0, None);
    while pos < input.len() {
        let (res, nin, _, _) = rdr.read_record(&input[pos..], &mut out, &mut ends);
        pos += nin;
        match res {
            ReadRecordResult::Record => last = Some(pos),
            ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {}
            ReadRecordResult::InputEmpty | ReadRecordResult::End => break,
        }
    }
    last
}

/// The offset just past the last complete record of `buf` (after its line
/// end), or `None` when no record ends in it.
pub fn csv_records_end(buf: &[u8]) -> Option<usize> {
    let end = last_record_end(&mut Reader::new(), buf)?;
    // A CRLF ends one record: keep its `\n` with it.
    let crlf = end > 0 && buf[end - 1] == b'\r' && buf.get(end) == Some(&b'\n');
    Some(end + usize::from(crlf))
}

/// Whether `buf`, read to its end, stops inside a quoted field: the input
/// was cut off there.
pub fn csv_ends_inside_quotes(buf: &[u8]) -> bool {
    let tail = &buf[csv_records_end(buf).unwrap_or(0)..];
    if tail.is_empty() {
        return false;
    }
    // Whatever the tail holds (a blank line, part of a record, a closed or
    // an open quoted field), `x` and a line end complete a record unless
    // they are data inside quotes.
    let mut rdr = Reader::new();
    let _ = last_record_end(&mut rdr, tail);
    last_record_end(&mut rdr, b"x\n").is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_open_only_at_the_start_of_a_field() {
        let s = b"a,b\n6\",\"x\ny\",z\nlast";
        // `6"` is a plain field; `"x\ny"` a quoted one spanning lines.
        assert_eq!(csv_records_end(s), Some(15));
        assert!(!csv_ends_inside_quotes(s));
        assert!(csv_ends_inside_quotes(b"a,b\n1,\"cut"));
        assert!(!csv_ends_inside_quotes(b"a,b\n1,\"whole\""));
        assert!(!csv_ends_inside_quotes(b"a,b\n"));
        assert_eq!(csv_records_end(b"a,b\r\n1,2\r\n3"), Some(10));
        assert_eq!(csv_records_end(b"a,\"b\nc"), None);
    }
}

//! A drain POST body → the records to store: gzip decoded under a limit,
//! then a JSON array (JSON drains) or NDJSON (NDJSON drains) split into
//! records, each kept as its raw JSON text (`RawValue`), so the stored
//! line is the record as received. A record spread over several lines (a
//! pretty-printed array element) is stored with the whitespace between
//! tokens removed, which changes no value.
//!
//! A batch is all or nothing: one malformed record (not JSON, or not an
//! object) rejects the whole batch with 400 and nothing is stored, so a
//! retry by Vercel can never leave half a batch behind.

use std::io::Read;

use serde::Deserialize;
use serde_json::value::RawValue;

/// Why a body was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BatchError {
    /// The decoded body is larger than the limit (a gzip bomb).
    #[error("decoded body larger than {0} bytes")]
    TooLarge(u64),
    /// The gzip stream is truncated or corrupt.
    #[error("bad gzip body: {0}")]
    Gzip(String),
    /// A record is not a JSON object (1-based record number).
    #[error("record {index}: {reason}")]
    Malformed { index: usize, reason: String },
    /// The body holds no record.
    #[error("empty batch")]
    Empty,
}

/// One record: its line as stored (no newline) and its `id`, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: Vec<u8>,
    pub id: Option<String>,
}

/// Gunzips `body` into at most `limit` bytes.
pub fn gunzip(body: &[u8], limit: u64) -> Result<Vec<u8>, BatchError> {
    let mut out = Vec::new();
    let decoder = flate2::read::MultiGzDecoder::new(body);
    decoder
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| BatchError::Gzip(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(BatchError::TooLarge(limit));
    }
    Ok(out)
}

#[derive(Deserialize)]
struct Head<'a> {
    #[serde(borrow, default)]
    id: Option<std::borrow::Cow<'a, str>>,
}

/// The records of a decoded body: a JSON array, or one object per line.
pub fn split(body: &[u8]) -> Result<Vec<Record>, BatchError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let raws: Vec<(usize, &[u8])> = if first == Some(&b'[') {
        let items: Vec<&RawValue> =
            serde_json::from_slice(body).map_err(|e| BatchError::Malformed {
                index: 0,
                reason: format!("not a JSON array of records: {e}"),
            })?;
        items
            .iter()
            .enumerate()
            .map(|(i, r)| (i + 1, r.get().as_bytes()))
            .collect()
    } else {
        body.split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .collect()
    };
    let mut records = Vec::with_capacity(raws.len());
    for (index, raw) in raws {
        records.push(record(index, raw)?);
    }
    if records.is_empty() {
        return Err(BatchError::Empty);
    }
    Ok(records)
}

fn record(index: usize, raw: &[u8]) -> Result<Record, BatchError> {
    let bad = |reason: String| BatchError::Malformed { index, reason };
    let trimmed = raw.trim_ascii();
    if trimmed.first() != Some(&b'{') {
        return Err(bad("not a JSON object".into()));
    }
    std::str::from_utf8(trimmed).map_err(|e| bad(format!("not UTF-8: {e}")))?;
    // One pass: deserializing the head also checks that the whole object
    // (the fields ignored included) is valid JSON with nothing after it.
    let head: Head = serde_json::from_slice(trimmed).map_err(|e| bad(e.to_string()))?;
    let text = trimmed;
    let line = if text.contains(&b'\n') || text.contains(&b'\r') {
        compact(text)
    } else {
        text.to_vec()
    };
    Ok(Record {
        line,
        id: head.id.map(|c| c.into_owned()),
    })
}

/// `json` (valid JSON) without the whitespace between tokens; whitespace
/// inside strings is kept (a raw newline cannot occur there).
fn compact(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for &b in json {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            in_string = b == b'"';
            out.push(b);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_and_ndjson_give_the_same_records() {
        let a = split(br#"[{"id":"a","message":"x  y"},{"message":"z"}]"#).unwrap();
        let n = split(b"{\"id\":\"a\",\"message\":\"x  y\"}\r\n\n{\"message\":\"z\"}").unwrap();
        assert_eq!(a, n);
        assert_eq!(a[0].line, br#"{"id":"a","message":"x  y"}"#);
        assert_eq!(a[0].id.as_deref(), Some("a"));
        assert_eq!(a[1].id, None);
    }

    #[test]
    fn pretty_elements_are_compacted_without_touching_strings() {
        let r = split(b"[\n  {\n    \"id\": \"a b\",\n    \"n\": [1, 2]\n  }\n]").unwrap();
        assert_eq!(r[0].line, br#"{"id":"a b","n":[1,2]}"#);
    }

    #[test]
    fn one_bad_record_rejects_the_batch() {
        let e = split(b"{\"id\":\"a\"}\n{\"id\":\n{\"id\":\"c\"}").unwrap_err();
        assert!(matches!(e, BatchError::Malformed { index: 2, .. }), "{e}");
        assert!(matches!(
            split(b"[1]").unwrap_err(),
            BatchError::Malformed { index: 1, .. }
        ));
        assert!(matches!(
            split(br#"[{"id":1}]"#).unwrap_err(),
            BatchError::Malformed { index: 1, .. }
        ));
        assert!(matches!(
            split(b"{\"id\":\"a\",\"m\":\"\xff\"}").unwrap_err(),
            BatchError::Malformed { index: 1, .. }
        ));
        assert!(matches!(
            split(b"{\"id\":\"a\",\"m\":[1,}").unwrap_err(),
            BatchError::Malformed { index: 1, .. }
        ));
        assert!(matches!(
            split(b"{\"id\":\"a\"} x").unwrap_err(),
            BatchError::Malformed { index: 1, .. }
        ));
        assert_eq!(split(b" \n").unwrap_err(), BatchError::Empty);
        assert_eq!(split(b"[]").unwrap_err(), BatchError::Empty);
    }

    #[test]
    fn gzip_limits() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&vec![b' '; 1 << 20]).unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(gunzip(&gz, 1 << 20).unwrap().len(), 1 << 20);
        assert_eq!(gunzip(&gz, 1000).unwrap_err(), BatchError::TooLarge(1000));
        assert!(matches!(
            gunzip(&gz[..gz.len() / 2], 1 << 20),
            Err(BatchError::Gzip(_))
        ));
    }
}

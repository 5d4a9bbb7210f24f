//! Input formats and their detection from content (never from file names).

use std::fmt;

use super::json_frame::{Framing, Item, TopState, frame};

/// How an input's bytes hold records. Detected from content; `--input-format`
/// overrides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// JSON values, whole on each line: NDJSON, one array per line, or one
    /// array on one line.
    JsonLines,
    /// JSON values spread over lines (pretty-printed).
    JsonDocument,
    /// Dashboard CSV export.
    Csv,
}

impl InputFormat {
    /// Every name accepted by `--input-format`, with what it selects.
    pub const NAMES: &'static [(&'static str, InputFormat)] = &[
        ("ndjson", InputFormat::JsonLines),
        ("json", InputFormat::JsonLines),
        ("json-lines", InputFormat::JsonLines),
        ("json-document", InputFormat::JsonDocument),
        ("csv", InputFormat::Csv),
    ];

    /// Parses a `--input-format` value.
    pub fn from_name(name: &str) -> Option<InputFormat> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }

    /// The JSON framing, if this is a JSON format.
    pub fn framing(self) -> Option<Framing> {
        match self {
            InputFormat::JsonLines => Some(Framing::Lines),
            InputFormat::JsonDocument => Some(Framing::Document),
            InputFormat::Csv => None,
        }
    }
}

/// The container as found after the scan, for reports: `ndjson`,
/// `json-array` (one array), `json-batches` (several arrays), `json-document`
/// or `csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Container {
    Ndjson,
    JsonArray,
    JsonBatches,
    JsonDocument,
    Csv,
    Empty,
}

impl Container {
    /// Names the container from what framing saw.
    pub fn from_counts(format: InputFormat, arrays: u64, top_objects: u64, records: u64) -> Self {
        match format {
            InputFormat::Csv => Container::Csv,
            _ if records == 0 && arrays == 0 => Container::Empty,
            InputFormat::JsonDocument => Container::JsonDocument,
            InputFormat::JsonLines if arrays == 0 => Container::Ndjson,
            InputFormat::JsonLines if arrays == 1 && top_objects == 0 => Container::JsonArray,
            InputFormat::JsonLines => Container::JsonBatches,
        }
    }
}

impl fmt::Display for Container {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Container::Ndjson => "ndjson",
            Container::JsonArray => "json-array",
            Container::JsonBatches => "json-batches",
            Container::JsonDocument => "json-document",
            Container::Csv => "csv",
            Container::Empty => "empty",
        })
    }
}

/// Why detection failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undetected {
    /// The first bytes, made printable, for the error message.
    pub head: String,
}

/// Columns whose presence in a first line marks a dashboard CSV header.
const CSV_HEADER_MARKS: &[&str] = &["timestampInMs", "TimeUTC", "requestPath", "message"];

/// Detects the format from the first bytes of an input (`head`, at most a few
/// tens of KB). Empty and blank inputs are JSON lines (with no records).
pub fn detect(head: &[u8]) -> Result<InputFormat, Undetected> {
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let Some(first) = body.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Ok(InputFormat::JsonLines);
    };
    let body = &body[first..];
    match body[0] {
        b'{' | b'[' => {
            // Whole values on a line? Pretty-printed JSON breaks its values
            // across lines; a one-line export may be longer than `head`, which
            // also means lines. One damaged first line must not decide, so the
            // first few complete lines vote: any whole record means lines.
            let mut whole = 0;
            let mut broken = 0;
            for line in body.split(|&b| b == b'\n').take(16) {
                if line.len() == body.len() {
                    return Ok(InputFormat::JsonLines);
                }
                frame(
                    line,
                    0,
                    TopState::Outside,
                    usize::MAX,
                    Framing::Lines,
                    true,
                    &mut |item| match item {
                        Item::Record { .. } => whole += 1,
                        Item::Malformed { .. } => broken += 1,
                    },
                );
            }
            Ok(if whole == 0 && broken > 0 {
                InputFormat::JsonDocument
            } else {
                InputFormat::JsonLines
            })
        }
        _ => {
            let line = body.split(|&b| b == b'\n').next().unwrap_or_default();
            let line = String::from_utf8_lossy(line);
            if line.contains(',') && CSV_HEADER_MARKS.iter().any(|m| line.contains(m)) {
                Ok(InputFormat::Csv)
            } else {
                let head: String = String::from_utf8_lossy(&body[..body.len().min(40)])
                    .chars()
                    .map(|c| if c.is_control() { '·' } else { c })
                    .collect();
                Err(Undetected { head })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_shape() {
        assert_eq!(
            detect(b"{\"a\":1}\n{\"a\":2}\n"),
            Ok(InputFormat::JsonLines)
        );
        assert_eq!(
            detect(b"\xEF\xBB\xBF[{\"a\":1}]"),
            Ok(InputFormat::JsonLines)
        );
        assert_eq!(detect(b"[{\"a\":1},{\"a\":"), Ok(InputFormat::JsonLines));
        assert_eq!(
            detect(b"[\n  {\n    \"a\": 1\n  }\n]\n"),
            Ok(InputFormat::JsonDocument)
        );
        assert_eq!(
            detect(b"TimeUTC,timestampInMs,requestPath,message\r\n"),
            Ok(InputFormat::Csv)
        );
        assert_eq!(detect(b""), Ok(InputFormat::JsonLines));
        assert_eq!(detect(b" \n\r\n"), Ok(InputFormat::JsonLines));
        assert!(detect(b"hello world\n").is_err());
    }
}

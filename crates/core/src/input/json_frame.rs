//! Framing of JSON inputs into records: byte ranges, one per log record.
//!
//! One state machine serves every JSON container Vercel produces: one object
//! per line (drain NDJSON, both CLI eras), one array per line (saved drain
//! batches), one array on one line (the dashboard export), and pretty-printed
//! JSON ("document" mode, e.g. `jq` output). A record is an object at the top
//! level or an object element of a top-level array. Anything else is counted
//! as malformed and skipped, and the scan goes on.
//!
//! The framer only checks structure (balanced strings and brackets); records
//! that are decoded later get a full grammar check from `serde_json`.

use super::structural::{Unterminated, find_container_end, find_string_end};

/// How newlines relate to records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Every line holds whole values; a record never spans lines.
    Lines,
    /// Newlines are whitespace (pretty-printed JSON).
    Document,
}

/// Where the framer stands between values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopState {
    /// At the top level.
    Outside,
    /// Inside a top-level array, between elements.
    InArray,
}

/// Why something was not a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MalformedKind {
    /// Text that is not JSON at all.
    NotJson,
    /// An array element that is not an object.
    NotAnObject,
    /// A value cut off by the end of its line.
    CutAtLineEnd,
    /// An array whose line ended before its `]`.
    UnclosedArray,
    /// A value or array cut off by the end of the input.
    Truncated,
}

impl MalformedKind {
    /// Words for people.
    pub fn describe(self) -> &'static str {
        match self {
            MalformedKind::NotJson => "not JSON",
            MalformedKind::NotAnObject => "array element is not an object",
            MalformedKind::CutAtLineEnd => "record cut off at end of line",
            MalformedKind::UnclosedArray => "array not closed before end of line",
            MalformedKind::Truncated => "input ends inside a record or array (truncated)",
        }
    }
}

/// One framed item. Offsets are into the buffer given to [`frame`]; `line`
/// counts newlines since the framing started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Record {
        start: usize,
        end: usize,
        line: u64,
    },
    Malformed {
        start: usize,
        end: usize,
        line: u64,
        kind: MalformedKind,
    },
}

/// Where framing stopped and what it saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FrameEnd {
    /// Offset where the next item starts (or the buffer end).
    pub pos: usize,
    /// State at `pos`.
    pub top: Option<TopState>,
    /// Newlines passed.
    pub newlines: u64,
    /// Top-level arrays opened.
    pub arrays: u64,
    /// Records that were top-level objects (not array elements).
    pub top_objects: u64,
    /// Framing stopped before a value that runs past the buffer end
    /// (only when the buffer is not the end of the input).
    pub incomplete: bool,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Frames `buf` from `start` in state `top`, handing items to `sink`, until
/// the first item that starts at or after `stop`. With `eof`, the buffer end
/// is the input's end: values cut off there are reported as truncated.
pub fn frame(
    buf: &[u8],
    start: usize,
    top: TopState,
    stop: usize,
    framing: Framing,
    eof: bool,
    sink: &mut impl FnMut(Item),
) -> FrameEnd {
    let lines = framing == Framing::Lines;
    let mut out = FrameEnd {
        pos: start,
        top: Some(top),
        ..FrameEnd::default()
    };
    let mut pos = start;
    let mut top = top;
    let mut line = 0u64;
    while pos < buf.len() && pos < stop {
        let b = buf[pos];
        match b {
            b' ' | b'\t' | b'\r' => pos += 1,
            b'\n' => {
                if lines && top == TopState::InArray {
                    let kind = MalformedKind::UnclosedArray;
                    sink(Item::Malformed {
                        start: pos,
                        end: pos,
                        line,
                        kind,
                    });
                    top = TopState::Outside;
                }
                line += 1;
                pos += 1;
            }
            b',' if top == TopState::InArray => pos += 1,
            b']' if top == TopState::InArray => {
                top = TopState::Outside;
                pos += 1;
            }
            b'[' if top == TopState::Outside => {
                top = TopState::InArray;
                out.arrays += 1;
                pos += 1;
            }
            b'{' => match find_container_end(buf, pos + 1, lines) {
                Ok(end) => {
                    sink(Item::Record {
                        start: pos,
                        end,
                        line,
                    });
                    if top == TopState::Outside {
                        out.top_objects += 1;
                    }
                    if !lines {
                        line += memchr::memchr_iter(b'\n', &buf[pos..end]).count() as u64;
                    }
                    pos = end;
                }
                Err(Unterminated::Newline(nl)) => {
                    let kind = MalformedKind::CutAtLineEnd;
                    sink(Item::Malformed {
                        start: pos,
                        end: nl,
                        line,
                        kind,
                    });
                    pos = nl;
                }
                Err(Unterminated::End) => {
                    if !eof {
                        out.incomplete = true;
                        break;
                    }
                    let kind = MalformedKind::Truncated;
                    sink(Item::Malformed {
                        start: pos,
                        end: buf.len(),
                        line,
                        kind,
                    });
                    pos = buf.len();
                    top = TopState::Outside;
                }
            },
            0xEF if buf[pos..].starts_with(BOM) => pos += BOM.len(),
            _ if top == TopState::InArray => {
                let end = match b {
                    b'"' => find_string_end(buf, pos + 1).ok_or(Unterminated::End),
                    b'[' => find_container_end(buf, pos + 1, lines),
                    _ => Ok(memchr::memchr3(b',', b']', b'\n', &buf[pos..])
                        .map_or(buf.len(), |i| pos + i)),
                };
                let (end, kind) = match end {
                    Ok(end) => (end, MalformedKind::NotAnObject),
                    Err(Unterminated::Newline(nl)) => (nl, MalformedKind::CutAtLineEnd),
                    Err(Unterminated::End) if !eof => {
                        out.incomplete = true;
                        break;
                    }
                    Err(Unterminated::End) => (buf.len(), MalformedKind::Truncated),
                };
                sink(Item::Malformed {
                    start: pos,
                    end,
                    line,
                    kind,
                });
                pos = end.max(pos + 1);
            }
            _ => {
                let end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i);
                if end == buf.len() && !eof {
                    out.incomplete = true;
                    break;
                }
                let kind = MalformedKind::NotJson;
                sink(Item::Malformed {
                    start: pos,
                    end,
                    line,
                    kind,
                });
                pos = end;
            }
        }
    }
    if eof && pos >= buf.len() && top == TopState::InArray {
        let kind = MalformedKind::Truncated;
        sink(Item::Malformed {
            start: buf.len(),
            end: buf.len(),
            line,
            kind,
        });
        top = TopState::Outside;
    }
    out.pos = pos;
    out.top = Some(top);
    out.newlines = line;
    out
}

/// The offset of a likely element boundary in a long one-line array at or
/// after `from`: the `{` of `},{`. Only a guess: a chunk that starts here is
/// checked against the chunk before it (see `input::chunk`).
pub fn guess_element_start(buf: &[u8], from: usize, limit: usize) -> Option<usize> {
    let hay = buf.get(from..limit.min(buf.len()))?;
    memchr::memmem::find(hay, b"},{").map(|i| from + i + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(s: &str, framing: Framing) -> (Vec<Item>, FrameEnd) {
        let mut v = Vec::new();
        let end = frame(
            s.as_bytes(),
            0,
            TopState::Outside,
            usize::MAX,
            framing,
            true,
            &mut |i| v.push(i),
        );
        (v, end)
    }

    fn kinds(v: &[Item]) -> Vec<String> {
        v.iter()
            .map(|i| match i {
                Item::Record { line, .. } => format!("rec@{line}"),
                Item::Malformed { kind, line, .. } => format!("{kind:?}@{line}"),
            })
            .collect()
    }

    #[test]
    fn ndjson_with_crlf_blank_lines_and_bom() {
        let (v, end) = items(
            "\u{feff}{\"a\":1}\r\n\r\n{\"b\":\"x\\\"}\"}\r\n",
            Framing::Lines,
        );
        assert_eq!(kinds(&v), ["rec@0", "rec@2"]);
        assert_eq!(end.newlines, 3);
        assert_eq!(end.top_objects, 2);
    }

    #[test]
    fn arrays_per_line_and_one_line_array() {
        let (v, end) = items("[{\"a\":1},{\"a\":2}]\n[ {\"a\":3} ]\n", Framing::Lines);
        assert_eq!(kinds(&v), ["rec@0", "rec@0", "rec@1"]);
        assert_eq!(end.arrays, 2);
    }

    #[test]
    fn garbage_and_cut_lines_are_malformed_and_the_scan_goes_on() {
        let s = "{\"a\":1}\nnot json\n{\"a\":\"cut\n{\"a\":2}\n[{\"a\":3},42,\"s\",{\"a\":4}]\n";
        let (v, _) = items(s, Framing::Lines);
        assert_eq!(
            kinds(&v),
            [
                "rec@0",
                "NotJson@1",
                "CutAtLineEnd@2",
                "rec@3",
                "rec@4",
                "NotAnObject@4",
                "NotAnObject@4",
                "rec@4"
            ]
        );
    }

    #[test]
    fn truncation_at_end_of_input() {
        let (v, _) = items("[{\"a\":1},{\"a\":2},{\"a\":", Framing::Lines);
        assert_eq!(kinds(&v), ["rec@0", "rec@0", "Truncated@0"]);
        let (v, _) = items("[{\"a\":1}", Framing::Lines);
        assert_eq!(kinds(&v), ["rec@0", "Truncated@0"]);
        let (v, _) = items("[{\"a\":1}\n{\"b\":2}", Framing::Lines);
        assert_eq!(kinds(&v), ["rec@0", "UnclosedArray@0", "rec@1"]);
    }

    #[test]
    fn pretty_printed_documents() {
        let s = "[\n  {\n    \"a\": 1\n  },\n  {\n    \"a\": \"}\"\n  }\n]\n";
        let (v, end) = items(s, Framing::Document);
        assert_eq!(kinds(&v), ["rec@1", "rec@4"]);
        assert_eq!(end.newlines, 8);
    }

    #[test]
    fn stops_at_the_first_item_past_stop_and_reports_incomplete() {
        let s = b"{\"a\":1}\n{\"a\":2}\n{\"a\":3";
        let mut n = 0;
        let end = frame(
            s,
            0,
            TopState::Outside,
            9,
            Framing::Lines,
            false,
            &mut |_| n += 1,
        );
        assert_eq!((n, end.pos), (2, 15));
        let end = frame(
            s,
            0,
            TopState::Outside,
            usize::MAX,
            Framing::Lines,
            false,
            &mut |_| (),
        );
        assert!(end.incomplete);
        assert_eq!(end.pos, 16);
    }

    #[test]
    fn element_guess() {
        let s = b"[{\"a\":1},{\"a\":2}]";
        assert_eq!(guess_element_start(s, 0, s.len()), Some(9));
    }
}

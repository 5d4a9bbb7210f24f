//! The header block of the dashboard's "Copy logs" text, read and skipped.
//!
//! The Logs page's copy button writes a few lines framed by dashes before the
//! JSON lines:
//!
//! ```text
//! -------------------------------------------
//! Copied 6 logs from Vercel Dashboard
//! - Project: my-app (prj_…)
//! - Team: my-team (team_…)
//! - Search query: (no search query applied)
//! - Search timestamps: 2026-06-07T18:38:00.000Z to 2026-06-07T19:08:00.000Z
//! - Dashboard URL: https://vercel.com/my-team/my-app/logs
//! - Format: JSONL
//! - Documentation: https://vercel.com/docs/logs/runtime
//! -------------------------------------------
//! ```
//!
//! That header is not malformed data: [`read_preamble`] finds where the
//! records start and keeps what the header says (project, search, time
//! range) for the reports. Every value is redacted and bounded here, since it
//! is copied from a page the user typed into.

use serde::Serialize;

use crate::record::time::parse_rfc3339;
use crate::redact;

/// The longest header value kept, in characters.
const VALUE_CHARS: usize = 200;

/// The most header lines read before giving up on finding its end.
const MAX_LINES: usize = 40;

/// A header lies within the first bytes of an input: only these are read,
/// so a multi-gigabyte one-line export is not scanned (or converted) whole
/// to learn that it has no header.
pub const MAX_HEADER_BYTES: usize = 64 << 10;

/// What a copied-logs header says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExportHeader {
    /// How many logs the header says were copied.
    pub copied: Option<u64>,
    /// Project name (and id, as written: `my-app (prj_…)`).
    pub project: Option<String>,
    pub team: Option<String>,
    /// The search typed on the Logs page.
    pub search_query: Option<String>,
    /// Start of the searched time range (RFC 3339, as written).
    pub from: Option<String>,
    /// End of the searched time range.
    pub to: Option<String>,
    pub dashboard_url: Option<String>,
    pub format: Option<String>,
}

impl ExportHeader {
    /// The searched range in epoch ms, when both ends parse.
    pub fn range_ms(&self) -> Option<(i64, i64)> {
        Some((
            parse_rfc3339(self.from.as_deref()?)?,
            parse_rfc3339(self.to.as_deref()?)?,
        ))
    }
}

/// A header found at the start of an input: where the records start (the
/// byte after the header's last line) and how many lines it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preamble {
    pub header: ExportHeader,
    pub body: usize,
    pub lines: u64,
}

fn is_rule(line: &str) -> bool {
    line.len() >= 3 && line.bytes().all(|b| b == b'-')
}

fn is_title(line: &str) -> bool {
    line.starts_with("Copied ") && line.contains(" from Vercel")
}

fn clean(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| redact::sample(value, VALUE_CHARS))
}

/// Reads a copied-logs header at the start of `head` (a BOM and blank lines
/// may come first). `None` when `head` does not start with one, or its
/// closing rule is not within the first lines and [`MAX_HEADER_BYTES`].
pub fn read_preamble(head: &[u8]) -> Option<Preamble> {
    let head = &head[..head.len().min(MAX_HEADER_BYTES)];
    let mut pos = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut header = ExportHeader::default();
    let mut seen_title = false;
    let mut opened = false;
    for lines in 1..=MAX_LINES as u64 {
        let rest = head.get(pos..)?;
        let end = memchr::memchr(b'\n', rest)?;
        let raw = &rest[..end];
        pos += end + 1;
        let line = String::from_utf8_lossy(raw);
        let line = line.trim();
        if line.is_empty() && !opened && !seen_title {
            continue;
        }
        if is_rule(line) {
            if seen_title {
                return Some(Preamble {
                    header,
                    body: pos,
                    lines,
                });
            }
            opened = true;
            continue;
        }
        if is_title(line) {
            seen_title = true;
            header.copied = line
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.replace(',', "").parse().ok());
            continue;
        }
        if !seen_title {
            return None;
        }
        let Some((key, value)) = line.trim_start_matches("- ").split_once(':') else {
            continue;
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "project" => header.project = clean(value),
            "team" => header.team = clean(value),
            "search query" => header.search_query = clean(value),
            "search timestamps" => {
                if let Some((from, to)) = value.split_once(" to ") {
                    header.from = clean(from);
                    header.to = clean(to);
                }
            }
            "dashboard url" => header.dashboard_url = clean(value),
            "format" => header.format = clean(value),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const COPIED: &str = "-------------------------------------------\n\
        Copied 6 logs from Vercel Dashboard\n\
        - Project: my-app (prj_lyYmNjgjRMqo3HzFQlc8NiU6pn9J)\n\
        - Team: my-team (team_t3I2D0lrJ02PZ2a0AgeKV2gr)\n\
        - Search query: (no search query applied)\n\
        - Search timestamps: 2026-06-07T18:38:00.000Z to 2026-06-07T19:08:00.000Z\n\
        - Dashboard URL: https://vercel.com/my-team/my-app/logs\n\
        - Format: JSONL\n\
        - Documentation: https://vercel.com/docs/logs/runtime\n\
        -------------------------------------------\n\
        \n\
        {\"requestId\":\"a\"}\n";

    #[test]
    fn reads_the_copy_header() {
        let p = read_preamble(COPIED.as_bytes()).unwrap();
        assert_eq!(p.header.copied, Some(6));
        assert_eq!(
            p.header.project.as_deref(),
            Some("my-app (prj_lyYmNjgjRMqo3HzFQlc8NiU6pn9J)")
        );
        assert_eq!(
            p.header.search_query.as_deref(),
            Some("(no search query applied)")
        );
        assert_eq!(p.header.from.as_deref(), Some("2026-06-07T18:38:00.000Z"));
        assert_eq!(p.header.format.as_deref(), Some("JSONL"));
        assert!(p.header.range_ms().is_some());
        assert_eq!(p.lines, 10);
        assert!(COPIED[p.body..].starts_with("\n{\"requestId\""));
    }

    #[test]
    fn a_bom_crlf_and_no_opening_rule_are_fine() {
        let text = "\u{feff}Copied 1,204 logs from Vercel Dashboard\r\n- Search query: level:error jane@example.com\r\n----\r\n{}\r\n";
        let p = read_preamble(text.as_bytes()).unwrap();
        assert_eq!(p.header.copied, Some(1204));
        assert_eq!(
            p.header.search_query.as_deref(),
            Some("level:error [email]")
        );
        assert_eq!(&text.as_bytes()[p.body..], b"{}\r\n");
    }

    #[test]
    fn other_inputs_have_none() {
        assert!(read_preamble(b"{\"a\":1}\n").is_none());
        assert!(read_preamble(b"----\nnot a copy header\n----\n").is_none());
        assert!(read_preamble(b"").is_none());
        // An unclosed header is not taken for one.
        assert!(read_preamble(b"Copied 3 logs from Vercel Dashboard\n- Project: x\n").is_none());
        // Nor one whose closing rule lies past the bytes a header may take.
        let long = format!(
            "Copied 3 logs from Vercel Dashboard\n- Search query: {}\n----\n{{}}\n",
            "x".repeat(MAX_HEADER_BYTES)
        );
        assert!(read_preamble(long.as_bytes()).is_none());
        let short = long.replacen(&"x".repeat(MAX_HEADER_BYTES), "x", 1);
        assert!(read_preamble(short.as_bytes()).is_some());
    }
}

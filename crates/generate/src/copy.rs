//! The dashboard's "Copy logs" text (FORMATS.md §1): a header block framed
//! by dashes (count, project, team, search, time range, dashboard URL,
//! format), a blank line, then one flat JSON object per log line with
//! `requestId`, `timestamp`, `domain`, `source` and `requestPath`.
//!
//! The header states how many logs follow, so the events are collected
//! first: the copy button copies one page of logs, not gigabytes.

use std::io::{self, Write};

use serde::Serialize;

use super::event::{DEFAULT_PROJECT, Event};
use super::sink::Sink;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CopiedLine<'a> {
    request_id: &'a str,
    timestamp: i64,
    deployment_id: &'a str,
    project_id: &'a str,
    level: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    message: &'a str,
    source: &'a str,
    domain: &'a str,
    request_method: &'a str,
    request_path: &'a str,
    /// Absent on lines logged before the response (status 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    response_status_code: Option<i32>,
    environment: &'a str,
    branch: &'a str,
    cache: &'a str,
}

const RULE: &str = "-------------------------------------------";

fn minute_floor(ms: i64) -> String {
    logs_core::record::time::format_ms(ms - ms.rem_euclid(60_000))
}

fn write_header<W: Write>(events: &[Event], sink: &mut Sink<'_, W>) -> io::Result<()> {
    let from = events.iter().map(|e| e.time_ms).min().unwrap_or(0);
    let to = events.iter().map(|e| e.time_ms).max().unwrap_or(0) + 60_000;
    let project_id = events.first().map_or("", |e| e.project_id.as_str());
    let lines = [
        RULE.to_string(),
        format!("Copied {} logs from Vercel Dashboard", events.len()),
        format!("- Project: {DEFAULT_PROJECT} ({project_id})"),
        "- Team: acme (team_t3I2D0lrJ02PZ2a0AgeKV2gr)".to_string(),
        "- Search query: (no search query applied)".to_string(),
        format!(
            "- Search timestamps: {} to {}",
            minute_floor(from),
            minute_floor(to)
        ),
        format!("- Dashboard URL: https://vercel.com/acme/{DEFAULT_PROJECT}/logs"),
        "- Format: JSONL".to_string(),
        "- Documentation: https://vercel.com/docs/logs/runtime".to_string(),
        RULE.to_string(),
        String::new(),
    ];
    for line in lines {
        sink.buf.extend_from_slice(line.as_bytes());
        sink.line_end();
    }
    Ok(())
}

/// Writes the header and one line per event; returns the lines written.
pub(crate) fn write<W: Write>(
    events: impl Iterator<Item = Event>,
    sink: &mut Sink<'_, W>,
) -> io::Result<u64> {
    write_sized(events, None, sink)
}

/// [`write`], stopping once the lines reach `target` bytes (the events
/// may be endless then).
pub(crate) fn write_sized<W: Write>(
    events: impl Iterator<Item = Event>,
    target: Option<u64>,
    sink: &mut Sink<'_, W>,
) -> io::Result<u64> {
    let mut kept: Vec<Event> = Vec::new();
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut size = 0u64;
    for e in events {
        if target.is_some_and(|t| size >= t) {
            break;
        }
        let line = CopiedLine {
            request_id: &e.request_id,
            timestamp: e.time_ms,
            deployment_id: &e.deployment_id,
            project_id: &e.project_id,
            level: &e.level,
            message: &e.message,
            source: if e.source == "lambda" {
                "serverless"
            } else {
                &e.source
            },
            domain: &e.deployment_host,
            request_method: &e.method,
            request_path: &e.path,
            response_status_code: (e.status != 0).then_some(e.status),
            environment: &e.environment,
            branch: "main",
            cache: "MISS",
        };
        let bytes = serde_json::to_vec(&line)?;
        size += bytes.len() as u64 + 1;
        lines.push(bytes);
        kept.push(e);
    }
    write_header(&kept, sink)?;
    for line in &lines {
        sink.buf.extend_from_slice(line);
        sink.line_end();
        sink.end_record()?;
    }
    Ok(lines.len() as u64)
}

//! `vercel logs --json` output (FORMATS.md §1): CLI 50.12+ prints one object
//! per request (`id` is the request id, the lines nested in `logs[]`); CLI
//! 35–50.11 printed one object per log line with a `rowId` and no request id.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::event::Event;
use super::rng::mix;
use super::sink::Sink;

#[derive(Serialize)]
struct Line<'a> {
    level: &'a str,
    message: &'a str,
    timestamp: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Request<'a> {
    id: &'a str,
    timestamp: i64,
    response_status_code: i32,
    request_path: &'a str,
    request_method: &'a str,
    domain: &'a str,
    deployment_id: &'a str,
    environment: &'a str,
    source: &'a str,
    logs: Vec<Line<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LegacyLine<'a> {
    row_id: &'a str,
    timestamp_in_ms: i64,
    deployment_id: &'a str,
    domain: &'a str,
    request_method: &'a str,
    request_path: &'a str,
    response_status_code: i32,
    source: &'a str,
    level: &'a str,
    message: &'a str,
    message_truncated: bool,
}

fn write_request<W: Write>(group: &[Event], sink: &mut Sink<'_, W>) -> io::Result<()> {
    let Some(first) = group.first() else {
        return Ok(());
    };
    let request = Request {
        id: &first.request_id,
        timestamp: first.request_start_ms(),
        response_status_code: first.status,
        request_path: &first.path,
        request_method: &first.method,
        domain: &first.host,
        deployment_id: &first.deployment_id,
        environment: &first.environment,
        source: &first.source,
        logs: group
            .iter()
            .map(|e| Line {
                level: &e.level,
                message: &e.message,
                timestamp: e.time_ms,
            })
            .collect(),
    };
    serde_json::to_writer(&mut sink.buf, &request)?;
    sink.line_end();
    sink.end_record()
}

/// CLI 50.12+: one object per request (consecutive events sharing a request id).
pub(crate) fn write_requests<W: Write>(
    events: impl Iterator<Item = Event>,
    sink: &mut Sink<'_, W>,
) -> io::Result<u64> {
    let mut group: Vec<Event> = Vec::with_capacity(8);
    let mut objects = 0;
    for e in events {
        if group.first().is_some_and(|f| f.request_id != e.request_id) {
            write_request(&group, sink)?;
            objects += 1;
            group.clear();
        }
        group.push(e);
    }
    if !group.is_empty() {
        write_request(&group, sink)?;
        objects += 1;
    }
    Ok(objects)
}

/// CLI 35–50.11: one object per log line.
pub(crate) fn write_legacy<W: Write>(
    events: impl Iterator<Item = Event>,
    sink: &mut Sink<'_, W>,
) -> io::Result<u64> {
    let mut row_id = String::with_capacity(24);
    let mut rows = 0u64;
    for e in events {
        row_id.clear();
        let _ = write!(row_id, "{:020}", mix(rows ^ e.time_ms as u64));
        let line = LegacyLine {
            row_id: &row_id,
            timestamp_in_ms: e.time_ms,
            deployment_id: &e.deployment_id,
            domain: &e.host,
            request_method: &e.method,
            request_path: &e.path,
            response_status_code: e.status,
            source: &e.source,
            level: &e.level,
            message: &e.message,
            message_truncated: false,
        };
        serde_json::to_writer(&mut sink.buf, &line)?;
        sink.line_end();
        sink.end_record()?;
        rows += 1;
    }
    Ok(rows)
}

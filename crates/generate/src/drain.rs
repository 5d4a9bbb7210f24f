//! Log Drain output (FORMATS.md §2): one record per line (NDJSON drains) or
//! one JSON array of records per line (saved POST bodies of JSON drains).
//!
//! Drain records carry no duration, so after the last line of each request
//! that has one we add the AWS-style `REPORT RequestId: … Duration: …` record
//! (`type: "report"`) from which readers recover it.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::derived::{Derived, path_type, vercel_cache};
use super::event::Event;
use super::rng::mix;
use super::sink::Sink;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Proxy<'a> {
    timestamp: i64,
    method: &'a str,
    host: &'a str,
    path: &'a str,
    user_agent: [&'a str; 1],
    region: &'a str,
    referer: &'a str,
    status_code: i32,
    client_ip: &'a str,
    scheme: &'a str,
    response_byte_size: u32,
    path_type: &'a str,
    vercel_id: &'a str,
    vercel_cache: &'a str,
    lambda_region: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DrainRecord<'a> {
    id: &'a str,
    deployment_id: &'a str,
    source: &'a str,
    host: &'a str,
    timestamp: i64,
    project_id: &'a str,
    project_name: &'a str,
    level: &'a str,
    message: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    path: &'a str,
    status_code: i32,
    request_id: &'a str,
    environment: &'a str,
    execution_region: &'a str,
    proxy: Proxy<'a>,
}

/// `myapp-abc123def-acme.vercel.app` → `myapp`.
fn project_name(deployment_host: &str) -> &str {
    let head = deployment_host.split('.').next().unwrap_or(deployment_host);
    head.rsplitn(3, '-').nth(2).unwrap_or(head)
}

#[derive(Default)]
struct DrainWriter {
    batch: Option<usize>,
    in_batch: usize,
    records: u64,
    id: String,
    ip: String,
    vercel_id: String,
    text: String,
}

impl DrainWriter {
    /// One drain record for `e`; `report` replaces its text with a REPORT line.
    fn record<W: Write>(
        &mut self,
        e: &Event,
        report: bool,
        sink: &mut Sink<'_, W>,
    ) -> io::Result<()> {
        let d = Derived::of(e);
        let mut time = e.time_ms;
        if report {
            let dur = e.duration_ms.unwrap_or(0);
            time = time.max(e.request_start_ms() + i64::from(dur));
            self.text.clear();
            self.text.push_str("REPORT RequestId: ");
            d.invocation_id(&mut self.text);
            let (size, used) = (d.memory_size(), d.max_memory_used());
            let _ = write!(
                self.text,
                " Duration: {dur} ms Billed Duration: {} ms Memory Size: {size} MB Max Memory Used: {used} MB",
                dur + 1
            );
        }
        self.id.clear();
        let tail =
            mix(self.records ^ (e.time_ms as u64).rotate_left(17)) % 10_000_000_000_000_000_000;
        let _ = write!(self.id, "{:013}{tail:019}", time.max(0));
        self.ip.clear();
        d.client_ip(&mut self.ip);
        self.vercel_id.clear();
        let _ = write!(
            self.vercel_id,
            "{}::{}::{}",
            d.pop(),
            e.region,
            e.request_id
        );
        let record = DrainRecord {
            id: &self.id,
            deployment_id: &e.deployment_id,
            source: if report { "lambda" } else { &e.source },
            host: &e.deployment_host,
            timestamp: time,
            project_id: &e.project_id,
            project_name: project_name(&e.deployment_host),
            level: if report { "info" } else { &e.level },
            message: if report { &self.text } else { &e.message },
            kind: if report { "report" } else { &e.kind },
            path: &e.route,
            status_code: e.status,
            request_id: &e.request_id,
            environment: &e.environment,
            execution_region: &e.region,
            proxy: Proxy {
                timestamp: e.request_start_ms(),
                method: &e.method,
                host: &e.host,
                path: &e.path,
                user_agent: [&e.user_agent],
                region: d.pop(),
                referer: "",
                status_code: if e.status < 0 { 500 } else { e.status },
                client_ip: &self.ip,
                scheme: "https",
                response_byte_size: d.response_bytes(),
                path_type: path_type(e),
                vercel_id: &self.vercel_id,
                vercel_cache: vercel_cache(e),
                lambda_region: &e.region,
            },
        };
        if let Some(size) = self.batch {
            sink.buf.push(if self.in_batch == 0 { b'[' } else { b',' });
            serde_json::to_writer(&mut sink.buf, &record)?;
            self.in_batch += 1;
            if self.in_batch >= size {
                self.close_batch(sink);
            }
        } else {
            serde_json::to_writer(&mut sink.buf, &record)?;
            sink.line_end();
        }
        self.records += 1;
        sink.end_record()
    }

    fn close_batch<W: Write>(&mut self, sink: &mut Sink<'_, W>) {
        if self.in_batch > 0 {
            sink.buf.push(b']');
            sink.line_end();
            self.in_batch = 0;
        }
    }

    /// The REPORT record after a request's last line, when it has a duration.
    fn end_request<W: Write>(&mut self, last: &Event, sink: &mut Sink<'_, W>) -> io::Result<()> {
        if last.duration_ms.is_some() {
            self.record(last, true, sink)
        } else {
            Ok(())
        }
    }
}

/// Writes drain records, one per line, or in arrays of `batch` per line.
pub(crate) fn write<W: Write>(
    events: impl Iterator<Item = Event>,
    batch: Option<usize>,
    sink: &mut Sink<'_, W>,
) -> io::Result<u64> {
    let mut w = DrainWriter {
        batch: batch.map(|b| b.max(1)),
        ..DrainWriter::default()
    };
    let mut prev: Option<Event> = None;
    for e in events {
        if let Some(p) = prev.take_if(|p| p.request_id != e.request_id) {
            w.end_request(&p, sink)?;
        }
        w.record(&e, false, sink)?;
        prev = Some(e);
    }
    if let Some(p) = prev {
        w.end_request(&p, sink)?;
    }
    w.close_batch(sink);
    sink.end_record()?;
    Ok(w.records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_name_strips_hash_and_team() {
        assert_eq!(project_name("myapp-abc123def-acme.vercel.app"), "myapp");
        assert_eq!(project_name("my-app-abc123def-acme.vercel.app"), "my-app");
        assert_eq!(project_name("localhost"), "localhost");
    }
}

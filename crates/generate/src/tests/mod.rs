//! Cross-module tests: every shape parses, shapes agree on the events they
//! carry, output is deterministic, framing options work, workloads look real.

mod framing;
mod shapes;
mod workload;

use serde_json::Value;

use super::{Event, Shape, Workload, WriteOptions, write_events};

/// A small workload with every kind of line in it.
pub(super) fn sample_events(seed: u64, records: u64) -> Vec<Event> {
    let w = Workload {
        seed,
        records,
        signature_hits_per_thousand: 30.0,
        ..Workload::default()
    };
    w.events().collect()
}

pub(super) fn render(shape: Shape, events: &[Event], opts: &WriteOptions) -> Vec<u8> {
    let mut out = Vec::new();
    write_events(shape, events.iter().cloned(), opts, &mut out).expect("write to Vec");
    out
}

/// The JSON values of a line-oriented output (blank lines skipped).
pub(super) fn json_lines(bytes: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// (level, message) of every log line in an output, in no particular order:
/// drain REPORT records and dashboard summary rows are left out.
pub(super) fn log_lines(shape: Shape, bytes: &[u8]) -> Vec<(String, String)> {
    let pair = |v: &Value, l: &str, m: &str| {
        (
            v[l].as_str().unwrap_or("").to_owned(),
            v[m].as_str().unwrap_or("").to_owned(),
        )
    };
    match shape {
        Shape::DrainNdjson | Shape::DrainBatches => {
            let mut records = Vec::new();
            for v in json_lines(bytes) {
                match v {
                    Value::Array(items) => records.extend(items),
                    other => records.push(other),
                }
            }
            records
                .iter()
                .filter(|r| r["type"] != "report")
                .map(|r| pair(r, "level", "message"))
                .collect()
        }
        Shape::DashboardJson => {
            let rows: Vec<Value> = serde_json::from_slice(bytes).expect("one JSON array");
            rows.iter()
                .filter(|r| r["level"] != "")
                .map(|r| pair(r, "level", "message"))
                .collect()
        }
        Shape::DashboardCsv => {
            let mut reader = csv::Reader::from_reader(bytes);
            let header = reader.headers().expect("header").clone();
            let (li, mi) = (
                header.iter().position(|h| h == "level"),
                header.iter().position(|h| h == "message"),
            );
            let (li, mi) = (li.expect("level column"), mi.expect("message column"));
            reader
                .records()
                .map(|r| r.expect("csv record"))
                .filter(|r| !r[li].is_empty())
                .map(|r| (r[li].to_owned(), r[mi].to_owned()))
                .collect()
        }
        Shape::CliJson => json_lines(bytes)
            .iter()
            .flat_map(|o| o["logs"].as_array().cloned().unwrap_or_default())
            .map(|l| pair(&l, "level", "message"))
            .collect(),
        Shape::CliLegacyJson => json_lines(bytes)
            .iter()
            .map(|o| pair(o, "level", "message"))
            .collect(),
        Shape::DashboardCopy => {
            let text = std::str::from_utf8(bytes).expect("utf-8");
            let body = text.find("\n{").map_or(text, |i| &text[i..]);
            json_lines(body.as_bytes())
                .iter()
                .map(|o| pair(o, "level", "message"))
                .collect()
        }
    }
}

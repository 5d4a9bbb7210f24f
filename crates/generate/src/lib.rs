//! A deterministic, seeded generator of realistic Vercel log exports, for
//! samples, integration tests, benchmarks and scenario tests.
//!
//! Events ([`Event`]: one log line of one request) come from a [`Workload`]
//! (a lazy stream sized by record count or by bytes) or are built by hand
//! with [`request`], [`traffic`] and [`hit_event`]. [`write_events`] writes
//! any event stream in each of the real export [`Shape`]s (FORMATS.md), so
//! the same events in every shape must give a reader the same per-signature
//! counts. Output streams to any `Write` with constant memory, optionally
//! gzipped (in several members), with a BOM or CRLF line ends.
//!
//! Determinism: all randomness comes from our own SplitMix64 ([`rng`]), not
//! the `rand` crate, so a seed gives byte-identical output across crate
//! versions, platforms and time.

mod cli;
mod copy;
mod dashboard;
mod dashboard_row;
mod derived;
mod drain;
mod event;
mod messages;
pub mod rng;
mod routes;
mod sink;
mod texts;
mod traffic;
mod workload;

#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::io::{self, Write};

pub use dashboard_row::CSV_HEADER;
pub use event::{
    CHROME_UA, CRON_UA, DEFAULT_HOST, DEFAULT_PROJECT, DEFAULT_PROJECT_ID, Event, deployment_host,
    kind_for_level, level_for_status, make_request_id, request,
};
pub use texts::{HitContext, hit_context, hit_event, hit_message, hit_texts, look_alike_texts};
pub use traffic::{merge, traffic};
pub use workload::{BYTES_PER_EVENT_ESTIMATE, Workload, WorkloadEvents};

use sink::Sink;

/// The export shapes `logs` reads (FORMATS.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// Log Drain, one record per line.
    DrainNdjson,
    /// Log Drain, one JSON array of records per line.
    DrainBatches,
    /// Dashboard export, one JSON array on one line.
    DashboardJson,
    /// Dashboard export, 30-column CSV.
    DashboardCsv,
    /// `vercel logs --json`, CLI 50.12+: one object per request.
    CliJson,
    /// `vercel logs --json`, CLI 35–50.11: one object per log line.
    CliLegacyJson,
    /// The dashboard's "Copy logs" text: a header block, then JSON lines.
    DashboardCopy,
}

impl Shape {
    /// A stable kebab-case name, e.g. `drain-ndjson`.
    pub fn name(&self) -> &'static str {
        match self {
            Shape::DrainNdjson => "drain-ndjson",
            Shape::DrainBatches => "drain-batches",
            Shape::DashboardJson => "dashboard-json",
            Shape::DashboardCsv => "dashboard-csv",
            Shape::CliJson => "cli-json",
            Shape::CliLegacyJson => "cli-legacy-json",
            Shape::DashboardCopy => "dashboard-copy",
        }
    }

    /// The shape of a [`name`](Self::name) (also accepts `_` for `-`, any case).
    pub fn from_name(name: &str) -> Option<Shape> {
        let name = name.trim().to_ascii_lowercase().replace('_', "-");
        Shape::all().into_iter().find(|s| s.name() == name)
    }

    pub fn all() -> [Shape; 7] {
        [
            Shape::DrainNdjson,
            Shape::DrainBatches,
            Shape::DashboardJson,
            Shape::DashboardCsv,
            Shape::CliJson,
            Shape::CliLegacyJson,
            Shape::DashboardCopy,
        ]
    }

    /// A usual file extension (without `.gz`).
    pub fn extension(&self) -> &'static str {
        match self {
            Shape::DrainNdjson | Shape::CliJson | Shape::CliLegacyJson => "ndjson",
            Shape::DrainBatches | Shape::DashboardJson => "json",
            Shape::DashboardCsv => "csv",
            Shape::DashboardCopy => "jsonl",
        }
    }
}

/// How output bytes are framed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOptions {
    /// Gzip the output.
    pub gzip: bool,
    /// `\r\n` line ends (CSV rows too; line breaks inside messages stay `\n`).
    pub crlf: bool,
    /// Start with a UTF-8 byte order mark.
    pub bom: bool,
    /// Drain records per line for [`Shape::DrainBatches`] (at least 1).
    pub batch_size: usize,
    /// With `gzip`: start a new gzip member after this many uncompressed
    /// bytes (at a record end), giving concatenated members.
    pub gzip_member_bytes: Option<u64>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self {
            gzip: false,
            crlf: false,
            bom: false,
            batch_size: 50,
            gzip_member_bytes: None,
        }
    }
}

/// Writes `events` to `out` in `shape`. Returns the records written in that
/// shape: drain records (including REPORT records), dashboard rows
/// (including summary rows, not the CSV header), CLI objects.
/// Memory use is constant; `out` needs no `BufWriter` (output is buffered).
pub fn write_events<W: Write>(
    shape: Shape,
    events: impl IntoIterator<Item = Event>,
    opts: &WriteOptions,
    out: W,
) -> io::Result<u64> {
    let total = Cell::new(0);
    let mut sink = Sink::new(out, opts, &total);
    let records = write_shape(shape, events.into_iter(), opts, &mut sink)?;
    sink.finish()?;
    Ok(records)
}

/// Writes a workload in `shape`. With `target_bytes` set, generation stops
/// at the first record end at or past that many uncompressed bytes (JSON
/// dashboard output may overshoot by a few rows); otherwise after `records`
/// events. Returns what [`write_events`] returns.
pub fn write_workload<W: Write>(
    shape: Shape,
    workload: &Workload,
    opts: &WriteOptions,
    out: W,
) -> io::Result<u64> {
    let total = Cell::new(0);
    let mut sink = Sink::new(out, opts, &total);
    let records = match workload.target_bytes {
        // The copy text states its count first, so its lines are built
        // before writing, up to the target size.
        Some(target) if shape == Shape::DashboardCopy => {
            copy::write_sized(workload.unbounded_events(), Some(target), &mut sink)?
        }
        Some(target) => {
            let events = workload
                .unbounded_events()
                .take_while(|_| total.get() < target);
            write_shape(shape, events, opts, &mut sink)?
        }
        None => write_shape(shape, workload.events(), opts, &mut sink)?,
    };
    sink.finish()?;
    Ok(records)
}

fn write_shape<W: Write>(
    shape: Shape,
    events: impl Iterator<Item = Event>,
    opts: &WriteOptions,
    sink: &mut Sink<'_, W>,
) -> io::Result<u64> {
    match shape {
        Shape::DrainNdjson => drain::write(events, None, sink),
        Shape::DrainBatches => drain::write(events, Some(opts.batch_size), sink),
        Shape::DashboardJson => dashboard::write(events, false, opts.crlf, sink),
        Shape::DashboardCsv => dashboard::write(events, true, opts.crlf, sink),
        Shape::CliJson => cli::write_requests(events, sink),
        Shape::CliLegacyJson => cli::write_legacy(events, sink),
        Shape::DashboardCopy => copy::write(events, sink),
    }
}

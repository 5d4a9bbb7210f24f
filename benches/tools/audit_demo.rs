//! Writes a few weeks of synthetic exports, for trying `logs audit` and for
//! `benches/html_screenshot.sh`.
//!
//! `cargo run --example audit_demo -- DIR [WEEKS]` writes one export per
//! ISO week (default 6), starting Monday 2026-01-05, in rotating shapes
//! (drain NDJSON, gzipped dashboard CSV, CLI JSON): a realistic workload
//! whose signature mix drifts from week to week, a database outage that
//! stops after week 2, a timeout wave in the last week, an unknown checkout
//! error that appears in week 3 and grows, and an unknown reports error
//! that is new in the last week.

use std::path::PathBuf;

use logs::generate::{
    Event, Export, Workload, WriteOptions, hit_event, merge, request, write_events,
};

const WEEK_MS: i64 = 7 * 86_400_000;
/// Monday 2026-01-05 09:00 UTC.
const START: i64 = 1_767_603_600_000;
const DPL: &str = "dpl_8mFwq2XoYb7TcJ3hLk9sNv4RzPd1";

fn week(w: usize, weeks: usize) -> Vec<Event> {
    let start = START + w as i64 * WEEK_MS;
    let workload = Workload {
        seed: 100 + w as u64,
        start_ms: start,
        records: 6_000 + 1_500 * w as u64,
        signature_hits_per_thousand: 1.0 + (w % 3) as f64,
        requests_per_minute: 120,
        ..Workload::default()
    };
    let mut extra = Vec::new();
    let mut hits = |sig: &str, n: usize, step: i64| {
        for k in 0..n {
            extra.extend(hit_event(sig, start + 600_000 + k as i64 * step, DPL));
        }
    };
    if w < 2 {
        hits("prisma-db-unreachable", 30 - 12 * w, 97_000);
    }
    if w + 1 == weeks {
        hits("vercel-function-timeout", 25, 151_000);
    }
    if w + 1 == weeks {
        for k in 0..14 {
            let t = start + 1_200_000 + k * 173_000;
            extra.push(
                request(t, DPL, "GET", "/api/reports/weekly", "/api/reports/[kind]", 502)
                    .with_level("error")
                    .with_message(format!(
                        "[Reports] Upstream warehouse query aborted after {}s: connection pool exhausted (size 10)",
                        20 + k
                    )),
            );
        }
    }
    if w >= 2 {
        for k in 0..(6 * (w - 1)) {
            let t = start + 900_000 + k as i64 * 211_000;
            extra.push(
                request(t, DPL, "POST", "/api/checkout", "/api/checkout", 500)
                    .with_level("error")
                    .with_message(format!(
                        "Checkout failed for order ord_{:06x}: card_declined by issuer for jane.doe{k}@example.com (attempt {})",
                        k * 7919 + w,
                        k % 3 + 1
                    )),
            );
        }
    }
    merge([workload.events().collect(), extra])
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo run --example audit_demo -- DIR [WEEKS]");
        std::process::exit(2);
    };
    let weeks: usize = args.get(1).and_then(|w| w.parse().ok()).unwrap_or(6).max(1);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("audit_demo: {}: {e}", dir.display());
        std::process::exit(2);
    }
    let shapes = [
        (Export::DrainNdjson, false, "ndjson"),
        (Export::DashboardCsv, true, "csv.gz"),
        (Export::CliJson, false, "json"),
    ];
    for w in 0..weeks {
        let (shape, gzip, ext) = shapes[w % shapes.len()];
        let path = dir.join(format!("week-{:02}.{ext}", w + 1));
        let opts = WriteOptions {
            gzip,
            ..WriteOptions::default()
        };
        let written = std::fs::File::create(&path)
            .and_then(|f| write_events(shape, week(w, weeks), &opts, f));
        match written {
            Ok(n) => println!("{}: {n} records", path.display()),
            Err(e) => {
                eprintln!("audit_demo: {}: {e}", path.display());
                std::process::exit(2);
            }
        }
    }
}

//! Three generated weeks of exports for the `logs audit` tests: traffic,
//! a signature that stops after week 1 (`prisma-db-unreachable`), one that
//! starts in week 3 (`vercel-function-timeout`), one in every week
//! (`abort-error`), and an unknown checkout error from week 2 on (4, then 7).

#![allow(dead_code)]

use logs::generate::{
    Event, Export, WriteOptions, hit_event, merge, request, traffic, write_events,
};

use super::Dir;

/// Mondays 00:00 UTC of ISO weeks 2026-W02, W03 and W04.
pub const WEEKS: [i64; 3] = [1_767_571_200_000, 1_768_176_000_000, 1_768_780_800_000];
const HOUR: i64 = 3_600_000;
const DPL: &str = "dpl_8mFwq2XoYb7TcJ3hLk9sNv4RzPd1";

/// A card payment failure no signature knows, with varying values.
fn checkout_failure(t: i64, n: i64) -> Event {
    request(t, DPL, "POST", "/api/checkout", "/api/checkout", 500)
        .with_level("error")
        .with_message(format!(
            "Checkout failed for order ord_{:06x}: card_declined after {} ms (attempt {})",
            n * 7919,
            120 + n,
            n % 3 + 1
        ))
}

/// The events of week `w` (0-based).
pub fn week(w: usize) -> Vec<Event> {
    let start = WEEKS[w] + 26 * HOUR; // Tuesday 02:00
    let mut extra = Vec::new();
    let mut hits = |sig: &str, n: i64| {
        for k in 0..n {
            extra.extend(hit_event(sig, start + k * HOUR + 17, DPL));
        }
    };
    hits("abort-error", 3);
    match w {
        0 => hits("prisma-db-unreachable", 4),
        2 => hits("vercel-function-timeout", 5),
        _ => {}
    }
    let failures = [0, 4, 7][w];
    let checkout =
        (0..failures).map(|k| checkout_failure(start + k * HOUR + 29, k + 10 * w as i64));
    extra.extend(checkout);
    merge([traffic(w as u64 + 1, DPL, start, 30, 10), extra])
}

/// Writes the three weeks in three shapes (the middle one gzipped).
pub fn write_weeks(d: &Dir) -> Vec<String> {
    let plan = [
        (Export::DrainNdjson, false, "w1.ndjson"),
        (Export::DashboardCsv, true, "w2.csv.gz"),
        (Export::CliJson, false, "w3.json"),
    ];
    plan.iter()
        .enumerate()
        .map(|(w, (shape, gzip, name))| {
            let mut bytes = Vec::new();
            let opts = WriteOptions {
                gzip: *gzip,
                ..WriteOptions::default()
            };
            write_events(*shape, week(w), &opts, &mut bytes).expect("generate");
            d.file(name, bytes)
                .to_str()
                .expect("utf-8 path")
                .to_string()
        })
        .collect()
}

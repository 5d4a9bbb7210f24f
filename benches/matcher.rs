//! Micro-benchmarks of the matcher and of the stages around it, over fixed
//! in-memory buffers (no I/O, no threads): what one core does per byte.
//!
//! The buffers come from `logs::generate` with seed 1, so every run measures
//! the same bytes: 4 MB of drain NDJSON (about 4,000 records, 3 signature
//! hits per thousand lines) and 4 MB of the one-line dashboard JSON export.
//!
//! - `prefilter`: `SignatureSet::is_candidate` on each record's raw bytes,
//!   and `find_literal` over the whole buffer (skipping to the next line
//!   after each hit), with the literals in the catalog's order and ordered
//!   for the buffer: the SIMD pass every byte goes through;
//! - `framing`: `input::find_container_end` record by record, and the full
//!   framer `input::frame` on NDJSON and on the one-line export;
//! - `decode`: `record::decode_json` on every record and on the candidates;
//! - `confirm`: `SignatureSet::match_record` on decoded records.
//!
//! Throughput is in bytes of the records each benchmark touches.
//! Run with `cargo bench --bench matcher`; `benches/compare.sh` times the
//! whole binary against other tools.

use std::sync::LazyLock;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use logs::generate::{Export, Workload, WriteOptions, write_workload};
use logs::input::{Framing, Item, TopState, find_container_end, frame};
use logs::record::{Record, decode_json};
use logs::signatures::{Hit, SignatureSet, load_catalog};

const FIXTURE_BYTES: u64 = 4_000_000;

fn main() {
    divan::main();
}

fn generated(shape: Export) -> Vec<u8> {
    let workload = Workload {
        seed: 1,
        target_bytes: Some(FIXTURE_BYTES),
        ..Workload::default()
    };
    let mut out = Vec::with_capacity(FIXTURE_BYTES as usize + (64 << 10));
    write_workload(shape, &workload, &WriteOptions::default(), &mut out)
        .expect("writing to memory cannot fail");
    out
}

static NDJSON: LazyLock<Vec<u8>> = LazyLock::new(|| generated(Export::DrainNdjson));
static DASHBOARD: LazyLock<Vec<u8>> = LazyLock::new(|| generated(Export::DashboardJson));
static SET: LazyLock<SignatureSet> = LazyLock::new(|| {
    SignatureSet::new(load_catalog(true, &[]).expect("built-in catalog loads"))
        .expect("built-in catalog compiles")
});
/// The same catalog with its prefilter literals ordered for the NDJSON
/// buffer (as a scan of a large input does).
static ORDERED: LazyLock<SignatureSet> = LazyLock::new(|| {
    let set = SignatureSet::new(load_catalog(true, &[]).expect("built-in catalog loads"))
        .expect("built-in catalog compiles");
    set.order_prefilter_for(&NDJSON[..128 << 10]);
    set
});
/// Each NDJSON record's bytes (without the newline).
static RECORDS: LazyLock<Vec<&'static [u8]>> = LazyLock::new(|| {
    NDJSON
        .split(|&b| b == b'\n')
        .filter(|r| !r.is_empty())
        .collect()
});
/// The records the prefilter lets through.
static CANDIDATES: LazyLock<Vec<&'static [u8]>> = LazyLock::new(|| {
    RECORDS
        .iter()
        .copied()
        .filter(|r| SET.is_candidate(r))
        .collect()
});
static DECODED: LazyLock<Vec<Record<'static>>> = LazyLock::new(|| {
    RECORDS
        .iter()
        .map(|r| decode_json(r).expect("generated records decode"))
        .collect()
});
static DECODED_CANDIDATES: LazyLock<Vec<Record<'static>>> = LazyLock::new(|| {
    CANDIDATES
        .iter()
        .map(|r| decode_json(r).expect("generated records decode"))
        .collect()
});

fn bytes_of(records: &[&[u8]]) -> BytesCount {
    BytesCount::new(records.iter().map(|r| r.len()).sum::<usize>())
}

mod prefilter {
    use super::*;

    /// The scan's per-record prefilter: one automaton run per record.
    #[divan::bench]
    fn is_candidate(bencher: Bencher) {
        let (set, records) = (&*SET, &*RECORDS);
        bencher.counter(bytes_of(records)).bench(|| {
            records
                .iter()
                .filter(|r| set.is_candidate(divan::black_box(r)))
                .count()
        });
    }

    /// One automaton run over the whole buffer, resuming after each hit's line.
    #[divan::bench]
    fn find_literal_whole_buffer(bencher: Bencher) {
        whole_buffer(bencher, &SET);
    }

    /// The same, with the literals ordered for the buffer.
    #[divan::bench]
    fn find_literal_whole_buffer_ordered(bencher: Bencher) {
        whole_buffer(bencher, &ORDERED);
    }

    fn whole_buffer(bencher: Bencher, set: &SignatureSet) {
        let buf = &NDJSON[..];
        bencher.counter(BytesCount::of_slice(buf)).bench(|| {
            let mut from = 0;
            let mut hits = 0usize;
            while let Some(at) = set.find_literal(divan::black_box(buf), from, buf.len()) {
                hits += 1;
                from = memchr_newline(buf, at).map_or(buf.len(), |nl| nl + 1);
            }
            hits
        });
    }

    fn memchr_newline(buf: &[u8], from: usize) -> Option<usize> {
        buf[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| from + i)
    }
}

mod framing {
    use super::*;

    /// The structural scanner alone, one record (line) at a time.
    #[divan::bench]
    fn find_container_end_ndjson(bencher: Bencher) {
        let buf = &NDJSON[..];
        bencher.counter(BytesCount::of_slice(buf)).bench(|| {
            let mut pos = 0;
            let mut records = 0usize;
            while pos < buf.len() {
                match find_container_end(divan::black_box(buf), pos + 1, true) {
                    Ok(end) => {
                        records += 1;
                        pos = end + 1;
                    }
                    Err(_) => break,
                }
            }
            records
        });
    }

    fn frame_all(buf: &[u8]) -> usize {
        let mut records = 0usize;
        frame(
            buf,
            0,
            TopState::Outside,
            usize::MAX,
            Framing::Lines,
            true,
            &mut |item| {
                if let Item::Record { .. } = item {
                    records += 1;
                }
            },
        );
        records
    }

    /// The full framer (what every scan does before the prefilter) on NDJSON.
    #[divan::bench]
    fn frame_ndjson(bencher: Bencher) {
        let buf = &NDJSON[..];
        bencher
            .counter(BytesCount::of_slice(buf))
            .bench(|| frame_all(divan::black_box(buf)));
    }

    /// The full framer on the dashboard's one-line JSON array.
    #[divan::bench]
    fn frame_dashboard_one_line(bencher: Bencher) {
        let buf = &DASHBOARD[..];
        bencher
            .counter(BytesCount::of_slice(buf))
            .bench(|| frame_all(divan::black_box(buf)));
    }
}

mod decode {
    use super::*;

    /// `decode_json` on every record (what `--strict` pays).
    #[divan::bench]
    fn decode_json_all(bencher: Bencher) {
        let records = &*RECORDS;
        bencher.counter(bytes_of(records)).bench(|| {
            records
                .iter()
                .filter_map(|r| decode_json(divan::black_box(r)).ok())
                .map(|rec| rec.lines.len())
                .sum::<usize>()
        });
    }

    /// `decode_json` on the prefilter's candidates only (what a scan pays).
    #[divan::bench]
    fn decode_json_candidates(bencher: Bencher) {
        let records = &*CANDIDATES;
        bencher
            .counter(bytes_of(records))
            .counter(ItemsCount::new(records.len()))
            .bench(|| {
                records
                    .iter()
                    .filter_map(|r| decode_json(divan::black_box(r)).ok())
                    .map(|rec| rec.lines.len())
                    .sum::<usize>()
            });
    }
}

mod confirm {
    use super::*;

    fn match_all(set: &SignatureSet, records: &[Record<'_>]) -> usize {
        let mut hits: Vec<Hit> = Vec::new();
        let mut total = 0;
        for rec in records {
            hits.clear();
            set.match_record(divan::black_box(rec), &mut hits);
            total += hits.len();
        }
        total
    }

    /// `match_record` on every decoded record.
    #[divan::bench]
    fn match_record_all(bencher: Bencher) {
        let (set, records) = (&*SET, &*DECODED);
        bencher
            .counter(bytes_of(&RECORDS))
            .bench(|| match_all(set, records));
    }

    /// `match_record` on the decoded candidates (what a scan pays).
    #[divan::bench]
    fn match_record_candidates(bencher: Bencher) {
        let (set, records) = (&*SET, &*DECODED_CANDIDATES);
        bencher
            .counter(ItemsCount::new(records.len()))
            .bench(|| match_all(set, records));
    }
}

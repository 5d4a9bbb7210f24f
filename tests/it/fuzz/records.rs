//! Targets on bytes in memory: JSON records of every shape, the JSON
//! framer, CSV rows, format detection and the copy-logs header.

use std::sync::OnceLock;

use logs::input::{Framing, Item, TopState, detect, frame, read_preamble};
use logs::record::time::is_plausible;
use logs::record::{CsvColumns, Record, decode_json, repair_text};
use logs::redact::redact;
use logs::signatures::{SignatureSet, load_catalog};

use super::engine::{Target, fuzz};
use super::seeds;

/// JSON keys of every export shape, and JSON syntax.
pub const JSON_DICT: &[&[u8]] = &[
    b"\"timestamp\":",
    b"\"timestampInMs\":",
    b"\"TimeUTC\":",
    b"\"message\":",
    b"\"level\":\"error\"",
    b"\"level\":\"fatal\"",
    b"\"statusCode\":",
    b"\"responseStatusCode\":",
    b"\"proxy\":{",
    b"\"logs\":[",
    b"\"rowId\":",
    b"\"requestPath\":",
    b"\"path\":",
    b"\"deploymentId\":",
    b"\"durationMs\":",
    b"\"userAgent\":[",
    b"\"domain\":",
    b"\"source\":\"build\"",
    b"REPORT RequestId: x\\tDuration: ",
    b"P2002",
    b"E352",
    b"FUNCTION_INVOCATION_TIMEOUT",
    b"null",
    b"true",
    b"\"\"",
    b"{}",
    b"[]",
    b"},{",
    b"\\\"",
    b"\\\\",
    b"\xef\xbb\xbf",
    b"\r\n",
];

pub fn catalog() -> &'static SignatureSet {
    static SET: OnceLock<SignatureSet> = OnceLock::new();
    SET.get_or_init(|| SignatureSet::new(load_catalog(true, &[]).expect("catalog")).expect("set"))
}

/// What every decoded record must satisfy, and what the analyses do with
/// one (match, normalise, redact, fingerprint) must not panic on.
pub fn check_record(rec: &Record<'_>) {
    if let Some(t) = rec.time_ms {
        assert!(is_plausible(t), "decoded with an implausible time {t}");
    }
    let _ = (rec.max_level(), rec.route_or_path(), rec.is_failure());
    let _ = rec.is_deployment("dpl_x");
    let mut hits = Vec::new();
    catalog().match_record(rec, &mut hits);
    for h in &hits {
        assert!(h.signature < catalog().defs().len());
        assert!(h.line < rec.lines.len().max(1));
    }
    let _ = logs::rollback::observe(rec, &hits, catalog(), &mut logs::rollback::Names::default());
    for line in &rec.lines {
        let once = redact(&line.text);
        let twice = redact(&once);
        assert_eq!(once, twice, "a second redaction pass changed the text");
        let _ = logs::templates::normalise(&line.text);
    }
}

pub fn record_json() {
    fuzz(
        Target {
            name: "record_json",
            seeds: seeds::json_records(),
            dict: JSON_DICT,
            max_len: 16 << 10,
            cases: 3000,
        },
        |bytes| {
            match decode_json(bytes) {
                Ok(rec) => check_record(&rec),
                Err(_) => {
                    // The scan's second chance: invalid UTF-8 or a lone
                    // surrogate replaced by U+FFFD.
                    if let Some(fixed) = repair_text(bytes) {
                        assert!(std::str::from_utf8(&fixed).is_ok(), "repair left bad UTF-8");
                        assert_eq!(repair_text(&fixed), None, "repair is not idempotent");
                        if let Ok(rec) = decode_json(&fixed) {
                            check_record(&rec.into_owned());
                        }
                    }
                }
            }
        },
    );
}

/// Items of a whole-buffer framing, with absolute line numbers.
fn framed(
    buf: &[u8],
    start: usize,
    top: TopState,
    stop: usize,
    f: Framing,
) -> (Vec<Item>, usize, TopState, u64) {
    let mut items = Vec::new();
    let end = frame(buf, start, top, stop, f, true, &mut |i| items.push(i));
    (
        items,
        end.pos,
        end.top.unwrap_or(TopState::Outside),
        end.newlines,
    )
}

fn shift(item: Item, lines: u64) -> Item {
    match item {
        Item::Record { start, end, line } => Item::Record {
            start,
            end,
            line: line + lines,
        },
        Item::Malformed {
            start,
            end,
            line,
            kind,
        } => Item::Malformed {
            start,
            end,
            line: line + lines,
            kind,
        },
    }
}

fn bounds(item: &Item) -> (usize, usize) {
    match *item {
        Item::Record { start, end, .. } | Item::Malformed { start, end, .. } => (start, end),
    }
}

pub fn json_frame() {
    fuzz(
        Target {
            name: "json_frame",
            seeds: seeds::containers(),
            dict: JSON_DICT,
            max_len: 24 << 10,
            cases: 3000,
        },
        |buf| {
            for framing in [Framing::Lines, Framing::Document] {
                let (items, pos, _, _) = framed(buf, 0, TopState::Outside, usize::MAX, framing);
                assert!(pos <= buf.len());
                let mut last_end = 0;
                for item in &items {
                    let (s, e) = bounds(item);
                    assert!(s <= e && e <= buf.len(), "{item:?} outside the buffer");
                    assert!(s >= last_end || s == e, "{item:?} overlaps the item before");
                    last_end = last_end.max(e);
                    if let Item::Record { start, end, .. } = *item {
                        // Structure only: `{…]` is framed and then refused
                        // by the decoder.
                        assert_eq!(buf[start], b'{');
                        assert!(matches!(buf[end - 1], b'}' | b']'));
                        if framing == Framing::Lines {
                            assert!(
                                !buf[start..end].contains(&b'\n'),
                                "a line record spans lines"
                            );
                        }
                    }
                }
                // Stopping anywhere and resuming where framing stopped (what
                // the chunked scan does) gives the same items.
                let stop = buf.len() / 2 + usize::from(buf.len() % 3 == 0);
                let (mut first, pos, top, lines) = framed(buf, 0, TopState::Outside, stop, framing);
                let (rest, _, _, _) = framed(buf, pos, top, usize::MAX, framing);
                first.extend(rest.into_iter().map(|i| shift(i, lines)));
                assert_eq!(first, items, "resumed framing differs ({framing:?})");
                // A prefix framed as an unfinished stream gives a prefix of
                // the items (what the streaming reader does with a block).
                let cut = (buf.len() * 2) / 3;
                let mut partial = Vec::new();
                let end = frame(
                    &buf[..cut],
                    0,
                    TopState::Outside,
                    usize::MAX,
                    framing,
                    false,
                    &mut |i| partial.push(i),
                );
                assert!(end.pos <= cut);
                assert_eq!(
                    &items[..partial.len().min(items.len())],
                    &partial[..],
                    "an unfinished block framed differently ({framing:?}, cut at {cut}, stopped at {})",
                    end.pos
                );
            }
        },
    );
}

fn csv_seeds() -> Vec<Vec<u8>> {
    let header = seeds::lines("samples/dashboard.csv", 1, 1).remove(0);
    let mut out: Vec<Vec<u8>> = seeds::windows("samples/dashboard.csv", 3, 97, 12)
        .into_iter()
        .map(|rows| {
            let mut s = header.clone();
            s.push(b'\n');
            s.extend(rows);
            s
        })
        .collect();
    out.push(b"message,TimeUTC,requestPath\r\n\"P2002 \"\"quoted\"\"\nline\",2026-01-19 08:24:20,app.example.com/x?y=1\r\n".to_vec());
    out
}

pub fn csv_rows() {
    const CSV_DICT: &[&[u8]] = &[
        b"\"",
        b"\"\"",
        b",",
        b"\r\n",
        b"TimeUTC",
        b"timestampInMs",
        b"message",
        b"requestPath",
        b"responseStatusCode",
        b"durationMs",
        b"2026-01-19 09:00:00",
        b"1768813200149",
    ];
    fuzz(
        Target {
            name: "csv_rows",
            seeds: csv_seeds(),
            dict: CSV_DICT,
            max_len: 16 << 10,
            cases: 2000,
        },
        |bytes| {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes);
            let mut header = csv::ByteRecord::new();
            let Ok(true) = rdr.read_byte_record(&mut header) else {
                return;
            };
            let Some(cols) = CsvColumns::from_header(&header) else {
                return;
            };
            let mut row = csv::ByteRecord::new();
            while let Ok(true) = rdr.read_byte_record(&mut row) {
                if let Ok(rec) = cols.decode(&row) {
                    check_record(&rec);
                }
            }
        },
    );
}

pub fn detect_and_preamble() {
    let mut seeds = seeds::payloads();
    seeds.extend(seeds::containers().into_iter().take(6));
    seeds.push(
        b"-------\nCopied 1,204 logs from Vercel Dashboard\n- Search query: jane@example.com Bearer abcdefghijk\n- Search timestamps: 2026-06-07T18:38:00.000Z to 2026-06-07T19:08:00.000Z\n-------\n{}\n"
            .to_vec(),
    );
    const DICT: &[&[u8]] = &[
        b"-------------------------------------------\n",
        b"Copied 6 logs from Vercel Dashboard\n",
        b"- Project: ",
        b"- Team: ",
        b"- Search query: ",
        b"- Search timestamps: ",
        b" to ",
        b"- Dashboard URL: ",
        b"- Format: JSONL\n",
        b"TimeUTC,timestampInMs,requestPath,message\n",
        b"{\"a\":1}\n",
        b"[\n  {\n",
    ];
    fuzz(
        Target {
            name: "detect_and_preamble",
            seeds,
            dict: DICT,
            max_len: 16 << 10,
            cases: 3000,
        },
        |bytes| {
            let _ = detect(bytes);
            if let Some(p) = read_preamble(bytes) {
                assert!(p.body <= bytes.len() && p.lines >= 1 && p.lines <= 40);
                let _ = detect(&bytes[p.body..]);
                let h = &p.header;
                for v in [
                    &h.project,
                    &h.team,
                    &h.search_query,
                    &h.from,
                    &h.to,
                    &h.dashboard_url,
                    &h.format,
                ]
                .into_iter()
                .flatten()
                {
                    assert!(v.chars().count() <= 201, "an unbounded header value");
                    assert_eq!(redact(v), *v, "an unredacted header value: {v}");
                }
                let _ = h.range_ms();
            }
        },
    );
}

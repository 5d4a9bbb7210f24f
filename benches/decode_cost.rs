//! What decoding one JSON record costs, and how much of it is JSON itself.
//!
//! `cargo bench --bench decode_cost -- [FILE] [--rounds N]` reads the
//! object lines of FILE (default: the bundled `samples/drain.ndjson`) and,
//! in each of N rounds (default 15), times four passes over all of them on
//! one thread, in turn: the full decode (`decode_json`, what `rollback`,
//! `audit` and every candidate of `check` take), the field probe
//! (`decode_json_fields`, what filters take), serde_json's validating pass
//! alone (`IgnoredAny`: the grammar checked, nothing built), and the
//! structure alone (strings closed, brackets balanced). It prints the
//! median nanoseconds per record of each pass and its ratio to the
//! validating pass, the floor under any decoder that checks every record's
//! grammar with serde_json; the structure pass is the floor under a reader
//! that would skip unread fields instead of validating them. Build with
//! `--release` (`cargo bench` does).

use std::time::Instant;

use logs::record::{decode_json, decode_json_fields};

type Pass = fn(&[u8]) -> usize;

/// The full decode; returns something of the record so the work is kept.
fn full(line: &[u8]) -> usize {
    decode_json(line).map_or(0, |r| r.lines.len() + r.path.map_or(0, |p| p.len()))
}

fn probe(line: &[u8]) -> usize {
    decode_json_fields(line).map_or(0, |r| r.time_ms.map_or(0, |t| t as usize & 1))
}

/// The grammar checked as the decoders check it (UTF-8 first).
fn validate(line: &[u8]) -> usize {
    let Ok(text) = std::str::from_utf8(line) else {
        return 0;
    };
    usize::from(serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok())
}

/// The structure only: every string closed (escapes stepped over, found
/// with `memchr2`) and the brackets balanced, nothing else read or checked.
/// The floor under a reader that would skip the fields no rule reads
/// instead of validating them (see RESULTS.md, ninth round): a record cut
/// short fails it, a wrong literal inside a skipped value does not.
fn structure(line: &[u8]) -> usize {
    let mut depth = 0i64;
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'"' => {
                i += 1;
                loop {
                    // An escape's second byte can be past the end.
                    let Some(k) = line.get(i..).and_then(|r| memchr::memchr2(b'"', b'\\', r))
                    else {
                        return 0;
                    };
                    if line[i + k] == b'"' {
                        i += k + 1;
                        break;
                    }
                    i += k + 2;
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth < 0 {
                    return 0;
                }
            }
            _ => {}
        }
        i += 1;
    }
    usize::from(depth == 0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut file = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/drain.ndjson").to_string();
    let mut rounds = 15usize;
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--rounds N")
            }
            _ => file = arg,
        }
    }
    let data = std::fs::read(&file).unwrap_or_else(|e| panic!("reading {file}: {e}"));
    let lines: Vec<&[u8]> = (data.split(|&b| b == b'\n'))
        .map(|l| l.trim_ascii())
        .filter(|l| l.starts_with(b"{"))
        .collect();
    assert!(!lines.is_empty(), "{file} has no JSON object lines");
    let passes: [(&str, Pass); 4] = [
        ("full decode (decode_json)", full),
        ("field probe (decode_json_fields)", probe),
        ("validation only (serde_json IgnoredAny)", validate),
        ("structure only (quotes and brackets)", structure),
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); passes.len()];
    let mut kept = 0usize;
    for _ in 0..rounds {
        for (i, (_, pass)) in passes.iter().enumerate() {
            let start = Instant::now();
            kept = kept.wrapping_add(lines.iter().map(|l| pass(l)).sum::<usize>());
            times[i].push(start.elapsed().as_secs_f64() * 1e9 / lines.len() as f64);
        }
    }
    let floor = median(times[2].clone());
    println!(
        "{} records of {} bytes on average from {file}, {rounds} rounds (kept {kept})",
        lines.len(),
        lines.iter().map(|l| l.len()).sum::<usize>() / lines.len(),
    );
    for ((name, _), t) in passes.iter().zip(times) {
        let ns = median(t);
        println!(
            "{name:>42}: {ns:>6.0} ns/record, {:.2}x validation",
            ns / floor
        );
    }
}

//! Seed corpora, from the bundled samples (`samples/`) and the real-data
//! corpus (`tests/real/`): whole records for the record decoders, short
//! runs of lines for the framers, whole files for the TOML readers.

use std::path::PathBuf;

pub fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every `step`-th line of a file (non-empty), at most `max` of them.
pub fn lines(rel: &str, step: usize, max: usize) -> Vec<Vec<u8>> {
    read(rel)
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .step_by(step.max(1))
        .take(max)
        .map(<[u8]>::to_vec)
        .collect()
}

/// Objects of a one-line JSON array (`[{…},{…}]`), cut at `},{`.
pub fn array_elements(rel: &str, step: usize, max: usize) -> Vec<Vec<u8>> {
    let bytes = read(rel);
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let body = body.trim_ascii();
    let body = body.strip_prefix(b"[").unwrap_or(body);
    let body = body.strip_suffix(b"]").unwrap_or(body);
    let mut out = Vec::new();
    let mut start = 0;
    for (n, i) in memchr_all(body, b"},{").into_iter().enumerate() {
        if n % step.max(1) == 0 && out.len() < max {
            out.push(body[start..=i].to_vec());
        }
        start = i + 2;
    }
    out
}

fn memchr_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// Runs of `n` consecutive lines (with their newlines), every `step` lines.
pub fn windows(rel: &str, n: usize, step: usize, max: usize) -> Vec<Vec<u8>> {
    let bytes = read(rel);
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .filter(|&i| i < bytes.len())
        .collect();
    starts
        .iter()
        .enumerate()
        .step_by(step.max(1))
        .take(max)
        .map(|(k, &s)| {
            let e = starts.get(k + n).copied().unwrap_or(bytes.len());
            bytes[s..e].to_vec()
        })
        .collect()
}

/// The first `n` bytes of a file.
pub fn head(rel: &str, n: usize) -> Vec<u8> {
    let mut b = read(rel);
    b.truncate(n);
    b
}

/// The real payloads of `tests/real/payloads` (Vercel docs, a vendor
/// fixture, CLI test output, dashboard "Copy logs" pastes).
pub fn payloads() -> Vec<Vec<u8>> {
    let dir = path("tests/real/payloads");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/real/payloads")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e != "toml"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read(p).expect("payload"))
        .collect()
}

/// One JSON record of each shape, from the samples and the real payloads.
pub fn json_records() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    seeds.extend(lines("samples/drain.ndjson", 97, 12));
    seeds.extend(lines("samples/cli.ndjson", 61, 8));
    seeds.extend(lines("samples/cli-legacy.ndjson", 71, 8));
    seeds.extend(lines("samples/canary-rollback.ndjson", 101, 6));
    seeds.extend(array_elements("samples/dashboard.json", 151, 8));
    for p in payloads() {
        seeds.extend(
            p.split(|&b| b == b'\n')
                .filter(|l| l.starts_with(b"{"))
                .map(<[u8]>::to_vec),
        );
    }
    seeds
}

/// Short runs of every container: NDJSON, batches, the one-line array,
/// pretty JSON, CSV, the copy header.
pub fn containers() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    seeds.extend(windows("samples/drain.ndjson", 4, 211, 5));
    seeds.extend(windows("samples/cli.ndjson", 3, 150, 3));
    seeds.extend(windows("samples/cli-legacy.ndjson", 3, 200, 3));
    seeds.push(head("samples/drain-batches.json", 6000));
    seeds.push(head("samples/dashboard.json", 6000));
    seeds.push(head("samples/canary-proceed.json", 6000));
    seeds.extend(windows("samples/dashboard.csv", 6, 400, 3));
    seeds.push(head("samples/dashboard.csv", 5000));
    seeds.extend(payloads());
    seeds.push(
        br#"[
  {
    "timestamp": 1768813200149,
    "level": "error",
    "message": "PrismaClientKnownRequestError: Unique constraint failed (P2002)"
  }
]
"#
        .to_vec(),
    );
    seeds
}

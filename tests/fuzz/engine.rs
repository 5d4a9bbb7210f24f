//! The mutation engine: seeds in, mutants out, each run through a target's
//! property inside `catch_unwind`. No coverage feedback (that needs nightly
//! instrumentation): instead the mutations are structure-aware (a
//! dictionary of the format's tokens and hostile values, splices between
//! seeds, repeated ranges) and every seed is run unmutated first.
//!
//! `LOGS_FUZZ_CASES=N` sets the mutants per target (the defaults keep the
//! suite to a few seconds per target in CI); `LOGS_FUZZ_SEED=N` or
//! `LOGS_FUZZ_SEED=random` changes the mutants (the default seed is fixed,
//! so CI runs are reproducible). A failing input is minimised, written to
//! `target/fuzz-failures/`, and printed; the fix goes in with a named
//! regression test.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

/// SplitMix64: small, fast and good enough to pick mutations.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Bytes a parser treats specially, tried in place of random bytes.
const INTERESTING: &[u8] = b"\0\x01\x1b\x7f\xff\xc0\xed\xef\xbb\xbf\"\\{}[],:\n\r\t '=#-.0159eE+";

/// Hostile values common to every format.
const COMMON_DICT: &[&[u8]] = &[
    b"0",
    b"-1",
    b"1e308",
    b"-1e308",
    b"1e400",
    b"NaN",
    b"Infinity",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"18446744073709551616",
    b"1000000000000000000",
    b"99999999999999999999999999999",
    b"0.0000001",
    b"\\ud83d",
    b"\\ude00",
    b"\\u0000",
    b"\\u001b[2J",
    b"\xed\xa0\x80",
    b"\xf0\x9f\x98",
    b"\xe2\x80\xae",
    b"\x1b]8;;http://x\x07",
    b"0001-01-01T00:00:00Z",
    b"9999-12-31T23:59:59Z",
    b"3000-01-01T00:00:00Z",
    b"2026-01-19T09:00:00.000Z",
    b"1970-01-01T00:00:00Z",
    b"`$(id)`",
    b"<img src=x onerror=alert(1)>",
    b"[a](http://evil.example)",
    b"::error::",
    b"%0A",
    b"Bearer abcdefghijklmnop",
    b"jane.doe@example.com",
];

/// What a target is fed.
pub struct Target<'a> {
    pub name: &'static str,
    pub seeds: Vec<Vec<u8>>,
    /// Tokens of the format (keys, keywords, separators).
    pub dict: &'a [&'a [u8]],
    /// Mutants are cut to this length.
    pub max_len: usize,
    /// Mutants per run unless `LOGS_FUZZ_CASES` says otherwise.
    pub cases: u64,
}

fn env_cases(default: u64) -> u64 {
    std::env::var("LOGS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn env_seed(name: &str) -> u64 {
    let base = match std::env::var("LOGS_FUZZ_SEED").ok().as_deref() {
        None | Some("") => 0x1095_0000_2026,
        Some("random") => {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            t ^ u64::from(std::process::id())
        }
        Some(v) => v.parse().unwrap_or_else(|_| panic!("LOGS_FUZZ_SEED={v:?}")),
    };
    // One stream per target, so targets do not share mutants.
    name.bytes()
        .fold(base, |h, b| h.rotate_left(5) ^ u64::from(b))
        .wrapping_mul(0x100_0000_01B3)
}

fn pick<'a>(rng: &mut Rng, dict: &[&'a [u8]]) -> &'a [u8] {
    if dict.is_empty() || rng.chance(3) {
        COMMON_DICT[rng.below(COMMON_DICT.len())]
    } else {
        dict[rng.below(dict.len())]
    }
}

/// A range of `len` bytes: start and end.
fn range(rng: &mut Rng, len: usize) -> (usize, usize) {
    if len == 0 {
        return (0, 0);
    }
    let start = rng.below(len);
    let max = (len - start).min(if rng.chance(4) { len } else { 16 });
    (start, start + 1 + rng.below(max))
}

/// Applies one random mutation to `buf`.
fn mutate_once(rng: &mut Rng, buf: &mut Vec<u8>, seeds: &[Vec<u8>], dict: &[&[u8]]) {
    let len = buf.len();
    match rng.below(12) {
        0 if len > 0 => {
            let i = rng.below(len);
            buf[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            buf[i] = INTERESTING[rng.below(INTERESTING.len())];
        }
        2 => {
            let at = rng.below(len + 1);
            let n = 1 + rng.below(8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            buf.splice(at..at, bytes);
        }
        3 if len > 0 => {
            let (a, b) = range(rng, len);
            buf.drain(a..b);
        }
        4 if len > 0 => {
            let (a, b) = range(rng, len);
            let copy = buf[a..b].to_vec();
            let at = rng.below(len + 1);
            buf.splice(at..at, copy);
        }
        5 | 6 => {
            let token = pick(rng, dict);
            let at = rng.below(len + 1);
            if rng.chance(2) && at < len {
                // Replace the token-sized run there.
                let end = (at + token.len()).min(len);
                buf.splice(at..end, token.iter().copied());
            } else {
                buf.splice(at..at, token.iter().copied());
            }
        }
        7 if len > 0 => {
            // Replace a run of digits with a hostile number.
            let start = rng.below(len);
            if let Some(i) = buf[start..].iter().position(u8::is_ascii_digit) {
                let a = start + i;
                let b = a + buf[a..].iter().take_while(|b| b.is_ascii_digit()).count();
                let n = COMMON_DICT[rng.below(12)];
                buf.splice(a..b, n.iter().copied());
            }
        }
        8 if !seeds.is_empty() => {
            // Splice: a prefix of this input, a suffix of another seed.
            let other = &seeds[rng.below(seeds.len())];
            let cut = rng.below(len + 1);
            let from = rng.below(other.len() + 1);
            buf.truncate(cut);
            buf.extend_from_slice(&other[from..]);
        }
        9 if len > 0 => {
            buf.truncate(rng.below(len));
        }
        10 if len > 0 => {
            // Repeat a short range many times (long tokens, deep nesting).
            let (a, b) = range(rng, len);
            let b = b.min(a + 8);
            let copy = buf[a..b].to_vec();
            let times = 1 + rng.below(512);
            let at = rng.below(len + 1);
            buf.splice(at..at, copy.iter().copied().cycle().take(copy.len() * times));
        }
        _ => {
            let token = pick(rng, dict);
            let at = rng.below(len + 1);
            buf.splice(at..at, token.iter().copied());
        }
    }
}

/// A mutant of a random seed: one to eight stacked mutations.
pub fn mutant(rng: &mut Rng, seeds: &[Vec<u8>], dict: &[&[u8]], max_len: usize) -> Vec<u8> {
    let mut buf = if seeds.is_empty() {
        Vec::new()
    } else {
        seeds[rng.below(seeds.len())].clone()
    };
    for _ in 0..1 + rng.below(8) {
        mutate_once(rng, &mut buf, seeds, dict);
        buf.truncate(max_len);
    }
    buf
}

/// Panics in progress inside a fuzz case (their messages are not printed:
/// the runner reports the minimised input instead).
static QUIET: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.load(Ordering::SeqCst) > 0 {
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `check` on `input`; the panic message if it panicked.
fn run_case(check: &dyn Fn(&[u8]), input: &[u8]) -> Option<String> {
    QUIET.fetch_add(1, Ordering::SeqCst);
    LAST_PANIC.with(|p| p.borrow_mut().take());
    let result = catch_unwind(AssertUnwindSafe(|| check(input)));
    QUIET.fetch_sub(1, Ordering::SeqCst);
    let payload = result.err()?;
    let here = LAST_PANIC.with(|p| p.borrow_mut().take());
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(non-string panic)".into());
    Some(here.unwrap_or(message))
}

/// Shrinks a failing input by removing ranges while it still fails, within
/// a bounded number of runs.
fn minimise(check: &dyn Fn(&[u8]), input: &[u8]) -> Vec<u8> {
    let mut best = input.to_vec();
    let mut budget = 3000;
    let mut size = best.len() / 2;
    while size > 0 && budget > 0 {
        let mut at = 0;
        while at < best.len() && budget > 0 {
            let end = (at + size).min(best.len());
            let mut candidate = best.clone();
            candidate.drain(at..end);
            budget -= 1;
            if run_case(check, &candidate).is_some() {
                best = candidate;
            } else {
                at += size;
            }
        }
        size /= 2;
    }
    best
}

/// Escaped for a report: printable ASCII as is, the rest as `\xNN`.
pub fn escaped(bytes: &[u8], max: usize) -> String {
    let mut s = String::new();
    for &b in bytes.iter().take(max) {
        match b {
            b'\\' => s.push_str("\\\\"),
            b'\n' => s.push_str("\\n"),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    if bytes.len() > max {
        s.push_str(&format!("… ({} bytes)", bytes.len()));
    }
    s
}

fn fail(target: &str, case: &str, check: &dyn Fn(&[u8]), input: &[u8], message: &str) -> ! {
    let small = minimise(check, input);
    let again = run_case(check, &small).unwrap_or_else(|| message.to_string());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("{target}-{case}.bin"));
    let _ = std::fs::write(&file, &small);
    let _ = std::fs::write(dir.join(format!("{target}-{case}-original.bin")), input);
    let report = format!(
        "fuzz target `{target}` failed on {case}:\n  {again}\n  minimised input ({} bytes, saved to {}):\n  {}",
        small.len(),
        file.display(),
        escaped(&small, 4000)
    );
    eprintln!("{report}");
    panic!("{report}");
}

/// Runs every seed, then `cases` mutants, through `check`, which panics
/// (for example through `assert!`) when a property does not hold.
pub fn fuzz(target: Target<'_>, check: impl Fn(&[u8])) {
    install_hook();
    let check: &dyn Fn(&[u8]) = &check;
    for (i, seed) in target.seeds.iter().enumerate() {
        if let Some(m) = run_case(check, seed) {
            fail(target.name, &format!("seed-{i}"), check, seed, &m);
        }
    }
    let seed = env_seed(target.name);
    let mut rng = Rng::new(seed);
    let trace = std::env::var_os("LOGS_FUZZ_TRACE").is_some();
    for case in 0..env_cases(target.cases) {
        let input = mutant(&mut rng, &target.seeds, target.dict, target.max_len);
        if trace {
            // A crash that is not a panic (an abort, a stack overflow)
            // kills the process: the input is on disk to reproduce it.
            let _ = std::fs::write(format!("/tmp/logs-fuzz-{}.bin", target.name), &input);
        }
        if let Some(m) = run_case(check, &input) {
            let case = format!("case-{case}-seed-{seed}");
            fail(target.name, &case, check, &input, &m);
        }
    }
}

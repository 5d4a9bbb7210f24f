//! The mutation engine on proptest: a case is a seed (from `samples/` and
//! `tests/real/`) and one to eight structure-aware mutations of it (bit
//! flips, bytes a parser treats specially, a dictionary of the format's
//! tokens and hostile values, splices between seeds, deletions, repeated
//! ranges for long tokens and deep nesting). Proptest draws the cases,
//! catches panics and shrinks a failing case to fewer, smaller mutations.
//! No coverage feedback (that needs nightly instrumentation); every seed is
//! run unmutated first.
//!
//! `LOGS_FUZZ_CASES=N` sets the cases per target (the defaults keep each
//! target to a few seconds in CI); `LOGS_FUZZ_SEED=N` or
//! `LOGS_FUZZ_SEED=random` changes the cases (the default seed is fixed, so
//! CI runs are reproducible). A failing input, shrunk by proptest and
//! then byte ranges at a time, is written to `target/fuzz-failures/` and
//! printed; the fix goes in with a named
//! regression test (`regressions.rs`), so failure persistence is off.

use std::fmt;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngSeed, TestError, TestRunner};

/// Bytes a parser treats specially, tried in place of others.
const INTERESTING: &[u8] = b"\0\x01\x1b\x7f\xff\xc0\xed\xef\xbb\xbf\"\\{}[],:\n\r\t '=#-.0159eE+";

/// Hostile numbers (the first entries of [`COMMON_DICT`]).
const NUMBERS: usize = 12;

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
    /// Cases per run unless `LOGS_FUZZ_CASES` says otherwise.
    pub cases: u32,
}

/// One edit of the input; positions are [`Index`]es, so they fit any
/// length and shrink towards the start.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit(Index, u8),
    Interesting(Index, Index),
    InsertRandom(Index, Vec<u8>),
    Delete(Index, usize),
    Duplicate(Index, usize, Index),
    Token(Index, Index, bool),
    Number(Index, Index),
    Splice(Index, Index, Index),
    Truncate(Index),
    Repeat(Index, usize, usize, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = any::<Index>;
    let span = prop_oneof![3 => 1usize..=16, 1 => 1usize..=4096];
    prop_oneof![
        1 => (i(), 0u8..8).prop_map(|(a, b)| Mutation::FlipBit(a, b)),
        1 => (i(), i()).prop_map(|(a, b)| Mutation::Interesting(a, b)),
        1 => (i(), prop::collection::vec(any::<u8>(), 1..=8))
            .prop_map(|(a, b)| Mutation::InsertRandom(a, b)),
        1 => (i(), span.clone()).prop_map(|(a, n)| Mutation::Delete(a, n)),
        1 => (i(), span, i()).prop_map(|(a, n, b)| Mutation::Duplicate(a, n, b)),
        3 => (i(), i(), any::<bool>()).prop_map(|(a, t, r)| Mutation::Token(a, t, r)),
        1 => (i(), i()).prop_map(|(a, n)| Mutation::Number(a, n)),
        1 => (i(), i(), i()).prop_map(|(a, s, b)| Mutation::Splice(a, s, b)),
        1 => i().prop_map(Mutation::Truncate),
        1 => (i(), 1usize..=8, 1usize..=512, i()).prop_map(|(a, n, t, b)| Mutation::Repeat(a, n, t, b)),
    ]
}

/// The seeds and tokens a target's mutations draw on.
struct Corpus {
    seeds: Vec<Vec<u8>>,
    /// The target's tokens, then [`COMMON_DICT`].
    dict: Vec<Vec<u8>>,
    max_len: usize,
}

impl Mutation {
    fn apply(&self, buf: &mut Vec<u8>, corpus: &Corpus) {
        let len = buf.len();
        // A position in `0..=len`.
        let at = |i: &Index| i.index(len + 1);
        match self {
            Mutation::FlipBit(i, bit) if len > 0 => buf[i.index(len)] ^= 1 << bit,
            Mutation::Interesting(i, b) if len > 0 => {
                buf[i.index(len)] = INTERESTING[b.index(INTERESTING.len())];
            }
            Mutation::InsertRandom(i, bytes) => {
                let a = at(i);
                buf.splice(a..a, bytes.iter().copied());
            }
            Mutation::Delete(i, n) if len > 0 => {
                let a = i.index(len);
                buf.drain(a..(a + n).min(len));
            }
            Mutation::Duplicate(i, n, to) if len > 0 => {
                let a = i.index(len);
                let copy = buf[a..(a + n).min(len)].to_vec();
                let to = at(to);
                buf.splice(to..to, copy);
            }
            Mutation::Token(i, t, replace) => {
                let token = &corpus.dict[t.index(corpus.dict.len())];
                let a = at(i);
                let end = if *replace {
                    (a + token.len()).min(len)
                } else {
                    a
                };
                buf.splice(a..end, token.iter().copied());
            }
            Mutation::Number(i, n) if len > 0 => {
                let start = i.index(len);
                if let Some(k) = buf[start..].iter().position(u8::is_ascii_digit) {
                    let a = start + k;
                    let b = a + buf[a..].iter().take_while(|b| b.is_ascii_digit()).count();
                    buf.splice(a..b, COMMON_DICT[n.index(NUMBERS)].iter().copied());
                }
            }
            Mutation::Splice(i, s, from) => {
                // A prefix of this input, a suffix of another seed.
                let other = &corpus.seeds[s.index(corpus.seeds.len())];
                buf.truncate(at(i));
                buf.extend_from_slice(&other[from.index(other.len() + 1)..]);
            }
            Mutation::Truncate(i) if len > 0 => buf.truncate(i.index(len)),
            Mutation::Repeat(i, n, times, to) if len > 0 => {
                let a = i.index(len);
                let copy = buf[a..(a + n).min(len)].to_vec();
                let to = at(to);
                let run = copy.iter().copied().cycle().take(copy.len() * times);
                buf.splice(to..to, run);
            }
            _ => {}
        }
        buf.truncate(corpus.max_len);
    }
}

/// A mutated input; printed escaped, not as a list of numbers.
#[derive(Clone)]
pub struct Mutant(pub Vec<u8>);

impl fmt::Debug for Mutant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes: {}", self.0.len(), escaped(&self.0, 4000))
    }
}

fn mutants(corpus: Arc<Corpus>) -> impl Strategy<Value = Mutant> {
    (any::<Index>(), prop::collection::vec(mutation(), 1..=8)).prop_map(move |(seed, edits)| {
        let mut buf = corpus.seeds[seed.index(corpus.seeds.len())].clone();
        for m in &edits {
            m.apply(&mut buf, &corpus);
        }
        Mutant(buf)
    })
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

fn env_cases(default: u32) -> u32 {
    match std::env::var("LOGS_FUZZ_CASES") {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("LOGS_FUZZ_CASES={v:?} is not a number")),
        Err(_) => default,
    }
}

/// The RNG seed: fixed unless `LOGS_FUZZ_SEED` says otherwise, and one
/// stream per target, so targets do not share cases.
fn env_seed(name: &str) -> RngSeed {
    let base = match std::env::var("LOGS_FUZZ_SEED").ok().as_deref() {
        None | Some("") => 0x1095_0000_2026,
        Some("random") => return RngSeed::Random,
        Some(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("LOGS_FUZZ_SEED={v:?}: a number or `random`")),
    };
    let mixed = name
        .bytes()
        .fold(base, |h: u64, b| h.rotate_left(5) ^ u64::from(b))
        .wrapping_mul(0x100_0000_01B3);
    RngSeed::Fixed(mixed)
}

/// Whether `check` panics on `input`.
fn fails(check: &dyn Fn(&[u8]), input: &[u8]) -> bool {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(input))).is_err()
}

/// Shrinks a failing input further, byte ranges at a time (proptest
/// shrinks the mutations, not the seed under them), within a bounded
/// number of runs.
fn minimise(check: &dyn Fn(&[u8]), input: &[u8]) -> Vec<u8> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut best = input.to_vec();
    let mut budget = 2000;
    let mut size = best.len() / 2;
    while size > 0 && budget > 0 {
        let mut at = 0;
        while at < best.len() && budget > 0 {
            let mut candidate = best.clone();
            candidate.drain(at..(at + size).min(best.len()));
            budget -= 1;
            if fails(check, &candidate) {
                best = candidate;
            } else {
                at += size;
            }
        }
        size /= 2;
    }
    std::panic::set_hook(hook);
    best
}

fn save(name: &str, what: &str, input: &[u8]) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
    let file = dir.join(format!("{name}-{what}.bin"));
    let _ = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, input));
    file.display().to_string()
}

/// Runs every seed, then the target's cases, through `check`, which panics
/// (for example through `assert!`) when a property does not hold.
pub fn fuzz(target: Target<'_>, check: impl Fn(&[u8])) {
    for (i, seed) in target.seeds.iter().enumerate() {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(seed)));
        if let Err(panic) = run {
            let file = save(target.name, &format!("seed-{i}"), seed);
            eprintln!(
                "fuzz target `{}`: seed {i} (saved to {file}) fails",
                target.name
            );
            std::panic::resume_unwind(panic);
        }
    }
    let mut dict: Vec<Vec<u8>> = target.dict.iter().map(|t| t.to_vec()).collect();
    dict.extend(COMMON_DICT.iter().map(|t| t.to_vec()));
    let corpus = Arc::new(Corpus {
        seeds: target.seeds,
        dict,
        max_len: target.max_len,
    });
    let seed = env_seed(target.name);
    let config = Config {
        cases: env_cases(target.cases),
        rng_seed: seed,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&mutants(corpus), |m| {
        check(&m.0);
        Ok(())
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, m)) => {
            let small = Mutant(minimise(&check, &m.0));
            let file = save(target.name, "minimal", &small.0);
            panic!(
                "fuzz target `{}` ({seed:?}) failed: {why}\n  minimal input (saved to {file}): {small:?}",
                target.name
            );
        }
        Err(e) => panic!("fuzz target `{}`: {e}", target.name),
    }
}

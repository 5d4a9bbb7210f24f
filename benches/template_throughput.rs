//! Throughput of the template miner on synthetic web-app logs.
//!
//! `cargo bench --bench template_throughput -- [N] [--file PATH]
//! [--templates] [--write PATH] [--text PATH]` generates N (default
//! 1,000,000) messages in the style of a Next.js app on Vercel (request
//! lines, errors with stack traces, digests, request ids, JSON lines, …)
//! from a fixed SplitMix64 seed, so every run mines the same input; then it
//! times `TemplateMiner::add` over them on one thread, and the grouping at
//! the end, and prints messages per second. Generation is not timed. Build
//! with `--release`. `--file PATH` mines the lines of a file instead
//! (cycled up to N messages), to measure real logs; `--templates` lists the
//! templates found. `--write PATH` writes the first N *lines* of the
//! generated stream (stack traces span several lines) to PATH instead of
//! mining, as the input of `benches/templates_vs_drain3.sh` (`logs
//! templates --input-format text` against Drain3 on the same file).
//! `--text PATH` times the whole text path (reading the file, mining,
//! grouping) in process with 1, 2, … up to all cores, to show how it
//! scales.

use std::io::Write as _;
use std::time::Instant;

use logs::input::InputSpec;
use logs::templates::{MinerConfig, TemplateMiner, mine_text_threads};

/// SplitMix64 (Steele, Lea & Flood, 2014): tiny, fast, good enough for
/// synthetic data, and deterministic across platforms.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the modulo bias is irrelevant here).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const ROUTES: &[&str] = &[
    "/api/users",
    "/api/orders",
    "/dashboard",
    "/blog",
    "/api/auth/session",
];
const METHODS: &[&str] = &["GET", "GET", "GET", "POST", "PUT", "DELETE"];
const PROPS: &[&str] = &["map", "length", "id", "user", "data"];
const USERS: &[&str] = &["alice", "bob", "carol", "dave", "erin", "frank", "grace"];

/// One synthetic message.
fn message(r: &mut SplitMix64) -> String {
    let ms = r.below(2000);
    let id = r.below(1_000_000);
    let ip = format!(
        "{}.{}.{}.{}",
        r.below(256),
        r.below(256),
        r.below(256),
        r.below(256)
    );
    let req = format!(
        "iad1{}-{}-{:012x}",
        r.below(10),
        1_700_000_000_000 + r.below(1 << 30),
        r.next() >> 16
    );
    match r.below(20) {
        0..=5 => format!(
            "{} {}/{id} {} in {ms}ms",
            r.pick(METHODS),
            r.pick(ROUTES),
            r.pick(&["200", "304", "404"])
        ),
        6 => format!(
            "⨯ Error: Failed to fetch {}/{id}\n    at fetchData (/var/task/.next/server/app/page.js:1:{ms})\n    at async Page",
            r.pick(ROUTES)
        ),
        7 => format!(
            "Error: An error occurred in the Server Components render. digest: {id}@E{}",
            r.below(5) + 350
        ),
        8 => format!(
            "Cache miss for key user:{id}:profile (ttl={}s)",
            r.below(600)
        ),
        9 => format!("User {}{id}@example.com signed in from {ip}", r.pick(USERS)),
        10 => format!("Task timed out after {}.00 seconds", r.below(60) + 1),
        11 => format!(
            "Unhandled Rejection: TypeError: Cannot read properties of undefined (reading '{}')",
            r.pick(PROPS)
        ),
        12 => format!(
            "[{}] {} status={} requestId={req} duration={ms}ms",
            r.pick(METHODS),
            r.pick(ROUTES),
            200
        ),
        13 => format!(
            "Webhook {:08x}-{:04x}-4abc-8def-{:012x} delivered to https://hooks.example.com/{id} in {ms}ms",
            r.next() >> 32,
            r.below(65536),
            r.next() >> 16
        ),
        14 => format!(
            "Rate limit exceeded for {ip}: {} requests in 60s",
            r.below(500)
        ),
        15 => format!("FUNCTION_INVOCATION_TIMEOUT {req}"),
        16 => format!(
            r#"{{"level":"info","msg":"order created","orderId":{id},"total":{ms}.{}}}"#,
            r.below(100)
        ),
        17 => format!("prisma:query SELECT * FROM \"User\" WHERE id = {id} LIMIT 1 -- {ms}ms"),
        18 => format!(
            "Revalidated /blog/post-{id} in {ms}ms for {}",
            r.pick(USERS)
        ),
        _ => format!(
            "ECONNRESET: socket hang up while calling {ip}:{}",
            r.below(65536)
        ),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = match args
        .first()
        .filter(|a| !a.starts_with("--"))
        .map(|a| a.replace('_', "").parse())
    {
        None => 1_000_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => fail(&format!("bad message count: {e}")),
    };
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    if let Some(path) = option("--write") {
        write_lines(n, path);
        return;
    }
    if let Some(path) = option("--text") {
        text_scaling(path);
        return;
    }
    let file = option("--file");
    let messages: Vec<String> = match file {
        None => {
            let mut rng = SplitMix64(0x5eed);
            (0..n).map(|_| message(&mut rng)).collect()
        }
        Some(path) => {
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
            let lines: Vec<&str> = text.lines().collect();
            if lines.is_empty() {
                fail(&format!("{path}: no lines"));
            }
            lines
                .iter()
                .cycle()
                .take(n)
                .map(|l| l.to_string())
                .collect()
        }
    };
    let bytes: usize = messages.iter().map(String::len).sum();

    let mut miner = TemplateMiner::new(MinerConfig::default());
    let start = Instant::now();
    for (i, m) in messages.iter().enumerate() {
        miner.add(i as u64 + 1, m);
    }
    let templates = miner.templates();
    let secs = start.elapsed().as_secs_f64();

    // Written in one go at the end: a closed pipe ends the program quietly.
    let mut out = format!(
        "messages:   {n}\nbytes:      {bytes}\ntemplates:  {}\nseconds:    {secs:.3}\n\
         throughput: {:.0} messages/s ({:.1} MB/s)\n",
        templates.len(),
        n as f64 / secs,
        bytes as f64 / secs / 1e6
    );
    if args.iter().any(|a| a == "--templates") {
        for t in templates {
            out.push_str(&format!("{:>8}  {}\n", t.count, t.template));
        }
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
}

/// Times `mine_text_threads` on a file with each thread count, best of 3.
fn text_scaling(path: &str) {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let specs = [InputSpec::Path(path.into())];
    let mut out = String::new();
    for threads in 1..=cores {
        let mut best = f64::MAX;
        let mut messages = 0;
        for _ in 0..3 {
            let start = Instant::now();
            let report = mine_text_threads(&specs, MinerConfig::default(), threads);
            best = best.min(start.elapsed().as_secs_f64());
            messages = report.messages;
        }
        out.push_str(&format!(
            "text, {threads} thread(s): {messages} messages in {best:.3} s, {:.0} messages/s\n",
            messages as f64 / best
        ));
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
}

/// Writes the first `n` lines of the generated message stream to `path`.
fn write_lines(n: usize, path: &str) {
    let mut rng = SplitMix64(0x5eed);
    let mut out = String::with_capacity(n * 64);
    let mut written = 0;
    while written < n {
        for line in message(&mut rng).lines() {
            if written == n {
                break;
            }
            out.push_str(line);
            out.push('\n');
            written += 1;
        }
    }
    std::fs::write(path, out).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    println!("wrote {n} lines to {path}");
}

fn fail(msg: &str) -> ! {
    eprintln!("template_throughput: {msg}");
    std::process::exit(2);
}

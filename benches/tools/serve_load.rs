//! Load client for `logs serve` (run by benches/serve_load.sh): CONNS
//! keep-alive connections each POST BATCHES signed NDJSON batches of about
//! MB megabytes (the bundled canary sample, each record given a fresh
//! `id`, so nothing is a duplicate and the live judge does its real work),
//! then reports sustained records/s and ack latency percentiles, and
//! checks the stored files of DIR: every batch stored exactly once, byte
//! for byte, in one piece.
//!
//!   serve_load ADDR DIR CONNS BATCHES MB
//!
//! The secret is LOGS_DRAIN_SECRET. A bounded run: CONNS × BATCHES posts.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use sha1::Sha1;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/samples/canary-rollback.ndjson"
);

fn fail(msg: String) -> ! {
    eprintln!("serve_load: {msg}");
    std::process::exit(2)
}

/// Batch `n` of connection `c`: sample lines with ids `c n i`.
fn batch(templates: &[String], c: usize, n: usize, bytes: usize) -> (Vec<u8>, usize) {
    let mut body = Vec::with_capacity(bytes + 2048);
    let mut i = 0;
    while body.len() < bytes {
        let t = &templates[i % templates.len()];
        // Every sample line starts with {"id":"<digits>", …
        let rest = t.split_once("\",").map_or("}", |x| x.1);
        let _ = writeln!(body, "{{\"id\":\"{c:04}{n:08}{i:08}\",{rest}");
        i += 1;
    }
    (body, i)
}

fn post(stream: &mut BufReader<TcpStream>, addr: &str, secret: &[u8], body: &[u8]) -> u16 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("key");
    mac.update(body);
    let sig = hex::encode(mac.finalize().into_bytes());
    let head = format!(
        "POST / HTTP/1.1\r\nhost: {addr}\r\ncontent-length: {}\r\nx-vercel-signature: {sig}\r\n\r\n",
        body.len()
    );
    let s = stream.get_mut();
    if s.write_all(head.as_bytes())
        .and_then(|()| s.write_all(body))
        .is_err()
    {
        fail("send failed".into());
    }
    let mut status = String::new();
    let _ = stream.read_line(&mut status);
    let code = status
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut len = 0usize;
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut rest = vec![0; len];
    let _ = stream.read_exact(&mut rest);
    code
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [addr, dir, conns, batches, mb] = args.as_slice() else {
        fail("usage: serve_load ADDR DIR CONNS BATCHES MB".into())
    };
    let conns: usize = conns.parse().unwrap_or_else(|_| fail("CONNS".into()));
    let batches: usize = batches.parse().unwrap_or_else(|_| fail("BATCHES".into()));
    let bytes = (mb.parse::<f64>().unwrap_or_else(|_| fail("MB".into())) * 1e6) as usize;
    let secret =
        std::env::var("LOGS_DRAIN_SECRET").unwrap_or_else(|_| fail("LOGS_DRAIN_SECRET".into()));
    let templates: Vec<String> = std::fs::read_to_string(SAMPLE)
        .unwrap_or_else(|e| fail(format!("{SAMPLE}: {e}")))
        .lines()
        .map(str::to_string)
        .collect();
    // Bodies are made before the clock starts.
    let bodies: Vec<Vec<(Vec<u8>, usize)>> = (0..conns)
        .map(|c| {
            (0..batches)
                .map(|n| batch(&templates, c, n, bytes))
                .collect()
        })
        .collect();
    let start = Instant::now();
    let threads: Vec<_> = bodies
        .iter()
        .cloned()
        .map(|mine| {
            let (addr, secret) = (addr.clone(), secret.clone());
            std::thread::spawn(move || {
                let s = TcpStream::connect(&addr).unwrap_or_else(|e| fail(format!("{addr}: {e}")));
                let mut s = BufReader::new(s);
                let mut latencies = Vec::new();
                for (body, _) in &mine {
                    let t = Instant::now();
                    let code = post(&mut s, &addr, secret.as_bytes(), body);
                    if code != 200 {
                        fail(format!("answer {code}"));
                    }
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap_or_default())
        .collect();
    let elapsed = start.elapsed();
    let records: usize = bodies.iter().flatten().map(|b| b.1).sum();
    let sent: usize = bodies.iter().flatten().map(|b| b.0.len()).sum();
    latencies.sort();
    let pct = |p: f64| {
        latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    println!(
        "{conns} connections × {batches} batches of {:.2} MB ({} records each): {records} records, {:.1} MB in {:.2} s",
        sent as f64 / (conns * batches) as f64 / 1e6,
        bodies[0][0].1,
        sent as f64 / 1e6,
        elapsed.as_secs_f64()
    );
    println!(
        "sustained: {:.0} records/s, {:.1} MB/s; ack latency p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        records as f64 / elapsed.as_secs_f64(),
        sent as f64 / 1e6 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
    verify(
        dir,
        &bodies
            .into_iter()
            .flatten()
            .map(|b| b.0)
            .collect::<Vec<_>>(),
    );
}

/// Every batch is in the stored files exactly once, whole, byte for byte.
fn verify(dir: &str, bodies: &[Vec<u8>]) {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(format!("{dir}: {e}")))
        .flatten()
        .flat_map(|d| std::fs::read_dir(d.path()).into_iter().flatten().flatten())
        .map(|f| f.path())
        .collect();
    files.sort();
    let mut stored = Vec::new();
    for f in &files {
        let mut file =
            std::fs::File::open(f).unwrap_or_else(|e| fail(format!("{}: {e}", f.display())));
        let _ = file.read_to_end(&mut stored);
    }
    let first_id = |b: &[u8]| b.get(7..27).map(<[u8]>::to_vec);
    let by_id: std::collections::HashMap<Vec<u8>, usize> = bodies
        .iter()
        .enumerate()
        .filter_map(|(i, b)| Some((first_id(b)?, i)))
        .collect();
    let mut seen = vec![false; bodies.len()];
    let mut pos = 0;
    while pos < stored.len() {
        let Some(&i) = first_id(&stored[pos..]).and_then(|id| by_id.get(&id)) else {
            fail(format!(
                "byte {pos} of the stored files starts no batch that was sent"
            ));
        };
        let body = &bodies[i];
        if seen[i] || stored.get(pos..pos + body.len()) != Some(&body[..]) {
            fail(format!(
                "batch {i} is not stored once and whole at byte {pos}"
            ));
        }
        seen[i] = true;
        pos += body.len();
    }
    if let Some(i) = seen.iter().position(|s| !s) {
        fail(format!("batch {i} was acknowledged but is not stored"));
    }
    println!(
        "stored files: {} bytes in {} files, byte-equal to the {} batches sent, each once",
        stored.len(),
        files.len(),
        bodies.len()
    );
}

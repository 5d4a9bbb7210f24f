//! Per-request details that exports show but [`Event`] does not carry
//! (client IP, edge POP, memory, invocation id, cache state…), derived from a
//! hash of the request id so that every shape agrees on them and no shape
//! needs randomness of its own.

use std::fmt::Write as _;

use super::event::Event;
use super::rng::hash_bytes;

const POPS: [&str; 6] = ["iad1", "sfo1", "fra1", "cdg1", "gru1", "hnd1"];

/// Derived details of one request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Derived {
    h: u64,
    route_h: u64,
}

impl Derived {
    pub fn of(e: &Event) -> Self {
        Self {
            h: hash_bytes(e.request_id.as_bytes()),
            route_h: hash_bytes(e.route.as_bytes()),
        }
    }

    /// Configured function memory, MB (per route).
    pub fn memory_size(&self) -> u32 {
        if self.route_h % 4 == 0 { 3009 } else { 1769 }
    }

    /// Peak memory of the invocation, MB.
    pub fn max_memory_used(&self) -> u32 {
        80 + (self.h % 320) as u32
    }

    /// The edge POP that received the request.
    pub fn pop(&self) -> &'static str {
        POPS[((self.h >> 8) % POPS.len() as u64) as usize]
    }

    pub fn response_bytes(&self) -> u32 {
        200 + ((self.h >> 16) % 48_000) as u32
    }

    /// A UUID-shaped invocation id (AWS's request id in REPORT lines).
    pub fn invocation_id(&self, out: &mut String) {
        let (a, b) = (self.h, crate::rng::mix(self.h ^ 0x5bd1_e995));
        let _ = write!(
            out,
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48 & 0x3fff),
            b & 0xffff_ffff_ffff
        );
    }

    /// An IPv4 client address in public-looking ranges.
    pub fn client_ip(&self, out: &mut String) {
        let b = self.h.to_le_bytes();
        let _ = write!(
            out,
            "{}.{}.{}.{}",
            11 + b[3] % 212,
            b[4],
            b[5],
            1 + b[6] % 254
        );
    }
}

/// The dashboard's `type`: `serverless`, `function` (edge) or `static`.
pub(crate) fn dashboard_type(source: &str) -> &'static str {
    match source {
        "static" => "static",
        "edge" | "middleware" => "function",
        _ => "serverless",
    }
}

/// The drain's `proxy.pathType`.
pub(crate) fn path_type(e: &Event) -> &'static str {
    match e.source.as_str() {
        "static" => "static",
        "edge" => "edge",
        _ if e.route.starts_with("/api/") => "func",
        _ => "streaming_func",
    }
}

/// The cache state exports report for a request.
pub(crate) fn vercel_cache(e: &Event) -> &'static str {
    match (e.source.as_str(), e.method.as_str()) {
        ("static", _) => "HIT",
        (_, "GET") => "MISS",
        _ => "BYPASS",
    }
}

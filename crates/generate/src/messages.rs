//! Everyday log lines for synthetic traffic: request logs, JSON-ish lines,
//! cron progress, warnings and non-signature errors (some with long stack
//! traces), with emails, IPs, bearer tokens and phone numbers sprinkled in so
//! that redaction gets exercised. None of these may match a catalog signature.
//!
//! Formats are the real ones: Next.js request lines (`POST / 500 in 106ms`,
//! For-Hives/ForVoyez#219), Prisma's `prisma:query` log lines
//! (supabase/supabase#28566), Node.js stack frames under `/var/task` (Vercel's
//! function paths, besscroft/PicImpact#348); the error texts are real errors
//! no signature names (sources beside them). Names, ids and numbers are
//! invented.

use std::fmt::Write as _;

use super::rng::SplitMix64;

const NAMES: [&str; 8] = [
    "jane.doe", "marco", "li.wei", "sofia.r", "ahmed", "olga", "tom.b", "zoe",
];
const DOMAINS: [&str; 4] = ["example.com", "acme.io", "mail.test", "example.org"];
const FUNCS: [&str; 10] = [
    "getLead",
    "listLeads",
    "syncThread",
    "renderInbox",
    "updateStatus",
    "loadCampaign",
    "sendSms",
    "withAuth",
    "handler",
    "resolveWorkspace",
];

fn hex(rng: &mut SplitMix64, out: &mut String, digits: usize) {
    for _ in 0..digits {
        out.push(char::from(b"0123456789abcdef"[rng.below(16) as usize]));
    }
}

fn b64(rng: &mut SplitMix64, out: &mut String, len: usize) {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for _ in 0..len {
        out.push(char::from(A[rng.below(64) as usize]));
    }
}

/// An informational line for a request (`method`, `path` without query).
pub fn info(rng: &mut SplitMix64, method: &str, path: &str, status: i32, ms: u32) -> String {
    let mut m = String::with_capacity(200);
    let n = rng.range(1, 60);
    match rng.below(18) {
        0..=3 => {
            let _ = write!(m, "{method} {path} {status} in {ms}ms");
        }
        4 => m.push_str("[Sync] Fetching SMS history..."),
        5 | 6 => {
            let _ = write!(
                m,
                "{{\"level\":30,\"msg\":\"request completed\",\"req\":{{\"method\":\"{method}\",\"url\":\"{path}\"}},\"res\":{{\"statusCode\":{status}}},\"responseTime\":{ms},\"workspaceId\":\"ws_{n}\",\"leadId\":\"ld_"
            );
            hex(rng, &mut m, 6);
            m.push_str("\",\"changes\":[\"status\",\"owner\",\"nextFollowUpAt\"],\"traceId\":\"");
            hex(rng, &mut m, 32);
            m.push_str("\"}");
        }
        16 | 17 => {
            let _ = write!(
                m,
                "prisma:query SELECT \"public\".\"Lead\".\"id\", \"public\".\"Lead\".\"name\", \"public\".\"Lead\".\"status\", \"public\".\"Lead\".\"updatedAt\" FROM \"public\".\"Lead\" WHERE (\"public\".\"Lead\".\"workspaceId\" = $1 AND \"public\".\"Lead\".\"status\" IN ($2,$3)) ORDER BY \"public\".\"Lead\".\"updatedAt\" DESC LIMIT $4 OFFSET $5 -- {ms}ms, {n} rows"
            );
        }
        7 => {
            let _ = write!(
                m,
                "[Leads] Loaded {n} leads for workspace ws_{} (page {}, filter \"open, unassigned\")",
                n * 7,
                n % 5 + 1
            );
        }
        8 => {
            let _ = write!(
                m,
                "[Auth] Magic link sent to {}@{}",
                rng.pick(&NAMES),
                rng.pick(&DOMAINS)
            );
        }
        9 => {
            let _ = write!(
                m,
                "[SMS] Outbound message to +1 (415) 555-01{:02} queued, sid SM",
                rng.below(100)
            );
            hex(rng, &mut m, 32);
        }
        10 => {
            let ip = (
                rng.range(11, 223),
                rng.below(256),
                rng.below(256),
                rng.range(1, 254),
            );
            let _ = write!(
                m,
                "[RateLimit] {}.{}.{}.{} allowed ({n}/60 this minute)",
                ip.0, ip.1, ip.2, ip.3
            );
        }
        11 => {
            m.push_str("[Webhook] POST https://hooks.example.com/crm with Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.");
            b64(rng, &mut m, 36);
            m.push('.');
            b64(rng, &mut m, 43);
        }
        12 => {
            let _ = write!(
                m,
                "[Inbox] Nouvelle réponse de José → thread th_{n} ✉️ (\"Re: quote, v2\")"
            );
        }
        13 => {
            let _ = write!(m, "[Cache] HIT leads:ws_{n} (age {}s)", rng.below(300));
        }
        14 => {
            let _ = write!(
                m,
                "[Import] Parsed row {n}: name=\"O'Brien, Pat\", path=C:\\exports\\leads_{n}.csv"
            );
        }
        _ => {
            let _ = write!(
                m,
                "[Campaign] Scheduled {n} follow-ups for campaign cmp_{} at 09:30 America/New_York",
                n * 13
            );
        }
    }
    m
}

/// A line of a cron job's progress.
pub fn cron(rng: &mut SplitMix64, job: &str, step: usize) -> String {
    match step {
        0 => format!("[Cron] {job} started"),
        1 => "[Sync] Fetching SMS history...".to_owned(),
        _ => format!(
            "[Sync] {} new messages for {} leads, cursor={}",
            rng.below(40),
            rng.below(12),
            rng.next_u64() % 100_000
        ),
    }
}

/// A warning line.
pub fn warning(rng: &mut SplitMix64) -> String {
    let n = rng.range(1, 99);
    match rng.below(4) {
        0 => format!("[Cache] Stale entry for leads:ws_{n} ({}s old), revalidating", rng.range(60, 900)),
        1 => format!(
            "Slow query ({}ms): SELECT \"Lead\".* FROM \"Lead\" WHERE \"workspaceId\" = $1 ORDER BY \"updatedAt\" DESC LIMIT 50",
            rng.range(900, 4000)
        ),
        2 => format!("[Twilio] Webhook delivery to +1 415 555 01{n:02} delayed, retry {} of 5", n % 5 + 1),
        _ => "Warning: Each child in a list should have a unique \"key\" prop. Check the render method of `LeadRow`.".to_owned(),
    }
}

/// A non-signature error line; with `stack`, followed by a 20–45 frame
/// stack trace (2–5 KB records). The error texts are real (sources above
/// each); no catalog signature names them.
pub fn error(rng: &mut SplitMix64, stack: bool) -> String {
    let mut m = String::with_capacity(if stack { 4096 } else { 160 });
    match rng.below(4) {
        // vercel/next.js#70229 (the V8 message inside Next.js's error)
        0 => m.push_str("TypeError: Cannot read properties of undefined (reading 'workers')"),
        // opennextjs/opennextjs-netlify#1179 (axios)
        1 => m.push_str("Error: Request failed with status code 404"),
        // supabase/postgrest-js#282
        2 => m.push_str("FetchError: Unexpected token < in JSON at position 1"),
        // rag-web-ui/rag-web-ui#73 (the Next.js invariant, on its own)
        _ => m.push_str("Error: Invariant: Missing 'next-action' header."),
    }
    if stack {
        for _ in 0..rng.range(20, 45) {
            let func = rng.pick(&FUNCS);
            let chunk = rng.range(100, 9999);
            let (line, col) = (rng.range(1, 3), rng.range(100, 99_999));
            let _ = write!(
                m,
                "\n    at {func} (/var/task/.next/server/chunks/{chunk}.js:{line}:{col})"
            );
            if rng.below(3) == 0 {
                m.push_str("\n    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)");
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts::hit_texts;

    #[test]
    fn everyday_lines_never_carry_hit_texts() {
        let mut rng = SplitMix64::new(3);
        for _ in 0..2_000 {
            let lines = [
                info(&mut rng, "GET", "/api/leads", 200, 40),
                warning(&mut rng),
                error(&mut rng, true),
            ];
            for line in lines {
                for (_, hit) in hit_texts() {
                    let head = hit.lines().next().unwrap_or(hit);
                    assert!(!line.contains(head), "{line}");
                }
            }
        }
    }

    #[test]
    fn stack_traces_make_big_messages() {
        let mut rng = SplitMix64::new(9);
        let len = error(&mut rng, true).len();
        assert!((1_500..6_000).contains(&len), "{len}");
    }
}

//! The app the synthetic traffic hits: its routes, clients and the mix of
//! request kinds (static assets, cron jobs, page views, Server Actions, API
//! calls), each with a typical duration and number of log lines.

use super::event::{CHROME_UA, CRON_UA};
use super::rng::SplitMix64;
use super::texts::HitContext;

const UAS: [&str; 4] = [
    CHROME_UA,
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "axios/1.7.7",
];
/// (method, route, path template); `{id}` and `{n}` are filled in.
const API: [(&str, &str, &str); 8] = [
    ("GET", "/api/leads", "/api/leads?page={n}&status=open"),
    ("GET", "/api/leads/[id]", "/api/leads/ld_{id}"),
    ("POST", "/api/leads/[id]/notes", "/api/leads/ld_{id}/notes"),
    ("GET", "/api/inbox/counts", "/api/inbox/counts"),
    (
        "GET",
        "/api/messages",
        "/api/messages?leadId=ld_{id}&cursor={n}",
    ),
    ("POST", "/api/webhooks/twilio", "/api/webhooks/twilio"),
    ("POST", "/api/jobs", "/api/jobs"),
    ("GET", "/api/health", "/api/health"),
];
/// (route, path template) of pages; POSTs to them are Server Actions.
const PAGES: [(&str, &str); 5] = [
    ("/leads", "/leads?view=board&owner={n}"),
    ("/leads/[id]", "/leads/ld_{id}"),
    ("/inbox", "/inbox"),
    ("/settings/integrations", "/settings/integrations"),
    ("/dashboard", "/dashboard?range=7d"),
];
const CRONS: [&str; 3] = ["sync-sms", "sync-emailbison", "cleanup"];

/// One request about to be generated.
#[derive(Debug, Clone)]
pub(crate) struct RequestPlan {
    pub method: &'static str,
    pub route: String,
    pub path: String,
    pub status: i32,
    pub source: &'static str,
    pub ua: &'static str,
    pub duration: Option<u32>,
    pub lines: usize,
}

impl RequestPlan {
    /// A random healthy (or 4xx) request.
    pub fn pick(rng: &mut SplitMix64) -> Self {
        let id = format!("{:06x}", rng.below(1 << 24));
        let num = rng.range(1, 40).to_string();
        let fill = |t: &str| t.replace("{id}", &id).replace("{n}", &num);
        let kind = rng.below(100);
        let lines = 1 + usize::from(rng.below(4) == 0);
        let ua = *rng.pick(&UAS);
        let mut plan = match kind {
            0..=5 => {
                let path = format!("/_next/static/chunks/{id}{:02x}.js", rng.below(256));
                Self::new("GET", path.clone(), path, "static", ua, None, 1)
            }
            6..=13 => {
                let route = format!("/api/cron/{}", rng.pick(&CRONS));
                let dur = Some(rng.range(800, 25_000) as u32);
                let lines = 2 + rng.below(3) as usize;
                Self::new("GET", route.clone(), route, "lambda", CRON_UA, dur, lines)
            }
            14..=43 => {
                let (route, path) = *rng.pick(&PAGES);
                // A third of page requests are Server Actions: POSTs to the page route.
                let method = if kind < 24 { "POST" } else { "GET" };
                let dur = Some(rng.range(40, 1_500) as u32);
                Self::new(
                    method,
                    route.to_owned(),
                    fill(path),
                    "lambda",
                    ua,
                    dur,
                    lines,
                )
            }
            _ => {
                let (method, route, path) = *rng.pick(&API);
                let (source, dur) = if route == "/api/health" {
                    ("edge", rng.range(2, 20))
                } else {
                    ("lambda", rng.range(15, 600))
                };
                let dur = Some(dur as u32);
                Self::new(method, route.to_owned(), fill(path), source, ua, dur, lines)
            }
        };
        plan.status = match (plan.method, rng.below(100)) {
            (_, 0..=2) => *rng.pick(&[400, 401, 403, 404, 422]),
            ("POST", _) if plan.route.starts_with("/api/") => 201,
            ("GET", 3..=8) if plan.source == "static" => 304,
            _ => 200,
        };
        plan
    }

    fn new(
        method: &'static str,
        route: String,
        path: String,
        source: &'static str,
        ua: &'static str,
        duration: Option<u32>,
        lines: usize,
    ) -> Self {
        Self {
            method,
            route,
            path,
            status: 200,
            source,
            ua,
            duration,
            lines,
        }
    }

    /// Turns the request into the usual context of a signature hit.
    pub fn become_hit(&mut self, c: &HitContext, rng: &mut SplitMix64) {
        (self.method, self.route, self.path) = (c.method, c.route.to_owned(), c.path.to_owned());
        (self.status, self.source) = (c.status, "lambda");
        self.ua = if c.path.starts_with("/api/cron/") {
            CRON_UA
        } else {
            CHROME_UA
        };
        let ms = if c.status == 504 {
            300_000
        } else {
            rng.range(100, 3_000) as u32
        };
        self.duration = Some(ms);
    }

    /// Turns the request into a healthy page view of `path`.
    pub fn become_docs_page(&mut self, route: &str, path: &str) {
        (self.method, self.route, self.path) = ("GET", route.to_owned(), path.to_owned());
        (self.status, self.source) = (200, "lambda");
    }
}

//! [`Workload`]: a seeded, lazy, endless-if-asked stream of realistic events.
//!
//! Traffic mix per request: static assets, cron jobs (`vercel-cron/1.0`,
//! `/api/cron/…`), page views, Server Actions (POSTs to page routes) and API
//! calls; one to four lines each. A few percent of requests fail with error
//! lines (some with long stack traces), a few lines are warnings, and about
//! `signature_hits_per_thousand` lines per thousand carry a verbatim hit text
//! from [`hit_texts`](super::hit_texts), plus a trickle of look-alikes.
//! Only integer arithmetic and our own PRNG decide anything, so a seed always
//! yields the same events.

use std::collections::VecDeque;

use super::event::{Event, deployment_host, kind_for_level, make_request_id};
use super::messages;
use super::rng::SplitMix64;
use super::routes::RequestPlan;
use super::texts::{hit_context, hit_texts, look_alike_texts};

/// Rough output bytes per event, used only to plan deployment segments and
/// the length of [`Workload::events`] when `target_bytes` is set.
pub const BYTES_PER_EVENT_ESTIMATE: u64 = 1_000;

/// What to generate. Fields are public; start from [`Workload::default`].
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    pub seed: u64,
    /// Time of the first request, epoch ms.
    pub start_ms: i64,
    /// Number of events (log lines) when `target_bytes` is `None`.
    pub records: u64,
    /// Approximate uncompressed output size; exact (to one record) through
    /// [`write_workload`](super::write_workload).
    pub target_bytes: Option<u64>,
    /// Deployment ids, live one after another over the stream (at least one).
    pub deployments: Vec<String>,
    /// Share of requests that fail with a 5xx and an error line.
    pub error_rate: f64,
    /// Hit lines per thousand lines.
    pub signature_hits_per_thousand: f64,
    /// Look-alike lines per thousand lines.
    pub look_alikes_per_thousand: f64,
    /// Share of lines that are warnings.
    pub warning_rate: f64,
    /// Share of error lines that carry a 20–45 frame stack trace.
    pub stack_trace_rate: f64,
    /// Mean request rate; sets the time span of the stream.
    pub requests_per_minute: u32,
    pub project_name: String,
    pub project_id: String,
    /// Public host.
    pub host: String,
    pub environment: String,
}

impl Default for Workload {
    fn default() -> Self {
        Self {
            seed: 1,
            start_ms: 1_768_813_200_000, // 2026-01-19 09:00:00 UTC
            records: 10_000,
            target_bytes: None,
            deployments: vec!["dpl_8mFwq2XoYb7TcJ3hLk9sNv4RzPd1".to_owned()],
            error_rate: 0.02,
            signature_hits_per_thousand: 3.0,
            look_alikes_per_thousand: 1.0,
            warning_rate: 0.03,
            stack_trace_rate: 0.3,
            requests_per_minute: 600,
            project_name: super::event::DEFAULT_PROJECT.to_owned(),
            project_id: super::event::DEFAULT_PROJECT_ID.to_owned(),
            host: super::event::DEFAULT_HOST.to_owned(),
            environment: "production".to_owned(),
        }
    }
}

impl Workload {
    /// How many events [`events`](Self::events) yields.
    pub fn expected_events(&self) -> u64 {
        self.target_bytes
            .map_or(self.records, |b| (b / BYTES_PER_EVENT_ESTIMATE).max(1))
    }

    /// The events, lazily: `records` of them, or about `target_bytes` worth.
    pub fn events(&self) -> WorkloadEvents {
        WorkloadEvents::new(self.clone(), Some(self.expected_events()))
    }

    /// The same stream without an end (the caller stops it).
    pub fn unbounded_events(&self) -> WorkloadEvents {
        WorkloadEvents::new(self.clone(), None)
    }
}

/// The iterator behind [`Workload::events`].
#[derive(Debug, Clone)]
pub struct WorkloadEvents {
    w: Workload,
    rng: SplitMix64,
    dep_hosts: Vec<String>,
    now: i64,
    produced: u64,
    limit: Option<u64>,
    expected: u64,
    pending: VecDeque<Event>,
}

impl WorkloadEvents {
    fn new(mut w: Workload, limit: Option<u64>) -> Self {
        if w.deployments.is_empty() {
            w.deployments = Workload::default().deployments;
        }
        let dep_hosts = w
            .deployments
            .iter()
            .map(|d| deployment_host(&w.project_name, d))
            .collect();
        Self {
            rng: SplitMix64::new(w.seed),
            now: w.start_ms,
            expected: w.expected_events(),
            dep_hosts,
            produced: 0,
            limit,
            pending: VecDeque::with_capacity(8),
            w,
        }
    }

    /// Generates one request's lines into `pending`.
    fn fill(&mut self) {
        let rng = &mut self.rng;
        let mean_gap = 60_000 / u64::from(self.w.requests_per_minute.max(1));
        self.now += rng.below(2 * mean_gap + 1) as i64;
        let n = self.w.deployments.len() as u64;
        let dep = (self.produced.saturating_mul(n) / self.expected.max(1)).min(n - 1) as usize;

        let mut plan = RequestPlan::pick(rng);
        let failed = plan.source != "static" && rng.chance(self.w.error_rate);
        if failed {
            plan.status = *rng.pick(&[500, 500, 500, 502, 503]);
        }
        let per_k = plan.lines as f64 / 1000.0;
        let hit = rng
            .chance(self.w.signature_hits_per_thousand * per_k)
            .then(|| *rng.pick(hit_texts()));
        let look = (plan.source != "static" && rng.chance(self.w.look_alikes_per_thousand * per_k))
            .then(|| *rng.pick(look_alike_texts()));
        let hit_ctx = hit.and_then(|(sig, _)| hit_context(sig));
        if let Some(c) = hit_ctx {
            plan.become_hit(&c, rng);
        } else if look.is_some_and(|t| t.contains("/docs/errors/P2002")) {
            plan.become_docs_page("/docs/errors/[code]", "/docs/errors/P2002");
        }
        let RequestPlan {
            method,
            route,
            path,
            status,
            source,
            ua,
            duration: dur,
            lines,
        } = plan;

        let start = self.now;
        let base = Event {
            time_ms: start,
            deployment_id: self.w.deployments[dep].clone(),
            deployment_host: self.dep_hosts[dep].clone(),
            host: self.w.host.clone(),
            project_id: self.w.project_id.clone(),
            environment: self.w.environment.clone(),
            method: method.to_owned(),
            request_id: make_request_id(rng.next_u64(), start),
            path,
            route,
            status,
            duration_ms: dur,
            user_agent: ua.to_owned(),
            level: String::new(),
            message: String::new(),
            source: source.to_owned(),
            kind: String::new(),
            region: "iad1".to_owned(),
        };
        let span = i64::from(dur.unwrap_or(1));
        for i in 0..lines {
            let last = i + 1 == lines;
            let (level, message) = if let (true, Some((_, text))) = (last, hit) {
                (hit_ctx.map_or("error", |c| c.level), text.to_owned())
            } else if let (true, Some(text)) = (last, look) {
                ("info", text.to_owned())
            } else if source == "static" {
                ("info", String::new())
            } else if last && failed {
                let stack = rng.chance(self.w.stack_trace_rate);
                ("error", messages::error(rng, stack))
            } else if rng.chance(self.w.warning_rate) {
                ("warning", messages::warning(rng))
            } else if let Some(job) = base.path.strip_prefix("/api/cron/") {
                ("info", messages::cron(rng, job, i))
            } else {
                (
                    "info",
                    messages::info(rng, method, base.path_only(), status, dur.unwrap_or(0)),
                )
            };
            let mut e = base.clone();
            e.time_ms = start + span * i as i64 / lines as i64;
            e.level = level.to_owned();
            e.kind = kind_for_level(level).to_owned();
            e.message = message;
            self.pending.push_back(e);
        }
    }
}

impl Iterator for WorkloadEvents {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        if self.limit.is_some_and(|l| self.produced >= l) {
            return None;
        }
        if self.pending.is_empty() {
            self.fill();
        }
        self.produced += 1;
        self.pending.pop_front()
    }
}

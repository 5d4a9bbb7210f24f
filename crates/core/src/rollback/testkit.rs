//! Test support: a small builder of synthetic observations, so scenario tests
//! read as "50 clean requests over minutes 0–10" rather than struct literals.

use super::input::{Observation, RollbackInput, Severity};

pub const CANARY: &str = "dpl_NEW";
pub const BASELINE: &str = "dpl_OLD";
/// Deploy time: 2026-01-19T09:00:00Z.
pub const T0: i64 = 1_768_813_200_000;

/// Epoch ms at `minutes` after deploy (negative = before).
pub fn at(minutes: f64) -> i64 {
    T0 + (minutes * 60_000.0) as i64
}

/// Synthetic traffic for one input.
#[derive(Debug, Default)]
pub struct Traffic {
    pub lines: Vec<Observation>,
    next_id: u64,
}

impl Traffic {
    pub fn new() -> Self {
        Traffic::default()
    }

    fn id(&mut self) -> std::sync::Arc<str> {
        self.next_id += 1;
        format!("req{:05}-{}", self.next_id, self.next_id).into()
    }

    /// `n` GET requests to `/dashboard` spread evenly over [from, to) minutes,
    /// every `every`-th with `bad_status` (0 = never), all lasting `ms`.
    pub fn requests(
        &mut self,
        dep: &str,
        from: f64,
        to: f64,
        n: usize,
        ms: f64,
        bad: (usize, i32),
    ) -> &mut Self {
        for i in 0..n {
            let minute = from + (to - from) * i as f64 / n as f64;
            let status = if bad.0 > 0 && i % bad.0 == 0 {
                bad.1
            } else {
                200
            };
            let id = self.id();
            self.lines.push(Observation {
                time_ms: at(minute),
                deployment: Some(dep.into()),
                request_id: Some(id),
                method: Some("GET".into()),
                path: Some("/dashboard".into()),
                route: Some("/dashboard".into()),
                status: Some(status),
                duration_ms: Some(ms),
                ..Observation::default()
            });
        }
        self
    }

    /// `n` clean requests lasting 200 ms.
    pub fn clean(&mut self, dep: &str, from: f64, to: f64, n: usize) -> &mut Self {
        self.requests(dep, from, to, n, 200.0, (0, 200))
    }

    /// One request logged as two lines: an error line carrying `error_key`
    /// (status 0, logged before the response) and the final status line.
    pub fn failing(
        &mut self,
        dep: &str,
        minute: f64,
        method: &str,
        route: &str,
        status: i32,
        key: &str,
    ) -> &mut Self {
        let id = self.id();
        let base = Observation {
            time_ms: at(minute),
            deployment: Some(dep.into()),
            request_id: Some(id),
            method: Some(method.into()),
            path: Some(route.replace("[id]", "42").into()),
            route: Some(route.into()),
            ..Observation::default()
        };
        self.lines.push(Observation {
            status: Some(0),
            error_key: Some(key.into()),
            sample: Some(format!("⨯ Error: {key} happened").into()),
            ..base.clone()
        });
        self.lines.push(Observation {
            time_ms: base.time_ms + 5,
            status: Some(status),
            duration_ms: Some(120.0),
            ..base
        });
        self
    }

    /// A line without a request that matched signature `id`.
    pub fn signature(&mut self, dep: &str, minute: f64, id: &str, severity: Severity) -> &mut Self {
        self.lines.push(Observation {
            time_ms: at(minute),
            deployment: Some(dep.into()),
            signatures: Box::new([(id.into(), severity)]),
            error_key: Some(id.into()),
            ..Observation::default()
        });
        self
    }

    /// The input with deploy time `T0` and now at `now` minutes.
    pub fn input(&self, now: f64) -> RollbackInput {
        RollbackInput {
            canary: CANARY.into(),
            baseline: Some(BASELINE.into()),
            deploy_time_ms: Some(T0),
            now_ms: Some(at(now)),
            observations: self.lines.clone().into(),
        }
    }
}

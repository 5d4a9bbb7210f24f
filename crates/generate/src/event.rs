//! The generator's unit of output, [`Event`] (one log line of one request),
//! and a small fluent builder for writing scenarios by hand.
//!
//! A request with several log lines is several events sharing a
//! `request_id`; writers treat *consecutive* events with the same request id
//! as one request (CLI objects, dashboard summary rows, drain REPORT lines).

use std::fmt::Write as _;

use super::rng::{SplitMix64, hash_bytes};

/// Project name used by [`request`] when none is given.
pub const DEFAULT_PROJECT: &str = "myapp";
/// Public host used by [`request`] when none is given.
pub const DEFAULT_HOST: &str = "app.example.com";
/// Project id used by [`request`] when none is given.
pub const DEFAULT_PROJECT_ID: &str = "prj_8Kq2vYx4TnW1sLm9Zc3Rb7Ud";
/// A desktop Chrome user agent (it holds a comma, which CSV must quote).
pub const CHROME_UA: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
/// The user agent of Vercel cron invocations.
pub const CRON_UA: &str = "vercel-cron/1.0";

/// One log line of one request, in no particular export shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When the line was logged, epoch milliseconds UTC.
    pub time_ms: i64,
    /// `dpl_…`
    pub deployment_id: String,
    /// e.g. `myapp-abc123def-acme.vercel.app`
    pub deployment_host: String,
    /// Public host, e.g. `app.example.com`.
    pub host: String,
    pub project_id: String,
    /// `production` or `preview`.
    pub environment: String,
    pub method: String,
    /// Concrete path, may include `?query`.
    pub path: String,
    /// Route pattern, e.g. `/leads/[id]`.
    pub route: String,
    /// HTTP status; `-1` means the function crashed without answering.
    pub status: i32,
    pub duration_ms: Option<u32>,
    pub user_agent: String,
    /// `[a-z0-9]{5}-<13-digit ms>-<12 hex>`; the middle number is the
    /// request's start.
    pub request_id: String,
    /// `info`, `warning`, `error` or `fatal`.
    pub level: String,
    /// May be multi-line and hold quotes, commas, backslashes and unicode.
    pub message: String,
    /// `lambda`, `edge`, `static`, …
    pub source: String,
    /// `stdout`, `stderr`, …
    pub kind: String,
    /// Execution region, e.g. `iad1`.
    pub region: String,
}

/// A request id in Vercel's form: 5 base-36 characters, the 13-digit start
/// millisecond, 12 hex digits. The random parts come from `salt`.
pub fn make_request_id(salt: u64, start_ms: i64) -> String {
    const B36: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = SplitMix64::new(salt);
    let mut id = String::with_capacity(31);
    for _ in 0..5 {
        id.push(char::from(*rng.pick(B36)));
    }
    let tail = rng.next_u64() & 0xFFFF_FFFF_FFFF;
    let _ = write!(id, "-{start_ms:013}-{tail:012x}");
    id
}

/// The `*.vercel.app` host of a deployment: `<project>-<9 chars>-acme.vercel.app`,
/// the middle part derived from the deployment id.
pub fn deployment_host(project: &str, deployment_id: &str) -> String {
    const B36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut rng = SplitMix64::new(hash_bytes(deployment_id.as_bytes()));
    let mut host = String::with_capacity(project.len() + 28);
    host.push_str(project);
    host.push('-');
    for _ in 0..9 {
        host.push(char::from(*rng.pick(B36)));
    }
    host.push_str("-acme.vercel.app");
    host
}

/// The level a line of a request with this status gets by default.
pub fn level_for_status(status: i32) -> &'static str {
    match status {
        -1 => "fatal",
        s if s >= 500 => "error",
        _ => "info",
    }
}

/// The stream (`stdout`/`stderr`) a line of this level is written to.
pub fn kind_for_level(level: &str) -> &'static str {
    match level {
        "info" | "" => "stdout",
        _ => "stderr",
    }
}

/// A one-line request with sensible defaults: production, `app.example.com`,
/// Chrome (or `vercel-cron/1.0` under `/api/cron/`), level from the status,
/// message `"<METHOD> <path> <status>"`, no duration, region `iad1`. The
/// request id is derived from the arguments, so it is stable.
pub fn request(
    time_ms: i64,
    deployment: &str,
    method: &str,
    path: &str,
    route: &str,
    status: i32,
) -> Event {
    let salt = hash_bytes(format!("{time_ms} {deployment} {method} {path} {status}").as_bytes());
    let level = level_for_status(status);
    let user_agent = if path.starts_with("/api/cron/") {
        CRON_UA
    } else {
        CHROME_UA
    };
    let source = if route.starts_with("/_next/static/") {
        "static"
    } else {
        "lambda"
    };
    Event {
        time_ms,
        deployment_id: deployment.to_owned(),
        deployment_host: deployment_host(DEFAULT_PROJECT, deployment),
        host: DEFAULT_HOST.to_owned(),
        project_id: DEFAULT_PROJECT_ID.to_owned(),
        environment: "production".to_owned(),
        method: method.to_owned(),
        path: path.to_owned(),
        route: route.to_owned(),
        status,
        duration_ms: None,
        user_agent: user_agent.to_owned(),
        request_id: make_request_id(salt, time_ms),
        level: level.to_owned(),
        message: format!("{method} {path} {status}"),
        source: source.to_owned(),
        kind: kind_for_level(level).to_owned(),
        region: "iad1".to_owned(),
    }
}

impl Event {
    /// Another log line of the same request, `after_ms` later; the stream
    /// (`kind`) follows the level.
    pub fn line(&self, after_ms: i64, level: &str, message: impl Into<String>) -> Event {
        let mut e = self.clone();
        e.time_ms += after_ms;
        e.level = level.to_owned();
        e.kind = kind_for_level(level).to_owned();
        e.message = message.into();
        e
    }

    /// The request's start: the middle number of the request id, or the
    /// line's own time when the id is not in Vercel's form.
    pub fn request_start_ms(&self) -> i64 {
        self.request_id
            .split('-')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(self.time_ms)
    }

    /// The path without its query string.
    pub fn path_only(&self) -> &str {
        self.path.split_once('?').map_or(&self.path, |(p, _)| p)
    }

    /// The query string without its `?` (empty when there is none).
    pub fn query(&self) -> &str {
        self.path.split_once('?').map_or("", |(_, q)| q)
    }

    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }
    /// Sets the level and the matching stream (`stdout`/`stderr`).
    pub fn with_level(mut self, level: &str) -> Self {
        self.level = level.to_owned();
        self.kind = kind_for_level(level).to_owned();
        self
    }
    pub fn with_status(mut self, status: i32) -> Self {
        self.status = status;
        self
    }
    pub fn with_duration(mut self, ms: u32) -> Self {
        self.duration_ms = Some(ms);
        self
    }
    pub fn with_user_agent(mut self, ua: &str) -> Self {
        self.user_agent = ua.to_owned();
        self
    }
    pub fn with_host(mut self, host: &str) -> Self {
        self.host = host.to_owned();
        self
    }
    pub fn with_deployment_host(mut self, host: &str) -> Self {
        self.deployment_host = host.to_owned();
        self
    }
    pub fn with_project_id(mut self, id: &str) -> Self {
        self.project_id = id.to_owned();
        self
    }
    pub fn with_environment(mut self, env: &str) -> Self {
        self.environment = env.to_owned();
        self
    }
    pub fn with_request_id(mut self, id: &str) -> Self {
        self.request_id = id.to_owned();
        self
    }
    pub fn with_source(mut self, source: &str) -> Self {
        self.source = source.to_owned();
        self
    }
    pub fn with_kind(mut self, kind: &str) -> Self {
        self.kind = kind.to_owned();
        self
    }
    pub fn with_region(mut self, region: &str) -> Self {
        self.region = region.to_owned();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_id_has_vercel_form() {
        let id = make_request_id(42, 1_768_813_460_047);
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(parts.len(), 3);
        assert!(parts[0].len() == 5 && parts[0].bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(parts[1], "1768813460047");
        assert!(parts[2].len() == 12 && parts[2].bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn builder_defaults_and_setters() {
        let e = request(
            1_768_813_460_047,
            "dpl_NEW",
            "POST",
            "/leads/ld_1?x=1",
            "/leads/[id]",
            500,
        )
        .with_duration(120);
        assert_eq!(e.level, "error");
        assert_eq!(e.kind, "stderr");
        assert_eq!(e.request_start_ms(), 1_768_813_460_047);
        assert_eq!(e.path_only(), "/leads/ld_1");
        assert_eq!(e.query(), "x=1");
        assert!(
            e.deployment_host.starts_with("myapp-") && e.deployment_host.ends_with(".vercel.app")
        );
        let cron = request(0, "dpl_A", "GET", "/api/cron/sync", "/api/cron/sync", 200);
        assert_eq!(cron.user_agent, CRON_UA);
        let next = e.line(5, "info", "done");
        assert_eq!(
            (next.request_id == e.request_id, next.time_ms - e.time_ms),
            (true, 5)
        );
    }
}

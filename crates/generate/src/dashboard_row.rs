//! The rows of a dashboard export: the JSON row (key order of FORMATS.md
//! §3), the CSV row (column order of [`CSV_HEADER`]) and how an event becomes
//! a log-line row or its request's summary row.

use std::fmt::Write as _;

use serde::{Serialize, Serializer};

use super::derived::{Derived, dashboard_type, vercel_cache};
use super::event::Event;
use super::rng::hash_bytes;

/// The CSV header, in the column order of a real export.
pub const CSV_HEADER: [&str; 30] = [
    "TimeUTC",
    "timestampInMs",
    "requestPath",
    "requestMethod",
    "requestQueryString",
    "responseStatusCode",
    "requestId",
    "requestUserAgent",
    "level",
    "environment",
    "branch",
    "vercelCache",
    "type",
    "function",
    "host",
    "deploymentDomain",
    "deploymentId",
    "durationMs",
    "region",
    "maxMemoryUsed",
    "memorySize",
    "message",
    "projectId",
    "traceId",
    "sessionId",
    "invocationId",
    "instanceId",
    "concurrency",
    "workflowRunId",
    "workflowStepId",
];
/// A number, or `""` where the export leaves it blank.
#[derive(Clone, Copy)]
pub(crate) enum Num {
    Int(i64),
    Empty,
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Num::Int(n) => s.serialize_i64(*n),
            Num::Empty => s.serialize_str(""),
        }
    }
}

macro_rules! dashboard_row {
    ($name:ident { $($field:ident : $ty:ty = $key:literal),* $(,)? }) => {
        #[derive(Serialize)]
        pub(crate) struct $name<'a> { $(#[serde(rename = $key)] $field: $ty),* }
    };
}

// JSON export: key order of FORMATS.md §3.
dashboard_row!(Row {
    project_id: &'a str = "projectId", time_utc: &'a str = "TimeUTC", ts: i64 = "timestampInMs",
    request_path: &'a str = "requestPath", method: &'a str = "requestMethod",
    query: &'a str = "requestQueryString", status: Num = "responseStatusCode",
    request_id: &'a str = "requestId", user_agent: &'a str = "requestUserAgent",
    environment: &'a str = "environment", branch: &'a str = "branch",
    vercel_cache: &'a str = "vercelCache", host: &'a str = "host",
    deployment_domain: &'a str = "deploymentDomain", deployment_id: &'a str = "deploymentId",
    trace_id: &'a str = "traceId", session_id: &'a str = "sessionId", kind: &'a str = "type",
    function: &'a str = "function", level: &'a str = "level", message: &'a str = "message",
    duration: Num = "durationMs", region: &'a str = "region", max_memory: Num = "maxMemoryUsed",
    memory_size: Num = "memorySize", invocation_id: &'a str = "invocationId",
    instance_id: &'a str = "instanceId", concurrency: Num = "concurrency",
});

// CSV export: the column order of CSV_HEADER.
dashboard_row!(CsvRow {
    time_utc: &'a str = "TimeUTC", ts: i64 = "timestampInMs", request_path: &'a str = "requestPath",
    method: &'a str = "requestMethod", query: &'a str = "requestQueryString",
    status: Num = "responseStatusCode", request_id: &'a str = "requestId",
    user_agent: &'a str = "requestUserAgent", level: &'a str = "level",
    environment: &'a str = "environment", branch: &'a str = "branch",
    vercel_cache: &'a str = "vercelCache", kind: &'a str = "type", function: &'a str = "function",
    host: &'a str = "host", deployment_domain: &'a str = "deploymentDomain",
    deployment_id: &'a str = "deploymentId", duration: Num = "durationMs", region: &'a str = "region",
    max_memory: Num = "maxMemoryUsed", memory_size: Num = "memorySize", message: &'a str = "message",
    project_id: &'a str = "projectId", trace_id: &'a str = "traceId", session_id: &'a str = "sessionId",
    invocation_id: &'a str = "invocationId", instance_id: &'a str = "instanceId",
    concurrency: Num = "concurrency", workflow_run_id: &'a str = "workflowRunId",
    workflow_step_id: &'a str = "workflowStepId",
});

impl<'a> From<&Row<'a>> for CsvRow<'a> {
    fn from(r: &Row<'a>) -> Self {
        CsvRow {
            time_utc: r.time_utc,
            ts: r.ts,
            request_path: r.request_path,
            method: r.method,
            query: r.query,
            status: r.status,
            request_id: r.request_id,
            user_agent: r.user_agent,
            level: r.level,
            environment: r.environment,
            branch: r.branch,
            vercel_cache: r.vercel_cache,
            kind: r.kind,
            function: r.function,
            host: r.host,
            deployment_domain: r.deployment_domain,
            deployment_id: r.deployment_id,
            duration: r.duration,
            region: r.region,
            max_memory: r.max_memory,
            memory_size: r.memory_size,
            message: r.message,
            project_id: r.project_id,
            trace_id: r.trace_id,
            session_id: r.session_id,
            invocation_id: r.invocation_id,
            instance_id: r.instance_id,
            concurrency: r.concurrency,
            workflow_run_id: "",
            workflow_step_id: "",
        }
    }
}

#[derive(Default)]
pub(crate) struct Scratch {
    time_utc: String,
    request_path: String,
    invocation_id: String,
}

/// The row for a log line of `e`, or (`summary`) for its request as a whole.
pub(crate) fn build<'a>(s: &'a mut Scratch, e: &'a Event, summary: bool) -> Row<'a> {
    let d = Derived::of(e);
    let ts = if summary {
        e.request_start_ms()
    } else {
        e.time_ms
    };
    s.time_utc.clear();
    if let Some(t) = chrono::DateTime::from_timestamp_millis(ts) {
        let _ = write!(s.time_utc, "{}", t.format("%Y-%m-%d %H:%M:%S"));
    }
    s.request_path.clear();
    let _ = write!(s.request_path, "{}{}", e.host, e.path_only());
    s.invocation_id.clear();
    if summary {
        d.invocation_id(&mut s.invocation_id);
    }
    // Some line rows leave the status blank, as real exports do.
    let blank_status = !summary && hash_bytes(e.message.as_bytes()) % 4 == 0;
    let num = |n: Option<i64>| n.map_or(Num::Empty, Num::Int);
    Row {
        project_id: &e.project_id,
        time_utc: &s.time_utc,
        ts,
        request_path: &s.request_path,
        method: &e.method,
        query: e.query(),
        status: if blank_status {
            Num::Empty
        } else {
            Num::Int(e.status.into())
        },
        request_id: &e.request_id,
        user_agent: &e.user_agent,
        environment: &e.environment,
        branch: if e.environment == "production" {
            "main"
        } else {
            "feature/inbox-v2"
        },
        vercel_cache: vercel_cache(e),
        host: &e.host,
        deployment_domain: &e.deployment_host,
        deployment_id: &e.deployment_id,
        trace_id: "",
        session_id: "",
        kind: dashboard_type(&e.source),
        function: if e.source == "static" { "" } else { &e.route },
        level: if summary { "" } else { &e.level },
        message: if summary { "" } else { &e.message },
        duration: num(e.duration_ms.filter(|_| summary).map(i64::from)),
        region: &e.region,
        max_memory: num(summary.then(|| d.max_memory_used().into())),
        memory_size: num(summary.then(|| d.memory_size().into())),
        invocation_id: &s.invocation_id,
        instance_id: "",
        concurrency: num(summary.then_some(1)),
    }
}

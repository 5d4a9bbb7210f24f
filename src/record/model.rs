//! [`Record`]: what every export shape is normalised into.

use std::borrow::Cow;

/// Log level, ordered by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Debug,
    Info,
    Warning,
    Error,
    Fatal,
}

impl Level {
    /// Parses the level words Vercel and common loggers use.
    pub fn parse(s: &str) -> Option<Level> {
        let s = s.trim();
        let eq = |w: &str| s.eq_ignore_ascii_case(w);
        Some(if eq("info") || eq("log") || eq("notice") {
            Level::Info
        } else if eq("warning") || eq("warn") {
            Level::Warning
        } else if eq("error") || eq("err") {
            Level::Error
        } else if eq("fatal") || eq("critical") || eq("panic") {
            Level::Fatal
        } else if eq("debug") || eq("trace") {
            Level::Debug
        } else {
            return None;
        })
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
            Level::Fatal => "fatal",
        }
    }
}

/// Which export a record came from, told by its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// Log drain record (`source`, `proxy{}`, `timestamp`).
    Drain,
    /// Dashboard "Logs" download (`TimeUTC`, `timestampInMs`).
    Dashboard,
    /// `vercel logs --json`, CLI 50.12+ (`logs[]`, `domain`).
    Cli,
    /// `vercel logs --json`, CLI 35–50.11 (`rowId`).
    CliLegacy,
    /// None of the above.
    Unknown,
}

impl Shape {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Drain => "drain",
            Shape::Dashboard => "dashboard",
            Shape::Cli => "cli",
            Shape::CliLegacy => "cli-legacy",
            Shape::Unknown => "unknown",
        }
    }
}

/// One message line of a record, with its own level when the export has one.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine<'a> {
    pub level: Option<Level>,
    pub text: Cow<'a, str>,
}

/// A normalised log record. Every field is optional: exports differ and real
/// ones miss fields. Strings borrow from the input when no unescaping was
/// needed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record<'a> {
    /// Milliseconds since the Unix epoch, UTC.
    pub time_ms: Option<i64>,
    /// The record's own level (see also [`Record::max_level`]).
    pub level: Option<Level>,
    /// HTTP status; `-1` means the function crashed without answering.
    pub status: Option<i32>,
    pub method: Option<Cow<'a, str>>,
    /// Concrete request path, without host and query.
    pub path: Option<Cow<'a, str>>,
    /// Route pattern (`/leads/[id]`) when the export has it.
    pub route: Option<Cow<'a, str>>,
    pub host: Option<Cow<'a, str>>,
    pub deployment_id: Option<Cow<'a, str>>,
    /// The deployment's own URL host (`app-abc123.vercel.app`) when known.
    pub deployment_host: Option<Cow<'a, str>>,
    pub request_id: Option<Cow<'a, str>>,
    pub user_agent: Option<Cow<'a, str>>,
    pub duration_ms: Option<f64>,
    pub source: Option<Cow<'a, str>>,
    /// `type` in the export (`stdout`, `stderr`, `serverless`, …).
    pub kind: Option<Cow<'a, str>>,
    pub environment: Option<Cow<'a, str>>,
    /// The message text(s): one per line of a drain or dashboard record, one
    /// per entry of a CLI record's `logs[]`.
    pub lines: Vec<LogLine<'a>>,
    pub shape: Option<Shape>,
}

impl Record<'_> {
    /// The most severe level of the record and its lines.
    pub fn max_level(&self) -> Option<Level> {
        self.lines
            .iter()
            .filter_map(|l| l.level)
            .chain(self.level)
            .max()
    }

    /// The route when known, else the concrete path.
    pub fn route_or_path(&self) -> Option<&str> {
        self.route.as_deref().or(self.path.as_deref())
    }

    /// Whether this record belongs to the deployment named `id`, which may be
    /// a deployment id (`dpl_…`) or its URL host.
    pub fn is_deployment(&self, id: &str) -> bool {
        let id = id.trim_start_matches("https://").trim_end_matches('/');
        self.deployment_id.as_deref() == Some(id) || self.deployment_host.as_deref() == Some(id)
    }
}

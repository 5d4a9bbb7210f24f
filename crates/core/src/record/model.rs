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
    /// The dashboard's "Copy logs" JSON lines (`domain`, `source`,
    /// `requestPath`; no `logs[]`), usually after a header block.
    DashboardCopy,
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
            Shape::DashboardCopy => "dashboard-copy",
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

fn own(c: Option<Cow<'_, str>>) -> Option<Cow<'static, str>> {
    c.map(|c| Cow::Owned(c.into_owned()))
}

impl Record<'_> {
    /// The record with every string owned (for records decoded from a
    /// repaired copy of their bytes).
    pub fn into_owned(self) -> Record<'static> {
        Record {
            time_ms: self.time_ms,
            level: self.level,
            status: self.status,
            method: own(self.method),
            path: own(self.path),
            route: own(self.route),
            host: own(self.host),
            deployment_id: own(self.deployment_id),
            deployment_host: own(self.deployment_host),
            request_id: own(self.request_id),
            user_agent: own(self.user_agent),
            duration_ms: self.duration_ms,
            source: own(self.source),
            kind: own(self.kind),
            environment: own(self.environment),
            lines: self
                .lines
                .into_iter()
                .map(|l| LogLine {
                    level: l.level,
                    text: Cow::Owned(l.text.into_owned()),
                })
                .collect(),
            shape: self.shape,
        }
    }

    /// The most severe level of the record and its lines.
    pub fn max_level(&self) -> Option<Level> {
        self.lines
            .iter()
            .filter_map(|l| l.level)
            .chain(self.level)
            .max()
    }

    /// The route when known, else the concrete path with its ids folded
    /// (`/leads/42` → `/leads/[id]`).
    pub fn route_or_path(&self) -> Option<Cow<'_, str>> {
        match (&self.route, &self.path) {
            (Some(r), _) => Some(Cow::Borrowed(r)),
            (None, Some(p)) => Some(super::route::fold_ids(p)),
            (None, None) => None,
        }
    }

    /// Whether this record belongs to the deployment named `id`, which may be
    /// a deployment id (`dpl_…`) or its URL host.
    ///
    /// A URL as copied from a browser (`https://host/path`) names its host.
    pub fn is_deployment(&self, id: &str) -> bool {
        let id = deployment_name(id);
        self.deployment_id.as_deref() == Some(id)
            || self
                .deployment_host
                .as_deref()
                .is_some_and(|h| h.eq_ignore_ascii_case(id))
    }
}

/// The deployment a `--deployment` value names: an id as is, or the host of
/// a URL (`https://app-abc.vercel.app/leads` → `app-abc.vercel.app`).
pub fn deployment_name(value: &str) -> &str {
    let v = value.trim();
    let v = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
        .unwrap_or(v);
    let end = v.find(['/', '?', '#']).unwrap_or(v.len());
    &v[..end]
}

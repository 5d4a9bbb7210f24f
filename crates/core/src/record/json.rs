//! Decoding one JSON record (any of the four export shapes) into [`Record`].

use std::borrow::Cow;
use std::sync::LazyLock;

use serde::Deserialize;

use super::loose::{LooseNum, LooseStr, LooseTime};
use super::model::{Level, LogLine, Record, Shape};
use super::raw::RawRecord;
use super::time;

/// A record whose bytes are framed as JSON but cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("invalid JSON record: {0}")]
    Json(#[from] serde_json::Error),
    #[error("time {0} is outside the plausible range (years 2000 to 2100): the record is damaged")]
    Implausible(String),
}

/// The keys [`decode_json_fields`] reads: those that tell the shape, the
/// time, the deployment and the environment. Every other key is skipped
/// (its grammar still checked) without building anything.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawFields<'a> {
    #[serde(borrow, rename = "requestId")]
    request_id: LooseStr<'a>,
    #[serde(borrow, rename = "deploymentId")]
    deployment_id: LooseStr<'a>,
    #[serde(borrow, rename = "deploymentDomain")]
    deployment_domain: LooseStr<'a>,
    #[serde(borrow)]
    host: LooseStr<'a>,
    #[serde(borrow)]
    domain: LooseStr<'a>,
    #[serde(borrow)]
    timestamp: LooseTime<'a>,
    #[serde(rename = "timestampInMs")]
    timestamp_in_ms: LooseNum,
    #[serde(borrow, rename = "TimeUTC")]
    time_utc: LooseStr<'a>,
    #[serde(borrow, rename = "requestPath")]
    request_path: LooseStr<'a>,
    #[serde(borrow)]
    environment: LooseStr<'a>,
    #[serde(borrow)]
    source: LooseStr<'a>,
    logs: Option<serde::de::IgnoredAny>,
    proxy: Option<serde::de::IgnoredAny>,
    #[serde(borrow, rename = "rowId")]
    row_id: LooseStr<'a>,
}

/// The [`ShapeKeys`] of a raw record, full ([`RawRecord`]) or probed
/// ([`RawFields`]): both name the keys alike.
macro_rules! shape_keys {
    ($raw:expr) => {
        ShapeKeys {
            logs: $raw.logs.is_some(),
            row_id: $raw.row_id.0.is_some(),
            time_utc: $raw.time_utc.0.is_some(),
            proxy: $raw.proxy.is_some(),
            source: $raw.source.0.is_some(),
            request_path: $raw.request_path.0.is_some(),
            domain: $raw.domain.0.is_some(),
            request_id: $raw.request_id.0.is_some(),
        }
    };
}

/// What tells an export's shape apart, key by key.
struct ShapeKeys {
    logs: bool,
    row_id: bool,
    time_utc: bool,
    proxy: bool,
    source: bool,
    request_path: bool,
    domain: bool,
    request_id: bool,
}

fn shape_of(k: ShapeKeys) -> Shape {
    if k.logs {
        Shape::Cli
    } else if k.row_id {
        Shape::CliLegacy
    } else if k.time_utc {
        Shape::Dashboard
    } else if k.proxy || (k.source && !k.request_path) {
        Shape::Drain
    } else if k.domain && (k.request_id || k.source || k.request_path) {
        // The dashboard's "Copy logs" lines: `domain` and `requestPath`
        // like the CLI, but flat (no `logs[]`) and with `requestId`.
        Shape::DashboardCopy
    } else if k.domain {
        Shape::Cli
    } else {
        Shape::Unknown
    }
}

/// The record's time: `timestamp` (a number or a date), else
/// `timestampInMs`, else `TimeUTC`.
fn time_of(timestamp: &LooseTime<'_>, in_ms: Option<f64>, time_utc: Option<&str>) -> Option<i64> {
    // A number goes straight to epoch milliseconds: its digits never parse
    // as a date, which only a string that is not a number falls back to.
    match timestamp {
        LooseTime::Number(n) => time::ms_from_number(*n),
        LooseTime::Text(t) => t
            .parse::<f64>()
            .ok()
            .and_then(time::ms_from_number)
            .or_else(|| time::parse_loose(t)),
        LooseTime::None => None,
    }
    .or_else(|| in_ms.and_then(time::ms_from_number))
    .or_else(|| time_utc.and_then(time::parse_loose))
}

/// A drain's `host` and the CLI's and copy's `domain` are the deployment's
/// URL host (or its alias): what `--deployment` users type.
fn deployment_host_of<'a>(
    shape: Shape,
    deployment_domain: Option<Cow<'a, str>>,
    host: &Option<Cow<'a, str>>,
    domain: &Option<Cow<'a, str>>,
) -> Option<Cow<'a, str>> {
    deployment_domain.or_else(|| match shape {
        Shape::Drain => host.clone(),
        _ => domain.clone(),
    })
}

/// The record [`decode_json_fields`] gives, from a raw record of either
/// kind ([`RawRecord`] or [`RawFields`]): both name these fields alike.
macro_rules! fields_record {
    ($raw:expr) => {{
        let raw = $raw;
        let shape = shape_of(shape_keys!(raw));
        let time_ms = time_of(
            &raw.timestamp,
            raw.timestamp_in_ms.0,
            raw.time_utc.0.as_deref(),
        );
        match time_ms.filter(|&t| !time::is_plausible(t)) {
            Some(t) => Err(DecodeError::Implausible(t.to_string())),
            None => Ok(Record {
                time_ms,
                deployment_host: deployment_host_of(
                    shape,
                    raw.deployment_domain.0,
                    &raw.host.0,
                    &raw.domain.0,
                ),
                deployment_id: raw.deployment_id.0,
                environment: raw.environment.0,
                shape: Some(shape),
                ..Record::default()
            }),
        }
    }};
}

/// Reads only what record filters and an input's inventory need (time,
/// deployment id and host, environment, shape) from one JSON object; the
/// other fields of the [`Record`] are empty. The same values as
/// [`decode_json`] gives for those fields, at a fraction of its cost.
pub fn decode_json_fields(bytes: &[u8]) -> Result<Record<'_>, DecodeError> {
    // Whatever the narrow reader reads, serde reads alike.
    let text = utf8(bytes);
    if let Some(raw) = text.and_then(super::fast::read_fields) {
        return fields_record!(raw);
    }
    let raw: RawFields<'_> = parse(bytes, text)?;
    fields_record!(raw)
}

/// [`decode_json_fields`] with serde alone.
#[cfg(test)]
pub(super) fn fields_by_serde(bytes: &[u8]) -> Result<Record<'_>, DecodeError> {
    let raw: RawFields<'_> = parse(bytes, utf8(bytes))?;
    fields_record!(raw)
}

/// The record as text, after one SIMD validation of the whole of it: the
/// narrow reader and serde's `from_str` then trust it, less work than
/// validating each string as they go.
fn utf8(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

/// Serde's reading of a record (`text`: its bytes when they are valid
/// UTF-8). Invalid UTF-8 takes the checking parser, for its error.
fn parse<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
    text: Option<&'a str>,
) -> Result<T, serde_json::Error> {
    match text {
        Some(text) => serde_json::from_str(text),
        None => serde_json::from_slice(bytes),
    }
}

/// Decodes one JSON object into a [`Record`] borrowing from `bytes`: with
/// the narrow reader (`fast`) when it can read it, else with serde, which
/// also gives every error.
pub fn decode_json(bytes: &[u8]) -> Result<Record<'_>, DecodeError> {
    let text = utf8(bytes);
    let raw: RawRecord<'_> = match text.and_then(super::fast::read_record) {
        Some(raw) => raw,
        None => parse(bytes, text)?,
    };
    let rec = normalise(raw);
    if let Some(t) = rec.time_ms.filter(|&t| !time::is_plausible(t)) {
        return Err(DecodeError::Implausible(t.to_string()));
    }
    Ok(rec)
}

/// A copy of `bytes` with invalid UTF-8 and lone surrogate escapes
/// (`\ud83d` without its pair) replaced by U+FFFD, or `None` when there
/// was nothing to repair.
pub fn repair_text(bytes: &[u8]) -> Option<Vec<u8>> {
    let text = String::from_utf8_lossy(bytes);
    let mut changed = matches!(text, Cow::Owned(_));
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let hex4 = |i: usize| -> Option<u16> {
        let h = b.get(i..i + 4)?;
        u16::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
    };
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'u') {
            if let Some(u) = hex4(i + 2) {
                let high = (0xD800..0xDC00).contains(&u);
                let low = (0xDC00..0xE000).contains(&u);
                let paired = high
                    && b.get(i + 6) == Some(&b'\\')
                    && b.get(i + 7) == Some(&b'u')
                    && hex4(i + 8).is_some_and(|v| (0xDC00..0xE000).contains(&v));
                if paired {
                    out.extend_from_slice(&b[i..i + 12]);
                    i += 12;
                    continue;
                }
                if high || low {
                    out.extend_from_slice(b"\\ufffd");
                    changed = true;
                    i += 6;
                    continue;
                }
            }
            out.extend_from_slice(&b[i..i + 2]);
            i += 2;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    changed.then_some(out)
}

fn status(n: LooseNum) -> Option<i32> {
    n.0.map(|v| v as i32).filter(|&s| s != 0)
}

/// Splits `host/path?query` (dashboard) or `/path?query` into host and path.
fn split_request_path(p: Cow<'_, str>) -> (Option<Cow<'_, str>>, Cow<'_, str>) {
    let (host, path) = match p {
        Cow::Borrowed(s) if !s.starts_with('/') => match s.find('/') {
            Some(i) => (Some(Cow::Borrowed(&s[..i])), Cow::Borrowed(&s[i..])),
            None => (Some(Cow::Borrowed(s)), Cow::Borrowed("/")),
        },
        Cow::Owned(s) if !s.starts_with('/') => match s.find('/') {
            Some(i) => (
                Some(Cow::Owned(s[..i].to_owned())),
                Cow::Owned(s[i..].to_owned()),
            ),
            None => (Some(Cow::Owned(s)), Cow::Borrowed("/")),
        },
        p => (None, p),
    };
    (host, strip_query(path))
}

fn strip_query(p: Cow<'_, str>) -> Cow<'_, str> {
    match p.find('?') {
        None => p,
        Some(i) => match p {
            Cow::Borrowed(s) => Cow::Borrowed(&s[..i]),
            Cow::Owned(mut s) => {
                s.truncate(i);
                Cow::Owned(s)
            }
        },
    }
}

/// `[a-z0-9]{5}-<13 digits>-<12 hex>`: a Vercel request id.
pub(crate) fn is_request_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 32
        && b[..5]
            .iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && b[5] == b'-'
        && b[6..19].iter().all(u8::is_ascii_digit)
        && b[19] == b'-'
        && b[20..].iter().all(u8::is_ascii_hexdigit)
}

/// `REPORT RequestId: … Duration: 10.5 ms …`: the only duration a drain has.
fn report_duration(text: &str) -> Option<f64> {
    // Built once: every message line of a drain record without
    // `durationMs` is searched.
    type Finder = LazyLock<memchr::memmem::Finder<'static>>;
    static REPORT: Finder = LazyLock::new(|| memchr::memmem::Finder::new(b"REPORT RequestId:"));
    static TAB: Finder = LazyLock::new(|| memchr::memmem::Finder::new(b"\tDuration: "));
    static SPACE: Finder = LazyLock::new(|| memchr::memmem::Finder::new(b" Duration: "));
    let rest = &text[REPORT.find(text.as_bytes())?..];
    // Both separators are ASCII: a byte offset of either is a char boundary.
    let at = (TAB.find(rest.as_bytes())).or_else(|| SPACE.find(rest.as_bytes()))?;
    let rest = &rest[at + 11..];
    rest.split_whitespace().next()?.parse().ok()
}

pub(super) fn normalise(raw: RawRecord<'_>) -> Record<'_> {
    let shape = shape_of(shape_keys!(raw));
    let proxy = raw.proxy.unwrap_or_default();
    let time_ms = time_of(
        &raw.timestamp,
        raw.timestamp_in_ms.0,
        raw.time_utc.0.as_deref(),
    );
    // A proxy status of -1 with no status of the record's own is a
    // background revalidation, not a crash: only the record's own -1 is one.
    let status = status(raw.status_code)
        .or_else(|| status(proxy.status_code).filter(|&s| s != -1))
        .or_else(|| status(raw.response_status_code));
    let (req_host, path) = match proxy.path.0.or(raw.request_path.0) {
        Some(p) => {
            let (h, p) = split_request_path(p);
            (h, Some(p))
        }
        None => (None, None),
    };
    // A drain's `path` is the route pattern, or else the function's
    // entrypoint (`api/hello`, `middleware`) or an asset: only a pattern is
    // a route; the others fall back to the concrete path.
    let route = if shape == Shape::Drain {
        raw.path.0.filter(|p| super::route::is_route_pattern(p))
    } else {
        None
    }
    .or(raw.function.0);
    let request_id = raw
        .request_id
        .0
        .or_else(|| raw.id.0.filter(|id| is_request_id(id)));
    let level = raw.level.0.as_deref().and_then(Level::parse);
    // Sized at once: a drain record has one line, and growing an empty
    // vector by one costs more than the allocation.
    let count = usize::from(raw.message.0.is_some()) + raw.logs.as_ref().map_or(0, Vec::len);
    let mut lines = Vec::with_capacity(count);
    if let Some(text) = raw.message.0 {
        lines.push(LogLine { level, text });
    }
    for log in raw.logs.into_iter().flatten() {
        if let Some(text) = log.message.0 {
            lines.push(LogLine {
                level: log.level.0.as_deref().and_then(Level::parse),
                text,
            });
        }
    }
    let duration_ms = raw
        .duration_ms
        .0
        .or_else(|| lines.iter().find_map(|l| report_duration(&l.text)));
    Record {
        time_ms,
        level,
        status,
        method: proxy.method.0.or(raw.request_method.0),
        path,
        route,
        deployment_host: deployment_host_of(
            shape,
            raw.deployment_domain.0,
            &raw.host.0,
            &raw.domain.0,
        ),
        host: proxy.host.0.or(raw.host.0).or(raw.domain.0).or(req_host),
        deployment_id: raw.deployment_id.0,
        request_id,
        user_agent: proxy.user_agent.0.or(raw.request_user_agent.0),
        client_ip: proxy.client_ip.0,
        duration_ms,
        source: raw.source.0,
        kind: raw.kind.0,
        environment: raw.environment.0,
        lines,
        shape: Some(shape),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field probe reads the same time, deployment, environment and
    /// shape as the full decode, on every record of the samples (each
    /// compact and pretty-printed), and on hand-made records of the other
    /// shapes.
    #[test]
    fn the_field_probe_agrees_with_the_full_decode() {
        let mut lines: Vec<String> = super::super::fast::tests::sample_records().to_vec();
        lines.push(r#"{"TimeUTC":"2026-01-19 10:00:00","deploymentId":"dpl_D","environment":"preview","message":"x"}"#.into());
        lines.push(r#"{"timestampInMs":1768813200000,"deploymentDomain":"a.vercel.app","host":"b","proxy":{"host":"c"}}"#.into());
        lines.push(r#"{"timestamp":"2026-01-19T10:00:00Z","source":"edge","host":"h.vercel.app","logs":null}"#.into());
        assert!(lines.len() > 100, "{}", lines.len());
        for line in &lines {
            let (Ok(full), Ok(probe)) = (
                decode_json(line.as_bytes()),
                decode_json_fields(line.as_bytes()),
            ) else {
                panic!("both decode: {line}");
            };
            assert_eq!(probe.time_ms, full.time_ms, "{line}");
            assert_eq!(probe.deployment_id, full.deployment_id, "{line}");
            assert_eq!(probe.deployment_host, full.deployment_host, "{line}");
            assert_eq!(probe.environment, full.environment, "{line}");
            assert_eq!(probe.shape, full.shape, "{line}");
        }
        // Implausible times are refused by both.
        let bad = br#"{"timestamp":99,"deploymentId":"dpl_D"}"#;
        assert!(decode_json(bad).is_err() && decode_json_fields(bad).is_err());
    }

    #[test]
    fn drain_record() {
        let s = r#"{"id":"12345678901234567890123456789012","deploymentId":"dpl_A","source":"lambda","host":"app.vercel.app","timestamp":1768813460100,"level":"error","message":"boom","type":"stderr","path":"/leads/[id]","statusCode":0,"requestId":"hp74t-1768813460047-21e481a8c16a","environment":"production","proxy":{"timestamp":1768813460047,"method":"POST","host":"app.example.com","path":"/leads/42?x=1\u0026y=2","userAgent":["Mozilla/5.0"],"statusCode":500}}"#;
        let r = decode_json(s.as_bytes()).unwrap();
        assert_eq!(r.shape, Some(Shape::Drain));
        assert_eq!(r.time_ms, Some(1768813460100));
        assert_eq!(r.status, Some(500));
        assert_eq!(r.path.as_deref(), Some("/leads/42"));
        assert_eq!(r.route.as_deref(), Some("/leads/[id]"));
        assert_eq!(r.method.as_deref(), Some("POST"));
        assert_eq!(
            r.request_id.as_deref(),
            Some("hp74t-1768813460047-21e481a8c16a")
        );
        assert_eq!(r.lines[0].text, "boom");
        assert_eq!(r.level, Some(Level::Error));
    }

    #[test]
    fn dashboard_row_with_empty_numbers() {
        let s = r#"{"TimeUTC":"2026-01-19 08:24:20","timestampInMs":"","requestPath":"app.example.com/leads/42","requestMethod":"GET","responseStatusCode":"","durationMs":"","level":"","message":"","function":"/leads/[id]","deploymentDomain":"app-abc.vercel.app"}"#;
        let r = decode_json(s.as_bytes()).unwrap();
        assert_eq!(r.shape, Some(Shape::Dashboard));
        assert_eq!(r.time_ms, Some(1_768_811_060_000));
        assert_eq!(r.status, None);
        assert_eq!(r.host.as_deref(), Some("app.example.com"));
        assert_eq!(r.path.as_deref(), Some("/leads/42"));
        assert!(r.lines.is_empty());
        assert!(r.is_deployment("app-abc.vercel.app"));
    }

    #[test]
    fn cli_record_with_nested_logs() {
        let s = r#"{"id":"hp74t-1768813460047-21e481a8c16a","timestamp":1768813460047,"responseStatusCode":504,"requestPath":"/","requestMethod":"POST","domain":"app.example.com","logs":[{"level":"info","message":"start"},{"level":"error","message":"Task timed out after 300 seconds"}]}"#;
        let r = decode_json(s.as_bytes()).unwrap();
        assert_eq!(r.shape, Some(Shape::Cli));
        assert_eq!(
            r.request_id.as_deref(),
            Some("hp74t-1768813460047-21e481a8c16a")
        );
        assert_eq!(r.lines.len(), 2);
        assert_eq!(r.max_level(), Some(Level::Error));
        assert_eq!(r.status, Some(504));
    }

    #[test]
    fn report_lines_carry_duration() {
        let s = r#"{"source":"lambda","message":"REPORT RequestId: abc Duration: 10.5 ms Billed Duration: 11 ms Memory Size: 1769 MB Max Memory Used: 105 MB"}"#;
        assert_eq!(decode_json(s.as_bytes()).unwrap().duration_ms, Some(10.5));
    }

    #[test]
    fn lone_surrogates_and_bad_utf8_are_repaired() {
        let lone = br#"{"message":"P2002 \ud83d here","level":"error"}"#;
        assert!(decode_json(lone).is_err());
        let fixed = repair_text(lone).unwrap();
        let r = decode_json(&fixed).unwrap();
        assert_eq!(r.lines[0].text, "P2002 \u{fffd} here");
        let pair = br#"{"message":"ok \ud83d\ude00"}"#;
        assert_eq!(repair_text(pair), None);
        let bad = b"{\"message\":\"a \xff b\"}";
        let r = decode_json(&repair_text(bad).unwrap())
            .unwrap()
            .into_owned();
        assert_eq!(r.lines[0].text, "a \u{fffd} b");
    }

    #[test]
    fn implausible_times_are_damage() {
        assert!(decode_json(br#"{"timestamp":1000000000000000000,"message":"x"}"#).is_err());
        assert!(decode_json(br#"{"timestamp":"3000-01-01T00:00:00Z","message":"x"}"#).is_err());
        assert!(decode_json(br#"{"timestamp":1768813460100,"message":"x"}"#).is_ok());
    }

    #[test]
    fn bad_json_is_an_error_not_a_panic() {
        assert!(decode_json(b"{\"a\": }").is_err());
        assert!(decode_json(b"{\"logs\": 5}").is_err());
    }
}

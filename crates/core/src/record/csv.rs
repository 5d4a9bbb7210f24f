//! Decoding dashboard CSV rows into [`Record`], mapping columns by header name
//! (their order differs between exports and has changed over time).

use std::borrow::Cow;

use csv::ByteRecord;

use super::json::DecodeError;
use super::model::{Level, LogLine, Record, Shape};
use super::time;

/// Column positions found in a CSV header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvColumns {
    time_utc: Option<usize>,
    timestamp_ms: Option<usize>,
    request_path: Option<usize>,
    method: Option<usize>,
    status: Option<usize>,
    request_id: Option<usize>,
    user_agent: Option<usize>,
    level: Option<usize>,
    environment: Option<usize>,
    kind: Option<usize>,
    function: Option<usize>,
    host: Option<usize>,
    deployment_domain: Option<usize>,
    deployment_id: Option<usize>,
    duration_ms: Option<usize>,
    message: Option<usize>,
}

impl CsvColumns {
    /// Maps a header row; `None` if it has none of the time or message columns.
    pub fn from_header(header: &ByteRecord) -> Option<CsvColumns> {
        let find = |name: &str| {
            header.iter().position(|h| {
                let h = h.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(h);
                h.trim_ascii().eq_ignore_ascii_case(name.as_bytes())
            })
        };
        let cols = CsvColumns {
            time_utc: find("TimeUTC"),
            timestamp_ms: find("timestampInMs"),
            request_path: find("requestPath"),
            method: find("requestMethod"),
            status: find("responseStatusCode"),
            request_id: find("requestId"),
            user_agent: find("requestUserAgent"),
            level: find("level"),
            environment: find("environment"),
            kind: find("type"),
            function: find("function"),
            host: find("host"),
            deployment_domain: find("deploymentDomain"),
            deployment_id: find("deploymentId"),
            duration_ms: find("durationMs"),
            message: find("message"),
        };
        let useful = cols
            .time_utc
            .or(cols.timestamp_ms)
            .or(cols.message)
            .is_some();
        useful.then_some(cols)
    }

    /// Decodes one data row; a time outside the plausible range is damage.
    pub fn decode<'a>(&self, row: &'a ByteRecord) -> Result<Record<'a>, DecodeError> {
        let get = |i: Option<usize>| -> Option<Cow<'a, str>> {
            let v = row.get(i?)?;
            (!v.is_empty()).then(|| String::from_utf8_lossy(v))
        };
        let num = |i| get(i).and_then(|v| v.trim().parse::<f64>().ok());
        let time_ms = num(self.timestamp_ms)
            .and_then(time::ms_from_number)
            .or_else(|| get(self.time_utc).and_then(|t| time::parse_loose(&t)));
        let (host_from_path, path) = match get(self.request_path) {
            Some(p) => split(p),
            None => (None, None),
        };
        let level = get(self.level).and_then(|l| Level::parse(&l));
        let lines = get(self.message)
            .map(|text| vec![LogLine { level, text }])
            .unwrap_or_default();
        if let Some(t) = time_ms.filter(|&t| !time::is_plausible(t)) {
            return Err(DecodeError::Implausible(t.to_string()));
        }
        Ok(Record {
            time_ms,
            level,
            status: num(self.status).map(|s| s as i32).filter(|&s| s != 0),
            method: get(self.method),
            path,
            route: get(self.function),
            host: get(self.host).or(host_from_path),
            deployment_id: get(self.deployment_id),
            deployment_host: get(self.deployment_domain),
            request_id: get(self.request_id),
            user_agent: get(self.user_agent),
            duration_ms: num(self.duration_ms),
            source: None,
            kind: get(self.kind),
            environment: get(self.environment),
            lines,
            shape: Some(Shape::Dashboard),
        })
    }
}

fn split(p: Cow<'_, str>) -> (Option<Cow<'_, str>>, Option<Cow<'_, str>>) {
    let p = p.into_owned();
    let p = p.split('?').next().unwrap_or_default().to_owned();
    if p.starts_with('/') {
        return (None, Some(Cow::Owned(p)));
    }
    match p.find('/') {
        Some(i) => (
            Some(Cow::Owned(p[..i].to_owned())),
            Some(Cow::Owned(p[i..].to_owned())),
        ),
        None => (Some(Cow::Owned(p)), Some(Cow::Borrowed("/"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_columns_by_name_in_any_order() {
        let header = ByteRecord::from(vec![
            "message",
            "requestPath",
            "TimeUTC",
            "responseStatusCode",
        ]);
        let cols = CsvColumns::from_header(&header).unwrap();
        let row = ByteRecord::from(vec![
            "a, \"quoted\"\nline",
            "app.example.com/x?y=1",
            "2026-01-19 08:24:20",
            "",
        ]);
        let r = cols.decode(&row).unwrap();
        assert_eq!(r.lines[0].text, "a, \"quoted\"\nline");
        assert_eq!(r.path.as_deref(), Some("/x"));
        assert_eq!(r.host.as_deref(), Some("app.example.com"));
        assert_eq!(r.status, None);
        assert_eq!(r.time_ms, Some(1_768_811_060_000));
        assert!(CsvColumns::from_header(&ByteRecord::from(vec!["a", "b"])).is_none());
    }
}

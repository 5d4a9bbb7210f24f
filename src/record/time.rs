//! Time stamps: epoch milliseconds in, RFC 3339 UTC out.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};

/// Formats epoch milliseconds as RFC 3339 UTC (`2026-01-19T08:24:20.047Z`).
pub fn format_ms(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
        .unwrap_or_else(|| ms.to_string())
}

/// Parses RFC 3339 (`2026-01-19T08:24:20Z`, offsets allowed) to epoch ms.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.timestamp_millis())
}

/// Parses the dashboard's `TimeUTC` (`2026-01-19 08:24:20`, UTC) or RFC 3339.
pub fn parse_loose(s: &str) -> Option<i64> {
    let s = s.trim();
    parse_rfc3339(s).or_else(|| {
        ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
            .map(|t| t.and_utc().timestamp_millis())
    })
}

/// Epoch milliseconds from a number that may be seconds, ms or µs.
pub fn ms_from_number(n: f64) -> Option<i64> {
    if !n.is_finite() || n <= 0.0 {
        return None;
    }
    let ms = if n < 1e11 {
        n * 1000.0
    } else if n < 1e14 {
        n
    } else {
        n / 1000.0
    };
    Some(ms as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let ms = parse_rfc3339("2026-01-19T08:24:20.047Z").unwrap();
        assert_eq!(ms, 1_768_811_060_047);
        assert_eq!(format_ms(ms), "2026-01-19T08:24:20.047Z");
        assert_eq!(parse_loose("2026-01-19 08:24:20"), Some(1_768_811_060_000));
        assert_eq!(ms_from_number(1_768_811_060.0), Some(1_768_811_060_000));
        assert_eq!(ms_from_number(1_768_811_060_047.0), Some(1_768_811_060_047));
    }
}

//! Time stamps: epoch milliseconds in, RFC 3339 UTC out.
//!
//! Every time a record carries must lie in the plausible range
//! [`PLAUSIBLE_MIN_MS`, `PLAUSIBLE_MAX_MS`) (2000-01-01 to 2100-01-01 UTC):
//! Vercel did not exist before, and a far-future stamp is damage. Records
//! outside it are malformed, so no window, period or bucket is ever sized by
//! a hostile time.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

/// 2000-01-01T00:00:00Z: the earliest plausible record time.
pub const PLAUSIBLE_MIN_MS: i64 = 946_684_800_000;
/// 2100-01-01T00:00:00Z: no record time is at or after this.
pub const PLAUSIBLE_MAX_MS: i64 = 4_102_444_800_000;

/// Whether `ms` is a plausible record time (see the module doc).
pub fn is_plausible(ms: i64) -> bool {
    (PLAUSIBLE_MIN_MS..PLAUSIBLE_MAX_MS).contains(&ms)
}

/// Formats epoch milliseconds as RFC 3339 UTC (`2026-01-19T08:24:20.047Z`).
/// Times outside years 0–9999 are clamped to that range, so the output is
/// always RFC 3339.
pub fn format_ms(ms: i64) -> String {
    // 0000-01-01 and 9999-12-31T23:59:59.999Z.
    let ms = ms.clamp(-62_167_219_200_000, 253_402_300_799_999);
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
        .unwrap_or_else(|| "1970-01-01T00:00:00.000Z".to_string())
}

/// Parses a time as people type it on the command line, relative to
/// `now_ms` where relative: RFC 3339 (`2026-01-19T08:00:00Z`), a date
/// (`2026-01-19`, midnight UTC), a UTC date and time (`2026-01-19 08:00`),
/// or a duration before now (`30m`, `2h`, `7d`, `90s`, `1h30m`).
pub fn parse_time_spec(s: &str, now_ms: i64) -> Option<i64> {
    let s = s.trim();
    if let Some(ms) = parse_loose(s) {
        return Some(ms);
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp_millis());
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M") {
        return Some(t.and_utc().timestamp_millis());
    }
    parse_duration_ms(s).map(|d| now_ms.saturating_sub(d))
}

/// `30m`, `2h`, `7d`, `90s`, `1h30m`, `2w` as milliseconds.
pub fn parse_duration_ms(s: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut digits = String::new();
    let mut any = false;
    for c in s.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit: i64 = match c {
            's' => 1_000,
            'm' => 60_000,
            'h' => 3_600_000,
            'd' => 86_400_000,
            'w' => 604_800_000,
            _ => return None,
        };
        let n: i64 = digits.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
        digits.clear();
        any = true;
    }
    (any && digits.is_empty() && total <= 100 * 365 * 86_400_000).then_some(total)
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

    #[test]
    fn times_as_people_type_them() {
        let now = parse_rfc3339("2026-01-19T12:00:00Z").unwrap();
        let at = |s| parse_time_spec(s, now).map(format_ms);
        assert_eq!(
            at("2026-01-19").as_deref(),
            Some("2026-01-19T00:00:00.000Z")
        );
        assert_eq!(
            at("2026-01-19 08:30").as_deref(),
            Some("2026-01-19T08:30:00.000Z")
        );
        assert_eq!(at("2h").as_deref(), Some("2026-01-19T10:00:00.000Z"));
        assert_eq!(at("1h30m").as_deref(), Some("2026-01-19T10:30:00.000Z"));
        assert_eq!(at("7d").as_deref(), Some("2026-01-12T12:00:00.000Z"));
        for bad in ["", "2", "h", "2x", "yesterday", "99999999999999w"] {
            assert_eq!(at(bad), None, "{bad}");
        }
    }

    #[test]
    fn output_is_always_rfc3339() {
        assert_eq!(format_ms(i64::MAX), "9999-12-31T23:59:59.999Z");
        assert_eq!(format_ms(i64::MIN), "0000-01-01T00:00:00.000Z");
        assert!(is_plausible(1_768_811_060_047));
        assert!(!is_plausible(1_000_000_000_000_000));
        assert!(!is_plausible(0));
    }
}

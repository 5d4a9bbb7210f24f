//! The server's own log lines, on stderr: `logs serve: …` text by default,
//! or, with `--log-format json`, one JSON object per line (`time` in UTC
//! RFC 3339 with milliseconds, `level`: info, warn or error, `message`) for
//! a log collector. Errors read `logs serve: ERROR: …` as text.

use std::fmt::Arguments;
use std::sync::OnceLock;

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// A line's severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

static FORMAT: OnceLock<LogFormat> = OnceLock::new();

/// Sets the format once, before the server starts (later calls are no-ops).
pub fn set_format(format: LogFormat) {
    let _ = FORMAT.set(format);
}

/// The line for `message` at `level`, without its newline.
pub fn line(format: LogFormat, level: Level, message: Arguments<'_>) -> String {
    match (format, level) {
        (LogFormat::Text, Level::Error) => format!("logs serve: ERROR: {message}"),
        (LogFormat::Text, _) => format!("logs serve: {message}"),
        (LogFormat::Json, _) => serde_json::json!({
            "time": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "level": match level {
                Level::Info => "info",
                Level::Warn => "warn",
                Level::Error => "error",
            },
            "message": message.to_string(),
        })
        .to_string(),
    }
}

/// Writes one line in the format set.
pub fn write(level: Level, message: Arguments<'_>) {
    eprintln!(
        "{}",
        line(FORMAT.get().copied().unwrap_or_default(), level, message)
    );
}

/// `log_info!("…", args)`: an info line.
#[macro_export]
macro_rules! log_info {
    ($($arg:tt)*) => { $crate::log::write($crate::log::Level::Info, format_args!($($arg)*)) };
}

/// `log_warn!("…", args)`: a warning line.
#[macro_export]
macro_rules! log_warn {
    ($($arg:tt)*) => { $crate::log::write($crate::log::Level::Warn, format_args!($($arg)*)) };
}

/// `log_error!("…", args)`: an error line (`logs serve: ERROR: …` as text).
#[macro_export]
macro_rules! log_error {
    ($($arg:tt)*) => { $crate::log::write($crate::log::Level::Error, format_args!($($arg)*)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_the_old_lines_and_json_is_one_object() {
        let t = line(
            LogFormat::Text,
            Level::Error,
            format_args!("disk {}", "full"),
        );
        assert_eq!(t, "logs serve: ERROR: disk full");
        let t = line(LogFormat::Text, Level::Warn, format_args!("slow"));
        assert_eq!(t, "logs serve: slow");
        let j = line(
            LogFormat::Json,
            Level::Warn,
            format_args!("a \"quoted\"\nline"),
        );
        let v: serde_json::Value = serde_json::from_str(&j).expect("JSON");
        assert_eq!(v["level"], "warn");
        assert_eq!(v["message"], "a \"quoted\"\nline");
        assert!(v["time"].as_str().is_some_and(|t| t.ends_with('Z')), "{v}");
        assert!(!j.contains('\n'));
    }
}

//! The one rule for "is this record a failure", shared by the rollback's
//! error keys and the audit's unknown errors.
//!
//! A record is a failure when it is logged at error or fatal (its own level
//! or a line's), or when its request failed (a 5xx, or `-1`: crashed without
//! answering) and it says so in its own words. Lines that only describe the
//! request (`POST /leads/42 500 in 35ms`, the platform's `START`/`END`/
//! `REPORT` lines) are not failures themselves: they would bury the real
//! errors under one group per request. A 5xx line at `info` that reads like
//! an error (`prisma:error Timed out fetching a new connection`) is one:
//! the level alone does not decide.

use std::sync::LazyLock;

use regex::Regex;

use super::model::{Level, Record};

static REQUEST_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+\S+(?:\s+\d{3})?(?:\s+in\s+[\d.]+\s*ms)?|(?:START|END|REPORT) RequestId:.*)$",
    )
    .expect("request-line regex compiles")
});

/// Error words, any case; errno codes (`ECONNRESET`) and Prisma codes only
/// in capitals, or every word starting with `e` would read like an error
/// (`email`, `exports`).
static ERROR_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:error|exception|fail(?:ed|ure|s)?|fatal|panic|crash(?:ed)?|timed? ?out|refused|unreachable|denied|invalid|unauthori[sz]ed|forbidden|cannot|can't|unable|killed|abort(?:ed)?|(?-i:E[A-Z]{4,}|P\d{4}))\b|⨯",
    )
    .expect("error-words regex compiles")
});

/// Whether a message line only describes its request (method, path,
/// status, duration) or is a platform `START`/`END`/`REPORT` line.
pub fn is_request_line(text: &str) -> bool {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    REQUEST_LINE.is_match(first.trim())
}

/// Whether a message line reads like an error.
pub fn reads_like_error(text: &str) -> bool {
    !is_request_line(text) && ERROR_WORDS.is_match(text)
}

impl Record<'_> {
    /// Whether the request failed: a 5xx, or `-1` (crashed without answering).
    pub fn failed_request(&self) -> bool {
        self.status
            .is_some_and(|s| s == -1 || (500..600).contains(&s))
    }

    /// Whether this record is a failure (see the module doc).
    pub fn is_failure(&self) -> bool {
        let level = self.max_level();
        if level >= Some(Level::Error) {
            return true;
        }
        if !self.failed_request() {
            return false;
        }
        match level {
            // No level (older drains) or a warning: any line that is not a
            // request line.
            None | Some(Level::Warning) => self.lines.iter().any(|l| !is_request_line(&l.text)),
            // Info or debug: only what reads like an error.
            _ => self.lines.iter().any(|l| reads_like_error(&l.text)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::record::LogLine;

    fn rec(status: Option<i32>, level: Option<Level>, text: &str) -> Record<'static> {
        Record {
            status,
            lines: vec![LogLine {
                level,
                text: Cow::Owned(text.to_string()),
            }],
            ..Record::default()
        }
    }

    #[test]
    fn status_and_content_decide_not_the_level_alone() {
        let info = Some(Level::Info);
        assert!(!rec(Some(200), info, "ok").is_failure());
        assert!(!rec(Some(503), info, "POST /leads/42 500 in 35ms").is_failure());
        assert!(!rec(Some(503), info, "REPORT RequestId: abc Duration: 10 ms").is_failure());
        assert!(
            rec(
                Some(503),
                info,
                "prisma:error Timed out fetching a new connection from the connection pool"
            )
            .is_failure()
        );
        assert!(!rec(Some(503), info, "rendering page").is_failure());
        // Regression: `E[A-Z]{4,}` under (?i) read `emailbison`, `exports`
        // and `email` as errno codes.
        for text in [
            "[Cron] sync-emailbison started",
            "[Import] Parsed row 22: path=C:\\exports\\leads_22.csv",
            "[Auth] Magic link sent to [email]",
            "prices p2002 and everything else",
        ] {
            assert!(!rec(Some(500), info, text).is_failure(), "{text}");
        }
        assert!(rec(Some(502), info, "fetch to api: ECONNRESET").is_failure());
        assert!(rec(Some(500), None, "something odd").is_failure());
        assert!(rec(Some(-1), Some(Level::Warning), "exited").is_failure());
        assert!(rec(None, Some(Level::Fatal), "anything").is_failure());
        assert!(
            !rec(None, info, "Task timed out").is_failure(),
            "no failed status"
        );
    }
}

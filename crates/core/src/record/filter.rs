//! [`RecordFilter`]: the record filters every reading command shares
//! (`--since`, `--until`, `--deployment`, `--environment`).

use super::model::Record;

/// Which records a command looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordFilter {
    /// Only records at or after this time (epoch ms).
    pub since_ms: Option<i64>,
    /// Only records before this time (epoch ms).
    pub until_ms: Option<i64>,
    /// Only records of this deployment (id, URL host, or a URL).
    pub deployment: Option<String>,
    /// Only records of this environment (`production`, `preview`).
    pub environment: Option<String>,
}

impl RecordFilter {
    /// Whether any filter is set.
    pub fn is_set(&self) -> bool {
        self.since_ms.is_some()
            || self.until_ms.is_some()
            || self.deployment.is_some()
            || self.environment.is_some()
    }

    /// Whether a time passes the time filters (`None`: a record without a
    /// time, which passes only when no time filter is set).
    pub fn admits_time(&self, t: Option<i64>) -> bool {
        if self.since_ms.is_none() && self.until_ms.is_none() {
            return true;
        }
        let Some(t) = t else { return false };
        !(self.since_ms.is_some_and(|s| t < s) || self.until_ms.is_some_and(|u| t >= u))
    }

    /// Whether a record passes every filter.
    pub fn admits(&self, rec: &Record<'_>) -> bool {
        self.admits_time(rec.time_ms)
            && self
                .deployment
                .as_deref()
                .is_none_or(|d| rec.is_deployment(d))
            && self.environment.as_deref().is_none_or(|e| {
                rec.environment
                    .as_deref()
                    .is_some_and(|v| v.eq_ignore_ascii_case(e))
            })
    }
}

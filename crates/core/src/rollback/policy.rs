//! [`RollbackPolicy`]: the thresholds every rule reads, one struct per rule.
//!
//! The default policy is `default_policy.toml` (compiled in and parsed, so the
//! file *is* the default); [`RollbackPolicy::from_toml_str`] overlays a user
//! file on it, key by key. Parsing lives in `policy_toml`.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a policy file was rejected.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PolicyError {
    #[error("rollback policy is not valid TOML: {0}")]
    Syntax(String),
    #[error("rollback policy: unknown top-level key `{key}` (rules go under `[rules.<id>]`)")]
    UnknownSection { key: String },
    #[error("rollback policy: unknown rule `{rule}` (known rules: {known})")]
    UnknownRule { rule: String, known: String },
    #[error("rollback policy: rule `{rule}` must be a table (`[rules.{rule}]`)")]
    NotATable { rule: String },
    #[error("rollback policy: rule `{rule}` has unknown key `{key}` (known keys: {known})")]
    UnknownKey {
        rule: String,
        key: String,
        known: String,
    },
    #[error("rollback policy: rule `{rule}` is missing key `{key}`")]
    MissingKey { rule: String, key: String },
    #[error("rollback policy: rule `{rule}`, key `{key}`: {message}")]
    InvalidValue {
        rule: String,
        key: String,
        message: String,
    },
}

use super::input::Severity;
use super::rule_id::RuleId;

/// The whole policy: one field per rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RollbackPolicy {
    pub server_action_500s: ServerActionRule,
    pub error_rate: RateRule,
    pub auth_failures: RateRule,
    pub render_errors: RateRule,
    pub latency: LatencyRule,
    pub db_connectivity: SignatureBurstRule,
    pub new_signatures: NewSignatureRule,
    pub observation: ObservationRule,
}

/// How much a failing rule weighs in the headline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSeverity {
    Critical,
    Normal,
}

/// Keys every rule has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleOptions {
    /// A disabled rule is reported as N/A and never changes the decision.
    pub enabled: bool,
    pub severity: RuleSeverity,
    /// An advisory FAIL holds the stage instead of forcing a rollback.
    pub advisory: bool,
    /// A required rule that cannot apply (N/A) becomes INCONCLUSIVE.
    pub required: bool,
}

/// A status the policy names: an exact code (`401`, `-1`) or a class (`5xx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusPattern {
    Exact(i32),
    /// The hundreds digit: `Class(5)` is `5xx`.
    Class(i32),
}

impl StatusPattern {
    pub fn matches(self, status: i32) -> bool {
        match self {
            StatusPattern::Exact(code) => status == code,
            StatusPattern::Class(class) => status >= 100 && status / 100 == class,
        }
    }
}

/// True when `status` matches any of `patterns`.
pub fn status_matches(patterns: &[StatusPattern], status: i32) -> bool {
    patterns.iter().any(|p| p.matches(status))
}

/// `server-action-500s` (seed 001).
#[derive(Debug, Clone, PartialEq)]
pub struct ServerActionRule {
    pub options: RuleOptions,
    pub window_minutes: u32,
    /// FAIL when the unique count is strictly greater than this.
    pub max_unique_errors: u64,
    /// Methods that make a request to a page route a Server Action.
    pub methods: Vec<String>,
    /// Path prefixes (segment-wise) that are not page routes.
    pub excluded_path_prefixes: Vec<String>,
    pub statuses: Vec<StatusPattern>,
}

/// The canary-vs-baseline rate rules. A request is "bad" when its status
/// matches `statuses` or one of its lines matched one of `signatures`.
#[derive(Debug, Clone, PartialEq)]
pub struct RateRule {
    pub options: RuleOptions,
    pub statuses: Vec<StatusPattern>,
    pub signatures: Vec<String>,
    /// One-sided significance level of the sequential test (an
    /// always-valid p-value, see `sequential.rs`).
    pub alpha: f64,
    /// Canary rate must be at least this multiple of the baseline rate.
    pub min_ratio: f64,
    /// …and at least this many percentage points above it.
    pub min_difference_pp: f64,
}

/// How a per-route SLO selects requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RouteMatch {
    Exact,
    /// Segment-wise prefix: `/api` matches `/api` and `/api/x`, not `/apix`.
    Prefix,
}

/// One per-route SLO of `latency-slo`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteSlo {
    pub route: String,
    pub matching: RouteMatch,
    pub slo_ms: f64,
}

/// `latency-slo` (seed 003).
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyRule {
    pub options: RuleOptions,
    pub slo_ms: f64,
    pub percentile: f64,
    pub window_minutes: u32,
    pub consecutive_windows: u32,
    pub min_samples: u64,
    /// First match wins; requests matching none use `slo_ms`.
    pub routes: Vec<RouteSlo>,
}

/// `db-connectivity`: too many lines with one of `signatures` in any
/// sliding window.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureBurstRule {
    pub options: RuleOptions,
    pub signatures: Vec<String>,
    pub window_minutes: u32,
    /// FAIL when a window holds at least this many lines.
    pub threshold: u64,
}

/// `new-critical-signatures`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSignatureRule {
    pub options: RuleOptions,
    pub min_severity: Severity,
}

/// `observation` (seed 003): minimum time and traffic per stage.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationRule {
    pub options: RuleOptions,
    pub min_minutes: f64,
    pub min_requests: u64,
}

/// Segment-wise prefix match: `prefix` `/api` (or `/api/`) matches `/api` and
/// `/api/leads`, never `/apiary`.
pub fn path_has_prefix(path: &str, prefix: &str) -> bool {
    let trimmed = prefix.trim_end_matches('/');
    if trimmed.is_empty() {
        return true;
    }
    match path.strip_prefix(trimmed) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

impl RollbackPolicy {
    /// Every signature id the policy names, with the rule naming it.
    pub fn signature_references(&self) -> Vec<(RuleId, &str)> {
        let mut refs = Vec::new();
        for (rule, ids) in [
            (RuleId::ErrorRate, &self.error_rate.signatures),
            (RuleId::AuthFailures, &self.auth_failures.signatures),
            (RuleId::RenderErrors, &self.render_errors.signatures),
            (RuleId::DbConnectivity, &self.db_connectivity.signatures),
        ] {
            refs.extend(ids.iter().map(|id| (rule, id.as_str())));
        }
        refs
    }

    /// The options every rule has, for rule `id`.
    pub fn options(&self, id: RuleId) -> RuleOptions {
        match id {
            RuleId::ServerAction500s => self.server_action_500s.options,
            RuleId::ErrorRate => self.error_rate.options,
            RuleId::AuthFailures => self.auth_failures.options,
            RuleId::RenderErrors => self.render_errors.options,
            RuleId::LatencySlo => self.latency.options,
            RuleId::DbConnectivity => self.db_connectivity.options,
            RuleId::NewSignatures => self.new_signatures.options,
            RuleId::Observation => self.observation.options,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_segment_wise() {
        assert!(path_has_prefix("/api", "/api"));
        assert!(path_has_prefix("/api/leads", "/api/"));
        assert!(!path_has_prefix("/apiary", "/api"));
        assert!(path_has_prefix("/anything", "/"));
    }

    #[test]
    fn status_patterns_match() {
        assert!(StatusPattern::Class(5).matches(503));
        assert!(!StatusPattern::Class(5).matches(-1));
        assert!(StatusPattern::Exact(-1).matches(-1));
    }
}

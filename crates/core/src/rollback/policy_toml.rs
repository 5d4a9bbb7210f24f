//! Reading a [`RollbackPolicy`] from TOML.
//!
//! A user file is overlaid on `default_policy.toml` at the TOML level (tables
//! merge key by key, any other value — arrays included — replaces), then the
//! merged document is read strictly: every key must be known, typed and in
//! range, and every error names the rule and the key.

use toml::{Table, Value};

use super::input::Severity;
pub use super::policy::PolicyError;
use super::policy::*;
use super::policy_section::Section;
use super::rule_id::RuleId;

/// The built-in policy, documented line by line.
pub const DEFAULT_POLICY_TOML: &str = include_str!("default_policy.toml");

impl Default for RollbackPolicy {
    fn default() -> Self {
        parse_table(builtin_table()).expect("default_policy.toml is valid (tested)")
    }
}

impl RollbackPolicy {
    /// Overlays `text` on the default policy; keys you omit keep their default.
    pub fn from_toml_str(text: &str) -> Result<Self, PolicyError> {
        let user: Table = text
            .parse()
            .map_err(|e: toml::de::Error| PolicyError::Syntax(e.message().trim().to_string()))?;
        let mut merged = builtin_table();
        overlay(&mut merged, user);
        parse_table(merged)
    }
}

fn builtin_table() -> Table {
    DEFAULT_POLICY_TOML
        .parse()
        .expect("default_policy.toml is valid TOML (tested)")
}

fn overlay(base: &mut Table, over: Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(inner)), Value::Table(value)) => overlay(inner, value),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn parse_table(mut doc: Table) -> Result<RollbackPolicy, PolicyError> {
    if let Some(key) = doc.keys().find(|k| k.as_str() != "rules") {
        return Err(PolicyError::UnknownSection { key: key.clone() });
    }
    let mut rules = match doc.remove("rules") {
        Some(Value::Table(rules)) => rules,
        _ => {
            return Err(PolicyError::UnknownSection {
                key: "rules".into(),
            });
        }
    };
    if let Some(rule) = rules.keys().find(|k| k.parse::<RuleId>().is_err()) {
        return Err(PolicyError::UnknownRule {
            rule: rule.clone(),
            known: RuleId::known(),
        });
    }
    let mut section = |id: RuleId| -> Result<Section, PolicyError> {
        match rules.remove(id.as_str()) {
            Some(Value::Table(table)) => Ok(Section::new(id, table)),
            Some(_) => Err(PolicyError::NotATable {
                rule: id.to_string(),
            }),
            None => Ok(Section::new(id, Table::new())),
        }
    };
    Ok(RollbackPolicy {
        server_action_500s: server_action(section(RuleId::ServerAction500s)?)?,
        error_rate: rate(section(RuleId::ErrorRate)?)?,
        auth_failures: rate(section(RuleId::AuthFailures)?)?,
        render_errors: rate(section(RuleId::RenderErrors)?)?,
        latency: latency(section(RuleId::LatencySlo)?)?,
        db_connectivity: burst(section(RuleId::DbConnectivity)?)?,
        new_signatures: new_signatures(section(RuleId::NewSignatures)?)?,
        observation: observation(section(RuleId::Observation)?)?,
    })
}

fn server_action(mut s: Section) -> Result<ServerActionRule, PolicyError> {
    let rule = ServerActionRule {
        options: s.options()?,
        window_minutes: s.minutes("window_minutes")?,
        max_unique_errors: s.count("max_unique_errors", 0)?,
        methods: s.strings("methods")?,
        excluded_path_prefixes: s.strings("excluded_path_prefixes")?,
        statuses: s.statuses("statuses")?,
    };
    s.finish(rule)
}

fn rate(mut s: Section) -> Result<RateRule, PolicyError> {
    let rule = RateRule {
        options: s.options()?,
        statuses: s.statuses("statuses")?,
        signatures: s.strings("signatures")?,
        alpha: s.float("alpha", |v| v > 0.0 && v < 1.0, "between 0 and 1")?,
        min_ratio: s.float("min_ratio", |v| v >= 1.0, "at least 1")?,
        min_difference_pp: s.float("min_difference_pp", |v| v >= 0.0, "0 or more")?,
    };
    if rule.statuses.is_empty() && rule.signatures.is_empty() {
        return Err(s.invalid("statuses", "name at least one status or signature"));
    }
    s.finish(rule)
}

fn latency(mut s: Section) -> Result<LatencyRule, PolicyError> {
    let rule = LatencyRule {
        options: s.options()?,
        slo_ms: s.float("slo_ms", |v| v > 0.0, "more than 0")?,
        percentile: s.float("percentile", |v| v > 0.0 && v <= 100.0, "in (0, 100]")?,
        window_minutes: s.minutes("window_minutes")?,
        consecutive_windows: s.minutes("consecutive_windows")?,
        min_samples: s.count("min_samples", 1)?,
        routes: s.routes("routes")?,
    };
    s.finish(rule)
}

fn burst(mut s: Section) -> Result<SignatureBurstRule, PolicyError> {
    let rule = SignatureBurstRule {
        options: s.options()?,
        signatures: s.strings("signatures")?,
        window_minutes: s.minutes("window_minutes")?,
        threshold: s.count("threshold", 1)?,
    };
    s.finish(rule)
}

fn new_signatures(mut s: Section) -> Result<NewSignatureRule, PolicyError> {
    let value = s.take("min_severity")?;
    let min_severity: Severity = value.try_into().map_err(|_| {
        s.invalid(
            "min_severity",
            "expected info, low, medium, high or critical",
        )
    })?;
    let rule = NewSignatureRule {
        options: s.options()?,
        min_severity,
    };
    s.finish(rule)
}

fn observation(mut s: Section) -> Result<ObservationRule, PolicyError> {
    let rule = ObservationRule {
        options: s.options()?,
        min_minutes: s.float("min_minutes", |v| v >= 0.0, "0 or more")?,
        min_requests: s.count("min_requests", 0)?,
    };
    s.finish(rule)
}

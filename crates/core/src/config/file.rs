//! The schema of `logs.toml`, as serde reads it. Every table rejects unknown
//! keys, and names (severities, formats, periods) are read as their types,
//! so a typo is an error at its line, not a silently ignored setting.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::audit::PeriodKind;
use crate::check::Suppression;
use crate::formats::{AuditFormat, CheckFormat, RollbackFormat, TemplatesFormat};
use crate::signatures::Severity;

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConfigFile {
    /// More catalogs (TOML files or folders), relative to the file.
    pub signatures: Vec<PathBuf>,
    /// Use only these catalogs, not the built-in one.
    pub no_builtin: bool,
    pub check: CheckDefaults,
    pub rollback: RollbackDefaults,
    pub audit: AuditDefaults,
    pub templates: TemplatesDefaults,
    pub suppress: Vec<SuppressEntry>,
}

/// `[check]`: defaults of `logs check`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckDefaults {
    pub fail_on: Option<Severity>,
    pub ignore: Vec<String>,
    pub allow_empty: Option<bool>,
    pub format: Option<CheckFormat>,
    pub environment: Option<String>,
}

/// `[rollback]`: the policy and defaults of `logs rollback`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RollbackDefaults {
    /// A policy file, relative to the config file.
    pub policy: Option<PathBuf>,
    /// Or the policy inline: the same `[rules.…]` tables as a policy file.
    pub rules: Option<toml::Table>,
    pub interval: Option<f64>,
    pub format: Option<RollbackFormat>,
}

/// `[audit]`: defaults of `logs audit`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditDefaults {
    pub period: Option<PeriodKind>,
    pub forget_after: Option<u32>,
    pub format: Option<AuditFormat>,
    pub ignore: Vec<String>,
}

/// `[templates]`: defaults of `logs templates`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TemplatesDefaults {
    pub format: Option<TemplatesFormat>,
}

/// One `[[suppress]]` entry as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuppressEntry {
    pub signature: String,
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// A TOML date (`2026-12-31`) or a string holding one.
    pub until: toml::Value,
    pub reason: Option<String>,
}

impl SuppressEntry {
    /// Checks the entry: an expiry date and a reason are required.
    pub fn resolve(&self) -> Result<Suppression, String> {
        let until = match &self.until {
            toml::Value::Datetime(d) => d
                .date
                .map(|d| (d.year as i32, d.month as u32, d.day as u32)),
            toml::Value::String(s) => {
                NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                    .ok()
                    .map(|d| {
                        (
                            chrono::Datelike::year(&d),
                            chrono::Datelike::month(&d),
                            chrono::Datelike::day(&d),
                        )
                    })
            }
            _ => None,
        }
        .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
        .ok_or_else(|| format!("`until` must be a date like 2026-12-31, not {}", self.until))?;
        let reason = self
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .ok_or("a `reason` is required: say why the finding is accepted")?;
        if self.signature.trim().is_empty() {
            return Err("`signature` is empty".into());
        }
        Ok(Suppression {
            signature: self.signature.trim().to_string(),
            fingerprint: self.fingerprint.clone(),
            until,
            reason: reason.to_string(),
        })
    }
}

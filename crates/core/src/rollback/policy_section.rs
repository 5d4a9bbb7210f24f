//! One `[rules.<id>]` table of a policy file, read key by key: each typed
//! getter removes its key and checks type and range, so whatever is left at
//! [`Section::finish`] is an unknown key. Every error names rule and key.

use toml::{Table, Value};

use super::policy::{PolicyError, RouteMatch, RouteSlo, RuleOptions, RuleSeverity, StatusPattern};
use super::rule_id::RuleId;

/// One `[rules.<id>]` table being read; keys are removed as they are read so
/// that whatever is left over is unknown.
pub struct Section {
    rule: RuleId,
    table: Table,
    read: Vec<&'static str>,
}

impl Section {
    pub fn new(rule: RuleId, table: Table) -> Self {
        Section {
            rule,
            table,
            read: Vec::new(),
        }
    }

    pub fn invalid(&self, key: &str, message: &str) -> PolicyError {
        PolicyError::InvalidValue {
            rule: self.rule.to_string(),
            key: key.into(),
            message: message.into(),
        }
    }

    pub fn take(&mut self, key: &'static str) -> Result<Value, PolicyError> {
        self.read.push(key);
        self.table
            .remove(key)
            .ok_or_else(|| PolicyError::MissingKey {
                rule: self.rule.to_string(),
                key: key.into(),
            })
    }

    pub fn finish<T>(self, rule: T) -> Result<T, PolicyError> {
        match self.table.keys().next() {
            Some(key) => Err(PolicyError::UnknownKey {
                rule: self.rule.to_string(),
                key: key.clone(),
                known: self.read.join(", "),
            }),
            None => Ok(rule),
        }
    }

    pub fn options(&mut self) -> Result<RuleOptions, PolicyError> {
        let severity = match self.take("severity")?.as_str() {
            Some("critical") => RuleSeverity::Critical,
            Some("normal") => RuleSeverity::Normal,
            _ => return Err(self.invalid("severity", "expected \"critical\" or \"normal\"")),
        };
        Ok(RuleOptions {
            enabled: self.boolean("enabled")?,
            severity,
            advisory: self.boolean("advisory")?,
            required: self.boolean("required")?,
        })
    }

    pub fn boolean(&mut self, key: &'static str) -> Result<bool, PolicyError> {
        let value = self.take(key)?;
        value
            .as_bool()
            .ok_or_else(|| self.invalid(key, "expected true or false"))
    }

    pub fn count(&mut self, key: &'static str, min: u64) -> Result<u64, PolicyError> {
        let value = self.take(key)?;
        match value.as_integer().and_then(|v| u64::try_from(v).ok()) {
            Some(v) if v >= min => Ok(v),
            _ => Err(self.invalid(key, &format!("expected a whole number, at least {min}"))),
        }
    }

    pub fn minutes(&mut self, key: &'static str) -> Result<u32, PolicyError> {
        let value = self.count(key, 1)?;
        u32::try_from(value).map_err(|_| self.invalid(key, "too large"))
    }

    pub fn float(
        &mut self,
        key: &'static str,
        ok: impl Fn(f64) -> bool,
        expected: &str,
    ) -> Result<f64, PolicyError> {
        let value = self.take(key)?;
        let number = value
            .as_float()
            .or_else(|| value.as_integer().map(|v| v as f64));
        match number {
            Some(v) if v.is_finite() && ok(v) => Ok(v),
            _ => Err(self.invalid(key, &format!("expected a number {expected}"))),
        }
    }

    pub fn strings(&mut self, key: &'static str) -> Result<Vec<String>, PolicyError> {
        let value = self.take(key)?;
        let items = value.as_array().map(|items| {
            items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        });
        items
            .flatten()
            .ok_or_else(|| self.invalid(key, "expected an array of strings"))
    }

    pub fn statuses(&mut self, key: &'static str) -> Result<Vec<StatusPattern>, PolicyError> {
        let value = self.take(key)?;
        let items = value.as_array().cloned().unwrap_or_default();
        if !value.is_array() {
            return Err(self.invalid(key, "expected an array like [\"5xx\", \"crashed\", 401]"));
        }
        items
            .iter()
            .map(|item| {
                parse_status(item).ok_or_else(|| {
                    self.invalid(
                        key,
                        &format!(
                            "`{item}` is not a status (100 to 599, a class like \"5xx\", or \"crashed\")"
                        ),
                    )
                })
            })
            .collect()
    }

    pub fn routes(&mut self, key: &'static str) -> Result<Vec<RouteSlo>, PolicyError> {
        let value = self.take(key)?;
        let Some(items) = value.as_array() else {
            return Err(self.invalid(key, "expected an array of { prefix|exact, slo_ms }"));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| self.route(i, item))
            .collect()
    }

    fn route(&self, index: usize, item: &Value) -> Result<RouteSlo, PolicyError> {
        let key = |k: &str| format!("routes[{index}].{k}");
        let err = |k: &str, message: &str| PolicyError::InvalidValue {
            rule: self.rule.to_string(),
            key: key(k),
            message: message.into(),
        };
        let table = item.as_table().ok_or_else(|| err("", "expected a table"))?;
        if let Some(unknown) = table
            .keys()
            .find(|k| !["prefix", "exact", "slo_ms"].contains(&k.as_str()))
        {
            return Err(PolicyError::UnknownKey {
                rule: self.rule.to_string(),
                key: key(unknown),
                known: "prefix, exact, slo_ms".into(),
            });
        }
        let (route, matching) = match (table.get("prefix"), table.get("exact")) {
            (Some(Value::String(p)), None) => (p.clone(), RouteMatch::Prefix),
            (None, Some(Value::String(e))) => (e.clone(), RouteMatch::Exact),
            _ => {
                return Err(err(
                    "prefix",
                    "give exactly one of `prefix` or `exact` (a string)",
                ));
            }
        };
        let slo_ms = match table.get("slo_ms") {
            Some(Value::Integer(v)) if *v > 0 => *v as f64,
            Some(Value::Float(v)) if v.is_finite() && *v > 0.0 => *v,
            _ => return Err(err("slo_ms", "expected a number more than 0")),
        };
        Ok(RouteSlo {
            route,
            matching,
            slo_ms,
        })
    }
}

fn parse_status(item: &Value) -> Option<StatusPattern> {
    match item {
        Value::Integer(code) => i32::try_from(*code)
            .ok()
            .filter(|c| (100..=599).contains(c))
            .map(StatusPattern::Exact),
        Value::String(text) => {
            let text = text.trim().to_ascii_lowercase();
            if text == "crashed" {
                return Some(StatusPattern::Exact(-1));
            }
            if let Some(class) = text.strip_suffix("xx") {
                return class
                    .parse()
                    .ok()
                    .filter(|c| (1..=5).contains(c))
                    .map(StatusPattern::Class);
            }
            text.parse()
                .ok()
                .filter(|c| (100..=599).contains(c))
                .map(StatusPattern::Exact)
        }
        _ => None,
    }
}

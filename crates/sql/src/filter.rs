//! The `--since`, `--until`, `--deployment` and `--environment` filters of `logs sql check`
//! and `logs sql audit`, as a `WHERE` clause.

use crate::quote::lit;

/// What to keep: a time range (epoch ms, `since` inclusive, `until`
/// exclusive) and one deployment (its id or its URL host).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub deployment: Option<String>,
    /// `production` or `preview` (any case).
    pub environment: Option<String>,
}

/// The condition that a row belongs to deployment `name` (an id, or the
/// URL host; hosts compare case-insensitively).
pub fn on_deployment(name: &str) -> String {
    format!(
        "(deployment_id = {0} OR lower(host) = lower({0}))",
        lit(name)
    )
}

impl Filters {
    /// `WHERE …` (or nothing). Time bounds go through `time`, the sorting
    /// key, so ClickHouse reads only the partitions and granules in range.
    pub fn where_clause(&self) -> String {
        self.where_with(Vec::new())
    }

    /// `WHERE …` with `conds` and the filters.
    pub fn where_with(&self, mut conds: Vec<String>) -> String {
        if let Some(s) = self.since_ms {
            conds.push(format!(
                "time >= fromUnixTimestamp64Milli(toInt64({s}), 'UTC')"
            ));
        }
        if let Some(u) = self.until_ms {
            conds.push(format!(
                "time < fromUnixTimestamp64Milli(toInt64({u}), 'UTC')"
            ));
        }
        if let Some(d) = &self.deployment {
            conds.push(on_deployment(d));
        }
        if let Some(e) = &self.environment {
            conds.push(format!("lower(environment) = lower({})", lit(e)));
        }
        if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}\n", conds.join(" AND "))
        }
    }
}

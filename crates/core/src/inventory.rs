//! What an input holds, for the error that explains why filters left no
//! records: its deployments (with their URL hosts), environments and time
//! range. Bounded: hostile input cannot make it grow without limit.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::record::Record;
use crate::record::time::format_ms;

/// The most distinct deployments or environments kept.
const MAX_KEYS: usize = 200;
/// The most URL hosts kept per deployment.
const MAX_HOSTS: usize = 8;
/// The longest id, host or environment kept, in bytes.
const MAX_LEN: usize = 120;

/// The environment of records that name none.
pub const NO_ENVIRONMENT: &str = "(none)";

/// Deployments, environments and times seen, merged in input order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InventoryAcc {
    deployments: BTreeMap<String, (u64, BTreeSet<String>)>,
    environments: BTreeMap<String, u64>,
    first_ms: Option<i64>,
    last_ms: Option<i64>,
    /// Distinct values not kept because a bound was reached.
    pub overflow: bool,
}

/// `s` cut to [`MAX_LEN`] bytes on a char boundary.
fn bounded(s: &str) -> &str {
    let mut end = s.len().min(MAX_LEN);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl InventoryAcc {
    /// Notes one record. Every record of a scan that reads them all comes
    /// here: a text is copied only the first time it is seen.
    pub fn add(&mut self, rec: &Record<'_>) {
        if let Some(t) = rec.time_ms {
            self.first_ms = Some(self.first_ms.map_or(t, |f| f.min(t)));
            self.last_ms = Some(self.last_ms.map_or(t, |l| l.max(t)));
        }
        let id = rec
            .deployment_id
            .as_deref()
            .or(rec.deployment_host.as_deref());
        if let Some(id) = id.map(bounded) {
            let host = rec.deployment_host.as_deref().map(bounded);
            if !self.deployments.contains_key(id) {
                if self.deployments.len() >= MAX_KEYS {
                    self.overflow = true;
                } else {
                    self.deployments.insert(id.to_string(), Default::default());
                }
            }
            if let Some(entry) = self.deployments.get_mut(id) {
                entry.0 += 1;
                if let Some(h) = host.filter(|h| *h != id) {
                    if entry.1.len() < MAX_HOSTS && !entry.1.contains(h) {
                        entry.1.insert(h.to_string());
                    }
                }
            }
        }
        let env = bounded(rec.environment.as_deref().unwrap_or(NO_ENVIRONMENT));
        let full = self.environments.len() >= MAX_KEYS;
        match self.environments.get_mut(env) {
            Some(n) => *n += 1,
            None if full => self.overflow = true,
            None => {
                self.environments.insert(env.to_string(), 1);
            }
        }
    }

    /// Folds a later chunk's inventory into this one.
    pub fn merge(&mut self, later: InventoryAcc) {
        for (id, (n, hosts)) in later.deployments {
            let full = self.deployments.len() >= MAX_KEYS;
            match self.deployments.get_mut(&id) {
                Some(e) => {
                    e.0 += n;
                    for h in hosts {
                        if e.1.len() < MAX_HOSTS {
                            e.1.insert(h);
                        }
                    }
                }
                None if full => self.overflow = true,
                None => {
                    self.deployments.insert(id, (n, hosts));
                }
            }
        }
        for (env, n) in later.environments {
            let full = self.environments.len() >= MAX_KEYS;
            match self.environments.get_mut(&env) {
                Some(e) => *e += n,
                None if full => self.overflow = true,
                None => {
                    self.environments.insert(env, n);
                }
            }
        }
        self.first_ms = self.first_ms.into_iter().chain(later.first_ms).min();
        self.last_ms = self.last_ms.into_iter().chain(later.last_ms).max();
        self.overflow |= later.overflow;
    }

    /// The report form: deployments by record count.
    pub fn finish(&self) -> Inventory {
        let mut deployments: Vec<DeploymentSeen> = self
            .deployments
            .iter()
            .map(|(id, (records, hosts))| DeploymentSeen {
                id: id.clone(),
                hosts: hosts.iter().cloned().collect(),
                records: *records,
            })
            .collect();
        deployments.sort_by(|a, b| b.records.cmp(&a.records).then_with(|| a.id.cmp(&b.id)));
        Inventory {
            deployments,
            environments: self
                .environments
                .iter()
                .map(|(name, records)| EnvironmentSeen {
                    name: name.clone(),
                    records: *records,
                })
                .collect(),
            first: self.first_ms.map(format_ms),
            last: self.last_ms.map(format_ms),
            truncated: self.overflow,
        }
    }
}

impl Inventory {
    /// The deployment id a `--deployment` value names: an id seen, or the id
    /// whose URL host it is (a URL's host counts). `None` when it names
    /// none, or a host several deployments share (see [`Self::candidates`]).
    pub fn resolve(&self, name: &str) -> Option<&str> {
        match self.candidates(name).as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// Every deployment id a `--deployment` value can stand for: the id
    /// itself, or all the deployments with that URL host (a production
    /// alias such as `app.example.com` is the host of several).
    pub fn candidates(&self, name: &str) -> Vec<&str> {
        let name = crate::record::deployment_name(name);
        if let Some(d) = self.deployments.iter().find(|d| d.id == name) {
            return vec![d.id.as_str()];
        }
        self.deployments
            .iter()
            .filter(|d| d.hosts.iter().any(|h| h.eq_ignore_ascii_case(name)))
            .map(|d| d.id.as_str())
            .collect()
    }
}

/// What the input holds.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Inventory {
    pub deployments: Vec<DeploymentSeen>,
    pub environments: Vec<EnvironmentSeen>,
    /// The earliest record time (RFC 3339).
    pub first: Option<String>,
    pub last: Option<String>,
    /// More distinct values existed than are listed.
    pub truncated: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeploymentSeen {
    pub id: String,
    /// Its URL hosts, as `--deployment` also accepts them.
    pub hosts: Vec<String>,
    pub records: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EnvironmentSeen {
    pub name: String,
    pub records: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec<'a>(id: &'a str, host: Option<&'a str>, env: Option<&'a str>) -> Record<'a> {
        Record {
            time_ms: Some(1_768_813_200_000),
            deployment_id: Some(id.into()),
            deployment_host: host.map(Into::into),
            environment: env.map(Into::into),
            ..Record::default()
        }
    }

    /// Counts per deployment and environment, hosts once each, and the
    /// bounds: past them a value is not kept and the inventory says so.
    #[test]
    fn counts_and_bounds() {
        let mut acc = InventoryAcc::default();
        for _ in 0..3 {
            acc.add(&rec("dpl_A", Some("a.vercel.app"), Some("production")));
        }
        acc.add(&rec("dpl_A", Some("dpl_A"), None));
        let long = "x".repeat(MAX_LEN + 10);
        acc.add(&rec(&long, None, Some("preview")));
        let inv = acc.finish();
        let a = inv.deployments.iter().find(|d| d.id == "dpl_A").unwrap();
        assert_eq!(
            (a.records, a.hosts.clone()),
            (4, vec!["a.vercel.app".to_string()])
        );
        assert!(inv.deployments.iter().any(|d| d.id.len() == MAX_LEN));
        let env = |n: &str| {
            inv.environments
                .iter()
                .find(|e| e.name == n)
                .map(|e| e.records)
        };
        assert_eq!(
            (env("production"), env(NO_ENVIRONMENT), env("preview")),
            (Some(3), Some(1), Some(1))
        );
        assert!(!inv.truncated);

        let mut acc = InventoryAcc::default();
        for i in 0..MAX_KEYS + 5 {
            let id = format!("dpl_{i}");
            let hosts: Vec<String> = (0..MAX_HOSTS + 3).map(|h| format!("h{h}.app")).collect();
            for h in &hosts {
                acc.add(&rec(&id, Some(h), Some(&id)));
            }
        }
        let inv = acc.finish();
        assert_eq!(inv.deployments.len(), MAX_KEYS);
        assert_eq!(inv.environments.len(), MAX_KEYS);
        assert!(inv.deployments.iter().all(|d| d.hosts.len() == MAX_HOSTS));
        assert!(inv.truncated);
    }
}

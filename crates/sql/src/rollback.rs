//! `logs sql rollback`: one query whose rows are the measures of the
//! rollback rules (`logs_core::rollback::Measure`, as JSON), computed from
//! the policy's counting keys. The judging stays in Rust: `logs rollback
//! --from-sql-results FILE` reads the rows ([`crate::results`]) and runs the
//! same `judge` as a file scan.
//!
//! The query is built as the Rust scope is (`rollback/scope.rs`):
//! - `obs`: every timed row, reduced to what the rules read, with the ids of
//!   the signatures it matched (generated from the catalog);
//! - `bounds`: deploy time (given, else the canary's first row) and now
//!   (given, else the last row; never before the deploy); rows after a
//!   given now are left out, as not yet logged;
//! - `lines`: the canary's rows from deploy to now and the baseline's up to
//!   now, tagged by side;
//! - `requests`: lines folded by deployment and request id (a line without
//!   one but with a status is a request by itself);
//! - one `SELECT` per enabled rule ([`crate::rollback_rules`]).
//!
//! Differences from the Rust fold: where a request's lines disagree, Rust
//! takes the first line in input order and SQL the earliest by time (the
//! method, path, route, error key); the error key's head line is folded
//! more coarsely (numbers and hex only); a deployment named by its URL host
//! matches every deployment with that host.

use logs_core::rollback::{RollbackPolicy, RuleId};
use logs_core::signatures::SignatureDef;

use crate::filter::on_deployment;
use crate::json;
use crate::matcher::matched_ids;
use crate::quote::lit;
use crate::rollback_rules as rules;

/// What the query is about.
#[derive(Debug, Clone, PartialEq)]
pub struct RollbackQuery {
    /// The canary: a deployment id or URL host.
    pub canary: String,
    /// The baseline; `None` means every other deployment.
    pub baseline: Option<String>,
    pub deploy_time_ms: Option<i64>,
    pub now_ms: Option<i64>,
}

/// The error key of a row (`observe::error_key`): for a failure, its
/// Next.js digest code, else its first non-empty line with numbers folded.
const ERROR_KEY: &str = "if(level IN ('error', 'fatal') OR ((coalesce(status, 0) >= 500 OR status = -1) AND level IN ('', 'warning') AND trim(BOTH ' ' FROM message) != ''), \
if(extract(message, '\\\\b\\\\d+[@;](E\\\\d+)\\\\b') != '', extract(message, '\\\\b\\\\d+[@;](E\\\\d+)\\\\b'), \
leftUTF8(replaceRegexpAll(trim(BOTH ' ' FROM arrayFirst(l -> trim(BOTH ' ' FROM l) != '', splitByChar('\\n', message))), '[0-9A-Fa-f]*[0-9][0-9A-Fa-f.:_-]*', '<*>'), 200)), '')";

fn ctes(table: &str, defs: &[SignatureDef], q: &RollbackQuery) -> String {
    let canary = on_deployment(&q.canary);
    let baseline = match &q.baseline {
        Some(b) => on_deployment(b),
        None => "(dep != '' AND NOT is_canary)".to_string(),
    };
    let opt = |v: Option<i64>| {
        v.map_or("CAST(NULL, 'Nullable(Int64)')".to_string(), |t| {
            format!("toInt64({t})")
        })
    };
    format!(
        "WITH
obs AS (
    SELECT
        time_ms,
        if(deployment_id != '', deployment_id, host) AS dep,
        {canary} AS is_canary,
        {baseline} AS is_base,
        request_id, method, path, route_or_path AS rop, status, duration_ms,
        {ERROR_KEY} AS error_key,
        {matched} AS sigs,
        time_ms <= coalesce({now}, time_ms) AS in_time
    FROM {table}
    WHERE time_ms != 0
),
bounds AS (
    SELECT
        coalesce({deploy}, minIf(toNullable(time_ms), is_canary AND in_time)) AS deploy_ms,
        greatest(coalesce({now}, max(time_ms)), deploy_ms) AS now_ms,
        countIf(duration_ms IS NOT NULL AND in_time) > 0 AS any_duration
    FROM obs
),
lines AS (
    SELECT *,
        multiIf(NOT in_time, '',
                is_canary AND time_ms >= deploy_ms AND time_ms <= now_ms, 'canary',
                is_base AND time_ms <= now_ms, 'baseline', '') AS side
    FROM obs CROSS JOIN bounds
    WHERE side != ''
),
requests AS (
    SELECT
        side,
        if(request_id != '', request_id, toString(generateUUIDv4(rowNumberInAllBlocks()))) AS rkey,
        min(time_ms) AS t0,
        argMinIf(method, time_ms, method != '') AS r_method,
        argMinIf(path, time_ms, path != '') AS r_path,
        argMinIf(rop, time_ms, rop != '') AS r_route,
        countIf(status IS NOT NULL) > 0 AS has_status,
        argMaxIf(assumeNotNull(status), time_ms, status IS NOT NULL) AS r_status,
        countIf(duration_ms IS NOT NULL) > 0 AS has_duration,
        maxIf(assumeNotNull(duration_ms), duration_ms IS NOT NULL) AS duration,
        argMinIf(error_key, time_ms, error_key != '') AS r_error_key,
        groupUniqArrayArray(sigs) AS r_sigs
    FROM lines
    WHERE request_id != '' OR status IS NOT NULL
    GROUP BY side, dep, rkey
)
",
        matched = matched_ids(defs),
        deploy = opt(q.deploy_time_ms),
        now = opt(q.now_ms),
    )
}

/// The first row: what the measures are about (canary, baseline, deploy
/// time, now, and the deployment to go back to).
fn scope_row(q: &RollbackQuery) -> String {
    let baseline = q
        .baseline
        .as_deref()
        .map_or("'null'".to_string(), |b| json::string(&lit(b)));
    let last_good = match &q.baseline {
        Some(b) => json::string(&lit(b)),
        None => "(SELECT if(d != '', toJSONString(d), 'null') FROM (SELECT argMaxIf(dep, time_ms, is_base AND in_time AND time_ms < deploy_ms) AS d FROM obs CROSS JOIN bounds))".to_string(),
    };
    let scope = json::object(&[
        ("canary", json::string(&lit(&q.canary))),
        ("baseline", baseline),
        ("deploy_ms", json::nullable("deploy_ms")),
        (
            "now_ms",
            json::nullable("if(deploy_ms IS NULL, NULL, now_ms)"),
        ),
        ("last_good", last_good),
    ]);
    format!(
        "SELECT 0 AS ord, {} AS measure FROM bounds",
        json::object(&[("scope", scope)])
    )
}

/// The query: one row per enabled rule (plus the scope row first), column
/// `measure`, output as `FORMAT JSONEachRow`. Rules whose deploy time is
/// unknown give no row (Rust then holds them as INCONCLUSIVE).
pub fn query(
    table: &str,
    defs: &[SignatureDef],
    policy: &RollbackPolicy,
    q: &RollbackQuery,
) -> String {
    let mut selects = vec![scope_row(q)];
    for (i, id) in RuleId::ALL.into_iter().enumerate() {
        if !policy.options(id).enabled {
            continue;
        }
        let select = match id {
            RuleId::ServerAction500s => rules::server_actions(&policy.server_action_500s),
            RuleId::ErrorRate => rules::rate(id, &policy.error_rate),
            RuleId::AuthFailures => rules::rate(id, &policy.auth_failures),
            RuleId::RenderErrors => rules::rate(id, &policy.render_errors),
            RuleId::LatencySlo => rules::latency(&policy.latency),
            RuleId::DbConnectivity => rules::burst(&policy.db_connectivity),
            RuleId::NewSignatures => rules::new_signatures(defs),
            RuleId::Observation => rules::observation(),
        };
        selects.push(format!(
            "SELECT {} AS ord, measure FROM ({select}) WHERE (SELECT deploy_ms FROM bounds) IS NOT NULL",
            i + 1
        ));
    }
    format!(
        "-- logs sql rollback --deployment {canary}: each rule's measure, judged by\n\
-- `logs rollback --from-sql-results FILE` with the same policy.\n{ctes}\
SELECT measure FROM (\n{body}\n)\nORDER BY ord\nFORMAT JSONEachRow\n",
        canary = q.canary.replace(['\n', '\r'], " "),
        ctes = ctes(table, defs, q),
        body = selects.join("\nUNION ALL\n"),
    )
}

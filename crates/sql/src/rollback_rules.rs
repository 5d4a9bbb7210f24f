//! One `SELECT` per rollback rule over the CTEs that `rollback.rs` defines,
//! each giving one row with column `measure`: the rule's `Measure` as JSON.
//! What a rule counts (statuses, methods, path prefixes, signatures,
//! windows, percentile, SLO routes) comes from the policy, as the Rust
//! `measure` reads it; the limits are left to the Rust `judge`.

use logs_core::rollback::{
    LatencyRule, RateRule, RouteMatch, RuleId, ServerActionRule, SignatureBurstRule, StatusPattern,
};
use logs_core::signatures::SignatureDef;

use crate::json::{array, boolean, nullable, number, object, string};
use crate::quote::{lit, lits, num};

const MINUTE_MS: i64 = 60_000;

/// `status` (an Int32 expression) matches one of `patterns`.
fn status_matches(status: &str, patterns: &[StatusPattern]) -> String {
    if patterns.is_empty() {
        return "false".to_string();
    }
    let parts: Vec<String> = (patterns.iter())
        .map(|p| match *p {
            StatusPattern::Exact(code) => format!("{status} = {code}"),
            StatusPattern::Class(class) => {
                format!("({status} >= 100 AND intDiv({status}, 100) = {class})")
            }
        })
        .collect();
    format!("({})", parts.join(" OR "))
}

/// `path` has `prefix` segment-wise (`policy::path_has_prefix`); an empty
/// `path` is no place at all.
fn has_prefix(path: &str, prefix: &str) -> String {
    let trimmed = prefix.trim_end_matches('/');
    if trimmed.is_empty() {
        return format!("{path} != ''");
    }
    format!(
        "({path} = {t} OR startsWith({path}, {ts}))",
        t = lit(trimmed),
        ts = lit(&format!("{trimmed}/"))
    )
}

/// `sigs` (an `Array(String)`) holds one of `ids`.
fn has_any(sigs: &str, ids: &[String]) -> String {
    if ids.is_empty() {
        "false".to_string()
    } else {
        format!("hasAny({sigs}, {})", lits(ids))
    }
}

const ELAPSED: &str = "assumeNotNull((SELECT now_ms - deploy_ms FROM bounds))";

/// `server-action-500s`.
pub fn server_actions(rule: &ServerActionRule) -> String {
    let end = format!(
        "assumeNotNull((SELECT deploy_ms FROM bounds)) + {}",
        i64::from(rule.window_minutes) * MINUTE_MS
    );
    let methods: Vec<String> = rule
        .methods
        .iter()
        .map(|m| m.to_ascii_lowercase())
        .collect();
    let excluded: Vec<String> = (rule.excluded_path_prefixes.iter())
        .map(|p| {
            format!(
                "{} OR {}",
                has_prefix("r_path", p),
                has_prefix("r_route", p)
            )
        })
        .collect();
    let not_excluded = if excluded.is_empty() {
        String::new()
    } else {
        format!(" AND NOT ({})", excluded.join(" OR "))
    };
    let error = object(&[
        ("error_key", string("x.1")),
        ("route", string("x.2")),
        ("count", number("x.3")),
    ]);
    let measure = object(&[
        (
            "rule",
            format!("'\"{}\"'", RuleId::ServerAction500s.as_str()),
        ),
        ("elapsed_ms", number(ELAPSED)),
        ("actions", number("(SELECT count() FROM actions)")),
        (
            "errors",
            array(
                "arraySort(e -> (-e.3, e.1, e.2), groupArray((k, rt, n)))",
                &error,
            ),
        ),
    ]);
    format!(
        "WITH actions AS (
    SELECT * FROM requests
    WHERE side = 'canary' AND t0 < {end}
      AND lower(r_method) IN ({methods})
      AND (r_path != '' OR r_route != ''){not_excluded}
)
SELECT {measure} AS measure FROM (
    SELECT if(r_error_key != '', r_error_key, concat('HTTP ', toString(r_status))) AS k,
        if(r_route != '', r_route, if(r_path != '', r_path, '(unknown route)')) AS rt,
        count() AS n
    FROM actions
    WHERE has_status AND {statuses}
    GROUP BY k, rt
)",
        methods = lits(&methods).trim_matches(['[', ']']),
        statuses = status_matches("r_status", &rule.statuses),
    )
}

/// The three rate rules.
pub fn rate(id: RuleId, rule: &RateRule) -> String {
    let bad = format!(
        "((has_status AND {}) OR {})",
        status_matches("r_status", &rule.statuses),
        has_any("r_sigs", &rule.signatures)
    );
    let tally = |b: &str, t: &str| object(&[("bad", number(b)), ("total", number(t))]);
    let measure = object(&[
        ("rule", format!("'\"{}\"'", id.as_str())),
        ("elapsed_ms", number(ELAPSED)),
        ("canary", tally("cb", "ct")),
        ("baseline", tally("bb", "bt")),
        ("baseline_since_deploy", number("bsd")),
    ]);
    format!(
        "SELECT {measure} AS measure FROM (
    SELECT countIf(side = 'canary' AND bad) AS cb,
        countIf(side = 'canary' AND (bad OR has_status)) AS ct,
        countIf(side = 'baseline' AND bad) AS bb,
        countIf(side = 'baseline' AND (bad OR has_status)) AS bt,
        countIf(side = 'baseline' AND t0 >= assumeNotNull((SELECT deploy_ms FROM bounds)) AND (bad OR has_status)) AS bsd
    FROM (SELECT side, t0, has_status, {bad} AS bad FROM requests)
)"
    )
}

/// The nearest-rank percentile of a sorted array `ds` (`stats::percentile`),
/// NULL when empty.
fn nearest_rank(ds: &str, fraction: f64) -> String {
    format!(
        "if(length({ds}) = 0, NULL, {ds}[toUInt64(greatest(1., least(toFloat64(length({ds})), ceil({f} * length({ds})))))])",
        f = num(fraction)
    )
}

/// `latency-slo`.
pub fn latency(rule: &LatencyRule) -> String {
    let window_ms = i64::from(rule.window_minutes) * MINUTE_MS;
    let default = rule.routes.len();
    let route = "if(r_route != '', r_route, r_path)";
    let mut arms: Vec<String> = Vec::new();
    for (i, slo) in rule.routes.iter().enumerate() {
        let cond = match slo.matching {
            RouteMatch::Exact => format!("{route} = {}", lit(&slo.route)),
            RouteMatch::Prefix => has_prefix(route, &slo.route),
        };
        arms.push(format!("{cond}, {i}"));
    }
    let group = if arms.is_empty() {
        format!("{default}")
    } else {
        format!("multiIf({}, {default})", arms.join(", "))
    };
    let fraction = rule.percentile / 100.0;
    let quantile = |n: &str, ds: &str| {
        object(&[
            ("count", number(n)),
            ("value", nullable(&nearest_rank(ds, fraction))),
        ])
    };
    let window = object(&[
        ("index", number("x.1")),
        ("count", number("x.2")),
        ("value", number(&nearest_rank("x.3", fraction))),
    ]);
    let group_json = object(&[
        ("route", format!("if(g = {default}, 'null', toString(g))")),
        ("windows", array("wins", &window)),
        ("baseline", quantile("bn", "bds")),
    ]);
    let measure = object(&[
        ("rule", format!("'\"{}\"'", RuleId::LatencySlo.as_str())),
        ("elapsed_ms", number(ELAPSED)),
        ("any_duration", boolean("(SELECT any_duration FROM bounds)")),
        ("groups", array("arraySort(gs)", "x.2")),
        ("baseline_all", quantile("length(all_ds)", "all_ds")),
    ]);
    format!(
        "WITH lat AS (
    SELECT side, t0, duration, {group} AS g,
        intDiv(t0 - assumeNotNull((SELECT deploy_ms FROM bounds)), {window_ms}) AS w
    FROM requests WHERE has_duration
),
complete AS (SELECT intDiv(assumeNotNull(now_ms - deploy_ms), {window_ms}) AS c FROM bounds),
cw AS (
    SELECT g, w, count() AS n, arraySort(groupArray(duration)) AS ds
    FROM lat WHERE side = 'canary' AND w < (SELECT c FROM complete)
    GROUP BY g, w
),
cg AS (
    SELECT g, arraySort(x -> x.1, groupArrayIf((w, n, ds), n > 0)) AS wins
    FROM (SELECT DISTINCT g FROM lat WHERE side = 'canary') AS seen
    LEFT JOIN cw USING (g)
    GROUP BY g
),
bg AS (
    SELECT g, count() AS bn, arraySort(groupArray(duration)) AS bds
    FROM lat WHERE side = 'baseline' GROUP BY g
)
SELECT {measure} AS measure FROM (
    SELECT
        (SELECT groupArray((g, {group_json})) FROM (SELECT g, wins, bn, bds FROM cg LEFT JOIN bg USING (g))) AS gs,
        (SELECT arraySort(groupArray(duration)) FROM lat WHERE side = 'baseline') AS all_ds
)"
    )
}

/// `db-connectivity`: lines matching its signatures, and each side's
/// densest `window_minutes` (a RANGE window over the line times).
pub fn burst(rule: &SignatureBurstRule) -> String {
    let window_ms = i64::from(rule.window_minutes) * MINUTE_MS;
    let peak = |side: &str| {
        let p = format!("argMinIf((c, f, t), (-c, t), side = '{side}')");
        object(&[
            ("count", number(&format!("{p}.1"))),
            ("from_ms", number(&format!("{p}.2"))),
            ("to_ms", number(&format!("{p}.3"))),
        ])
    };
    let measure = object(&[
        ("rule", format!("'\"{}\"'", RuleId::DbConnectivity.as_str())),
        ("canary_lines", number("countIf(side = 'canary')")),
        ("canary_peak", peak("canary")),
        ("baseline_peak", peak("baseline")),
    ]);
    format!(
        "SELECT {measure} AS measure FROM (
    SELECT side, t,
        count() OVER w AS c,
        min(t) OVER w AS f
    FROM (
        SELECT side, time_ms - assumeNotNull((SELECT deploy_ms FROM bounds)) AS t FROM lines
        WHERE {matching}
    )
    WINDOW w AS (PARTITION BY side ORDER BY t RANGE BETWEEN {before} PRECEDING AND CURRENT ROW)
)",
        matching = has_any("sigs", &rule.signatures),
        before = window_ms - 1,
    )
}

/// `new-critical-signatures`: every severity is measured; the judge
/// applies `min_severity`.
pub fn new_signatures(defs: &[SignatureDef]) -> String {
    let ids: Vec<&str> = defs.iter().map(|d| d.id.as_str()).collect();
    let sev: Vec<&str> = defs.iter().map(|d| d.severity.as_str()).collect();
    let item = object(&[
        ("id", string("x.1")),
        (
            "severity",
            string(&format!(
                "transform(x.1, {}, {}, '')",
                lits(&ids),
                lits(&sev)
            )),
        ),
        ("lines", number("x.2")),
    ]);
    let measure = object(&[
        ("rule", format!("'\"{}\"'", RuleId::NewSignatures.as_str())),
        ("elapsed_ms", number(ELAPSED)),
        (
            "canary_lines",
            number("(SELECT countIf(side = 'canary') FROM lines)"),
        ),
        (
            "baseline_lines",
            number("(SELECT countIf(side = 'baseline') FROM lines)"),
        ),
        ("new", array("arraySort(groupArray((id, n)))", &item)),
    ]);
    format!(
        "SELECT {measure} AS measure FROM (
    SELECT id, count() AS n FROM lines ARRAY JOIN sigs AS id
    WHERE side = 'canary'
      AND id NOT IN (SELECT arrayJoin(sigs) FROM lines WHERE side = 'baseline')
    GROUP BY id
)"
    )
}

/// `observation`.
pub fn observation() -> String {
    let measure = object(&[
        ("rule", format!("'\"{}\"'", RuleId::Observation.as_str())),
        ("elapsed_ms", number(ELAPSED)),
        ("requests", number("countIf(side = 'canary')")),
    ]);
    format!("SELECT {measure} AS measure FROM requests")
}

//! `logs sql check`: one query giving, per signature of the catalog, the
//! matching records, their distinct fingerprints, first and last seen, and
//! the top routes. Generated from the catalog ([`crate::matcher`]): no
//! signature is written by hand.
//!
//! Shape: the inner query scans the table once, computes every signature's
//! predicate per row (`matched` is the array of ids a row matched) and
//! `ARRAY JOIN`s it, then aggregates per (signature, route); the outer
//! query folds the routes into the top three. Both levels are plain
//! aggregations, which a `Distributed` table runs per shard and merges.

use logs_core::signatures::SignatureDef;

use crate::filter::Filters;
use crate::matcher::{candidates, fingerprint, matched_ids};
use crate::quote::lit;

/// How many routes each signature lists.
pub const TOP_ROUTES: usize = 3;

/// The fingerprint expression of whichever signature `signature` is.
fn fingerprint_by_id(defs: &[SignatureDef]) -> String {
    let mut arms = Vec::new();
    for d in defs {
        arms.push(format!("signature = {}, {}", lit(&d.id), fingerprint(d)));
    }
    if arms.is_empty() {
        return "''".to_string();
    }
    format!("multiIf({}, '')", arms.join(",\n            "))
}

/// The query. Output columns: `signature`, `severity`, `count`,
/// `fingerprints`, `first_seen`, `last_seen` (ISO 8601 UTC), `top_routes`
/// (`[[route, count], …]`). Signatures with no match are absent.
pub fn query(table: &str, defs: &[SignatureDef], filters: &Filters) -> String {
    let ids: Vec<String> = defs.iter().map(|d| lit(&d.id)).collect();
    let severities: Vec<String> = defs.iter().map(|d| lit(d.severity.as_str())).collect();
    format!(
        "-- logs sql check: per signature, from the catalog ({n} signatures).\n\
SELECT\n    signature,\n    transform(signature, [{ids}], [{sev}], '') AS severity,\n    \
sum(n) AS count,\n    uniqExactMerge(fp) AS fingerprints,\n    \
{first} AS first_seen,\n    {last} AS last_seen,\n    \
arraySlice(arraySort(x -> (-x.2, x.1), groupArray((route_or_path, n))), 1, {top}) AS top_routes\n\
FROM\n(\n    SELECT\n        signature,\n        route_or_path,\n        count() AS n,\n        \
uniqExactState({fp}) AS fp,\n        min(time) AS first,\n        max(time) AS last\n    \
FROM {table}\n    ARRAY JOIN {matched} AS signature\n    {where_}    GROUP BY signature, route_or_path\n)\n\
GROUP BY signature\nORDER BY count DESC, signature\nFORMAT JSONEachRow\n",
        n = defs.len(),
        ids = ids.join(", "),
        sev = severities.join(", "),
        top = TOP_ROUTES,
        fp = fingerprint_by_id(defs),
        matched = matched_ids(defs),
        where_ = filters.where_with(vec![candidates(defs)]),
        first = iso_ms("min(first)"),
        last = iso_ms("max(last)"),
    )
}

/// A `DateTime64(3)` expression as `2026-01-19T09:00:10.410Z`, the form the
/// Rust reports use.
pub(crate) fn iso_ms(expr: &str) -> String {
    format!(
        "concat(formatDateTime({expr}, '%Y-%m-%dT%H:%i:%S', 'UTC'), '.', leftPad(toString(toUnixTimestamp64Milli({expr}) % 1000), 3, '0'), 'Z')"
    )
}

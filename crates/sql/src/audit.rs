//! `logs sql audit`: the inputs of the weekly audit, from the store.
//!
//! Two queries, one per section of the audit:
//! - per period (day or ISO week, UTC) and signature: matching records,
//!   distinct fingerprints, distinct routes (generated from the catalog);
//! - the unknown errors: failure rows that match no signature, by period
//!   and normalised head line (numbers and hex folded), with a count, the
//!   first and last time and one sample (to be redacted by whoever shows
//!   it): what the audit's grouping of unknown errors starts from. The
//!   grouping into templates stays in Rust (`logs templates`).

use logs_core::signatures::SignatureDef;

use crate::filter::Filters;
use crate::matcher::{candidates, matched_ids};

/// The audit period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
}

impl Period {
    fn start(self) -> &'static str {
        match self {
            Period::Day => "toDate(time)",
            // ISO weeks start on Monday (mode 1).
            Period::Week => "toStartOfWeek(time, 1)",
        }
    }
}

/// A failure row (as the rollback's error key reads it).
const FAILURE: &str = "(level IN ('error', 'fatal') OR ((coalesce(status, 0) >= 500 OR status = -1) AND level IN ('', 'warning') AND trim(BOTH ' ' FROM message) != ''))";

/// Per period and signature.
pub fn signatures_query(
    table: &str,
    defs: &[SignatureDef],
    filters: &Filters,
    period: Period,
) -> String {
    format!(
        "-- logs sql audit: per {p:?} and signature.\n\
SELECT toString({start}) AS period, signature, count() AS count,\n    uniqExact(route_or_path) AS routes\n\
FROM {table}\nARRAY JOIN {matched} AS signature\n{where_}\
GROUP BY period, signature\nORDER BY period, count DESC, signature\nFORMAT JSONEachRow;\n",
        p = period,
        start = period.start(),
        matched = matched_ids(defs),
        where_ = filters.where_with(vec![candidates(defs)]),
    )
}

/// The unknown errors: failures that match no signature.
pub fn unknown_query(
    table: &str,
    defs: &[SignatureDef],
    filters: &Filters,
    period: Period,
) -> String {
    let mut conds = vec![FAILURE.to_string(), format!("empty({})", matched_ids(defs))];
    let base = filters.where_clause();
    if let Some(rest) = base.strip_prefix("WHERE ") {
        conds.push(rest.trim_end().to_string());
    }
    format!(
        "-- logs sql audit: unknown errors (failures matching no signature), per {p:?}.\n\
SELECT toString({start}) AS period,\n    \
replaceRegexpAll(trim(BOTH ' ' FROM arrayFirst(l -> trim(BOTH ' ' FROM l) != '', splitByChar('\\n', message))), '[0-9A-Fa-f]*[0-9][0-9A-Fa-f.:_-]*', '<*>') AS head,\n    \
count() AS count, uniqExact(route_or_path) AS routes,\n    \
{first} AS first_seen,\n    {last} AS last_seen,\n    \
leftUTF8(any(message), 300) AS sample\n\
FROM {table}\nWHERE {conds}\nGROUP BY period, head\nORDER BY period, count DESC, head\nFORMAT JSONEachRow;\n",
        p = period,
        start = period.start(),
        conds = conds.join("\n  AND "),
        first = crate::check::iso_ms("min(time)"),
        last = crate::check::iso_ms("max(time)"),
    )
}

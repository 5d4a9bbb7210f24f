//! The columns of the drain table, each derived from the raw record by a
//! `DEFAULT` expression: inserting only `raw` (one drain record as JSON
//! text, `FORMAT JSONAsString`) fills every other column the way the Rust
//! reader normalises a drain record (`logs_core::record`).
//!
//! Where the derivation differs from the Rust reader it says so here:
//! `timestamp` must be a number (epoch ms, or a numeric string); `level`
//! uses the same words; a `statusCode` given as a string is ignored.

/// One column: name, ClickHouse type, `DEFAULT` expression (over `raw`
/// and earlier columns), and what it holds.
pub struct Column {
    pub name: &'static str,
    pub ty: &'static str,
    pub default: &'static str,
    pub doc: &'static str,
}

/// `json_string(key…)`: a string member, `''` when missing or not a string.
macro_rules! s {
    ($($k:literal),+) => { concat!("JSONExtractString(raw", $(", '", $k, "'"),+, ")") };
}

pub const COLUMNS: &[Column] = &[
    Column {
        name: "time_ms",
        ty: "Int64",
        default: "coalesce(JSONExtract(raw, 'timestamp', 'Nullable(Int64)'), toInt64OrNull(JSONExtractString(raw, 'timestamp')), 0)",
        doc: "`timestamp`: epoch milliseconds, UTC (0 when missing)",
    },
    Column {
        name: "time",
        ty: "DateTime64(3, 'UTC')",
        default: "fromUnixTimestamp64Milli(time_ms, 'UTC')",
        doc: "the same instant as a time (the ORDER BY and PARTITION BY key)",
    },
    Column {
        name: "deployment_id",
        ty: "LowCardinality(String)",
        default: s!("deploymentId"),
        doc: "`deploymentId` (`dpl_…`)",
    },
    Column {
        name: "host",
        ty: "LowCardinality(String)",
        default: s!("host"),
        doc: "`host`: the deployment's URL host (what `--deployment <host>` names)",
    },
    Column {
        name: "project_id",
        ty: "LowCardinality(String)",
        default: s!("projectId"),
        doc: "`projectId`",
    },
    Column {
        name: "environment",
        ty: "LowCardinality(String)",
        default: s!("environment"),
        doc: "`environment` (`production`, `preview`)",
    },
    Column {
        name: "source",
        ty: "LowCardinality(String)",
        default: s!("source"),
        doc: "`source` as sent (`lambda`, `edge`, `build`, `static`, …)",
    },
    Column {
        name: "type",
        ty: "LowCardinality(String)",
        default: s!("type"),
        doc: "`type` (`stdout`, `stderr`, `command`, …)",
    },
    Column {
        name: "record_source",
        ty: "LowCardinality(String)",
        default: "multiIf(lower(trim(BOTH ' ' FROM source)) IN ('build'), 'build', lower(trim(BOTH ' ' FROM source)) IN ('lambda', 'serverless', 'function'), 'lambda', lower(trim(BOTH ' ' FROM source)) IN ('edge', 'edge-function', 'edge-middleware', 'middleware'), 'edge', lower(trim(BOTH ' ' FROM source)) IN ('static', 'external', 'firewall', 'redirect'), lower(trim(BOTH ' ' FROM source)), lower(trim(BOTH ' ' FROM type)) IN ('build'), 'build', lower(trim(BOTH ' ' FROM type)) IN ('lambda', 'serverless', 'function'), 'lambda', lower(trim(BOTH ' ' FROM type)) IN ('edge', 'edge-function', 'edge-middleware', 'middleware'), 'edge', lower(trim(BOTH ' ' FROM type)) IN ('static', 'external', 'firewall', 'redirect'), lower(trim(BOTH ' ' FROM type)), '')",
        doc: "the catalog's name for what logged (`source`, else `type`; `''` when neither names one), as signatures' `sources` read it",
    },
    Column {
        name: "level",
        ty: "LowCardinality(String)",
        default: "transform(lower(trim(BOTH ' ' FROM JSONExtractString(raw, 'level'))), ['info', 'log', 'notice', 'warning', 'warn', 'error', 'err', 'fatal', 'critical', 'panic', 'debug', 'trace'], ['info', 'info', 'info', 'warning', 'warning', 'error', 'error', 'fatal', 'fatal', 'fatal', 'debug', 'debug'], '')",
        doc: "`level` normalised: `debug`, `info`, `warning`, `error`, `fatal`, or `''`",
    },
    Column {
        name: "status",
        ty: "Nullable(Int32)",
        default: "coalesce(nullIf(JSONExtract(raw, 'statusCode', 'Nullable(Int32)'), 0), nullIf(nullIf(JSONExtract(raw, 'proxy', 'statusCode', 'Nullable(Int32)'), 0), -1))",
        doc: "the record's own `statusCode`, else `proxy.statusCode`; 0 is unknown (NULL); an own -1 is a crash, a proxy -1 (background revalidation) is not",
    },
    Column {
        name: "method",
        ty: "LowCardinality(String)",
        default: s!("proxy", "method"),
        doc: "`proxy.method`",
    },
    Column {
        name: "request_host",
        ty: "LowCardinality(String)",
        default: "if(JSONExtractString(raw, 'proxy', 'host') != '', JSONExtractString(raw, 'proxy', 'host'), JSONExtractString(raw, 'host'))",
        doc: "`proxy.host`, else `host` (what `field = \"host\"` signatures read)",
    },
    Column {
        name: "path",
        ty: "String",
        default: "splitByChar('?', multiIf(JSONExtractString(raw, 'proxy', 'path') = '', '', startsWith(JSONExtractString(raw, 'proxy', 'path'), '/'), JSONExtractString(raw, 'proxy', 'path'), position(JSONExtractString(raw, 'proxy', 'path'), '/') > 0, substring(JSONExtractString(raw, 'proxy', 'path'), position(JSONExtractString(raw, 'proxy', 'path'), '/')), '/'))[1]",
        doc: "`proxy.path` without its query: the concrete request path",
    },
    Column {
        name: "route",
        ty: "String",
        default: "if(startsWith(JSONExtractString(raw, 'path'), '/') AND NOT startsWith(JSONExtractString(raw, 'path'), '/_next/static/') AND NOT startsWith(JSONExtractString(raw, 'path'), '/_next/image'), JSONExtractString(raw, 'path'), '')",
        doc: "`path` when it is a route pattern (`/leads/[id]`), not an entrypoint (`api/hello`) or an asset; `''` otherwise",
    },
    Column {
        name: "route_or_path",
        ty: "String",
        default: "if(route != '', route, arrayStringConcat(arrayMap(seg -> if(match(seg, '^[0-9]+$') OR (match(seg, '^[0-9A-Fa-f-]{8,}$') AND match(seg, '[0-9]')) OR (length(seg) >= 16 AND length(replaceRegexpAll(seg, '[^0-9]', '')) >= 2 AND match(seg, '^[A-Za-z0-9_-]+$')), '[id]', seg), splitByChar('/', path)), '/'))",
        doc: "the route pattern, else the path with id-like segments folded (`/leads/42` → `/leads/[id]`): what reports group by",
    },
    Column {
        name: "request_id",
        ty: "String",
        default: "if(JSONExtractString(raw, 'requestId') != '', JSONExtractString(raw, 'requestId'), if(match(JSONExtractString(raw, 'id'), '^[a-z0-9]{5}-[0-9]{13}-[0-9a-fA-F]{12}$'), JSONExtractString(raw, 'id'), ''))",
        doc: "`requestId` (a request's lines share it)",
    },
    Column {
        name: "user_agent",
        ty: "String",
        default: "if(JSONType(raw, 'proxy', 'userAgent') = 'Array', arrayStringConcat(JSONExtract(raw, 'proxy', 'userAgent', 'Array(String)'), ' '), JSONExtractString(raw, 'proxy', 'userAgent'))",
        doc: "`proxy.userAgent` (an array in drains, joined with spaces)",
    },
    Column {
        name: "message",
        ty: "String",
        default: "multiIf(JSONType(raw, 'message') = 'String', JSONExtractString(raw, 'message'), JSONType(raw, 'message') IN ('Object', 'Array', 'Int64', 'UInt64', 'Double', 'Bool'), JSONExtractRaw(raw, 'message'), '')",
        doc: "`message` (an object or number logged as is becomes its JSON text; missing or null is `''`)",
    },
    Column {
        name: "duration_ms",
        ty: "Nullable(Float64)",
        default: "if(position(message, 'REPORT RequestId:') > 0, toFloat64OrNull(extract(substring(message, position(message, 'REPORT RequestId:')), '[\\\\t ]Duration: ([^\\\\s]+)')), NULL)",
        doc: "the `Duration:` of an AWS `REPORT RequestId:` line, the only duration a drain record carries",
    },
    Column {
        name: "raw",
        ty: "String CODEC(ZSTD(3))",
        default: "",
        doc: "the drain record as received (JSON text): every field, for what the columns leave out",
    },
];

//! `logs sql schema`: the ClickHouse table for Vercel drain records, and
//! how to load it.
//!
//! One row per drain record. The typed columns are `DEFAULT` expressions of
//! the raw record ([`crate::columns`]), so a loader sends only the raw JSON
//! (`FORMAT JSONAsString`, which reads both one object per line and JSON
//! arrays of objects) and ClickHouse derives the rest at insert time.
//!
//! Layout: `MergeTree`, `PARTITION BY toDate(time)` (a day per partition:
//! retention drops whole days, and a time range reads only its days),
//! `ORDER BY (time, deployment_id)` (time-range scans read contiguous
//! granules; a deployment's rows are close within each). Low-cardinality
//! strings (deployment, host, source, level, method, …) are
//! `LowCardinality`; the raw record is `ZSTD`-compressed.

use crate::columns::COLUMNS;

/// The DDL of the table `table`.
pub fn ddl(table: &str) -> String {
    let mut out = String::new();
    out.push_str("-- Vercel log drain records: one row per record (logs sql schema).\n");
    out.push_str(&format!("CREATE TABLE IF NOT EXISTS {table}\n(\n"));
    for (i, c) in COLUMNS.iter().enumerate() {
        out.push_str(&format!("    -- {}\n", c.doc));
        let default = if c.default.is_empty() {
            String::new()
        } else {
            format!(" DEFAULT {}", c.default)
        };
        let comma = if i + 1 < COLUMNS.len() { "," } else { "" };
        out.push_str(&format!("    `{}` {}{default}{comma}\n", c.name, c.ty));
    }
    out.push_str(")\nENGINE = MergeTree\nPARTITION BY toDate(time)\nORDER BY (time, deployment_id)\n");
    out.push_str("SETTINGS index_granularity = 8192;\n");
    out
}

/// How to load drain NDJSON, saved drain POST bodies and the files of
/// `logs serve` into `table`, as SQL comments and statements.
pub fn ingestion(table: &str) -> String {
    format!(
        "-- Loading: send the raw records only; every other column is derived.\n\
-- Drain NDJSON (one record per line) or saved JSON drain bodies (one array\n\
-- per POST), plain or gzipped, from a client:\n\
--   clickhouse-client --query \"INSERT INTO {table} (raw) FORMAT JSONAsString\" < drain.ndjson\n\
--   gunzip -c drain.ndjson.gz | clickhouse-client --query \"INSERT INTO {table} (raw) FORMAT JSONAsString\"\n\
-- The files `logs serve --dir DIR` writes (DIR/YYYY-MM-DD/HH.ndjson, one\n\
-- drain record per line), from the server's file() function:\n\
--   INSERT INTO {table} (raw) SELECT * FROM file('DIR/*/*.ndjson', 'JSONAsString');\n\
-- or one hour at a time as they close:\n\
--   INSERT INTO {table} (raw) SELECT * FROM file('DIR/2026-12-02/13.ndjson', 'JSONAsString');\n\
-- Straight from a drain (an HTTP endpoint that forwards POST bodies):\n\
--   INSERT INTO {table} (raw) FORMAT JSONAsString <body>\n\
-- JSONAsString, not JSONEachRow: JSONEachRow maps top-level keys to\n\
-- columns, so it would drop the raw record and the nested `proxy` fields\n\
-- the columns are derived from. The bytes sent are the same NDJSON.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddl_names_every_column_once_with_its_doc() {
        let d = ddl("vercel_logs");
        for c in COLUMNS {
            assert_eq!(d.matches(&format!("`{}` ", c.name)).count(), 1, "{}", c.name);
            assert!(d.contains(c.doc));
        }
        assert!(d.contains("PARTITION BY toDate(time)"));
        assert!(d.contains("ORDER BY (time, deployment_id)"));
    }
}

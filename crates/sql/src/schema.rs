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
    out.push_str(
        ")\nENGINE = MergeTree\nPARTITION BY toDate(time)\nORDER BY (time, deployment_id)\n",
    );
    out.push_str("SETTINGS index_granularity = 8192;\n");
    out
}

/// The `SELECT` that turns lines of drain text (column `line`) into raw
/// records: one record per line, or one per element of a line holding a
/// JSON array (a saved drain POST body); a UTF-8 BOM, `\r` and blank
/// lines are dropped.
const RECORDS_OF_LINES: &str = "SELECT record\nFROM (SELECT trim(BOTH ' \\t\\r' FROM replaceOne(line, '\\xEF\\xBB\\xBF', '')) AS l FROM {source})\nARRAY JOIN if(startsWith(l, '['), JSONExtractArrayRaw(l), [l]) AS record\nWHERE l != ''";

/// The statement loading the drain files at `path` (a path or glob the
/// ClickHouse server can read, `.gz` decompressed by name) into `table`.
pub fn load_files(table: &str, path: &str) -> String {
    let source = format!("file({}, 'LineAsString')", crate::quote::lit(path));
    format!(
        "INSERT INTO {table} (raw)\n{};\n",
        RECORDS_OF_LINES.replace("{source}", &source)
    )
}

/// How to load drain NDJSON, saved drain POST bodies and the files of
/// `logs serve` into `table`, as SQL comments and statements.
pub fn ingestion(table: &str) -> String {
    let stdin = RECORDS_OF_LINES.replace("{source}", "input('line String')");
    format!(
        "-- Loading: send the raw records only; every other column is derived.\n\
-- Drain NDJSON (one record per line) or saved JSON drain bodies (one array\n\
-- per POST, one per line), from a client's stdin (`gunzip -c` a .gz first):\n\
--   clickhouse-client --query \"INSERT INTO {table} (raw) {stdin_one_line} FORMAT LineAsString\" < drain.ndjson\n\
-- NDJSON only (one object per line, or one JSON array in the file):\n\
--   clickhouse-client --query \"INSERT INTO {table} (raw) FORMAT JSONAsString\" < drain.ndjson\n\
-- JSONAsString and LineAsString, not JSONEachRow: JSONEachRow maps top-level\n\
-- keys to columns, so it would drop the raw record and the nested `proxy`\n\
-- fields the columns are derived from. The bytes sent are the same NDJSON.\n\
-- The files `logs serve --dir DIR` writes (DIR/YYYY-MM-DD/HH.ndjson, one drain\n\
-- record per line), read by the server (`logs sql schema --load 'DIR/*/*.ndjson'`\n\
-- prints this for any path or glob):\n{files}",
        stdin_one_line = stdin.replace('\n', " ").replace('"', "\\\""),
        files = load_files(table, "DIR/*/*.ndjson")
            .lines()
            .map(|l| format!("--   {l}\n"))
            .collect::<String>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddl_names_every_column_once_with_its_doc() {
        let d = ddl("vercel_logs");
        for c in COLUMNS {
            assert_eq!(
                d.matches(&format!("\n    `{}` {}", c.name, c.ty)).count(),
                1,
                "{}",
                c.name
            );
            assert!(d.contains(c.doc));
        }
        assert!(d.contains("PARTITION BY toDate(time)"));
        assert!(d.contains("ORDER BY (time, deployment_id)"));
    }

    #[test]
    fn the_recipe_is_comments_only() {
        for line in ingestion("vercel_logs").lines() {
            assert!(line.starts_with("--"), "{line}");
        }
    }
}

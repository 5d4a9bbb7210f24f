//! Running the generated SQL in ClickHouse in-process (chdb, from PyPI),
//! for the `sql` tests: the table of `logs sql schema`, loaded with the
//! statements of `logs sql schema --load PATH`, then a query.
//!
//! `tests/run.sh` installs chdb in a cached virtualenv and names its Python
//! in `LOGS_TEST_PYTHON`. Without it these tests fail (never skip), saying
//! how to get it.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Dir, logs};

/// The environment variable naming the Python that has chdb.
pub const PYTHON_ENV: &str = "LOGS_TEST_PYTHON";

fn python() -> PathBuf {
    match std::env::var_os(PYTHON_ENV) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => panic!(
            "{PYTHON_ENV} is not set: the SQL tests run the generated SQL in ClickHouse (chdb). \
             Run the tests with tests/run.sh (it installs chdb in a cached virtualenv and sets \
             {PYTHON_ENV}), or set {PYTHON_ENV} to a Python with `pip install chdb==4.4.0`."
        ),
    }
}

/// Standard output of `logs <args>`, which must exit 0.
pub fn logs_text(args: &[&str]) -> String {
    let out = logs().args(args).output().expect("run logs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "logs {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 SQL")
}

/// Loads `data` (paths or globs) into a fresh table and runs `query`;
/// returns the rows it printed (one JSON object per line).
pub fn run_sql(data: &[&Path], query: &str) -> Vec<serde_json::Value> {
    let dir = Dir::new();
    let schema = dir.file("schema.sql", logs_text(&["sql", "schema"]));
    let mut load_args = vec!["sql".to_string(), "schema".to_string()];
    for d in data {
        let abs = std::path::absolute(d).expect("absolute path");
        load_args.push("--load".into());
        load_args.push(abs.to_string_lossy().into_owned());
    }
    let refs: Vec<&str> = load_args.iter().map(String::as_str).collect();
    let load = dir.file("load.sql", logs_text(&refs));
    let query = dir.file("query.sql", query);
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql/chdb_run.py");
    let out = Command::new(python())
        .arg(driver)
        .args([&schema, &load, &query])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {PYTHON_ENV}: {e}"));
    assert!(
        out.status.success(),
        "chdb failed (exit {:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("row {l:?}: {e}")))
        .collect()
}

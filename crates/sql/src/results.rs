//! Reading back what `logs sql rollback`'s query returned, for `logs
//! rollback --from-sql-results FILE`.
//!
//! The file is the query's output as ClickHouse writes it with `FORMAT
//! JSONEachRow` (the query ends with it): one line per row, each
//! `{"measure":"<JSON text>"}`. The first row's JSON is
//! `{"scope":{"canary":…,"baseline":…,"deploy_ms":…,"now_ms":…,"last_good":…}}`;
//! every other row is one rule's measure in the serde form of
//! `logs_core::rollback::Measure` (tagged by `"rule"`). A line that is
//! that JSON itself (`FORMAT TSVRaw`) is read too. Blank lines are skipped.

use logs_core::rollback::{Measure, Measured};
use serde::Deserialize;

/// What is wrong with a results file, and where.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("{file}:{line}: {problem}")]
    Line {
        file: String,
        line: usize,
        problem: String,
    },
    #[error(
        "{file}: no scope row (the first row of `logs sql rollback`'s output): is this the output of that query?"
    )]
    NoScope { file: String },
    #[error("{file}: the results are for deployment {found:?}, not {wanted:?}")]
    OtherCanary {
        file: String,
        found: String,
        wanted: String,
    },
}

#[derive(Deserialize)]
struct Scope {
    canary: String,
    baseline: Option<String>,
    deploy_ms: Option<i64>,
    now_ms: Option<i64>,
    last_good: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Row {
    Scope { scope: Scope },
    Measure(Box<Measure>),
}

/// The row's JSON: the `measure` string of a JSONEachRow line, or the line.
fn row_json(text: &str) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    match value.get("measure") {
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(other) => Ok(other.to_string()),
        None => Ok(text.to_string()),
    }
}

/// Parses a results file's text (`file` names it in errors). `canary`,
/// when given, must be the deployment the results are about.
pub fn parse(file: &str, text: &str, canary: Option<&str>) -> Result<Measured, ResultsError> {
    let mut measured: Option<Measured> = None;
    let mut measures = Vec::new();
    let err = |line: usize, problem: String| ResultsError::Line {
        file: file.to_string(),
        line,
        problem,
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        let json = row_json(line).map_err(|e| err(i + 1, format!("not JSON: {e}")))?;
        let row: Row = serde_json::from_str(&json).map_err(|e| {
            err(
                i + 1,
                format!("neither the scope row nor a rule's measure: {e}"),
            )
        })?;
        match row {
            Row::Scope { scope } if measured.is_none() => {
                measured = Some(Measured {
                    canary: scope.canary,
                    baseline: scope.baseline,
                    deploy_ms: scope.deploy_ms,
                    now_ms: scope.now_ms,
                    last_good: scope.last_good,
                    measures: Vec::new(),
                });
            }
            Row::Scope { .. } => return Err(err(i + 1, "a second scope row".into())),
            Row::Measure(m) => {
                if measures.iter().any(|x: &Measure| x.rule() == m.rule()) {
                    return Err(err(
                        i + 1,
                        format!("a second measure for rule {}", m.rule()),
                    ));
                }
                measures.push(*m);
            }
        }
    }
    let mut measured = measured.ok_or_else(|| ResultsError::NoScope {
        file: file.to_string(),
    })?;
    if let Some(wanted) = canary {
        if measured.canary != wanted {
            return Err(ResultsError::OtherCanary {
                file: file.to_string(),
                found: measured.canary,
                wanted: wanted.to_string(),
            });
        }
    }
    measured.measures = measures;
    Ok(measured)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_each_row_output_and_names_bad_lines() {
        let text = concat!(
            r#"{"measure":"{\"scope\":{\"canary\":\"dpl_a\",\"baseline\":null,\"deploy_ms\":10,\"now_ms\":70,\"last_good\":\"dpl_b\"}}"}"#,
            "\n",
            r#"{"measure":"{\"rule\":\"observation\",\"elapsed_ms\":60,\"requests\":3}"}"#,
            "\n\n"
        );
        let m = parse("r.ndjson", text, Some("dpl_a")).expect("parses");
        assert_eq!(m.deploy_ms, Some(10));
        assert_eq!(m.measures.len(), 1);
        assert!(parse("r.ndjson", text, Some("dpl_x")).is_err());
        let e = parse(
            "r.ndjson",
            "{\"measure\":\"{\\\"rule\\\":\\\"nope\\\"}\"}\n",
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("r.ndjson:1: neither the scope row"), "{e}");
        let e = parse("r.ndjson", "", None).unwrap_err().to_string();
        assert!(e.contains("no scope row"), "{e}");
    }
}

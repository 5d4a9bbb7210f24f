//! `logs templates` through the real binary: text input with line numbers,
//! exports of every shape, the JSON contract, ordering, and errors.

use crate::common::{Dir, drain, json_of, logs};
use logs::generate::{Export, Workload, WriteOptions, write_workload};
use predicates::prelude::*;
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    json_of("templates", args)
}

/// `(template, count, lines)` of a report, in output order.
fn rows(r: &serde_json::Value) -> Vec<(String, u64, Vec<u64>)> {
    r["templates"]
        .as_array()
        .expect("templates")
        .iter()
        .map(|t| {
            let lines = t["lines"].as_array().expect("lines");
            (
                t["template"].as_str().expect("template").to_string(),
                t["count"].as_u64().expect("count"),
                lines.iter().map(|l| l.as_u64().expect("line")).collect(),
            )
        })
        .collect()
}

#[test]
fn text_input_groups_lines_and_keeps_line_numbers() {
    let d = Dir::new();
    let text = "Rejected login for a from 10.0.0.1\n\
        GET /api/users/1 200 in 35ms\n\
        \n\
        Rejected login for b from 10.0.0.2\n\
        Rejected login for c from 10.0.0.3\n\
        Rejected login for d from 10.0.0.4\r\n\
        GET /api/users/2 200 in 4ms\n";
    let p = d.file("app.log", text);
    let r = json(&["--input-format", "text", p.to_str().unwrap()]);
    assert_eq!(r["schema"], "logs.templates/v1");
    assert_eq!(r["messages"], 6);
    assert_eq!(
        rows(&r),
        [
            (
                "Rejected login for <*> from <*>".to_string(),
                4,
                vec![1, 4, 5, 6]
            ),
            ("GET <*> in <*>".to_string(), 2, vec![2, 7]),
        ]
    );
    let t = &r["templates"][0];
    for key in ["id", "template", "count", "lines"] {
        assert!(t.get(key).is_some(), "{key}");
    }
    assert_eq!(t["id"], 1);
}

#[test]
fn ties_are_ordered_by_first_line_and_lines_run_on_across_inputs() {
    let d = Dir::new();
    let a = d.file("a.log", "disk full on /dev/sda1\ncache cold\n");
    let b = d.file("b.log", "cache cold\ndisk full on /dev/sdb1\n");
    let r = json(&[
        "--input-format",
        "text",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    let got = rows(&r);
    assert_eq!(got[0].2, [1, 4]);
    assert_eq!(got[1].2, [2, 3]);
    assert_eq!(r["inputs"][1]["first_line"], 3);
}

#[test]
fn multi_line_messages_group_by_their_head() {
    let body = [
        drain(
            1,
            "⨯ Error: Sync failed for lead 12\n    at sync (/var/task/a.js:1:2)",
            "",
        ),
        drain(
            2,
            "⨯ Error: Sync failed for lead 99\n    at other (/var/task/b.js:9:9)\n    at x",
            "",
        ),
        drain(3, "GET /leads/1 200 in 5ms", ""),
    ]
    .join("\n");
    let d = Dir::new();
    let p = d.file("x.ndjson", body);
    let r = json(&[p.to_str().unwrap()]);
    assert_eq!(
        rows(&r),
        [
            (
                "⨯ Error: Sync failed for lead <*>".to_string(),
                2,
                vec![1, 2]
            ),
            ("GET <*> in <*>".to_string(), 1, vec![3]),
        ]
    );
}

#[test]
fn every_export_shape_gives_the_same_templates() {
    let w = Workload {
        seed: 7,
        records: 1_500,
        ..Workload::default()
    };
    let d = Dir::new();
    let mut seen = Vec::new();
    for shape in [
        Export::CliLegacyJson,
        Export::DashboardCsv,
        Export::DashboardJson,
    ] {
        let mut bytes = Vec::new();
        write_workload(shape, &w, &WriteOptions::default(), &mut bytes).expect("generate");
        let p = d.file(&format!("x.{}", shape.extension()), bytes);
        let r = json(&[p.to_str().unwrap(), "--chunk-size", "4096"]);
        let mut counts: Vec<(String, u64)> = rows(&r).into_iter().map(|(t, c, _)| (t, c)).collect();
        counts.sort();
        seen.push(counts);
    }
    assert!(seen[0].len() > 10, "{:?}", seen[0]);
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[0], seen[2]);
}

#[test]
fn table_help_and_errors() {
    let d = Dir::new();
    let p = d.file("app.log", "cache cold\ncache cold\n");
    logs()
        .args(["templates", "--input-format", "text", p.to_str().unwrap()])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("1 templates from 2 messages"))
        .stdout(predicate::str::contains("cache cold"));
    logs()
        .args(["templates", "--input-format", "text", "/no/such/file"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/no/such/file"));
    logs()
        .args(["templates", "--input-format", "yaml", p.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--input-format text"));
    logs()
        .args(["templates", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("logs.templates/v1"));
}

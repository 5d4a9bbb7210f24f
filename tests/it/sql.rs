//! `logs sql`: the generated ClickHouse SQL, run in ClickHouse itself
//! (chdb, see `common::chdb`), gives the Rust scan's answers on the same
//! files: per-signature counts, first and last seen, top routes (check) and
//! per-period counts (audit), on every drain-compatible shape loaded
//! through the documented table. The rollback decisions are compared in
//! `sql_rollback`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::chdb::{logs_text, run_sql};
use crate::common::{Dir, check_json, drain, logs, signature_counts};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

/// Per signature: (count, first seen, last seen, top routes) from SQL rows.
type Row = (u64, String, String, Vec<(String, u64)>);

fn sql_check(data: &[&Path]) -> BTreeMap<String, Row> {
    let rows = run_sql(data, &logs_text(&["sql", "check"]));
    rows.iter()
        .map(|r| {
            let routes = (r["top_routes"].as_array().expect("routes").iter())
                .map(|x| (x[0].as_str().unwrap().to_string(), x[1].as_u64().unwrap()))
                .collect();
            (
                r["signature"].as_str().unwrap().to_string(),
                (
                    r["count"].as_u64().unwrap(),
                    r["first_seen"].as_str().unwrap().to_string(),
                    r["last_seen"].as_str().unwrap().to_string(),
                    routes,
                ),
            )
        })
        .collect()
}

/// The Rust scan's findings on the same files, in the same form.
fn rust_check(paths: &[&Path]) -> BTreeMap<String, Row> {
    let args: Vec<&str> = paths.iter().map(|p| p.to_str().unwrap()).collect();
    let (_, report) = check_json(&args, None);
    let kept: Vec<String> = signature_counts(&report)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    (report["findings"].as_array().unwrap().iter())
        .filter(|f| kept.iter().any(|k| f["signature"] == k.as_str()))
        .map(|f| {
            let routes = (f["routes"].as_array().unwrap().iter())
                .map(|r| {
                    (
                        r["value"].as_str().unwrap().to_string(),
                        r["count"].as_u64().unwrap(),
                    )
                })
                .collect();
            (
                f["signature"].as_str().unwrap().to_string(),
                (
                    f["count"].as_u64().unwrap(),
                    f["first_seen"].as_str().unwrap().to_string(),
                    f["last_seen"].as_str().unwrap().to_string(),
                    routes,
                ),
            )
        })
        .collect()
}

/// Counts, first and last seen are equal; the SQL's top routes are the
/// Rust's busiest routes with the same counts (ties may order apart).
fn assert_same(what: &str, sql: &BTreeMap<String, Row>, rust: &BTreeMap<String, Row>) {
    let counts = |m: &BTreeMap<String, Row>| -> Vec<(String, u64)> {
        m.iter().map(|(k, v)| (k.clone(), v.0)).collect()
    };
    assert_eq!(counts(sql), counts(rust), "{what}: per-signature counts");
    for (id, (_, first, last, routes)) in sql {
        let r = &rust[id];
        assert_eq!((first, last), (&r.1, &r.2), "{what}: {id} first/last seen");
        let top = r.3.first().map(|x| x.1);
        assert_eq!(
            routes.first().map(|x| x.1),
            top,
            "{what}: {id} top route count"
        );
        for route in routes {
            assert!(
                r.3.contains(route),
                "{what}: {id} route {route:?} not in {:?}",
                r.3
            );
        }
    }
}

fn generate(dir: &Dir, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.path().join(name);
    logs()
        .arg("generate")
        .args(args)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    out
}

#[test]
fn check_counts_match_the_rust_scan_on_every_drain_shape() {
    let dir = Dir::new();
    let files = [
        sample("drain.ndjson"),
        sample("drain-batches.json"),
        sample("drain.ndjson.gz"),
        sample("canary-rollback.ndjson"),
        generate(
            &dir,
            "a.ndjson",
            &[
                "--shape",
                "drain-ndjson",
                "--records",
                "20000",
                "--seed",
                "7",
                "--hits-per-thousand",
                "60",
            ],
        ),
        generate(
            &dir,
            "b.json",
            &[
                "--shape",
                "drain-batches",
                "--records",
                "5000",
                "--seed",
                "9",
                "--hits-per-thousand",
                "80",
                "--crlf",
                "--bom",
            ],
        ),
        generate(
            &dir,
            "c.ndjson.gz",
            &[
                "--shape",
                "drain-ndjson",
                "--records",
                "8000",
                "--seed",
                "11",
                "--hits-per-thousand",
                "40",
                "--gzip",
                "--gzip-member",
                "64KiB",
            ],
        ),
    ];
    for f in &files {
        let what = f.file_name().unwrap().to_string_lossy();
        let sql = sql_check(&[f]);
        assert!(!sql.is_empty(), "{what}: no signature found at all");
        assert_same(&what, &sql, &rust_check(&[f]));
    }
}

#[test]
fn check_counts_match_on_the_hour_files_of_logs_serve() {
    // DIR/YYYY-MM-DD/HH.ndjson, one drain record per line, as `logs serve`
    // stores them; loaded with one glob.
    let dir = Dir::new();
    let text = std::fs::read_to_string(sample("canary-rollback.ndjson")).unwrap();
    let mut hours: BTreeMap<String, String> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        // Spread the records over three hours of two days.
        let hour = ["2026-01-19/09", "2026-01-19/23", "2026-01-20/00"][i % 3];
        hours
            .entry(hour.to_string())
            .or_default()
            .push_str(&format!("{line}\n"));
    }
    let mut paths = Vec::new();
    for (hour, body) in &hours {
        let path = dir.path().join(format!("{hour}.ndjson"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, body).unwrap();
        paths.push(path);
    }
    let glob = dir.path().join("*/*.ndjson");
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    assert_same("serve hour files", &sql_check(&[&glob]), &rust_check(&refs));
}

/// Look-alikes and boundaries: what the Rust matcher rejects or accepts,
/// the SQL does too.
#[test]
fn boundaries_urls_and_scopes_match_the_rust_matcher() {
    let dir = Dir::new();
    let build =
        |ts: i64, m: &str| drain(ts, m, "").replace(r#""source":"lambda""#, r#""source":"build""#);
    let lines = [
        drain(
            1,
            "Invalid `prisma.job.create()` invocation: Unique constraint failed on the fields: (`key`) code: 'P2002'",
            "",
        ),
        drain(2, "invoice INV-P20021 paid", ""),
        drain(3, "GET /docs/errors/P2002 200 in 14ms", ""),
        drain(
            4,
            "see https://vercel.com/docs/errors/FUNCTION_INVOCATION_TIMEOUT",
            "",
        ),
        drain(5, r"deployment\n\nFUNCTION_INVOCATION_TIMEOUT\n\nfra1", ""),
        drain(6, "EDGE_FUNCTION_INVOCATION_TIMEOUT at the edge", ""),
        drain(7, "Task timed out after 10.01 seconds", ""),
        build(8, "Task timed out after 300 seconds"),
        build(
            9,
            "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
        ),
        drain(
            11,
            "Can't reach database server at `db.example.com`:`5432`",
            "",
        ),
        drain(
            12,
            "line one\nTask timed out after 60 seconds\nline three",
            "",
        ),
        drain(
            13,
            "Minified React error #301; visit https://react.dev/errors/301",
            "",
        ),
        drain(14, "Digest: 296987159@E352", ""),
    ];
    let file = dir.file("edge.ndjson", lines.join("\n") + "\n");
    let sql = sql_check(&[&file]);
    assert_same("look-alikes", &sql, &rust_check(&[&file]));
    assert!(
        sql.len() >= 5,
        "the fixture should hit several signatures: {sql:?}"
    );
}

/// Documented differences (README, "Differences from the Rust matcher");
/// these tests fail if the engines start to agree (then update the README).
/// RE2's `\d` is ASCII, Rust's is Unicode: a regex confirm on non-ASCII
/// digits matches in Rust only.
#[test]
fn unicode_digits_are_a_documented_difference() {
    let dir = Dir::new();
    let file = dir.file(
        "digits.ndjson",
        drain(
            1,
            "Node.js process exited with exit status: \u{0661}. The logs above can help",
            "",
        ) + "\n",
    );
    let rust = rust_check(&[&file]);
    let sql = sql_check(&[&file]);
    assert!(rust.contains_key("node-process-crash"), "{rust:?}");
    assert!(!sql.contains_key("node-process-crash"), "{sql:?}");
}

/// Token characters are ASCII in SQL: a non-ASCII letter next to an anchor
/// is a boundary there, and part of the token in Rust.
#[test]
fn non_ascii_letters_at_anchors_are_a_documented_difference() {
    let dir = Dir::new();
    let file = dir.file(
        "letters.ndjson",
        drain(1, "connect ECONNRESET 10.0.0.1:443", "")
            + "\n"
            + &drain(2, "Fehler: ÄECONNRESET", "")
            + "\n",
    );
    let rust = rust_check(&[&file]);
    let sql = sql_check(&[&file]);
    assert_eq!(rust["network-econnreset"].0, 1, "{rust:?}");
    assert_eq!(sql["network-econnreset"].0, 2, "{sql:?}");
}

#[test]
fn audit_counts_per_period_add_up_to_the_rust_counts() {
    let dir = Dir::new();
    let f = generate(
        &dir,
        "weeks.ndjson",
        &[
            "--shape",
            "drain-ndjson",
            "--records",
            "6000",
            "--seed",
            "5",
            "--hits-per-thousand",
            "50",
        ],
    );
    let text = logs_text(&["sql", "audit", "--period", "day"]);
    let rows = run_sql(&[&f], &text);
    let mut per_signature: BTreeMap<String, u64> = BTreeMap::new();
    let mut unknown = 0;
    for r in &rows {
        if let Some(id) = r["signature"].as_str() {
            *per_signature.entry(id.to_string()).or_default() += r["count"].as_u64().unwrap();
            assert!(r["period"].as_str().unwrap().starts_with("20"), "{r}");
        } else {
            assert!(r["head"].is_string() && r["sample"].is_string(), "{r}");
            unknown += r["count"].as_u64().unwrap();
        }
    }
    let rust: BTreeMap<String, u64> = rust_check(&[&f])
        .into_iter()
        .map(|(k, v)| (k, v.0))
        .collect();
    assert_eq!(per_signature, rust);
    assert!(unknown > 0, "the generated traffic has unknown errors");
}

#[test]
fn sql_commands_refuse_bad_names_and_times() {
    logs()
        .args(["sql", "check", "--table", "x; DROP TABLE y"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--table"));
    logs()
        .args(["sql", "check", "--since", "yesterday-ish"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--since"));
    logs()
        .args(["sql", "audit", "--period", "month"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--period"));
}

//! `logs check` on malformed, truncated, empty and odd inputs, through the
//! real binary: what is counted, what is reported, and the exit code.

use crate::common::{Dir, check_json, counts, drain, logs};
use predicates::prelude::*;

const P1001: &str = "PrismaClientInitializationError: Can't reach database server at `db.example.supabase.co`:`5432`";

#[test]
fn empty_and_blank_inputs_are_errors_unless_allowed() {
    let d = Dir::new();
    for (name, body) in [
        ("empty.json", ""),
        ("blank.json", "\n\r\n  \n"),
        ("bom.json", "\u{feff}"),
    ] {
        let p = d.file(name, body);
        let (code, r) = check_json(&[p.to_str().unwrap()], None);
        assert_eq!(code, 2, "{name}: nothing checked is never a pass");
        assert_eq!(r["verdict"], "error");
        assert_eq!(r["records"], 0);
        assert_eq!(r["malformed"], 0);
        let (code, r) = check_json(&[p.to_str().unwrap(), "--allow-empty"], None);
        assert_eq!(code, 0, "{name}");
        assert_eq!(r["verdict"], "pass");
    }
}

#[test]
fn malformed_lines_are_counted_reported_and_skipped() {
    let d = Dir::new();
    let body = format!(
        "{}\nthis is not json\n{{\"message\":\"cut\n{}\n",
        drain(1, P1001, ""),
        drain(2, P1001, "")
    );
    let p = d.file("x.ndjson", body);
    let path = p.to_str().unwrap();
    let (code, r) = check_json(&[path], None);
    assert_eq!(code, 1);
    assert_eq!(r["records"], 2);
    assert_eq!(r["malformed"], 2);
    assert_eq!(counts(&r), [("prisma-db-unreachable".to_string(), 2)]);
    assert_eq!(r["inputs"][0]["malformed_samples"][0]["line"], 2);
    logs()
        .args(["check", path])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("{path}:2 (byte")))
        .stderr(predicate::str::contains("not JSON"));
}

#[test]
fn strict_makes_malformed_records_an_error() {
    let d = Dir::new();
    let p = d.file("x.ndjson", "{\"message\":\"ok\"}\nnot json\n");
    logs()
        .args(["check", "--strict", p.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--strict"));
    // A record that frames but is not valid JSON is caught by --strict only.
    let p = d.file("y.ndjson", "{\"message\":\"ok\"}\n{\"message\": ok}\n");
    logs().args(["check", p.to_str().unwrap()]).assert().code(0);
    logs()
        .args(["check", "--strict", p.to_str().unwrap()])
        .assert()
        .code(2);
}

#[test]
fn truncated_json_array_reports_records_before_the_damage() {
    let d = Dir::new();
    let full = format!(
        "[{},{},{}]",
        drain(1, P1001, ""),
        drain(2, P1001, ""),
        drain(3, P1001, "")
    );
    let cut = &full[..full.len() - 40];
    let p = d.file("cut.json", cut);
    let (code, r) = check_json(&[p.to_str().unwrap()], None);
    assert_eq!(code, 2);
    assert_eq!(counts(&r), [("prisma-db-unreachable".to_string(), 2)]);
    assert!(
        r["inputs"][0]["damage"]
            .as_str()
            .unwrap()
            .contains("truncated")
    );
}

#[test]
fn truncated_gzip_reports_records_before_the_damage() {
    use std::io::Write;
    let d = Dir::new();
    let mut body = String::new();
    for i in 0..5000 {
        body.push_str(&drain(
            i,
            if i % 10 == 0 {
                P1001
            } else {
                "GET /api/leads 200"
            },
            "",
        ));
        body.push('\n');
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let p = d.file("cut.ndjson.gz", &gz[..gz.len() / 2]);
    let (code, r) = check_json(&[p.to_str().unwrap()], None);
    assert_eq!(code, 2);
    let n = r["findings"][0]["count"].as_u64().unwrap();
    assert!(n > 10 && n < 500, "{n}");
    assert!(
        r["inputs"][0]["damage"]
            .as_str()
            .unwrap()
            .contains("truncated or corrupt")
    );
    assert_eq!(r["inputs"][0]["gzip"], true);
}

#[test]
fn concatenated_gzip_members_and_stdin() {
    use std::io::Write;
    let one = format!("{}\n", drain(1, P1001, ""));
    let mut all = Vec::new();
    for _ in 0..3 {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(one.as_bytes()).unwrap();
        all.extend(gz.finish().unwrap());
    }
    let (code, r) = check_json(&["-"], Some(&all));
    assert_eq!(code, 1);
    assert_eq!(counts(&r), [("prisma-db-unreachable".to_string(), 3)]);
    assert_eq!(r["inputs"][0]["path"], "<stdin>");
}

#[test]
fn unreadable_and_unknown_inputs_are_errors_naming_the_file() {
    let d = Dir::new();
    let missing = d.path().join("nope.json");
    logs()
        .args(["check", missing.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.json: cannot open"));
    let p = d.file("text.log", "hello world\n");
    logs()
        .args(["check", p.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("text.log: unrecognised format"));
    // The other inputs are still scanned and reported.
    let good = d.file("good.ndjson", format!("{}\n", drain(1, P1001, "")));
    let (code, r) = check_json(&[missing.to_str().unwrap(), good.to_str().unwrap()], None);
    assert_eq!(code, 2);
    assert_eq!(counts(&r), [("prisma-db-unreachable".to_string(), 1)]);
}

#[test]
fn binary_garbage_never_panics() {
    let d = Dir::new();
    let mut junk: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    junk[0] = b'{';
    let p = d.file("junk.json", &junk);
    let out = logs()
        .args(["check", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0..=2)), "{out:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn crlf_bom_and_blank_lines_are_tolerated() {
    let d = Dir::new();
    let body = format!(
        "\u{feff}{}\r\n\r\n{}\r\n",
        drain(1, P1001, ""),
        drain(2, "fine", "")
    );
    let p = d.file("crlf.ndjson", body);
    let (code, r) = check_json(&[p.to_str().unwrap()], None);
    assert_eq!(
        (code, r["records"].as_u64(), r["malformed"].as_u64()),
        (1, Some(2), Some(0))
    );
}

#[test]
fn csv_line_numbers_count_newlines_inside_quoted_fields_and_crlf() {
    let d = Dir::new();
    let csv = "TimeUTC,message\r\n2026-01-19 09:00:00,\"ok\"\r\n2026-01-19 09:00:01,\"multi\nline\"\r\n2026-01-19 09:00:02,\"Task timed out after 300 seconds\"\r\n";
    let p = d.file("x.csv", csv);
    let (_, r) = check_json(&[p.to_str().unwrap()], None);
    assert_eq!(r["findings"][0]["samples"][0]["line"], 5);
    let (_, r) = check_json(&["-", "--chunk-size", "1"], Some(csv.as_bytes()));
    assert_eq!(r["findings"][0]["samples"][0]["line"], 5);
}

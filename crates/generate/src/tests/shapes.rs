//! Each shape's structure, and agreement between shapes.

use std::collections::BTreeMap;

use super::super::{CSV_HEADER, Shape, WriteOptions, hit_texts, request};
use super::{json_lines, log_lines, render, sample_events};

#[test]
fn every_shape_carries_the_same_log_lines() {
    let events = sample_events(11, 3_000);
    let mut expected: Vec<(String, String)> = events
        .iter()
        .map(|e| (e.level.clone(), e.message.clone()))
        .collect();
    expected.sort();
    for shape in Shape::all() {
        let mut got = log_lines(shape, &render(shape, &events, &WriteOptions::default()));
        got.sort();
        assert!(got == expected, "{} differs", shape.name());
    }
}

#[test]
fn per_signature_counts_agree_across_shapes() {
    let events = sample_events(12, 5_000);
    let count = |lines: &[(String, String)]| {
        let mut counts = BTreeMap::new();
        for (_, message) in lines {
            for (id, text) in hit_texts() {
                if message == text {
                    *counts.entry(*id).or_insert(0) += 1;
                }
            }
        }
        counts
    };
    let reference = count(&log_lines(
        Shape::DrainNdjson,
        &render(Shape::DrainNdjson, &events, &WriteOptions::default()),
    ));
    assert!(reference.values().sum::<i32>() > 50, "{reference:?}");
    for shape in Shape::all() {
        let got = count(&log_lines(
            shape,
            &render(shape, &events, &WriteOptions::default()),
        ));
        assert_eq!(got, reference, "{}", shape.name());
    }
}

#[test]
fn drain_records_have_vercel_fields_and_reports() {
    let e = request(
        1_768_813_460_047,
        "dpl_NEW",
        "GET",
        "/leads/ld_1?tab=2",
        "/leads/[id]",
        200,
    )
    .with_duration(42);
    let lines = json_lines(&render(
        Shape::DrainNdjson,
        &[e.clone(), e.line(3, "info", "done")],
        &WriteOptions::default(),
    ));
    assert_eq!(lines.len(), 3);
    let first = &lines[0];
    let id = first["id"].as_str().expect("id is a string");
    assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(
        (first["path"].as_str(), first["proxy"]["path"].as_str()),
        (Some("/leads/[id]"), Some("/leads/ld_1?tab=2"))
    );
    assert!(first["proxy"]["userAgent"].is_array());
    assert_eq!(first["proxy"]["timestamp"], 1_768_813_460_047i64);
    let report = lines[2]["message"].as_str().unwrap_or("");
    assert!(
        report.starts_with("REPORT RequestId: ")
            && report.contains(" Duration: 42 ms Billed Duration: 43 ms"),
        "{report}"
    );
    assert_eq!(lines[2]["type"], "report");
}

#[test]
fn drain_batches_hold_batch_size_records_per_line() {
    let events = sample_events(3, 500);
    let opts = WriteOptions {
        batch_size: 7,
        ..WriteOptions::default()
    };
    let lines = json_lines(&render(Shape::DrainBatches, &events, &opts));
    let sizes: Vec<usize> = lines
        .iter()
        .map(|l| l.as_array().map_or(0, Vec::len))
        .collect();
    assert!(sizes[..sizes.len() - 1].iter().all(|&n| n == 7));
    assert!((1..=7).contains(&sizes[sizes.len() - 1]));
}

#[test]
fn dashboard_json_is_one_line_with_summary_rows_out_of_order() {
    let events = sample_events(4, 800);
    let bytes = render(Shape::DashboardJson, &events, &WriteOptions::default());
    assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 1);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&bytes).expect("array");
    let summaries: Vec<_> = rows.iter().filter(|r| r["level"] == "").collect();
    assert!(!summaries.is_empty());
    assert!(
        summaries
            .iter()
            .all(|r| r["message"] == "" && r["durationMs"].is_u64() && r["invocationId"] != "")
    );
    assert!(rows.iter().any(|r| r["responseStatusCode"] == ""));
    let times: Vec<i64> = rows
        .iter()
        .filter_map(|r| r["timestampInMs"].as_i64())
        .collect();
    assert!(
        times.windows(2).any(|w| w[0] > w[1]),
        "rows should not be in time order"
    );
    let r = &rows[0];
    assert!(
        r["TimeUTC"].as_str().is_some_and(|t| t.len() == 19)
            && r["requestPath"]
                .as_str()
                .is_some_and(|p| !p.starts_with("http"))
    );
}

#[test]
fn csv_round_trips_awkward_messages() {
    let awkward = [
        "a, b, \"quoted\" and 'single'",
        "line one\nline two\r\nline three",
        "back\\slash ⨯ unicode",
        "",
    ];
    let base = request(
        1_768_813_460_047,
        "dpl_A",
        "POST",
        "/leads/ld_1",
        "/leads/[id]",
        500,
    );
    let events: Vec<_> = awkward
        .iter()
        .enumerate()
        .map(|(i, m)| base.line(i as i64, "error", *m))
        .collect();
    for crlf in [false, true] {
        let bytes = render(
            Shape::DashboardCsv,
            &events,
            &WriteOptions {
                crlf,
                ..WriteOptions::default()
            },
        );
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(
            reader.headers().expect("header").iter().collect::<Vec<_>>(),
            CSV_HEADER
        );
        let got: Vec<String> = reader
            .records()
            .map(|r| r.expect("record")[21].to_owned())
            .collect();
        assert_eq!(got, awkward, "crlf={crlf}");
        assert_eq!(bytes.ends_with(b"\r\n"), crlf);
    }
}

#[test]
fn cli_json_groups_a_request_and_legacy_has_no_request_id() {
    let events = sample_events(5, 1_000);
    let objects = json_lines(&render(Shape::CliJson, &events, &WriteOptions::default()));
    let groups = 1 + events
        .windows(2)
        .filter(|w| w[0].request_id != w[1].request_id)
        .count();
    assert_eq!(objects.len(), groups);
    assert!(
        objects
            .iter()
            .all(|o| o["id"].as_str().is_some_and(|id| id.len() == 32) && o["logs"].is_array())
    );
    let legacy = json_lines(&render(
        Shape::CliLegacyJson,
        &events,
        &WriteOptions::default(),
    ));
    assert_eq!(legacy.len(), events.len());
    assert!(legacy.iter().all(|o| o.get("requestId").is_none()
        && o["rowId"].is_string()
        && o["messageTruncated"] == false));
}

#[test]
fn shape_names_round_trip() {
    for shape in Shape::all() {
        assert_eq!(Shape::from_name(shape.name()), Some(shape));
    }
    assert_eq!(Shape::from_name("Dashboard_CSV"), Some(Shape::DashboardCsv));
    assert_eq!(Shape::from_name("xml"), None);
}

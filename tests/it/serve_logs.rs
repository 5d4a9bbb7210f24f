//! `logs serve --log-format json`: every line the server writes on stderr
//! is one JSON object (time, level, message) for a log collector, with a
//! refused request as a warning; the text format keeps its `logs serve: …`
//! lines (the other serve tests read them).

use crate::common::Dir;
use crate::serve::{Server, ndjson, sample_lines};

#[test]
fn json_log_lines_are_one_object_each() {
    let tmp = Dir::new();
    let server = Server::start(tmp.path(), &["--log-format", "json"]);
    let (code, _) = server.request("POST", "/", &[("x-vercel-signature", "00")], b"{}");
    assert_eq!(code, 403);
    assert_eq!(server.post(ndjson(&sample_lines()).as_bytes(), &[]).0, 200);
    let log = server.said("decision changed");
    let mut levels = Vec::new();
    for line in log.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}\n{log}"));
        let time = v["time"].as_str().expect("time");
        assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{line}");
        assert!(v["message"].is_string(), "{line}");
        let level = v["level"].as_str().expect("level").to_string();
        assert!(
            ["info", "warn", "error"].contains(&level.as_str()),
            "{line}"
        );
        levels.push((level, v["message"].as_str().unwrap_or("").to_string()));
    }
    assert!(
        levels
            .iter()
            .any(|(l, m)| l == "warn" && m.starts_with("403 ")),
        "{log}"
    );
    assert!(
        levels
            .iter()
            .any(|(l, m)| l == "info" && m.contains("hold → rollback")),
        "{log}"
    );
}

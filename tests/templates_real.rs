//! `logs templates` on real error messages from public issue trackers
//! (`tests/real/templates/messages.toml`, each with its source): every
//! labelled error must get exactly its own template, so the grouping
//! accuracy (GA) on the set is 1.0. Multi-line Node.js errors are grouped
//! by the line that names the error and the code of their cause, never by
//! a Prisma preamble, an object's `{` or the bare `TypeError: fetch failed`.

mod common;

use std::collections::{BTreeMap, HashMap};

use common::{Dir, drain, json_of};
use serde::Deserialize;

#[derive(Deserialize)]
struct Corpus {
    message: Vec<Message>,
}

#[derive(Deserialize)]
struct Message {
    group: String,
    source: String,
    text: String,
}

fn corpus() -> Vec<Message> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/real/templates/messages.toml"
    );
    let text = std::fs::read_to_string(path).expect("corpus readable");
    let corpus: Corpus = toml::from_str(&text).expect("corpus is valid TOML");
    for m in &corpus.message {
        assert!(
            m.source.contains("github.com/"),
            "{}: no source URL",
            m.group
        );
    }
    corpus.message
}

/// The template of each message (by index), mined through the binary from
/// a drain export holding one record per message.
fn templates_of(messages: &[Message]) -> Vec<String> {
    let body: Vec<String> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            drain(
                1_768_800_000_000 + i as i64,
                m.text.trim_start_matches('\n'),
                "",
            )
        })
        .collect();
    let d = Dir::new();
    let p = d.file("real.ndjson", body.join("\n") + "\n");
    let report = json_of("templates", &[p.to_str().expect("utf-8 path")]);
    let mut by_line = vec![String::new(); messages.len()];
    for t in report["templates"].as_array().expect("templates") {
        let template = t["template"].as_str().expect("template");
        for l in t["lines"].as_array().expect("lines") {
            let line = l.as_u64().expect("line") as usize;
            by_line[line - 1] = template.to_string();
        }
    }
    by_line
}

#[test]
fn real_errors_group_by_the_error_they_name() {
    let messages = corpus();
    assert!(messages.len() >= 30, "{} messages", messages.len());
    let templates = templates_of(&messages);
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in templates.iter().enumerate() {
        assert!(
            !t.is_empty(),
            "message {i} ({}) has no template",
            messages[i].source
        );
        members.entry(t.as_str()).or_default().push(i);
    }
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, m) in messages.iter().enumerate() {
        groups.entry(m.group.as_str()).or_default().push(i);
    }
    let mut correct = 0;
    let mut wrong = Vec::new();
    for (group, lines) in &groups {
        let t = templates[lines[0]].as_str();
        if lines.iter().all(|&l| templates[l] == t) && members[t].len() == lines.len() {
            correct += lines.len();
        } else {
            let got: Vec<&str> = lines.iter().map(|&l| templates[l].as_str()).collect();
            wrong.push(format!("{group}: {got:?}"));
        }
    }
    let ga = correct as f64 / messages.len() as f64;
    eprintln!(
        "real messages: {} in {} groups, {} templates, GA {ga:.3}",
        messages.len(),
        groups.len(),
        members.len()
    );
    assert!(
        wrong.is_empty(),
        "GA {ga:.3}; wrong groups:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn fetch_failures_keep_their_cause_code() {
    let messages = corpus();
    let templates = templates_of(&messages);
    let of = |group: &str| {
        let i = messages.iter().position(|m| m.group == group).expect(group);
        templates[i].clone()
    };
    for (group, code) in [
        ("fetch-failed-econnrefused", "ECONNREFUSED"),
        ("fetch-failed-econnreset", "ECONNRESET"),
        ("fetch-failed-connect-timeout", "UND_ERR_CONNECT_TIMEOUT"),
        ("fetch-failed-etimedout", "ETIMEDOUT"),
        ("fetch-failed-enotfound", "ENOTFOUND"),
    ] {
        assert_eq!(
            of(group),
            format!("TypeError: fetch failed [cause: {code}]")
        );
    }
    assert_eq!(
        of("prisma-unique-fields"),
        "Unique constraint failed on the fields: (<*>)"
    );
    assert_eq!(
        of("prisma-cant-reach-database"),
        "Can't reach database server at <*>"
    );
    assert_eq!(
        of("supabase-refresh-token-not-found"),
        "AuthApiError: Invalid Refresh Token: Refresh Token Not Found"
    );
}

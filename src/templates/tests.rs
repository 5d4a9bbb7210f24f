//! Behaviour of the miner as a whole: grouping of small synthetic streams,
//! line numbers, determinism and merging.

use super::{MinerConfig, TemplateId, TemplateMiner};

fn mine(lines: &[&str]) -> TemplateMiner {
    let mut m = TemplateMiner::new(MinerConfig::default());
    for (i, l) in lines.iter().enumerate() {
        m.add(i as u64 + 1, l);
    }
    m
}

fn summary(m: &TemplateMiner) -> Vec<(String, Vec<u64>)> {
    m.templates()
        .into_iter()
        .map(|t| (t.template, t.lines))
        .collect()
}

#[test]
fn groups_values_and_keeps_line_numbers() {
    let m = mine(&[
        "GET /api/users/1 200 in 35ms",
        "Rejected login for admin from 10.0.0.1",
        "GET /api/users/2 200 in 4ms",
        "Rejected login for guest from 10.0.0.2",
        "POST /api/login 401 in 12ms",
        "Rejected login for a from 10.0.0.3",
        "Rejected login for b from 10.0.0.4",
        "Rejected login for c from 10.0.0.5",
        "Rejected login for d from 10.0.0.6",
    ]);
    assert_eq!(
        summary(&m),
        [
            ("GET <*> in <*>".to_string(), vec![1, 3]),
            (
                "Rejected login for <*> from <*>".to_string(),
                vec![2, 4, 6, 7, 8, 9]
            ),
            ("POST <*> in <*>".to_string(), vec![5]),
        ]
    );
    let counts: Vec<u64> = m.templates().iter().map(|t| t.count).collect();
    assert_eq!(counts, [2, 6, 1]);
}

#[test]
fn a_few_alternative_words_stay_apart() {
    let m = mine(&[
        "Checkout via card for alice from 10.0.0.1",
        "Checkout via paypal for alice from 10.0.0.2",
        "Checkout via card for alice from 10.0.0.3",
    ]);
    assert_eq!(
        summary(&m),
        [
            (
                "Checkout via card for alice from <*>".to_string(),
                vec![1, 3]
            ),
            (
                "Checkout via paypal for alice from <*>".to_string(),
                vec![2]
            ),
        ]
    );
}

#[test]
fn merged_ids_resolve_to_the_survivor() {
    let mut m = TemplateMiner::new(MinerConfig::default());
    let ids: Vec<TemplateId> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .enumerate()
        .map(|(i, u)| m.add(i as u64 + 1, &format!("login by {u} ok")))
        .collect();
    assert_eq!(m.len(), 1);
    let first = m.resolve(ids[0]);
    assert!(ids.iter().all(|&id| m.resolve(id) == first));
    assert_eq!(m.templates()[0].lines, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn add_returns_stable_ids() {
    let mut m = TemplateMiner::new(MinerConfig::default());
    let a = m.add(10, "cache miss for key user:1");
    let b = m.add(11, "connection reset by peer");
    let a2 = m.add(12, "cache miss for key user:2");
    assert_eq!((a, b, a2), (TemplateId(0), TemplateId(1), TemplateId(0)));
    assert_eq!(
        m.template_text(a).as_deref(),
        Some("cache miss for key user:<*>")
    );
}

#[test]
fn enum_like_states_stay_apart() {
    let m = mine(&[
        "task 1 transitioned from NEW to RUNNING",
        "task 2 transitioned from RUNNING to DONE",
        "task 3 transitioned from NEW to RUNNING",
    ]);
    assert_eq!(m.len(), 2);
    assert_eq!(m.templates()[0].lines, [1, 3]);
}

#[test]
fn different_words_are_different_templates() {
    let m = mine(&["Starting server", "Stopping server", "READY", "DRAINING"]);
    assert_eq!(m.len(), 4);
}

#[test]
fn stack_traces_group_by_head() {
    let m = mine(&[
        "⨯ Error: boom\n    at a (/var/task/x.js:1:1)",
        "⨯ Error: boom\n    at b (/var/task/y.js:9:9)\n    at c",
        "⨯ TypeError: x is undefined\n    at a (/var/task/x.js:1:1)",
    ]);
    assert_eq!(summary(&m)[0], ("⨯ Error: boom".to_string(), vec![1, 2]));
    assert_eq!(m.len(), 2);
}

#[test]
fn value_lists_of_any_length_share_a_template() {
    let m = mine(&[
        "evict 10.0.0.1:6379 keys key_1",
        "evict 10.0.0.2:6379 keys key_2 key_3 key_4",
        "retry ids 1, 2, 3 later",
        "retry ids 9 later",
    ]);
    assert_eq!(
        summary(&m),
        [
            ("evict <*> keys <*>".to_string(), vec![1, 2]),
            ("retry ids <*> later".to_string(), vec![3, 4]),
        ]
    );
}

#[test]
fn mining_is_deterministic() {
    let lines: Vec<String> = (0..200)
        .map(|i| match i % 3 {
            0 => format!("user u{i} signed in from 10.0.0.{}", i % 250),
            1 => format!("job {i} finished in {i}ms"),
            _ => format!("queue depth {} exceeds limit", i * 7),
        })
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    assert_eq!(mine(&refs).templates(), mine(&refs).templates());
    assert_eq!(mine(&refs).len(), 3);
}

#[test]
fn merge_combines_chunks_like_one_pass() {
    let all = [
        "job 1 finished in 3ms",
        "disk full on /dev/sda1",
        "job 2 finished in 4ms",
        "disk full on /dev/sdb1",
        "cache cold",
    ];
    let whole = mine(&all);
    let mut left = mine(&all[..3]);
    let mut right = TemplateMiner::new(MinerConfig::default());
    for (i, l) in all[3..].iter().enumerate() {
        right.add(i as u64 + 4, l);
    }
    left.merge(right);
    assert_eq!(summary(&left), summary(&whole));
}

//! Behaviour of the miner as a whole: grouping of small synthetic streams,
//! line numbers, independence from line order, and merging.

use proptest::strategy::Strategy;

use super::{MinerConfig, TemplateMiner};

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
fn enum_like_states_stay_apart() {
    let m = mine(&[
        "task 1 transitioned from NEW to RUNNING",
        "task 2 transitioned from RUNNING to DONE",
        "task 3 transitioned from NEW to RUNNING",
    ]);
    assert_eq!(m.templates().len(), 2);
    assert_eq!(m.templates()[0].lines, [1, 3]);
}

#[test]
fn different_words_are_different_templates() {
    let m = mine(&["Starting server", "Stopping server", "READY", "DRAINING"]);
    assert_eq!(m.templates().len(), 4);
}

#[test]
fn stack_traces_group_by_head() {
    let m = mine(&[
        "⨯ Error: boom\n    at a (/var/task/x.js:1:1)",
        "⨯ Error: boom\n    at b (/var/task/y.js:9:9)\n    at c",
        "⨯ TypeError: x is undefined\n    at a (/var/task/x.js:1:1)",
    ]);
    assert_eq!(summary(&m)[0], ("⨯ Error: boom".to_string(), vec![1, 2]));
    assert_eq!(m.templates().len(), 2);
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
fn merge_combines_parts_like_one_pass() {
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

/// `n` copies of each line, so that their words repeat.
fn repeated(lines: &[String], n: usize) -> Vec<String> {
    (0..n).flat_map(|_| lines.iter().cloned()).collect()
}

fn templates_of(lines: &[String]) -> Vec<String> {
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    mine(&refs)
        .templates()
        .into_iter()
        .map(|t| t.template)
        .collect()
}

#[test]
fn words_that_travel_together_are_one_event() {
    let mut lines = Vec::new();
    for kind in ["Cache", "Retry"] {
        let lower = kind.to_lowercase();
        lines.push(format!("load{kind}Policy sets {lower}Policy to strict"));
        lines.push(format!("load{kind}Policy keeps {lower}Policy as before"));
    }
    assert_eq!(templates_of(&repeated(&lines, 2)).len(), 4);
}

/// Lines from a few templates with words that repeat, vary once, or
/// belong to a shared domain; `pick` chooses each line's template and
/// values.
fn corpus(picks: &[(u8, u8)]) -> Vec<String> {
    const USERS: [&str; 4] = ["alice", "bob", "ann", "carol"];
    const STATES: [&str; 3] = ["Ready", "Draining", "Parked"];
    picks
        .iter()
        .enumerate()
        .map(|(i, &(t, v))| {
            let v = usize::from(v);
            match t % 7 {
                0 => format!("user u{} signed in from 10.0.0.{i}", v % 9),
                1 => format!("job {i} finished in {v}ms"),
                2 => format!("{} worker pool", ["Starting", "Stopping"][v % 2]),
                3 => format!("token issued to user {} (ttl={v}h)", USERS[v % 4]),
                4 => format!("token revoked for user {}", USERS[v % 4]),
                5 => format!("[worker: {i:04}] pool member now {}", STATES[v % 3]),
                _ => format!("unknown tenant name{v} from 10.0.{v}.{i}"),
            }
        })
        .collect()
}

/// A grouping as sets of message texts, with their template texts.
fn canonical(lines: &[String]) -> Vec<(String, Vec<String>)> {
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let mut groups: Vec<(String, Vec<String>)> = mine(&refs)
        .templates()
        .into_iter()
        .map(|t| {
            let mut members: Vec<String> = t
                .lines
                .iter()
                .map(|&l| lines[l as usize - 1].clone())
                .collect();
            members.sort();
            (t.template, members)
        })
        .collect();
    groups.sort();
    groups
}

proptest::proptest! {
    #[test]
    fn grouping_does_not_depend_on_line_order(
        (lines, shuffled) in proptest::collection::vec((0u8..7, 0u8..40), 1..120)
            .prop_flat_map(|picks| {
                let lines = corpus(&picks);
                (proptest::strategy::Just(lines.clone()), proptest::strategy::Just(lines).prop_shuffle())
            })
    ) {
        proptest::prop_assert_eq!(canonical(&shuffled), canonical(&lines));
    }
}

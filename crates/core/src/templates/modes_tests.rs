//! One test per way template mining failed to generalise (issue 12), on
//! messages written for these tests in a generic server-log style. Each
//! test states the grouping a reader would give (by labelling every line
//! with its event) and fails if the miner's grouping differs: if that
//! failure mode comes back, the grouping splits or merges.

use std::collections::BTreeSet;

use proptest::strategy::Strategy;

use super::{MinerConfig, TemplateMiner};

/// The miner's grouping of `lines`, as sets of line indices.
fn grouping(lines: &[String]) -> BTreeSet<BTreeSet<usize>> {
    let mut m = TemplateMiner::new(MinerConfig::default());
    for (i, l) in lines.iter().enumerate() {
        m.add(i as u64 + 1, l);
    }
    m.templates()
        .into_iter()
        .map(|t| t.lines.iter().map(|&l| l as usize - 1).collect())
        .collect()
}

/// The grouping that `labels` (one per line) describe.
fn expected(labels: &[String]) -> BTreeSet<BTreeSet<usize>> {
    let mut by: std::collections::BTreeMap<&str, BTreeSet<usize>> = Default::default();
    for (i, l) in labels.iter().enumerate() {
        by.entry(l).or_default().insert(i);
    }
    by.into_values().collect()
}

/// Asserts that the miner groups `(label, line)` pairs by label; on
/// failure, shows the templates it found.
fn assert_groups(pairs: &[(String, String)]) {
    let (labels, lines): (Vec<String>, Vec<String>) = pairs.iter().cloned().unzip();
    let got = grouping(&lines);
    if got != expected(&labels) {
        let mut m = TemplateMiner::new(MinerConfig::default());
        for (i, l) in lines.iter().enumerate() {
            m.add(i as u64 + 1, l);
        }
        let found: Vec<(String, u64)> = m
            .templates()
            .into_iter()
            .map(|t| (t.template, t.count))
            .collect();
        panic!("grouping differs from the labels; templates found: {found:#?}");
    }
}

fn pair(label: &str, line: String) -> (String, String) {
    (label.to_string(), line)
}

const HOSTS: [&str; 5] = [
    "api.internal.example",
    "cache.eu.example.net",
    "auth.example.org",
    "queue.example.com",
    "billing.svc.local",
];

#[test]
fn host_names_without_digits_and_host_ports_are_values() {
    let mut pairs = Vec::new();
    for round in 0..3 {
        for (i, host) in HOSTS.iter().enumerate() {
            pairs.push(pair(
                "resolve",
                format!("resolved {host} to 10.0.{round}.{i} in {}ms", 3 + i),
            ));
            pairs.push(pair(
                "refuse",
                format!(
                    "upstream {host}:{} refused the connection, retrying",
                    8000 + i
                ),
            ));
            pairs.push(pair(
                "refuse",
                format!("upstream 10.1.{round}.{i}:443 refused the connection, retrying"),
            ));
        }
        // Names that appear in this event only, each seen again and again.
        for (i, site) in ["www.example.com", "shop.example.com", "docs.example.org"]
            .iter()
            .enumerate()
        {
            pairs.push(pair(
                "cert",
                format!("certificate for {site} expires in {} days", 10 + round + i),
            ));
        }
    }
    assert_groups(&pairs);
}

#[test]
fn quoted_request_lines_keep_their_method() {
    let requests = [
        ("GET", "/api/orders?page=2"),
        ("POST", "/api/orders"),
        ("PUT", "/api/orders/71/items"),
        ("DELETE", "/api/orders/71"),
        ("GET", "/api/orders/71"),
        ("POST", "/api/carts/9/checkout"),
        ("PUT", "/api/carts/9"),
        ("DELETE", "/api/carts/9/items/3"),
    ];
    let mut pairs = Vec::new();
    for round in 0..2 {
        for (i, (method, path)) in requests.iter().enumerate() {
            pairs.push(pair(
                method,
                format!(
                    "edge 172.16.{round}.{i} \"{method} {path} HTTP/1.1\" status: {} took: 0.0{i}s",
                    [200, 201, 404][i % 3]
                ),
            ));
        }
    }
    assert_groups(&pairs);
}

#[test]
fn repeated_states_are_events_but_user_names_are_a_variable() {
    let states = ["Ready", "Draining", "Parked", "Retired"];
    let users = ["alice", "bob", "carol", "dave"];
    let mut pairs = Vec::new();
    for round in 0..3 {
        for (i, state) in states.iter().enumerate() {
            pairs.push(pair(
                state,
                format!("[worker: 5d0c{round}{i}e1-77aa] pool member now {state} (health check)"),
            ));
        }
        for (i, user) in users.iter().enumerate() {
            pairs.push(pair(
                "issued",
                format!("token issued to user {user} with scope read (ttl={i}h)"),
            ));
            pairs.push(pair("revoked", format!("token revoked for user {user}")));
        }
    }
    // Tenants, in one event only, most of them seen once: an open
    // vocabulary.
    for (i, tenant) in ["acme", "globex", "initech", "umbra", "hooli", "vandelay"]
        .iter()
        .enumerate()
    {
        for _ in 0..(1 + usize::from(i == 3)) {
            pairs.push(pair(
                "quota",
                format!("storage quota reached by tenant {tenant}"),
            ));
        }
    }
    // Written dates, with month and weekday names, are one value.
    for (day, month, dd) in [("Mon", "Mar", 3), ("Tue", "Apr", 15), ("Sun", "Nov", 30)] {
        pairs.push(pair(
            "report",
            format!("nightly report for {day} {month} {dd} 2025 is ready"),
        ));
    }
    assert_groups(&pairs);
}

#[test]
fn punctuation_around_values_does_not_split_an_event() {
    let mut pairs = Vec::new();
    for (i, peer) in ["", "edge-gw", "", "lb.example.net", "bastion"]
        .iter()
        .enumerate()
    {
        pairs.push(pair(
            "accept",
            format!(
                "accepted session from 10.4.0.{i} ({peer}) on port {}",
                5022 + i
            ),
        ));
    }
    for (i, via) in ["LOCAL(0),", "10.9.8.7,", "LOCAL(3),", "192.168.7.20,"]
        .iter()
        .enumerate()
    {
        pairs.push(pair(
            "deliver",
            format!("message 7f3a{i} delivered via {via} {} recipients", i + 1),
        ));
    }
    assert_groups(&pairs);
}

#[test]
fn a_variable_first_word_is_one_event() {
    let tables = [
        "ORDERS", "INVOICES", "LEDGER", "PAYOUTS", "REFUNDS", "AUDIT",
    ];
    let mut pairs = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        pairs.push(pair(
            "checked",
            format!(
                "{table} table checked: {} rows, {} errors (rev 0x{i}f)",
                1200 + i,
                i % 2
            ),
        ));
        if i % 2 == 0 {
            pairs.push(pair(
                "rebuilt",
                format!("{table} index rebuilt in {}ms", 30 + i),
            ));
        }
    }
    assert_groups(&pairs);
}

/// Lines of every failure mode above, picked by `(kind, value)`.
fn mixed(picks: &[(u8, u8)]) -> Vec<String> {
    const STATES: [&str; 4] = ["Ready", "Draining", "Parked", "Retired"];
    const USERS: [&str; 4] = ["alice", "bob", "carol", "dave"];
    const METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];
    const TABLES: [&str; 4] = ["ORDERS", "INVOICES", "LEDGER", "AUDIT"];
    picks
        .iter()
        .enumerate()
        .map(|(i, &(kind, v))| {
            let v = usize::from(v);
            match kind % 8 {
                0 => format!("resolved {} to 10.0.0.{i} in {v}ms", HOSTS[v % 5]),
                1 => format!(
                    "upstream {}:{v} refused the connection, retrying",
                    HOSTS[v % 5]
                ),
                2 => format!(
                    "edge 10.2.0.{i} \"{} /api/x/{v} HTTP/1.1\" status: 200",
                    METHODS[v % 4]
                ),
                3 => format!(
                    "[worker: {i:04x}] pool member now {} (health check)",
                    STATES[v % 4]
                ),
                4 => format!(
                    "token issued to user {} with scope read (ttl={v}h)",
                    USERS[v % 4]
                ),
                5 => format!("token revoked for user {}", USERS[v % 4]),
                6 => format!(
                    "accepted session from 10.4.0.{i} ({}) on port {v}",
                    ["", "edge-gw"][v % 2]
                ),
                _ => format!("{} table checked: {v} rows, {i} errors", TABLES[v % 4]),
            }
        })
        .collect()
}

proptest::proptest! {
    #[test]
    fn any_line_order_gives_the_same_grouping(
        (lines, shuffled) in proptest::collection::vec((0u8..8, 0u8..24), 1..160)
            .prop_flat_map(|picks| {
                let lines = mixed(&picks);
                (proptest::strategy::Just(lines.clone()), proptest::strategy::Just(lines).prop_shuffle())
            })
    ) {
        let by_text = |lines: &[String]| -> BTreeSet<BTreeSet<String>> {
            grouping(lines)
                .into_iter()
                .map(|g| g.into_iter().map(|i| lines[i].clone()).collect())
                .collect()
        };
        proptest::prop_assert_eq!(by_text(&shuffled), by_text(&lines));
    }
}

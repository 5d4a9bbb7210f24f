//! The cron and webhook checks through the real binary, on exports in every
//! shape that contain each case, and on clean traffic that must give
//! nothing: `vercel-cron/1.0` answered 200, unknown agents answered 401.

use crate::common::{Dir, check_json, logs};
use logs::generate::{CRON_UA, Event, Export, WriteOptions, request, write_events};
use serde_json::Value;

/// 2026-01-19T09:00:00Z.
const T0: i64 = 1_768_813_200_000;
const DPL: &str = "dpl_8mFwq2XoYb7TcJ3hLk9sNv4RzPd1";
const CURL: &str = "curl/8.5.0";
const TIMEOUT: &str = "Vercel Runtime Timeout Error: Task timed out after 300 seconds";
const STRIPE_BAD: &str = "StripeSignatureVerificationError: No signatures found matching the expected signature for payload. Are you passing the raw request body you received from Stripe?";

fn at(i: i64) -> i64 {
    T0 + i * 7_000
}

fn get(i: i64, path: &str, status: i32, ua: &str) -> Event {
    // With a duration, as a function's request has: the dashboard writes
    // its summary row (which carries the status) only then.
    request(at(i), DPL, "GET", path, path, status)
        .with_user_agent(ua)
        .with_duration(120)
}

fn post(i: i64, path: &str, route: &str, status: i32, ua: &str) -> Event {
    request(at(i), DPL, "POST", path, route, status)
        .with_user_agent(ua)
        .with_duration(80)
}

/// Traffic that must give no access finding.
fn clean() -> Vec<Event> {
    let mut v = Vec::new();
    for i in 0..4 {
        v.push(get(i, "/api/cron/followups", 200, CRON_UA));
    }
    // Unknown agents refused: the gate working.
    v.push(get(5, "/api/cron/followups", 401, CURL));
    v.push(get(6, "/api/cron/sync", 403, "python-requests/2.31"));
    // Webhooks mostly accepted, one refused (below the rate).
    for i in 7..17 {
        v.push(post(
            i,
            "/api/webhooks/stripe",
            "/api/webhooks/stripe",
            200,
            "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        ));
    }
    v.push(post(
        18,
        "/api/webhooks/stripe",
        "/api/webhooks/stripe",
        401,
        CURL,
    ));
    // A refused forgery that logged the verification warning.
    let forged = post(
        19,
        "/api/webhooks/stripe",
        "/api/webhooks/stripe",
        400,
        CURL,
    );
    v.push(forged.line(3, "warning", STRIPE_BAD));
    v.push(get(20, "/leads/42", 200, CURL));
    v
}

/// One of each case, on top of clean traffic.
fn cases() -> Vec<Event> {
    let mut v = clean();
    // cron-unauthenticated-success: two unknown agents served.
    v.push(get(30, "/api/cron/followups", 200, CURL));
    v.push(get(
        31,
        "/api/cron/followups",
        204,
        "Mozilla/5.0 token=abcdef0123456789",
    ));
    // cron-rejected-platform-call: Vercel Cron refused.
    v.push(get(32, "/api/cron/sync", 401, CRON_UA));
    // cron-failing: the follow-up cron timing out at 300 s.
    let slow = get(33, "/api/cron/followups", 504, CRON_UA).with_message("[Cron] followups: start");
    v.push(slow.clone().with_level("info"));
    v.push(slow.line(300_000, "error", TIMEOUT));
    // webhook-rejected: most Calendly deliveries refused.
    for i in 40..46 {
        v.push(post(
            i,
            "/api/webhooks/calendly/cl_1",
            "/api/webhooks/calendly/[clientId]",
            401,
            "Calendly-Webhooks/1.0",
        ));
    }
    v.push(post(
        46,
        "/api/webhooks/calendly/cl_1",
        "/api/webhooks/calendly/[clientId]",
        200,
        "Calendly-Webhooks/1.0",
    ));
    // webhook-unverified-success: the warning, then 200.
    let bad = post(
        50,
        "/api/webhooks/github",
        "/api/webhooks/github",
        200,
        "GitHub-Hookshot/abc123",
    );
    v.push(
        bad.clone()
            .with_message("[@octokit/webhooks] signature does not match event payload and secret")
            .with_level("warning"),
    );
    v.push(bad.line(4, "info", "processed push event"));
    v
}

fn export(d: &Dir, shape: Export, events: Vec<Event>) -> String {
    let mut bytes = Vec::new();
    write_events(shape, events, &WriteOptions::default(), &mut bytes).expect("write export");
    let name = format!("{}.{}", shape.name(), shape.extension());
    d.file(&name, bytes).to_str().unwrap().to_string()
}

fn finding<'a>(r: &'a Value, id: &str) -> Option<&'a Value> {
    r["findings"]
        .as_array()?
        .iter()
        .find(|f| f["signature"] == id)
}

const ACCESS: [&str; 5] = [
    "cron-unauthenticated-success",
    "cron-rejected-platform-call",
    "cron-failing",
    "webhook-rejected",
    "webhook-unverified-success",
];

/// The shapes that carry the caller's user agent.
fn has_user_agent(shape: Export) -> bool {
    matches!(
        shape,
        Export::DrainNdjson | Export::DrainBatches | Export::DashboardJson | Export::DashboardCsv
    )
}

#[test]
fn clean_traffic_gives_nothing_in_every_shape() {
    let d = Dir::new();
    for shape in Export::all() {
        let p = export(&d, shape, clean());
        let (code, r) = check_json(&[&p], None);
        for id in ACCESS {
            assert!(finding(&r, id).is_none(), "{}: {id}: {r}", shape.name());
        }
        assert_eq!(code, 0, "{}: {r}", shape.name());
        assert_eq!(r["access"]["cron_requests"], 6, "{}", shape.name());
    }
}

#[test]
fn each_case_is_found_in_every_shape() {
    let d = Dir::new();
    for shape in Export::all() {
        let p = export(&d, shape, cases());
        let (code, r) = check_json(&[&p], None);
        let name = shape.name();
        assert_eq!(code, 1, "{name}: {r}");
        let failing = finding(&r, "cron-failing").unwrap_or_else(|| panic!("{name}: {r}"));
        // CLI 35–50.11 output has no request id: each line is a request.
        let lines = if shape == Export::CliLegacyJson { 2 } else { 1 };
        assert_eq!(failing["count"], lines, "{name}");
        assert_eq!(failing["severity"], "high");
        let route = &failing["access"]["routes"][0];
        assert_eq!(route["route"], "/api/cron/followups", "{name}");
        assert_eq!(route["statuses"][0]["value"], "504", "{name}");
        assert_eq!(
            route["signatures"][0]["value"], "vercel-function-timeout",
            "{name}: {route}"
        );
        let rejected = finding(&r, "webhook-rejected").unwrap_or_else(|| panic!("{name}: {r}"));
        assert_eq!(rejected["count"], 6, "{name}");
        // The route pattern where the export has one, else the path.
        let route = rejected["routes"][0]["value"].as_str().unwrap();
        assert!(
            route.starts_with("/api/webhooks/calendly/"),
            "{name}: {route}"
        );
        assert_eq!(rejected["access"]["routes"][0]["answered"], 7, "{name}");
        let unverified =
            finding(&r, "webhook-unverified-success").unwrap_or_else(|| panic!("{name}: {r}"));
        assert_eq!(unverified["count"], 1, "{name}");
        assert_eq!(
            unverified["access"]["routes"][0]["signatures"][0]["value"],
            "webhook-signature-invalid"
        );
        let unauth = finding(&r, "cron-unauthenticated-success");
        let platform = finding(&r, "cron-rejected-platform-call");
        if has_user_agent(shape) {
            let unauth = unauth.unwrap_or_else(|| panic!("{name}: {r}"));
            assert_eq!(unauth["count"], 2, "{name}");
            let uas = unauth["access"]["routes"][0]["user_agents"].to_string();
            assert!(
                uas.contains(CURL) && uas.contains("token=[token]"),
                "{name}: {uas}"
            );
            assert!(!uas.contains("abcdef0123456789"), "{name}: {uas}");
            let platform = platform.unwrap_or_else(|| panic!("{name}: {r}"));
            assert_eq!(platform["count"], 1);
            assert_eq!(
                platform["access"]["routes"][0]["user_agents"][0]["value"],
                CRON_UA
            );
            assert_eq!(r["access"]["cron_without_user_agent"], 0, "{name}");
        } else {
            // No user agent in the export: not applicable, never guessed.
            assert!(unauth.is_none() && platform.is_none(), "{name}: {r}");
            let cron = 9 + lines;
            assert_eq!(r["access"]["cron_without_user_agent"], cron, "{name}: {r}");
            assert_eq!(r["access"]["cron_requests"], cron, "{name}: {r}");
            assert_eq!(
                failing["access"]["routes"][0]["user_agents"], "not applicable",
                "{name}"
            );
        }
        let ips = &failing["access"]["routes"][0]["client_ips"];
        if matches!(shape, Export::DrainNdjson | Export::DrainBatches) {
            assert_eq!(ips[0]["value"], "[ip]", "{name}");
        } else {
            assert_eq!(ips, "not applicable", "{name}");
        }
    }
}

#[test]
fn every_output_format_shows_routes_agents_and_redacted_addresses() {
    let d = Dir::new();
    let p = export(&d, Export::DrainNdjson, cases());
    let raw = std::fs::read_to_string(&p).unwrap();
    let ip = raw
        .split("\"clientIp\":\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    for format in ["table", "markdown", "github", "junit", "json"] {
        let out = logs()
            .args(["check", &p, "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = String::from_utf8_lossy(&out.stdout);
        for id in ACCESS {
            assert!(text.contains(id), "{format}: {id}\n{text}");
        }
        assert!(text.contains(CURL), "{format}");
        assert!(!text.contains(&ip), "{format}: a client address leaked");
        assert!(
            !text.contains("abcdef0123456789"),
            "{format}: a token leaked"
        );
        if format != "json" {
            assert!(text.contains("/api/cron/followups: "), "{format}\n{text}");
            assert!(text.contains("user agents: "), "{format}");
        }
    }
    let junit = logs()
        .args(["check", &p, "--format", "junit"])
        .output()
        .unwrap();
    let xml = String::from_utf8_lossy(&junit.stdout);
    let doc = roxmltree::Document::parse(&xml).expect("JUnit XML parses");
    for id in ACCESS {
        let case = doc
            .descendants()
            .find(|n| {
                n.has_tag_name("testcase") && n.attribute("name").is_some_and(|a| a.contains(id))
            })
            .unwrap_or_else(|| panic!("no test case {id}"));
        assert!(case.children().any(|c| c.has_tag_name("failure")), "{id}");
    }
}

#[test]
fn shapes_without_user_agent_say_not_applicable() {
    let d = Dir::new();
    let p = export(&d, Export::CliJson, cases());
    let out = logs().args(["check", &p]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("not applicable to 10 of 10 cron request(s): the export (cli) does not carry the user agent"),
        "{text}"
    );
    let md = logs()
        .args(["check", &p, "--format", "markdown"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&md.stdout).contains("not applicable"));
}

#[test]
fn ignore_suppress_fail_on_and_config_paths_apply() {
    let d = Dir::new();
    let p = export(&d, Export::DashboardJson, cases());
    let (_, r) = check_json(&[&p, "--ignore", "cron-failing"], None);
    assert!(finding(&r, "cron-failing").is_none());
    assert!(!r["access"]["checks"].to_string().contains("cron-failing"));
    // Only the medium one and lower: high findings still fail at high.
    // The access findings are high and medium, as is every catalog hit here.
    let (code, r) = check_json(&[&p, "--fail-on", "critical"], None);
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        finding(&r, "cron-unauthenticated-success").unwrap()["fails"],
        false
    );
    d.file(
        "logs.toml",
        r#"
[cron]
paths = ["/api/jobs/**"]

[webhooks]
paths = ["/api/webhooks/**"]
min_rejections = 50

[[suppress]]
signature = "webhook-unverified-success"
fingerprint = "/api/webhooks/github"
until = 2099-12-31
reason = "GitHub secret rotation, tracked in #7"
"#,
    );
    let out = logs()
        .current_dir(d.path())
        .args(["check", &p, "--format", "json"])
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["access"]["cron_requests"], 0, "{r}");
    assert!(finding(&r, "cron-failing").is_none());
    assert!(
        finding(&r, "webhook-rejected").is_none(),
        "below min_rejections"
    );
    let s = finding(&r, "webhook-unverified-success").unwrap();
    assert_eq!(s["suppressed"], 1);
    assert_eq!(s["fails"], false);
    d.file("logs.toml", "[cron]\npaths = [\"/api/[cron\"]\n");
    let out = logs()
        .current_dir(d.path())
        .args(["check", &p])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("logs.toml") && err.contains("[cron] paths") && err.contains("/api/[cron"),
        "{err}"
    );
}

#[test]
fn audit_has_a_cron_and_webhook_section() {
    let d = Dir::new();
    let p = export(&d, Export::DrainNdjson, cases());
    let out = logs().args(["audit", &p]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Cron and webhook auth"), "{text}");
    for id in ACCESS {
        assert!(text.contains(id), "{id}\n{text}");
    }
    let md = logs()
        .args(["audit", &p, "--format", "markdown"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&md.stdout).contains("### Cron and webhook auth"));
    let json = logs()
        .args(["audit", &p, "--format", "json"])
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        r["access"]["checks"].as_array().unwrap().len(),
        5,
        "{}",
        r["access"]
    );
    let clean_p = export(&d, Export::DashboardCsv, clean());
    let out = logs().args(["audit", &clean_p]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("every check passed"));
}

#[test]
fn audit_html_has_the_section_escaped_and_redacted() {
    let d = Dir::new();
    let mut events = cases();
    // A hostile caller served by a cron path: its agent reaches the page.
    events.push(get(
        34,
        "/api/cron/sync",
        200,
        "<img src=x onerror=alert(1)>&\"'",
    ));
    let p = export(&d, Export::DrainNdjson, events);
    let raw = std::fs::read_to_string(&p).unwrap();
    let ip = raw
        .split("\"clientIp\":\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let out = logs()
        .args(["audit", &p, "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8_lossy(&out.stdout);
    let (_, section) = page
        .split_once("<h2>Cron and webhook auth</h2>")
        .unwrap_or_else(|| panic!("no section\n{page}"));
    for id in ACCESS {
        assert!(section.contains(id), "{id}\n{section}");
    }
    assert!(section.contains("/api/cron/followups: "), "{section}");
    assert!(section.contains("user agents: "), "{section}");
    assert!(section.contains("token=[token]"), "{section}");
    assert!(section.contains("&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;"));
    assert!(!page.contains("<img"), "unescaped agent\n{section}");
    assert!(!page.contains("abcdef0123456789"), "a token leaked");
    assert!(!page.contains(&ip), "a client address leaked");
    assert!(section.contains("[ip]"), "{section}");
    assert!(section.contains("Task timed out") || section.contains("cron-failing"));
    // Without user agents, the page says which checks could not judge.
    let csv = export(&d, Export::CliJson, cases());
    let out = logs()
        .args(["audit", &csv, "--format", "html"])
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(
        page.contains("<b>Note:</b> cron-unauthenticated-success"),
        "{page}"
    );
    let clean_p = export(&d, Export::DrainNdjson, clean());
    let out = logs()
        .args(["audit", &clean_p, "--format", "html"])
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains("<h2>Cron and webhook auth</h2>"));
    assert!(page.contains("Every check passed."), "{page}");
}

#[test]
fn the_check_headline_counts_signatures_and_access_checks_apart() {
    let d = Dir::new();
    let p = export(&d, Export::DrainNdjson, cases());
    let (_, json) = check_json(&[&p], None);
    let failing: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["fails"] == true)
        .collect();
    let access = failing.iter().filter(|f| !f["access"].is_null()).count();
    assert_eq!(access, 5, "{json}");
    let signatures = failing.len() - access;
    assert!(signatures > 0, "{json}");
    let words = format!(
        "{} findings ({signatures} signature{}, 5 access checks)",
        failing.len(),
        if signatures == 1 { "" } else { "s" }
    );
    let table = logs().args(["check", &p]).output().unwrap();
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.starts_with(&format!("FAILED: {words} at or above low in ")),
        "{table}"
    );
    let md = logs()
        .args(["check", &p, "--format", "markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(
        md.contains(&format!("logs check failed: {words} at or above `low`")),
        "{md}"
    );
    let clean_p = export(&d, Export::DrainNdjson, clean());
    let table = logs().args(["check", &clean_p]).output().unwrap();
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.starts_with("PASSED: no finding at or above low"),
        "{table}"
    );
}

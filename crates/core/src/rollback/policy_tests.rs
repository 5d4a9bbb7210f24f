//! Policy file tests: the default file parses and says what the seeds say,
//! user files overlay it key by key, and every mistake is named by rule and
//! key.

use super::*;

fn error(text: &str) -> PolicyError {
    match RollbackPolicy::from_toml_str(text) {
        Ok(policy) => panic!("accepted: {policy:?}"),
        Err(e) => e,
    }
}

#[test]
fn default_policy_encodes_the_seeds() {
    let policy = RollbackPolicy::default();
    assert_eq!(policy.server_action_500s.max_unique_errors, 3);
    assert_eq!(policy.server_action_500s.window_minutes, 10);
    assert_eq!(policy.observation.min_minutes, 30.0);
    assert_eq!(policy.latency.slo_ms, 1500.0);
    assert_eq!(policy.latency.consecutive_windows, 2);
    assert_eq!(
        policy.auth_failures.statuses,
        [StatusPattern::Exact(401), StatusPattern::Exact(403)]
    );
    assert_eq!(
        policy.error_rate.statuses,
        [StatusPattern::Class(5), StatusPattern::Exact(-1)]
    );
    assert_eq!(policy.db_connectivity.signatures, ["prisma-db-unreachable"]);
    assert_eq!(policy.db_connectivity.threshold, 3);
    assert_eq!(policy.new_signatures.min_severity, Severity::High);
}

#[test]
fn empty_file_is_the_default() {
    assert_eq!(
        RollbackPolicy::from_toml_str(""),
        Ok(RollbackPolicy::default())
    );
    assert_eq!(
        RollbackPolicy::from_toml_str(DEFAULT_POLICY_TOML),
        Ok(RollbackPolicy::default())
    );
}

#[test]
fn user_file_overrides_only_its_keys() {
    let text = r#"
        [rules.latency-slo]
        slo_ms = 2000
        routes = [{ prefix = "/api/analytics", slo_ms = 3000 }, { exact = "/", slo_ms = 800.5 }]
        [rules.auth-failure-spike]
        advisory = true
        statuses = [401, "403", "5xx", "crashed"]
    "#;
    let policy = RollbackPolicy::from_toml_str(text).expect("valid");
    let default = RollbackPolicy::default();
    assert_eq!(policy.latency.slo_ms, 2000.0);
    assert_eq!(policy.latency.min_samples, default.latency.min_samples);
    assert_eq!(policy.latency.routes[0].matching, RouteMatch::Prefix);
    assert_eq!(policy.latency.routes[1].slo_ms, 800.5);
    assert!(policy.auth_failures.options.advisory);
    assert_eq!(policy.auth_failures.statuses.len(), 4);
    assert_eq!(policy.server_action_500s, default.server_action_500s);
}

#[test]
fn unknown_rule_is_named() {
    let e = error("[rules.latency]\nslo_ms = 2000\n");
    assert!(
        matches!(&e, PolicyError::UnknownRule { rule, .. } if rule == "latency"),
        "{e:?}"
    );
    assert!(e.to_string().contains("`latency`") && e.to_string().contains("latency-slo"));
}

#[test]
fn unknown_key_names_rule_and_key() {
    let e = error("[rules.latency-slo]\nslo = 2000\n");
    assert!(
        matches!(&e, PolicyError::UnknownKey { rule, key, .. } if rule == "latency-slo" && key == "slo"),
        "{e:?}"
    );
    let message = e.to_string();
    assert!(
        message.contains("rule `latency-slo`") && message.contains("key `slo`"),
        "{message}"
    );
    assert!(
        message.contains("slo_ms"),
        "lists the known keys: {message}"
    );
}

#[test]
fn bad_values_name_rule_and_key() {
    let cases = [
        (
            "[rules.error-rate-vs-baseline]\nalpha = 2",
            "error-rate-vs-baseline",
            "alpha",
        ),
        (
            "[rules.observation]\nenabled = \"yes\"",
            "observation",
            "enabled",
        ),
        (
            "[rules.db-connectivity]\nseverity = \"urgent\"",
            "db-connectivity",
            "severity",
        ),
        (
            "[rules.db-connectivity]\nthreshold = -1",
            "db-connectivity",
            "threshold",
        ),
        (
            "[rules.server-action-500s]\nstatuses = [\"5xy\"]",
            "server-action-500s",
            "statuses",
        ),
        (
            "[rules.server-action-500s]\nmethods = \"POST\"",
            "server-action-500s",
            "methods",
        ),
        (
            "[rules.new-critical-signatures]\nmin_severity = \"huge\"",
            "new-critical-signatures",
            "min_severity",
        ),
        (
            "[rules.latency-slo]\nwindow_minutes = 0",
            "latency-slo",
            "window_minutes",
        ),
        (
            "[rules.latency-slo]\nroutes = [{ prefix = \"/a\" }]",
            "latency-slo",
            "routes[0].slo_ms",
        ),
        (
            "[rules.latency-slo]\nroutes = [{ slo_ms = 5 }]",
            "latency-slo",
            "routes[0].prefix",
        ),
        (
            "[rules.auth-failure-spike]\nstatuses = []\nsignatures = []",
            "auth-failure-spike",
            "statuses",
        ),
    ];
    for (text, rule, key) in cases {
        match error(text) {
            PolicyError::InvalidValue {
                rule: r, key: k, ..
            } => assert_eq!((r.as_str(), k.as_str()), (rule, key), "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn unknown_route_key_is_named_with_its_index() {
    let e = error("[rules.latency-slo]\nroutes = [{ prefix = \"/a\", slo = 3 }]");
    assert!(
        matches!(&e, PolicyError::UnknownKey { key, .. } if key == "routes[0].slo"),
        "{e:?}"
    );
}

#[test]
fn structural_mistakes_are_named() {
    assert!(matches!(error("slo_ms = 3"), PolicyError::UnknownSection { key } if key == "slo_ms"));
    assert!(
        matches!(error("[rules]\nlatency-slo = 5"), PolicyError::NotATable { rule } if rule == "latency-slo")
    );
    assert!(matches!(
        error("[rules.latency-slo\n"),
        PolicyError::Syntax(_)
    ));
}

#[test]
fn disabled_rule_never_decides() {
    let policy =
        RollbackPolicy::from_toml_str("[rules.observation]\nenabled = false").expect("valid");
    let input = RollbackInput {
        canary: "dpl_x".into(),
        ..RollbackInput::default()
    };
    let report = evaluate(&input, &policy);
    let rule = report
        .rules
        .iter()
        .find(|r| r.id == "observation")
        .expect("listed");
    assert_eq!(rule.verdict, Verdict::NotApplicable);
    assert_eq!(rule.finding, Finding::Disabled);
}

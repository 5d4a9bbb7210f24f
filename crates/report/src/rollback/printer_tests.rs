//! Printer and JSON-contract tests: the decision comes first, the rollback
//! case carries the runbook and offenders, and the JSON keeps its
//! `logs.rollback/v1` shape.

use super::*;
use crate::style::Style;

const PLAIN: Style = Style::PLAIN;
const COLOR: Style = Style {
    color: true,
    width: None,
};

fn width(w: usize) -> Style {
    Style {
        color: false,
        width: Some(w),
    }
}
use logs_core::rollback::testkit::{BASELINE, CANARY, Traffic};
use logs_core::rollback::*;

fn rollback_report() -> RollbackReport {
    let mut t = Traffic::new();
    t.requests(BASELINE, -60.0, 45.0, 5_000, 200.0, (250, 500));
    t.clean(CANARY, 0.0, 12.0, 300);
    for i in 0..5 {
        t.failing(
            CANARY,
            1.0 + i as f64,
            "POST",
            &format!("/leads/[id]/a{i}"),
            500,
            &format!("E35{i}"),
        );
    }
    t.failing(CANARY, 2.0, "POST", "/leads/[id]/a0", 500, "E350");
    evaluate(&t.input(12.0), &RollbackPolicy::default())
}

fn hold_report() -> RollbackReport {
    let mut t = Traffic::new();
    t.clean(BASELINE, -60.0, 6.0, 500)
        .clean(CANARY, 0.0, 6.0, 100);
    evaluate(&t.input(6.0), &RollbackPolicy::default())
}

#[test]
fn table_puts_the_decision_first() {
    let report = rollback_report();
    let text = render_table(&report, PLAIN);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("ROLLBACK NOW — dpl_NEW failed"),
        "{first}"
    );
    for column in [
        "rule",
        "window",
        "canary",
        "baseline",
        "threshold",
        "samples",
        "verdict",
        "reason",
    ] {
        assert!(text.contains(column), "missing column {column}");
    }
    assert!(
        text.contains("1. vercel list --environment production --limit 5"),
        "{text}"
    );
    assert!(text.contains("2. vercel promote dpl_OLD"), "{text}");
    assert!(text.contains("Top offenders on dpl_NEW"), "{text}");
    assert!(text.contains("E350"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when asked for none");
    assert!(render_table(&report, COLOR).contains("\x1b[1;31m"));
}

#[test]
fn hold_table_has_no_runbook() {
    let text = render_table(&hold_report(), PLAIN);
    assert!(
        text.starts_with(
            "HOLD — keep watching dpl_NEW, do not promote yet: too early to promote: 6.0 of 30 min"
        ),
        "{text}"
    );
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| l.contains("also waiting on: server-action-500s")),
        "{text}"
    );
    assert!(!text.contains("vercel promote"));
    assert!(
        text.contains("INCONCLUSIVE") && text.contains("too early to promote"),
        "{text}"
    );
}

#[test]
fn table_fits_the_width_it_is_given() {
    let text = render_table(&rollback_report(), width(120));
    let tables = text
        .lines()
        .filter(|l| l.starts_with(['│', '┌', '└', '╞', '├']));
    for line in tables {
        assert!(
            line.chars().count() <= 120,
            "{} chars: {line}",
            line.chars().count()
        );
    }
}

#[test]
fn offenders_rank_by_count() {
    let report = rollback_report();
    assert_eq!(report.offenders[0].error_key, "E350");
    assert_eq!(report.offenders[0].count, 2);
    assert_eq!(report.offenders[0].route, "/leads/[id]/a0");
}

#[test]
fn markdown_has_heading_table_and_runbook() {
    let report = rollback_report();
    let text = render_markdown(&report);
    assert!(
        text.starts_with("## Canary decision: ROLLBACK\n\n**ROLLBACK NOW — dpl_NEW"),
        "{text}"
    );
    let rules_part = text.split("### Top offenders").next().unwrap_or_default();
    let rows = rules_part.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(rows, report.rules.len());
    assert!(
        text.contains("```sh\nvercel list --environment production --limit 5"),
        "{text}"
    );
    assert!(text.contains("### Top offenders"));
}

#[test]
fn json_keeps_the_v1_contract() {
    let text = render_json(&rollback_report());
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(value["schema"], "logs.rollback/v1");
    assert_eq!(value["decision"], "rollback");
    assert_eq!(value["deployment"], "dpl_NEW");
    assert_eq!(value["baseline"], "dpl_OLD");
    assert_eq!(value["deploy_time"], "2026-01-19T09:00:00.000Z");
    assert_eq!(value["now"], "2026-01-19T09:12:00.000Z");
    let rule = &value["rules"][0];
    for key in [
        "id",
        "title",
        "verdict",
        "window",
        "observed",
        "baseline",
        "threshold",
        "samples",
        "reason",
        "advisory",
    ] {
        assert!(rule.get(key).is_some(), "rule lacks {key}: {rule}");
    }
    assert_eq!(rule["id"], "server-action-500s");
    assert_eq!(rule["verdict"], "fail");
    assert_eq!(rule["observed"], 5.0);
    assert!(value["runbook"].as_array().is_some_and(|r| r.len() == 3));
    assert!(value["offenders"][0].get("sample").is_some());
    let hold = serde_json::to_value(hold_report()).expect("serialisable");
    assert_eq!(hold["decision"], "hold");
    assert_eq!(hold["rules"][7]["verdict"], "inconclusive");
}

#[test]
#[ignore = "prints samples for eyeballing"]
fn show() {
    println!("{}", render_table(&rollback_report(), PLAIN));
    println!("{}", render_table(&hold_report(), width(120)));
    println!("{}", render_table(&hold_report(), width(160)));
    println!("{}", render_markdown(&rollback_report()));
    println!(
        "{}",
        serde_json::to_string_pretty(&rollback_report()).unwrap_or_default()
    );
}

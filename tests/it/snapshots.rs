//! Output for people, pinned with `insta` snapshots on the bundled samples
//! (run `INSTA_UPDATE=always cargo test --test snapshots` after a deliberate
//! change and review the diff).

use crate::common::logs;

fn stdout(args: &[&str]) -> String {
    let out = logs().args(args).output().expect("run logs");
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[test]
fn check_table() {
    insta::assert_snapshot!(stdout(&["check", "samples/drain.ndjson"]));
}

#[test]
fn check_markdown() {
    insta::assert_snapshot!(stdout(&[
        "check",
        "samples/dashboard.csv",
        "--format",
        "markdown"
    ]));
}

#[test]
fn check_github_annotations() {
    insta::assert_snapshot!(stdout(&[
        "check",
        "samples/cli.ndjson",
        "--format",
        "github"
    ]));
}

#[test]
fn rollback_table() {
    insta::assert_snapshot!(stdout(&[
        "rollback",
        "samples/canary-rollback.ndjson",
        "--deployment",
        "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L",
    ]));
}

#[test]
fn rollback_markdown() {
    insta::assert_snapshot!(stdout(&[
        "rollback",
        "samples/canary-proceed.json",
        "--deployment",
        "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L",
        "--format",
        "markdown",
    ]));
}

#[test]
fn signatures_list() {
    insta::assert_snapshot!(stdout(&["signatures", "list"]));
}

//! `logs.toml` through the real binary: found from the current directory
//! upward, `--config FILE`, `--no-config`; unknown keys and wrong names are
//! errors naming the file, the line and the key; catalogs, `fail_on`,
//! `ignore`, per-command defaults and the rollback policy (a file or
//! inline) apply, and flags override them. Suppressions (signature,
//! optional fingerprint, `until`, `reason`) and `--baseline-findings`
//! accept findings on purpose without turning the gate off.

use std::path::{Path, PathBuf};

use crate::common::{Dir, logs};
use serde_json::Value;

const CANARY: &str = "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L";
const FORMATS: [&str; 5] = ["table", "json", "markdown", "github", "junit"];

fn sample(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
        .display()
        .to_string()
}

/// Runs `logs ARGS` in `dir`: (exit code, stdout, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = logs()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run logs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(stdout: &str, stderr: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"))
}

/// Ids of the findings that fail the check.
fn failing(r: &Value) -> Vec<String> {
    r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["fails"] == true)
        .map(|f| f["signature"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn finding<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["signature"] == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

#[test]
fn found_from_the_current_directory_upward_and_flags_override_it() {
    let d = Dir::new();
    d.file(
        "logs.toml",
        "[check]\nfail_on = \"critical\"\nformat = \"json\"\nignore = [\"node-process-crash\"]\n",
    );
    let deep = d.path().join("apps/web/src");
    std::fs::create_dir_all(&deep).expect("mkdir");
    let s = sample("drain.ndjson");
    let (code, stdout, stderr) = run_in(&deep, &["check", &s]);
    assert_eq!(code, 1, "{stderr}");
    let r = json(&stdout, &stderr);
    assert_eq!(r["fail_on"], "critical");
    assert_eq!(
        failing(&r),
        [
            "next-invalid-use-server-export",
            "prisma-db-unreachable",
            "node-heap-out-of-memory"
        ]
    );
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["signature"] != "node-process-crash")
    );
    // Flags override the file; --ignore adds to its ignores.
    let (_, stdout, stderr) = run_in(
        &deep,
        &[
            "check",
            &s,
            "--fail-on",
            "high",
            "--ignore",
            "prisma-db-unreachable",
        ],
    );
    let r = json(&stdout, &stderr);
    assert_eq!(r["fail_on"], "high");
    let ids: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["signature"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"node-process-crash") && !ids.contains(&"prisma-db-unreachable"));
    let (_, table, _) = run_in(&deep, &["check", &s, "--format", "table"]);
    assert!(
        table
            .starts_with("FAILED: 3 findings (3 signatures, 0 access checks) at or above critical"),
        "{table}"
    );
    // --no-config: built-in defaults.
    let (_, table, _) = run_in(&deep, &["check", &s, "--no-config"]);
    assert!(
        table.starts_with("FAILED: 14 findings (13 signatures, 1 access check) at or above low"),
        "{table}"
    );
    // --config names another file; the one found upward is not read.
    let other = d.file("ci.toml", "[check]\nfail_on = \"medium\"\n");
    let (_, table, _) = run_in(&deep, &["check", &s, "--config", other.to_str().unwrap()]);
    assert!(
        table.starts_with("FAILED: 11 findings (10 signatures, 1 access check) at or above medium"),
        "{table}"
    );
    let (code, _, stderr) = run_in(&deep, &["check", &s, "--config", "nope.toml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("nope.toml: cannot read: No such file")
            && stderr.matches("No such file").count() == 1,
        "said once: {stderr}"
    );
    let (code, _, _) = run_in(&deep, &["check", &s, "--config", "x.toml", "--no-config"]);
    assert_eq!(code, 2, "--config and --no-config conflict");
}

#[test]
fn unknown_keys_and_wrong_names_are_errors_naming_file_line_and_key() {
    let d = Dir::new();
    let s = sample("drain.ndjson");
    let cases = [
        (
            "[check]\nfail_on = \"low\"\n\n[chek]\nx = 1\n",
            "line 4",
            "chek",
        ),
        ("[check]\nfailon = \"low\"\n", "line 2", "failon"),
        ("signaturez = []\n", "line 1", "signaturez"),
        ("[rollback]\npolicyy = \"p.toml\"\n", "line 2", "policyy"),
        (
            "[[suppress]]\nsignature = \"abort-error\"\nuntil = 2099-01-01\nreason = \"r\"\nexpires = 1\n",
            "line 5",
            "expires",
        ),
        ("[check]\n# a comment\nfail_on = \"hgh\"\n", "line 3", "hgh"),
        ("[check]\nformat = \"html\"\n", "line 2", "html"),
        ("[audit]\nperiod = \"month\"\n", "line 2", "month"),
        ("[templates]\nformat = \"markdown\"\n", "line 2", "markdown"),
    ];
    for (i, (text, line, key)) in cases.iter().enumerate() {
        let name = format!("bad-{i}.toml");
        let path = d.file(&name, text);
        let (code, stdout, stderr) =
            run_in(d.path(), &["check", &s, "--config", path.to_str().unwrap()]);
        assert_eq!(code, 2, "{text}");
        assert!(stdout.is_empty(), "{text}: {stdout}");
        for want in [name.as_str(), line, key, "--no-config"] {
            assert!(
                stderr.contains(want),
                "{text}: stderr lacks {want}: {stderr}"
            );
        }
    }
    // Found upward, the file is named too.
    d.file("logs.toml", "[check]\nfail_onn = \"low\"\n");
    let (code, _, stderr) = run_in(d.path(), &["audit", &s]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("logs.toml") && stderr.contains("fail_onn"),
        "{stderr}"
    );
}

#[test]
fn catalogs_and_per_command_defaults_come_from_the_file() {
    let d = Dir::new();
    std::fs::create_dir_all(d.path().join("team/sigs")).expect("mkdir");
    d.file(
        "team/sigs/cron.toml",
        r#"[[signature]]
id = "team-cron-started"
title = "A cron run started"
severity = "high"
anchors = ["[Cron] sync-emailbison started"]
meaning = "A cron started."
action = "Nothing."
matches = ["[Cron] sync-emailbison started"]
rejects = ["[Cron] sync-sms started"]
"#,
    );
    d.file(
        "team/logs.toml",
        r#"signatures = ["sigs/"]

[check]
fail_on = "high"
environment = "production"

[audit]
period = "day"
format = "json"

[templates]
format = "json"

[rollback]
format = "json"
interval = 0
"#,
    );
    let team = d.path().join("team");
    let s = sample("drain.ndjson");
    let (code, stdout, stderr) = run_in(&team, &["check", &s, "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let r = json(&stdout, &stderr);
    assert_eq!(finding(&r, "team-cron-started")["fails"], true);
    assert_eq!(
        r["filters"]["environment"], "production",
        "[check] environment"
    );
    let (_, stdout, _) = run_in(&team, &["signatures", "list"]);
    assert!(stdout.contains("team-cron-started"), "{stdout}");
    // [audit] and [templates] formats and the period; flags override.
    let (code, stdout, stderr) = run_in(&team, &["audit", &s]);
    assert_eq!(code, 0, "{stderr}");
    let r = json(&stdout, &stderr);
    assert_eq!(
        (r["schema"].as_str(), r["period"].as_str()),
        (Some("logs.audit/v1"), Some("day"))
    );
    let (_, stdout, _) = run_in(
        &team,
        &["audit", &s, "--period", "week", "--format", "markdown"],
    );
    assert!(stdout.contains("2026-W04"), "{stdout}");
    let (_, stdout, stderr) = run_in(&team, &["templates", &s]);
    assert_eq!(json(&stdout, &stderr)["schema"], "logs.templates/v1");
    // [rollback] interval is read (0 is out of range), and a flag overrides it.
    let canary = sample("canary-rollback.ndjson");
    let (code, _, stderr) = run_in(&team, &["rollback", &canary, "--deployment", CANARY]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--interval 0"), "{stderr}");
    let (code, stdout, stderr) = run_in(
        &team,
        &[
            "rollback",
            &canary,
            "--deployment",
            CANARY,
            "--interval",
            "5",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        json(&stdout, &stderr)["schema"],
        "logs.rollback/v1",
        "[rollback] format"
    );
}

fn server_action_rule(r: &Value) -> (String, String) {
    let rule = r["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["id"] == "server-action-500s")
        .expect("server-action-500s");
    (
        rule["verdict"].as_str().unwrap_or_default().to_string(),
        rule["threshold"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn the_rollback_policy_from_a_file_or_inline_and_the_flag_over_both() {
    let d = Dir::new();
    let canary = sample("canary-rollback.ndjson");
    let rollback = |config: &Path, extra: &[&str]| {
        let mut args = vec![
            "rollback",
            canary.as_str(),
            "--deployment",
            CANARY,
            "--format",
            "json",
        ];
        args.extend(["--config", config.to_str().unwrap()]);
        args.extend(extra);
        run_in(d.path(), &args)
    };
    std::fs::create_dir_all(d.path().join("ops")).expect("mkdir");
    d.file(
        "ops/policy.toml",
        "[rules.server-action-500s]\nmax_unique_errors = 10\n",
    );
    let by_file = d.file("by-file.toml", "[rollback]\npolicy = \"ops/policy.toml\"\n");
    let inline = d.file(
        "inline.toml",
        "[rollback.rules.server-action-500s]\nmax_unique_errors = 10\nwindow_minutes = 5\n",
    );
    let (_, stdout, stderr) = rollback(&by_file, &[]);
    assert_eq!(
        server_action_rule(&json(&stdout, &stderr)),
        ("pass".into(), "> 10 unique in 10 min".into())
    );
    let (_, stdout, stderr) = rollback(&inline, &[]);
    let r = json(&stdout, &stderr);
    assert_eq!(
        server_action_rule(&r),
        ("pass".into(), "> 10 unique in 5 min".into())
    );
    // Still a rollback (a new critical signature); the runbook cites the
    // threshold in force, not the built-in one.
    assert_eq!(r["decision"], "rollback");
    assert_eq!(
        r["runbook_threshold"],
        "roll back if more than 10 unique Server Action 500s in the first 5 minutes after a deploy"
    );
    let (_, table, _) = run_in(
        d.path(),
        &[
            "rollback",
            &canary,
            "--deployment",
            CANARY,
            "--config",
            inline.to_str().unwrap(),
        ],
    );
    assert!(
        table.contains("more than 10 unique Server Action 500s in the first 5 minutes"),
        "{table}"
    );
    assert!(!table.contains("more than 3 unique"), "{table}");
    // --policy replaces the file's overlay.
    let flag = d.file(
        "flag.toml",
        "[rules.server-action-500s]\nmax_unique_errors = 4\n",
    );
    let (_, stdout, stderr) = rollback(&inline, &["--policy", flag.to_str().unwrap()]);
    assert_eq!(
        server_action_rule(&json(&stdout, &stderr)),
        ("fail".into(), "> 4 unique in 10 min".into())
    );
    // --print-policy shows the overlay in force.
    let (code, stdout, _) = run_in(
        d.path(),
        &[
            "rollback",
            "--print-policy",
            "--config",
            inline.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.contains("[rules.server-action-500s]") && stdout.contains("window_minutes = 5"),
        "{stdout}"
    );
    // Both forms at once, a missing file, an unknown rule key: errors.
    let both = d.file(
        "both.toml",
        "[rollback]\npolicy = \"ops/policy.toml\"\n[rollback.rules.observation]\nmin_minutes = 5\n",
    );
    let missing = d.file("missing.toml", "[rollback]\npolicy = \"ops/nope.toml\"\n");
    let unknown = d.file(
        "unknown.toml",
        "[rollback.rules.server-action-500s]\nmax_unique = 10\n",
    );
    for (config, want) in [
        (&both, "not both"),
        (&missing, "nope.toml"),
        (&unknown, "max_unique"),
    ] {
        let (code, stdout, stderr) = rollback(config, &[]);
        assert_eq!(code, 2, "{config:?}: {stdout}");
        assert!(stderr.contains(want), "{config:?}: {stderr}");
    }
}

/// Two P2002 fingerprints and a timeout, as drain records.
fn prisma_export(d: &Dir, extra_email: bool) -> String {
    let p2002 = |model: &str, field: &str| {
        format!(
            "PrismaClientKnownRequestError: \nInvalid `prisma.{model}.create()` invocation:\n\nUnique constraint failed on the fields: (`{field}`)"
        )
    };
    let mut lines = vec![
        crate::common::drain(1, &p2002("backgroundJob", "dedupeKey"), ""),
        crate::common::drain(2, &p2002("backgroundJob", "dedupeKey"), ""),
        crate::common::drain(
            3,
            "Vercel Runtime Timeout Error: Task timed out after 300 seconds",
            "",
        ),
    ];
    if extra_email {
        lines.push(crate::common::drain(4, &p2002("user", "email"), ""));
    }
    let name = if extra_email {
        "next.ndjson"
    } else {
        "prev.ndjson"
    };
    d.file(name, lines.join("\n") + "\n").display().to_string()
}

const DEDUPE: &str = "Unique constraint failed on the fields: (<*>) [fields=`dedupeKey`]";

#[test]
fn suppressions_are_shown_marked_and_expire() {
    let d = Dir::new();
    let export = prisma_export(&d, true);
    let config = d.file(
        "logs.toml",
        format!(
            r#"[[suppress]]
signature = "vercel-function-timeout"
until = 2099-12-31
reason = "cron moves to a queue, #41"

[[suppress]]
signature = "prisma-unique-constraint"
fingerprint = "{DEDUPE}"
until = "2099-06-30"
reason = "dedupe race, #123"

[[suppress]]
signature = "node-process-crash"
until = 2020-01-01
reason = "old crash"
"#
        ),
    );
    let config = config.to_str().unwrap();
    let (code, stdout, stderr) = run_in(d.path(), &["check", &export, "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let r = json(&stdout, &stderr);
    // The timeout is accepted whole; one of the two P2002 fingerprints is,
    // so P2002 still fails on the other.
    let timeout = finding(&r, "vercel-function-timeout");
    assert_eq!(
        (timeout["suppressed"].as_u64(), timeout["fails"].as_bool()),
        (Some(1), Some(false))
    );
    assert_eq!(
        timeout["suppressions"][0]["reason"],
        "cron moves to a queue, #41"
    );
    let p2002 = finding(&r, "prisma-unique-constraint");
    assert_eq!(
        (p2002["count"].as_u64(), p2002["suppressed"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(p2002["fails"], true);
    assert_eq!(
        r["expired_suppressions"][0]["signature"],
        "node-process-crash"
    );
    // Every format shows the suppressed finding, marked, and the expired
    // suppression.
    let (_, table, _) = run_in(d.path(), &["check", &export]);
    assert!(table.contains("high (suppressed)"), "{table}");
    assert!(table.contains("(2 of 3 suppressed)"), "{table}");
    assert!(
        table.contains("suppressed until 2099-12-31: cron moves to a queue, #41"),
        "{table}"
    );
    for format in FORMATS {
        let (_, out, _) = run_in(d.path(), &["check", &export, "--format", format]);
        assert!(out.contains("vercel-function-timeout"), "{format}: {out}");
        assert!(
            out.contains("node-process-crash") && out.contains("2020-01-01"),
            "{format}: expired: {out}"
        );
        assert!(out.to_lowercase().contains("expired"), "{format}: {out}");
    }
    // Drop the unsuppressed P2002 fingerprint: the gate passes, and says
    // what it accepted.
    let prev = prisma_export(&d, false);
    let (code, table, _) = run_in(d.path(), &["check", &prev, "--config", config]);
    assert_eq!(code, 0, "{table}");
    assert!(
        table.starts_with("PASSED") && table.contains("2 accepted (suppressed)"),
        "{table}"
    );
    let (_, md, _) = run_in(
        d.path(),
        &["check", &prev, "--config", config, "--format", "markdown"],
    );
    assert!(
        md.contains("✅") && md.contains("2 accepted (suppressed)"),
        "{md}"
    );
    let (_, github, _) = run_in(
        d.path(),
        &["check", &prev, "--config", config, "--format", "github"],
    );
    assert!(!github.contains("::error"), "{github}");
    assert!(
        github.contains("::notice") && github.contains("suppressed"),
        "{github}"
    );
    let (_, junit, _) = run_in(
        d.path(),
        &["check", &prev, "--config", config, "--format", "junit"],
    );
    assert!(
        junit.contains("failures=\"0\"") && junit.contains("accepted suppressed"),
        "{junit}"
    );
}

#[test]
fn a_suppression_must_name_a_catalog_signature_with_a_reason_and_a_date() {
    let d = Dir::new();
    let s = sample("drain.ndjson");
    let cases = [
        (
            "[[suppress]]\nsignature = \"prisma-uniq\"\nuntil = 2099-01-01\nreason = \"x\"\n",
            "prisma-uniq",
        ),
        (
            "[[suppress]]\nsignature = \"abort-error\"\nuntil = 2099-01-01\n",
            "reason",
        ),
        (
            "[[suppress]]\nsignature = \"abort-error\"\nuntil = 2099-01-01\nreason = \"  \"\n",
            "reason",
        ),
        (
            "[[suppress]]\nsignature = \"abort-error\"\nreason = \"x\"\n",
            "until",
        ),
        (
            "[[suppress]]\nsignature = \"abort-error\"\nuntil = \"soon\"\nreason = \"x\"\n",
            "until",
        ),
        (
            "[[suppress]]\nsignature = \"abort-error\"\nuntil = 2099-02-30\nreason = \"x\"\n",
            "2099-02-30",
        ),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let path = d.file(&format!("s{i}.toml"), text);
        for command in ["check", "audit"] {
            let (code, stdout, stderr) =
                run_in(d.path(), &[command, &s, "--config", path.to_str().unwrap()]);
            assert_eq!(code, 2, "{command} {text}: {stdout}");
            assert!(
                stderr.contains(&format!("s{i}.toml")) && stderr.contains(want),
                "{command} {text}: {stderr}"
            );
        }
    }
}

#[test]
fn baseline_findings_fail_only_on_what_is_new() {
    let d = Dir::new();
    let prev = prisma_export(&d, false);
    let next = prisma_export(&d, true);
    let (code, report, _) = run_in(d.path(), &["check", &prev, "--format", "json"]);
    assert_eq!(code, 1);
    let baseline = d.file("previous.json", &report);
    let baseline = baseline.to_str().unwrap();
    // The same findings: all in the baseline, a pass that says so.
    let (code, table, _) = run_in(d.path(), &["check", &prev, "--baseline-findings", baseline]);
    assert_eq!(code, 0, "{table}");
    assert!(
        table.contains("2 accepted (in the baseline)") && table.contains("(in baseline)"),
        "{table}"
    );
    // A new fingerprint of a known signature fails, and only that finding.
    let (code, stdout, stderr) = run_in(
        d.path(),
        &[
            "check",
            &next,
            "--baseline-findings",
            baseline,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let r = json(&stdout, &stderr);
    assert_eq!(failing(&r), ["prisma-unique-constraint"]);
    assert_eq!(finding(&r, "prisma-unique-constraint")["new"], true);
    assert_eq!(finding(&r, "vercel-function-timeout")["new"], false);
    assert_eq!(r["baseline"], baseline);
    // A new signature fails: a baseline without the timeout.
    let (_, report, _) = run_in(
        d.path(),
        &[
            "check",
            &prev,
            "--ignore",
            "vercel-function-timeout",
            "--format",
            "json",
        ],
    );
    let older = d.file("older.json", &report);
    let (code, stdout, stderr) = run_in(
        d.path(),
        &[
            "check",
            &prev,
            "--baseline-findings",
            older.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        failing(&json(&stdout, &stderr)),
        ["vercel-function-timeout"]
    );
    // Not a check report: an error that says what it is.
    let (_, rollback, _) = run_in(
        d.path(),
        &[
            "rollback",
            &sample("canary-rollback.ndjson"),
            "--deployment",
            CANARY,
            "--format",
            "json",
        ],
    );
    let (_, listing, _) = run_in(d.path(), &["signatures", "list", "--format", "json"]);
    for (name, text, want) in [
        ("rollback.json", rollback.as_str(), "logs.rollback/v1"),
        ("signatures.json", listing.as_str(), "logs.signatures/v1"),
        (
            "broken.json",
            "{\"schema\":",
            "not a logs check JSON report",
        ),
        (
            "no-findings.json",
            "{\"schema\":\"logs.check/v1\"}",
            "findings",
        ),
    ] {
        let path = d.file(name, text);
        let (code, stdout, stderr) = run_in(
            d.path(),
            &[
                "check",
                &prev,
                "--baseline-findings",
                path.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 2, "{name}: {stdout}");
        assert!(
            stderr.contains(name) && stderr.contains(want),
            "{name}: {stderr}"
        );
    }
    let (code, _, stderr) = run_in(
        d.path(),
        &["check", &prev, "--baseline-findings", "nope.json"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("nope.json"), "{stderr}");
}

/// The README's `logs.toml` example, as written, is a valid config.
#[test]
fn the_readme_config_example_loads_as_written() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("README.md");
    let start = readme
        .find("```toml\nsignatures = [")
        .expect("README has a logs.toml example");
    let body = &readme[start + "```toml\n".len()..];
    let body = &body[..body.find("```").expect("closing fence")];
    let d = Dir::new();
    d.file("logs.toml", body);
    std::fs::create_dir_all(d.path().join("team-signatures")).expect("mkdir");
    d.file(
        "team-signatures/team.toml",
        r#"[[signature]]
id = "team-ai-retry"
title = "AI retry"
severity = "low"
anchors = ["incomplete JSON from model"]
meaning = "The model's JSON was cut off."
action = "Raise the output limit."
matches = ["[AI] incomplete JSON from model, retrying (attempt 2/3)"]
"#,
    );
    let (code, policy, _) = run_in(d.path(), &["rollback", "--print-policy", "--no-config"]);
    assert_eq!(code, 0);
    d.file("rollback-policy.toml", policy);
    let (code, stdout, stderr) = run_in(
        d.path(),
        &["check", &sample("drain.ndjson"), "--format", "json"],
    );
    assert_eq!(code, 1, "{stderr}");
    let r = json(&stdout, &stderr);
    assert_eq!(r["fail_on"], "medium");
    let p2002 = finding(&r, "prisma-unique-constraint");
    let expired = r["expired_suppressions"].as_array().expect("array");
    assert!(
        p2002["suppressed"] == 1
            || expired
                .iter()
                .any(|s| s["signature"] == "prisma-unique-constraint"),
        "the suppression applies, or is reported expired: {p2002}"
    );
    let (code, _, stderr) = run_in(
        d.path(),
        &[
            "rollback",
            &sample("canary-rollback.ndjson"),
            "--deployment",
            CANARY,
        ],
    );
    assert_eq!(code, 1, "{stderr}");
}

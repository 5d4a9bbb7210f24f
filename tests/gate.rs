//! The gate never passes by mistake, through the real binary: filters that
//! leave no record are an error that says what the input holds, in every
//! output format and on stderr (unless `--allow-empty`); the headline counts
//! the records checked against the records read; an input that cannot be
//! opened never headlines a pass; an unknown rollback baseline is an error
//! like an unknown canary; and `--deployment` takes a URL host (drain
//! `host`, CLI and copied-logs `domain`, dashboard `deploymentDomain`) or a
//! URL from the browser, in `check` and in `rollback`.

mod common;

use std::path::PathBuf;

use common::{Dir, drain, logs};
use logs::generate::{
    Event, Shape, WriteOptions, deployment_host, merge, request, traffic, write_events,
};

const BASELINE: &str = "dpl_8mFwq2XoYb7TcJ3hLk9sNv4RzPd1";
const CANARY: &str = "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L";
const T0: i64 = 1_768_813_200_000;
const MIN: i64 = 60_000;
const FORMATS: [&str; 5] = ["table", "json", "markdown", "github", "junit"];

fn sample(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
        .display()
        .to_string()
}

/// Runs `logs ARGS`: (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = logs().args(args).output().expect("run logs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Whatever the format, a pass reads as one of these.
fn reads_as_pass(stdout: &str) -> bool {
    stdout.contains("PASSED")
        || stdout.contains('✅')
        || stdout.contains("\"verdict\": \"pass\"")
        || stdout.contains("passed")
}

#[test]
fn filters_that_leave_nothing_are_an_error_that_says_what_the_input_holds() {
    let drain_sample = sample("drain.ndjson");
    let host = deployment_host("myapp", BASELINE);
    let filters: [&[&str]; 4] = [
        &["--deployment", "dpl_typo"],
        &["--deployment", "myapp-typo-acme.vercel.app"],
        &["--environment", "staging"],
        &["--since", "2099-01-01"],
    ];
    for filter in filters {
        for format in FORMATS {
            let mut args = vec!["check", drain_sample.as_str(), "--format", format];
            args.extend(filter);
            let (code, stdout, stderr) = run(&args);
            let what = format!("{filter:?} --format {format}");
            assert_eq!(code, 2, "{what}: {stdout}\n{stderr}");
            assert!(!reads_as_pass(&stdout), "{what}: {stdout}");
            for (place, text) in [("stdout", &stdout), ("stderr", &stderr)] {
                for want in [
                    BASELINE,
                    host.as_str(),
                    "production",
                    "2026-01-19T09:00:00.149Z",
                    "2026-01-19T09:05:44.671Z",
                ] {
                    assert!(text.contains(want), "{what}: {place} lacks {want}:\n{text}");
                }
            }
            assert!(
                stderr.contains("no records to check") && stderr.contains("--allow-empty"),
                "{what}: {stderr}"
            );
        }
    }
    let (_, json, _) = run(&[
        "check",
        &drain_sample,
        "--deployment",
        "dpl_typo",
        "--format",
        "json",
    ]);
    let r: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(r["verdict"], "error");
    assert_eq!(
        (r["records"].as_u64(), r["checked"].as_u64()),
        (Some(1032), Some(0))
    );
    assert_eq!(r["inventory"]["deployments"][0]["id"], BASELINE);
    assert_eq!(r["inventory"]["deployments"][0]["hosts"][0], host.as_str());
    assert_eq!(r["inventory"]["environments"][0]["name"], "production");
    assert_eq!(r["filters"]["deployment"], "dpl_typo");
}

#[test]
fn allow_empty_turns_nothing_to_check_into_a_pass() {
    let s = sample("drain.ndjson");
    for format in FORMATS {
        let (code, stdout, stderr) = run(&[
            "check",
            &s,
            "--environment",
            "staging",
            "--allow-empty",
            "--format",
            format,
        ]);
        assert_eq!(code, 0, "{format}: {stdout}\n{stderr}");
        assert!(!stderr.contains("error"), "{format}: {stderr}");
    }
    let (_, table, _) = run(&["check", &s, "--since", "2099-01-01", "--allow-empty"]);
    assert!(
        table.starts_with("PASSED") && table.contains("0 of 1,032 records (since 2099-01-01"),
        "{table}"
    );
}

#[test]
fn the_headline_counts_records_checked_against_records_read() {
    let s = sample("canary-rollback.ndjson");
    let (code, table, _) = run(&["check", &s, "--deployment", CANARY]);
    assert_eq!(code, 1, "{table}");
    let first = table.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("FAILED")
            && first.contains(&format!("178 of 766 records (deployment {CANARY})")),
        "{first}"
    );
    let (_, md, _) = run(&["check", &s, "--deployment", CANARY, "--format", "markdown"]);
    assert!(md.contains("178 of 766 records"), "{md}");
    let (_, junit, _) = run(&["check", &s, "--deployment", CANARY, "--format", "junit"]);
    assert!(junit.contains("178 of 766 records"), "{junit}");
    let (_, json, _) = run(&["check", &s, "--deployment", CANARY, "--format", "json"]);
    let r: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        (r["records"].as_u64(), r["checked"].as_u64()),
        (Some(766), Some(178))
    );
    // Without filters both figures are the same.
    let (_, plain, _) = run(&["check", &s]);
    assert!(
        plain
            .lines()
            .next()
            .unwrap_or_default()
            .contains(" 766 records from"),
        "{plain}"
    );
}

#[test]
fn an_input_that_cannot_be_opened_never_headlines_a_pass() {
    let d = Dir::new();
    let clean = d.file("clean.ndjson", drain(1, "[Cron] sync finished", "") + "\n");
    let clean = clean.to_str().unwrap();
    let missing = d.path().join("missing.ndjson");
    let missing = missing.to_str().unwrap();
    let (code, _, _) = run(&["check", clean]);
    assert_eq!(code, 0, "the clean input alone passes");
    for inputs in [vec![missing], vec![clean, missing], vec![missing, clean]] {
        for format in FORMATS {
            let mut args = vec!["check", "--format", format];
            args.extend(&inputs);
            let (code, stdout, stderr) = run(&args);
            let what = format!("{inputs:?} --format {format}");
            assert_eq!(code, 2, "{what}: {stdout}");
            assert!(!reads_as_pass(&stdout), "{what}: {stdout}");
            assert!(stdout.contains("missing.ndjson"), "{what}: {stdout}");
            assert!(
                stderr.contains("missing.ndjson: cannot open"),
                "{what}: {stderr}"
            );
        }
    }
    let (_, table, _) = run(&["check", clean, missing]);
    assert!(table.starts_with("ERROR"), "{table}");
    let (_, json, _) = run(&["check", clean, missing, "--format", "json"]);
    let r: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        (r["verdict"].as_str(), r["input_errors"].as_bool()),
        (Some("error"), Some(true))
    );
}

#[test]
fn an_unknown_baseline_or_canary_is_an_error_listing_the_deployments() {
    let s = sample("canary-rollback.ndjson");
    let canary_host = deployment_host("myapp", CANARY);
    let baseline_host = deployment_host("myapp", BASELINE);
    for args in [
        vec!["--deployment", CANARY, "--baseline", "dpl_typo"],
        vec!["--deployment", "dpl_typo"],
        vec![
            "--deployment",
            CANARY,
            "--baseline",
            "myapp-typo-acme.vercel.app",
        ],
    ] {
        for format in ["table", "json", "markdown"] {
            let mut all = vec!["rollback", s.as_str(), "--format", format];
            all.extend(&args);
            let (code, stdout, stderr) = run(&all);
            assert_eq!(code, 2, "{args:?}: {stdout}");
            assert!(!stdout.contains("PROCEED"), "{args:?}: {stdout}");
            let flag = if args.len() > 2 {
                "--baseline"
            } else {
                "--deployment"
            };
            assert!(
                stderr.contains(&format!("{flag} "))
                    && stderr.contains("no records of this deployment"),
                "{args:?}: {stderr}"
            );
            for want in [
                CANARY,
                BASELINE,
                canary_host.as_str(),
                baseline_host.as_str(),
            ] {
                assert!(stderr.contains(want), "{args:?}: {stderr} lacks {want}");
            }
        }
    }
}

#[test]
fn follow_mode_resolves_hosts_and_refuses_an_unknown_baseline() {
    let bad = std::fs::read(sample("canary-rollback.ndjson")).expect("sample");
    let good = std::fs::read(sample("canary-proceed.json")).expect("sample");
    let follow = |input: &[u8], args: &[&str]| {
        let out = logs()
            .args([
                "rollback",
                "-",
                "--follow",
                "--interval",
                "0.1",
                "--format",
                "json",
            ])
            .args(args)
            .write_stdin(input.to_vec())
            .output()
            .expect("run logs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // By URL host and by browser URL: the canary is found and rolled back.
    let host = deployment_host("myapp", CANARY);
    let url = format!("https://{host}/inbox?tab=all");
    for name in [host.as_str(), url.as_str()] {
        let (code, stdout, stderr) = follow(&bad, &["--deployment", name]);
        assert_eq!(code, 1, "{name}: {stderr}\n{stdout}");
        assert!(
            stdout.contains(&format!("\"deployment\": \"{CANARY}\"")),
            "{stdout}"
        );
    }
    // A clean canary against a baseline that never shows up: no PROCEED.
    let (code, _, stderr) = follow(&good, &["--deployment", CANARY, "--baseline", "dpl_typo"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--baseline dpl_typo") && stderr.contains(BASELINE),
        "{stderr}"
    );
    let (code, _, _) = follow(&good, &["--deployment", CANARY, "--baseline", BASELINE]);
    assert_eq!(code, 0);
    // A canary that never shows up is an error at the end of stdin.
    let (code, _, stderr) = follow(&bad, &["--deployment", "dpl_typo"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--deployment dpl_typo"), "{stderr}");
}

/// The canary scenario of the bundled samples: a clean baseline, and a
/// canary throwing five distinct Server Action 500s.
fn canary_events() -> Vec<Event> {
    let mut all = traffic(3, BASELINE, T0 - 30 * MIN, 42, 7);
    all.extend(traffic(4, CANARY, T0, 12, 7));
    for i in 0..5 {
        let route = ["/", "/leads/[id]", "/inbox", "/settings", "/campaigns/[id]"][i as usize];
        all.push(
            request(T0 + MIN + i * 90_000, CANARY, "POST", &route.replace("[id]", "42"), route, 500)
                .with_level("error")
                .with_message(format!(
                    "⨯ Error: A \"use server\" file can only export async functions, found object.\n{{ digest: '{}@E352' }}",
                    4_171_760_897u64 + i as u64
                )),
        );
    }
    merge([all])
}

fn write(d: &Dir, shape: &str) -> String {
    let mut out = Vec::new();
    let shape = Shape::from_name(shape).expect("shape");
    write_events(shape, canary_events(), &WriteOptions::default(), &mut out).expect("generate");
    d.file(&format!("canary.{}", shape.name()), out)
        .display()
        .to_string()
}

fn checked(path: &str, deployment: &str) -> (i32, u64, u64) {
    let (code, stdout, stderr) = run(&[
        "check",
        path,
        "--deployment",
        deployment,
        "--format",
        "json",
    ]);
    let r: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (
        code,
        r["checked"].as_u64().unwrap_or(0),
        r["records"].as_u64().unwrap_or(0),
    )
}

#[test]
fn deployment_by_url_host_or_browser_url_in_every_shape() {
    let d = Dir::new();
    let canary_host = deployment_host("myapp", CANARY);
    let baseline_host = deployment_host("myapp", BASELINE);
    // Drain `host`, dashboard `deploymentDomain` (JSON and CSV), copied
    // logs `domain`: each deployment's own *.vercel.app host.
    for shape in [
        "drain-ndjson",
        "drain-batches",
        "dashboard-json",
        "dashboard-csv",
        "dashboard-copy",
    ] {
        let path = write(&d, shape);
        let (code, by_id, records) = checked(&path, CANARY);
        assert_eq!(code, 1, "{shape}");
        assert!(
            by_id > 0 && by_id < records,
            "{shape}: {by_id} of {records}"
        );
        for name in [
            canary_host.clone(),
            canary_host.to_uppercase(),
            format!("https://{canary_host}/leads/42?tab=notes#top"),
            format!("http://{canary_host}"),
        ] {
            assert_eq!(
                checked(&path, &name),
                (1, by_id, records),
                "{shape}: {name}"
            );
        }
        let (code, stdout, stderr) = run(&[
            "rollback",
            &path,
            "--deployment",
            &format!("https://{canary_host}/inbox"),
            "--baseline",
            &baseline_host,
            "--format",
            "json",
        ]);
        assert_eq!(code, 1, "{shape}: {stderr}");
        let r: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
        assert_eq!(r["deployment"], CANARY, "{shape}");
        assert_eq!(r["baseline"], BASELINE, "{shape}");
        assert_eq!(r["decision"], "rollback", "{shape}");
    }
    // `vercel logs --json` carries the public host in `domain`, shared by
    // every deployment: check takes what it served, rollback asks for an id.
    for shape in ["cli-json", "cli-legacy-json"] {
        let path = write(&d, shape);
        let (code, by_host, records) = checked(&path, "app.example.com");
        assert_eq!((code, by_host), (1, records), "{shape}");
        let (code, _, stderr) = run(&[
            "rollback",
            &path,
            "--deployment",
            "https://app.example.com/",
        ]);
        assert_eq!(code, 2, "{shape}");
        assert!(
            stderr.contains("shared by 2 deployments") && stderr.contains(CANARY),
            "{shape}: {stderr}"
        );
        let (code, _, stderr) = run(&["rollback", &path, "--deployment", CANARY]);
        assert_eq!(code, 1, "{shape}: {stderr}");
    }
}

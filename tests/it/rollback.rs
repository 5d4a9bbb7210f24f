//! `logs rollback` on generated canary scenarios, through the real binary.

use std::io::Write;
use std::process::Stdio;

use crate::common::{Dir, logs};
use logs::generate::{Event, Export, WriteOptions, merge, request, traffic, write_events};

const T0: i64 = 1_768_813_200_000; // 2026-01-19T09:00:00Z, the canary's deploy
const MIN: i64 = 60_000;
const NEW: &str = "dpl_NEW";
const OLD: &str = "dpl_OLD";

/// Baseline traffic from 30 minutes before the deploy to `minutes` after.
fn baseline(minutes: u32) -> Vec<Event> {
    traffic(7, OLD, T0 - 30 * MIN, 30 + minutes, 40)
}

/// A Server Action 500 on the canary at `minute` with digest code `code`.
fn action_500(minute: f64, code: &str, route_n: usize) -> Event {
    let t = T0 + (minute * MIN as f64) as i64;
    request(
        t,
        NEW,
        "POST",
        &format!("/leads/{route_n}"),
        "/leads/[id]",
        500,
    )
    .with_level("error")
    .with_message(format!(
        "⨯ Error: An error occurred in the Server Components render.\n{{ digest: '{}@{code}' }}",
        1000 + route_n
    ))
    .with_duration(120)
}

fn write(d: &Dir, name: &str, shape: Export, events: Vec<Event>) -> String {
    let mut buf = Vec::new();
    write_events(shape, merge([events]), &WriteOptions::default(), &mut buf).unwrap();
    d.file(name, buf).to_str().unwrap().to_string()
}

fn run(path: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let out = logs()
        .args(["rollback", path, "--deployment", NEW, "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), json)
}

fn verdict(report: &serde_json::Value, rule: &str) -> String {
    report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == rule)
        .unwrap_or_else(|| panic!("no rule {rule}"))["verdict"]
        .as_str()
        .unwrap()
        .to_string()
}

fn scenario(canary_minutes: u32, per_minute: u32, extra: Vec<Event>) -> Vec<Event> {
    let mut all = baseline(canary_minutes);
    all.extend(traffic(11, NEW, T0, canary_minutes, per_minute));
    all.extend(extra);
    all
}

/// 12 minutes of canary with five distinct Server Action 500s, at
/// minutes 1 to 7.
fn five_action_500s(d: &Dir) -> String {
    let errors = (0..5)
        .map(|i| action_500(1.0 + i as f64 * 1.5, &format!("E35{i}"), i))
        .collect();
    write(d, "x.ndjson", Export::DrainNdjson, scenario(12, 40, errors))
}

#[test]
fn five_distinct_server_action_500s_in_the_first_minutes_roll_back() {
    let d = Dir::new();
    let p = five_action_500s(&d);
    let (code, r) = run(&p, &[]);
    assert_eq!(code, 1);
    assert_eq!(r["schema"], "logs.rollback/v1");
    assert_eq!(r["decision"], "rollback");
    assert_eq!(verdict(&r, "server-action-500s"), "fail");
    assert!(
        r["runbook"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().contains("vercel promote"))
    );
    // The table says it first, in words.
    let out = logs()
        .args(["rollback", &p, "--deployment", NEW])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.trim_start().starts_with("ROLLBACK"), "{text}");
    assert!(text.contains("vercel promote"), "{text}");
}

/// `--now` judges the export as it stood then: what was logged after it
/// is left out, even the canary's first line.
#[test]
fn now_leaves_out_what_was_logged_after_it() {
    let d = Dir::new();
    let p = five_action_500s(&d);
    assert_eq!(run(&p, &[]).1["decision"], "rollback");
    // At 09:03:30 two of the five had happened: within the limit of 3
    // (the new critical signature they carry still rolls back).
    let (_, r) = run(&p, &["--now", "2026-01-19T09:03:30Z"]);
    assert_ne!(verdict(&r, "server-action-500s"), "fail", "{r:#}");
    assert_eq!(verdict(&r, "new-critical-signatures"), "fail", "{r:#}");
    assert!(
        r["now"]
            .as_str()
            .unwrap()
            .starts_with("2026-01-19T09:03:30"),
        "{r:#}"
    );
    // Before the canary's first line there is no canary yet.
    let (code, r) = run(&p, &["--now", "2026-01-19T08:50:00Z"]);
    assert_eq!((code, r["decision"].as_str()), (3, Some("hold")), "{r:#}");
    assert_eq!(verdict(&r, "server-action-500s"), "inconclusive");
    let rule = (r["rules"].as_array().unwrap().iter())
        .find(|r| r["id"] == "server-action-500s")
        .unwrap();
    assert!(
        rule["reason"].as_str().unwrap().contains("up to now"),
        "{rule:#}"
    );
}

#[test]
fn three_distinct_errors_repeated_many_times_do_not_trip_that_rule() {
    let d = Dir::new();
    let mut errors = Vec::new();
    for rep in 0..10 {
        for i in 0..3 {
            errors.push(action_500(
                1.0 + rep as f64 * 0.8 + i as f64 * 0.1,
                &format!("E36{i}"),
                i,
            ));
        }
    }
    let p = write(
        &d,
        "x.ndjson",
        Export::DrainNdjson,
        scenario(12, 40, errors),
    );
    assert_eq!(verdict(&run(&p, &[]).1, "server-action-500s"), "pass");
}

#[test]
fn four_distinct_errors_after_minute_ten_do_not_trip_that_rule() {
    let d = Dir::new();
    let errors = (0..4)
        .map(|i| action_500(11.0 + i as f64, &format!("E37{i}"), i))
        .collect();
    let p = write(
        &d,
        "x.ndjson",
        Export::DrainNdjson,
        scenario(16, 40, errors),
    );
    assert_eq!(verdict(&run(&p, &[]).1, "server-action-500s"), "pass");
}

#[test]
fn six_clean_minutes_hold() {
    let d = Dir::new();
    let p = write(
        &d,
        "x.ndjson",
        Export::DrainNdjson,
        scenario(6, 40, Vec::new()),
    );
    let (code, r) = run(&p, &[]);
    assert_eq!((code, r["decision"].as_str()), (3, Some("hold")));
    assert_eq!(verdict(&r, "observation"), "inconclusive");
}

#[test]
fn forty_five_clean_minutes_proceed() {
    let d = Dir::new();
    for (name, shape) in [
        ("x.ndjson", Export::DrainNdjson),
        ("x.json", Export::DashboardJson),
    ] {
        let p = write(&d, name, shape, scenario(45, 40, Vec::new()));
        let (code, r) = run(&p, &[]);
        assert_eq!(
            (code, r["decision"].as_str()),
            (0, Some("proceed")),
            "{name}: {r:#}"
        );
    }
}

#[test]
fn an_auth_failure_spike_rolls_back() {
    let d = Dir::new();
    let mut canary = traffic(11, NEW, T0, 45, 40);
    for (i, e) in canary.iter_mut().enumerate() {
        if i % 8 == 0 {
            *e = e
                .clone()
                .with_status(if i % 16 == 0 { 401 } else { 403 })
                .with_message("Unauthorized");
        }
    }
    let mut all = baseline(45);
    all.extend(canary);
    let p = write(&d, "x.ndjson", Export::DrainNdjson, all);
    let (code, r) = run(&p, &[]);
    assert_eq!(verdict(&r, "auth-failure-spike"), "fail");
    assert_eq!((code, r["decision"].as_str()), (1, Some("rollback")));
}

fn slow_windows(windows: &[i64]) -> Vec<Event> {
    let mut all = baseline(45);
    for e in traffic(11, NEW, T0, 45, 40) {
        let minute = (e.time_ms - T0) / MIN;
        let slow = windows.contains(&(minute / 10));
        all.push(if slow { e.with_duration(3_000) } else { e });
    }
    all
}

#[test]
fn latency_breach_in_one_window_is_not_enough_two_roll_back() {
    let d = Dir::new();
    let p = write(&d, "one.json", Export::DashboardJson, slow_windows(&[1]));
    let (_, r) = run(&p, &[]);
    assert_ne!(verdict(&r, "latency-slo"), "fail", "{r:#}");
    let p = write(&d, "two.json", Export::DashboardJson, slow_windows(&[1, 2]));
    let (code, r) = run(&p, &[]);
    assert_eq!(verdict(&r, "latency-slo"), "fail");
    assert_eq!(code, 1);
}

#[test]
fn a_canary_with_too_little_traffic_holds() {
    let d = Dir::new();
    let p = write(
        &d,
        "x.ndjson",
        Export::DrainNdjson,
        scenario(45, 2, Vec::new()),
    );
    let (code, r) = run(&p, &[]);
    assert_eq!((code, r["decision"].as_str()), (3, Some("hold")));
}

#[test]
fn policy_errors_and_unknown_deployments_exit_2() {
    let d = Dir::new();
    let p = write(
        &d,
        "x.ndjson",
        Export::DrainNdjson,
        scenario(6, 40, Vec::new()),
    );
    let bad = d.file("policy.toml", "[rules.latency-slo]\nslo_ms = \"fast\"\n");
    let out = logs()
        .args([
            "rollback",
            &p,
            "--deployment",
            NEW,
            "--policy",
            bad.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("policy.toml: invalid policy"));
    let out = logs()
        .args(["rollback", &p, "--deployment", "dpl_NOPE"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("dpl_NEW"));
}

#[test]
fn follow_mode_decides_while_the_pipe_is_still_open() {
    let errors = (0..5)
        .map(|i| action_500(1.0 + i as f64, &format!("E38{i}"), i))
        .collect();
    let mut buf = Vec::new();
    write_events(
        Export::DrainNdjson,
        merge([scenario(12, 20, errors)]),
        &WriteOptions::default(),
        &mut buf,
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_logs"))
        .args([
            "rollback",
            "-",
            "--deployment",
            NEW,
            "--follow",
            "--interval",
            "0.2",
            "--color",
            "never",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Feed the export slowly, in small bursts, and keep the pipe open.
    for chunk in buf
        .split_inclusive(|&b| b == b'\n')
        .collect::<Vec<_>>()
        .chunks(200)
    {
        if stdin.write_all(&chunk.concat()).is_err() {
            break; // it already decided and exited
        }
        std::thread::sleep(std::time::Duration::from_millis(30));
        if child.try_wait().unwrap().is_some() {
            break;
        }
    }
    // Liveness guard only (not a speed assertion): fail instead of hanging.
    let mut waited = 0;
    while child.try_wait().unwrap().is_none() && waited < 600 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    }
    let still_running = child.try_wait().unwrap().is_none();
    if still_running {
        child.kill().unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(!still_running, "follow mode did not exit on its own");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("== evaluation 1:"), "{text}");
    assert!(text.contains("ROLLBACK"), "{text}");
}

/// `logs rollback` with its stdout and stderr, and stdin when given.
fn judged(args: &[&str], stdin: Option<&[u8]>) -> (i32, String, String) {
    let out = logs()
        .arg("rollback")
        .args(args)
        .write_stdin(stdin.unwrap_or_default())
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap(),
        text(&out.stdout),
        text(&out.stderr),
    )
}

/// An input whose requests need more than `--memory` is read again, each
/// pass folding a share of the requests: the same report, with and without
/// a deploy time, in both export shapes whose records are framed apart.
/// Stdin cannot be read again: it is read once, whatever the budget.
#[test]
fn requests_beyond_the_memory_budget_are_read_in_passes_with_the_same_report() {
    let d = Dir::new();
    let errors: Vec<Event> = (0..6)
        .map(|i| action_500(1.0 + i as f64, &format!("E35{i}"), i))
        .collect();
    let events = || scenario(45, 60, errors.clone());
    for (name, shape) in [
        ("p.ndjson", Export::DrainNdjson),
        ("p.csv", Export::DashboardCsv),
    ] {
        let path = write(&d, name, shape, events());
        for extra in [&[][..], &["--deploy-time", "2026-01-19T09:05:00Z"]] {
            let args = [
                &[path.as_str(), "--deployment", NEW, "--format", "json"],
                extra,
            ]
            .concat();
            let (code, once, err) = judged(&args, None);
            assert!(!err.contains("read the input"), "{err}");
            assert_eq!(code, 1, "{once}{err}");
            for jobs in ["-j1", "-j2"] {
                let small = [&args[..], &["--memory", "128KiB", jobs]].concat();
                let (again_code, again, err) = judged(&small, None);
                assert_eq!(
                    (again_code, &again),
                    (code, &once),
                    "{name} {extra:?} {jobs}"
                );
                let passes: u32 = err
                    .split("read the input ")
                    .nth(1)
                    .and_then(|rest| rest.split(' ').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| panic!("no passes noted: {err}"));
                assert!(passes >= 2, "{passes} passes: {err}");
            }
            let bytes = std::fs::read(&path).unwrap();
            let piped = [&["-"][..], &args[1..], &["--memory", "16KiB"]].concat();
            let (piped_code, piped_out, err) = judged(&piped, Some(&bytes));
            assert_eq!(
                (piped_code, &piped_out),
                (code, &once),
                "{name} {extra:?} stdin"
            );
            assert!(!err.contains("read the input"), "{err}");
        }
    }
}

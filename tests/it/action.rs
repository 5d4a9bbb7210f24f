//! The GitHub Action (`action.yml`) run outside GitHub: its `run:` steps are
//! read from the file and run in order as the runner runs them (see
//! `common/steps.rs`), with the step's `env:` expressions filled in from the
//! inputs. Asserts the job summary, the annotations, the outputs and the
//! exit status on a clean export, one with findings, and a broken input.

use crate::common::steps;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{Dir, drain};
use steps::{Job, Step, logs_bin_dir};
use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn action() -> Yaml {
    let text = std::fs::read_to_string(repo().join("action.yml")).expect("action.yml");
    YamlLoader::load_from_str(&text)
        .expect("action.yml is YAML")
        .remove(0)
}

/// Fills in `${{ inputs.NAME }}` and `${{ github.action_path }}`; any other
/// expression is a test failure, so the action stays within what this
/// runner understands.
fn expand(value: &str, inputs: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("closed expression") + start;
        let expr = rest[start + 3..end].trim();
        if expr == "github.action_path" {
            out.push_str(repo().to_str().expect("UTF-8 path"));
        } else if let Some(name) = expr.strip_prefix("inputs.") {
            let v = inputs
                .get(name)
                .unwrap_or_else(|| panic!("action.yml uses undeclared input {name}"));
            out.push_str(v);
        } else {
            panic!("expression {expr:?} is not supported by this test");
        }
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The action's inputs: declared defaults, then `given`. A required input
/// left out is a test failure.
fn inputs(action: &Yaml, given: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut inputs = BTreeMap::new();
    for (name, spec) in action["inputs"].as_hash().expect("inputs") {
        let name = name.as_str().expect("input name").to_string();
        let given_value = given.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        let value = match (given_value, spec["default"].as_str()) {
            (Some(v), _) => v.to_string(),
            (None, Some(d)) => d.to_string(),
            (None, None) => {
                assert!(
                    spec["required"].as_bool() != Some(true),
                    "required input {name} not given"
                );
                String::new()
            }
        };
        inputs.insert(name, value);
    }
    for (n, _) in given {
        assert!(inputs.contains_key(*n), "no input {n} in action.yml");
    }
    inputs
}

struct Run {
    /// Exit status of the last step run (the first that failed, or the last).
    code: i32,
    stdout: String,
    summary: String,
    outputs: String,
}

/// Runs the action's steps in `job` until one fails.
fn run_action(job: &mut Job, given: &[(&str, &str)]) -> Run {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs = inputs(&action, given);
    let mut stdout = String::new();
    let mut outputs = String::new();
    let mut code = 0;
    for step in action["runs"]["steps"].as_vec().expect("steps") {
        let script = step["run"].as_str().expect("every step is a run: step");
        assert!(
            !script.contains("${{"),
            "inputs reach scripts through env:, never spliced into run: text"
        );
        assert!(
            step["if"].is_badvalue(),
            "conditional steps are not run here"
        );
        let shell = step["shell"].as_str();
        assert_eq!(shell, Some("bash"), "composite steps name their shell");
        let env: Vec<(String, String)> = step["env"]
            .as_hash()
            .map(|h| {
                h.iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().expect("env name").to_string(),
                            expand(v.as_str().expect("env value"), &inputs),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let Step {
            code: c,
            stdout: out,
            stderr,
            outputs: o,
        } = job.run(script, shell, &env);
        stdout.push_str(&out);
        outputs.push_str(&o);
        code = c;
        if c != 0 {
            eprintln!("step failed ({c}); stderr:\n{stderr}");
            break;
        }
    }
    Run {
        code,
        stdout,
        summary: job.summary(),
        outputs,
    }
}

/// A job whose PATH has the `logs` under test.
fn job_with_logs(d: &Dir) -> Job {
    let ws = d.path().join("ws");
    std::fs::create_dir_all(&ws).expect("workspace");
    let mut job = Job::new(&ws, &d.path().join("runner-temp"));
    job.path.push(logs_bin_dir(d.path()));
    job
}

fn write(dir: &Path, name: &str, body: impl AsRef<[u8]>) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("dirs");
    std::fs::write(p, body).expect("write");
}

fn clean_export() -> String {
    format!(
        "{}\n{}\n",
        drain(1_768_813_200_000, "GET /inbox 200", ""),
        drain(1_768_813_201_000, "POST /leads/42 200", "")
    )
}

#[test]
fn a_clean_export_passes_with_a_summary_and_no_annotations() {
    let d = Dir::new();
    let mut job = job_with_logs(&d);
    write(&job.workspace, "export.ndjson", clean_export());
    let run = run_action(&mut job, &[("paths", "export.ndjson")]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.summary.contains("✅ logs check passed"),
        "{}",
        run.summary
    );
    assert!(!run.stdout.contains("::error"), "{}", run.stdout);
    assert!(run.outputs.contains("exit-code=0"), "{}", run.outputs);
}

#[test]
fn findings_fail_the_step_after_writing_summary_annotations_and_junit() {
    let d = Dir::new();
    let mut job = job_with_logs(&d);
    let sample = std::fs::read(repo().join("samples/drain.ndjson")).expect("sample");
    write(&job.workspace, "exports/a.ndjson", &sample);
    write(&job.workspace, "exports/b.ndjson", clean_export());
    let run = run_action(
        &mut job,
        &[
            ("paths", "exports/*.ndjson"),
            ("args", "--ignore node-deprecation-warning"),
            ("junit", "report.xml"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.summary
            .contains("❌ logs check failed: 14 findings (13 signatures, 1 access check)"),
        "{}",
        run.summary
    );
    assert!(run.summary.contains("2 inputs"), "both files globbed");
    assert!(
        run.stdout.contains(
            "::error file=exports/a.ndjson,line=233,title=next-invalid-use-server-export"
        ),
        "{}",
        run.stdout
    );
    assert!(run.outputs.contains("exit-code=1"));
    let junit = std::fs::read_to_string(job.workspace.join("report.xml")).expect("junit");
    assert!(junit.contains(r#"failures="14""#), "{junit}");
    assert!(
        !junit.contains(r#"name="node-deprecation-warning""#),
        "args reach logs"
    );
}

#[test]
fn fail_on_is_passed_through() {
    let d = Dir::new();
    let mut job = job_with_logs(&d);
    let sample = std::fs::read(repo().join("samples/cli.ndjson")).expect("sample");
    write(&job.workspace, "export.ndjson", &sample);
    let run = run_action(
        &mut job,
        &[("paths", "export.ndjson"), ("fail-on", "critical")],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.summary.contains("at or above `critical`"),
        "{}",
        run.summary
    );
    assert!(
        run.stdout.contains("::warning "),
        "below critical: warnings"
    );
}

#[test]
fn a_broken_input_fails_with_exit_2_after_reporting_it() {
    let d = Dir::new();
    let mut job = job_with_logs(&d);
    write(&job.workspace, "export.ndjson", clean_export());
    let run = run_action(&mut job, &[("paths", "export.ndjson missing-*.ndjson")]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.summary
            .contains("**Input problem:** `missing-*.ndjson`"),
        "{}",
        run.summary
    );
    assert!(
        run.stdout
            .contains("::error title=logs check%3A input problem::missing-*.ndjson"),
        "{}",
        run.stdout
    );
    assert!(run.outputs.contains("exit-code=2"));
}

#[test]
fn empty_paths_are_an_error_not_a_pass() {
    let d = Dir::new();
    let mut job = job_with_logs(&d);
    let run = run_action(&mut job, &[("paths", "  \n ")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout
            .contains("::error title=logs check::the paths input names no export")
    );
}

/// A `cargo` that records its arguments and "installs" the binary under
/// test where `--root` says.
fn cargo_stub(d: &Dir) -> (PathBuf, PathBuf) {
    let dir = d.path().join("cargo-bin");
    let log = d.path().join("cargo-args");
    write(
        &dir,
        "cargo",
        format!(
            "#!/usr/bin/env bash\nset -e\necho \"$*\" >> '{log}'\nwhile [ $# -gt 0 ]; do\n  \
             if [ \"$1\" = --root ]; then mkdir -p \"$2/bin\"; ln -sf '{bin}' \"$2/bin/logs\"; fi\n  \
             shift\ndone\n",
            log = log.display(),
            bin = env!("CARGO_BIN_EXE_logs")
        ),
    );
    let stub = dir.join("cargo");
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&stub)
        .status()
        .expect("chmod");
    (dir, log)
}

#[test]
fn without_logs_on_path_it_builds_the_actions_own_source() {
    let d = Dir::new();
    let ws = d.path().join("ws");
    let mut job = Job::new(&ws, &d.path().join("runner-temp"));
    let (cargo_dir, log) = cargo_stub(&d);
    job.path.push(cargo_dir);
    write(&ws, "export.ndjson", clean_export());
    let run = run_action(&mut job, &[("paths", "export.ndjson")]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let args = std::fs::read_to_string(&log).expect("cargo ran");
    let root = d.path().join("runner-temp/logs-cli");
    assert_eq!(
        args.trim(),
        format!(
            "install --locked --path {} --root {}",
            repo().display(),
            root.display()
        )
    );
    assert!(
        run.summary.contains("✅ logs check passed"),
        "GITHUB_PATH carried the install"
    );
}

#[test]
fn install_path_without_logs_is_an_error() {
    let d = Dir::new();
    let ws = d.path().join("ws");
    let mut job = Job::new(&ws, &d.path().join("runner-temp"));
    write(&ws, "export.ndjson", clean_export());
    let run = run_action(&mut job, &[("paths", "export.ndjson"), ("install", "path")]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("logs is not on PATH"), "{}", run.stdout);
}

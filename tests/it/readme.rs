//! Every snippet of README.md that runs, run as written. README.md is parsed
//! when the test runs, so snippets added later are covered without a change
//! here.
//!
//! - A fenced `sh`, `bash` or `shell` block is a list of commands to type.
//!   It is cut into complete commands the way a shell reads them (lines
//!   ending in `\` and unfinished constructs such as `if … fi` join the next
//!   line), and each command runs in turn under `bash -e`, in one folder
//!   shared by the whole README.
//! - In a fenced `yaml` block, every `run:` is a GitHub Actions step and runs
//!   as the runner runs it (`bash -e`, or `bash --noprofile --norc -eo
//!   pipefail` with `shell: bash`; see `common/steps.rs`), steps in order,
//!   stopping at the first that fails. Every `script:` is a GitLab CI job
//!   script and runs under `bash -eo pipefail`, as GitLab's runner does
//!   (its expected exit status is read from the whole block, since a comment
//!   after a script line belongs to YAML, not to the script).
//! - A command or step must exit 0 unless it says otherwise, visibly, with a
//!   comment such as `# exits 1 when findings are found` (on its line, or on
//!   a comment line right above it). Under `bash -e`
//!   nothing after a failing command runs, so only a block's last step may
//!   fail; a step that writes `$GITHUB_STEP_SUMMARY` must have written it
//!   even when it fails; a GitLab `artifacts: reports: junit:` file must
//!   exist.
//!
//! The folder holds the files the snippets name, made from `samples/`, and
//! stub commands on PATH: `vercel` prints a sample export; `cargo run --
//! ARGS` runs the `logs` under test, and `cargo test` is this very run, so
//! the stub only says so.

use crate::common::steps;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::Dir;
use steps::{Job, logs_bin_dir};
use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One fenced block.
struct Snippet {
    /// 1-based line of the opening fence.
    line: usize,
    lang: String,
    body: String,
}

fn snippets(readme: &str) -> Vec<Snippet> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String, String, String)> = None;
    for (i, line) in readme.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut open {
            None => {
                if let Some(rest) = trimmed.strip_prefix("```") {
                    let fence = format!(
                        "```{}",
                        "`".repeat(rest.len() - rest.trim_start_matches('`').len())
                    );
                    let lang = rest.trim_start_matches('`').trim().to_string();
                    open = Some((i + 1, fence, lang, String::new()));
                }
            }
            Some((start, fence, lang, body)) => {
                if trimmed.starts_with(fence.as_str())
                    && trimmed.trim_start_matches('`').trim().is_empty()
                {
                    out.push(Snippet {
                        line: *start,
                        lang: std::mem::take(lang),
                        body: std::mem::take(body),
                    });
                    open = None;
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "README.md: a fence is never closed");
    out
}

/// Whether bash reads `text` as complete commands.
fn complete(text: &str) -> bool {
    Command::new("bash")
        .args(["-n", "-c", text])
        .output()
        .expect("run bash -n")
        .status
        .success()
}

/// Whether `text` holds comments and blank lines only.
fn only_comments(text: &str) -> bool {
    text.lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
}

/// The complete commands of a shell block. Comment lines right above a
/// command belong to it; a blank line ends them.
fn commands(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        if only_comments(&current) && line.trim().is_empty() {
            current.clear();
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if !only_comments(&current) && !line.trim_end().ends_with('\\') && complete(&current) {
            out.push(std::mem::take(&mut current));
        }
    }
    assert!(
        only_comments(&current),
        "an unfinished command at the end of a block:\n{current}"
    );
    out
}

/// The exit status a command or script says it has (`# … exits N …`), else 0.
fn expected_exit(text: &str) -> i32 {
    text.lines()
        .filter_map(|l| l.split_once('#').map(|(_, c)| c))
        .find_map(|comment| {
            let words: Vec<&str> = comment
                .split(|c: char| !c.is_ascii_alphanumeric())
                .collect();
            words
                .windows(2)
                .find(|w| w[0] == "exits")
                .and_then(|w| w[1].parse().ok())
        })
        .unwrap_or(0)
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write fixture");
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("samples").join(name)).expect("sample")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip")
}

fn executable(path: &Path, script: &str) {
    write(path, script);
    Command::new("chmod")
        .arg("+x")
        .arg(path)
        .status()
        .expect("chmod");
}

const BASELINE: &str = "dpl_8mFwq2XoYb7TcJ3hLk9sNv4RzPd1";
const CANARY: &str = "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L";

/// The files the README's snippets name, and the stubs; returns the stub
/// folder.
fn prepare(root: &Path, work: &Path) -> PathBuf {
    std::fs::create_dir_all(work.join("samples")).expect("mkdir");
    for entry in std::fs::read_dir(repo().join("samples")).expect("samples") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), work.join("samples").join(entry.file_name()))
            .expect("copy sample");
    }
    // The README's test command, run as written (it execs the cargo stub).
    std::fs::create_dir_all(work.join("tests")).expect("mkdir");
    let run_sh = std::fs::read_to_string(repo().join("tests/run.sh")).expect("tests/run.sh");
    executable(&work.join("tests/run.sh"), &run_sh);
    // A canary export with the README's placeholder deployments.
    let canary = String::from_utf8(sample("canary-rollback.ndjson"))
        .expect("UTF-8")
        .replace(CANARY, "dpl_NEW")
        .replace(BASELINE, "dpl_OLD");
    write(&work.join("export.json"), &canary);
    write(&work.join("export.ndjson"), &canary);
    write(&work.join("export.csv"), sample("dashboard.csv"));
    let drain = String::from_utf8(sample("drain.ndjson")).expect("UTF-8");
    write(
        &work.join("drain-1.ndjson.gz"),
        gzip(drain.replace(BASELINE, "dpl_abc").as_bytes()),
    );
    write(&work.join("exports/a.ndjson.gz"), sample("drain.ndjson.gz"));
    write(
        &work.join("exports/b.ndjson.gz"),
        gzip(&sample("cli.ndjson")),
    );
    write(&work.join("week-1.json"), sample("dashboard.json"));
    write(&work.join("week-2.json"), sample("cli-legacy.ndjson"));
    write(&work.join("drains/a.ndjson"), sample("drain.ndjson"));
    write(
        &work.join("app.log"),
        "GET /inbox 200 in 12ms\nGET /inbox 200 in 15ms\nPOST /leads/42 500 in 301ms\n",
    );
    let stubs = root.join("stubs");
    let export = root.join("vercel-export.ndjson");
    write(&export, &canary);
    executable(
        &stubs.join("vercel"),
        &format!(
            "#!/usr/bin/env bash\n# Stub: `vercel logs …` prints a sample export.\n\
             [ \"$1\" = logs ] || {{ echo \"vercel stub: only 'vercel logs'\" >&2; exit 127; }}\n\
             cat '{}'\n",
            export.display()
        ),
    );
    executable(
        &stubs.join("cargo"),
        "#!/usr/bin/env bash\n# Stub: `cargo run -- ARGS` runs the logs under test.\n\
         case \"$1\" in\n  \
           run) shift; while [ $# -gt 0 ] && [ \"$1\" != -- ]; do shift; done; shift; exec logs \"$@\" ;;\n  \
           test) echo 'cargo test: this README test is part of that run'; exit 0 ;;\n  \
           *) echo \"cargo stub: '$1' is not stubbed\" >&2; exit 127 ;;\n\
         esac\n",
    );
    stubs
}

/// A job in `work` with the stubs and `logs` on PATH.
fn job(root: &Path, work: &Path, stubs: &Path, name: &str) -> Job {
    let mut job = Job::new(work, &root.join(name));
    job.path.push(stubs.to_path_buf());
    job.path.push(logs_bin_dir(root));
    job.env.push((
        "DEPLOYMENT_URL".into(),
        "https://my-app-git-main.vercel.app".into(),
    ));
    job.env.push(("VERCEL_TOKEN".into(), "test-token".into()));
    job.env.push(("NO_COLOR".into(), "1".into()));
    job
}

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).expect("README.md")
}

#[test]
fn readme_shell_snippets_run_as_written() {
    let d = Dir::new();
    let work = d.path().join("work");
    let stubs = prepare(d.path(), &work);
    // Audits read their earlier state.
    let state = Command::new(env!("CARGO_BIN_EXE_logs"))
        .args(["audit", "week-1.json", "--save-state", "audit-state.json"])
        .current_dir(&work)
        .output()
        .expect("run logs");
    assert!(state.status.success());
    let mut job = job(d.path(), &work, &stubs, "shell");
    let mut ran = 0;
    let mut failures = Vec::new();
    for s in snippets(&readme()) {
        if !matches!(s.lang.as_str(), "sh" | "bash" | "shell") {
            continue;
        }
        for command in commands(&s.body) {
            let step = job.run(&command, None, &[]);
            ran += 1;
            let want = expected_exit(&command);
            if step.code != want {
                failures.push(format!(
                    "README.md block at line {}: exit {} (expected {want}):\n{command}stderr: {}",
                    s.line,
                    step.code,
                    step.stderr.lines().take(5).collect::<Vec<_>>().join("\n")
                ));
            }
        }
    }
    assert!(ran >= 10, "only {ran} commands found in README.md");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every mapping in `doc` that has `key`, depth first.
fn with_key<'a>(doc: &'a Yaml, key: &str, out: &mut Vec<&'a Yaml>) {
    match doc {
        Yaml::Hash(h) => {
            if h.contains_key(&Yaml::String(key.to_string())) {
                out.push(doc);
            }
            for v in h.values() {
                with_key(v, key, out);
            }
        }
        Yaml::Array(a) => a.iter().for_each(|v| with_key(v, key, out)),
        _ => {}
    }
}

#[test]
fn readme_ci_steps_run_as_written() {
    let d = Dir::new();
    let work = d.path().join("work");
    let stubs = prepare(d.path(), &work);
    let mut github_steps = 0;
    let mut gitlab_jobs = 0;
    for (n, s) in snippets(&readme()).into_iter().enumerate() {
        if !matches!(s.lang.as_str(), "yaml" | "yml") {
            continue;
        }
        let docs = YamlLoader::load_from_str(&s.body)
            .unwrap_or_else(|e| panic!("README.md block at line {}: not YAML: {e}", s.line));
        let Some(doc) = docs.first() else { continue };
        let mut steps = Vec::new();
        with_key(doc, "run", &mut steps);
        let mut job = job(d.path(), &work, &stubs, &format!("gha-{n}"));
        for (i, step) in steps.iter().enumerate() {
            let script = step["run"].as_str().expect("run: is a string");
            let result = job.run(script, step["shell"].as_str(), &[]);
            github_steps += 1;
            let want = expected_exit(script);
            assert_eq!(
                result.code,
                want,
                "README.md block at line {}, step {}: exit {} (expected {want}):\n{script}\n{}",
                s.line,
                i + 1,
                result.code,
                result.stderr
            );
            if script.contains("GITHUB_STEP_SUMMARY") {
                assert!(
                    !job.summary().trim().is_empty(),
                    "README.md block at line {}: the step summary was not written:\n{script}",
                    s.line
                );
            }
            if want != 0 {
                assert_eq!(
                    i + 1,
                    steps.len(),
                    "README.md block at line {}: steps after a failing step never run",
                    s.line
                );
            }
        }
        let mut jobs = Vec::new();
        with_key(doc, "script", &mut jobs);
        for gl in jobs {
            let lines: Vec<&str> = match &gl["script"] {
                Yaml::Array(a) => a.iter().map(|l| l.as_str().expect("script line")).collect(),
                Yaml::String(one) => vec![one.as_str()],
                other => panic!("README.md block at line {}: script {other:?}", s.line),
            };
            let script = lines.join("\n");
            let out = Command::new("bash")
                .args(["-eo", "pipefail", "-c", &script])
                .current_dir(&work)
                .env(
                    "PATH",
                    std::env::join_paths(
                        [stubs.clone(), logs_bin_dir(d.path())].into_iter().chain(
                            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
                        ),
                    )
                    .expect("PATH"),
                )
                .env("DEPLOYMENT_URL", "https://my-app-git-main.vercel.app")
                .env("VERCEL_TOKEN", "test-token")
                .output()
                .expect("run bash");
            gitlab_jobs += 1;
            // A comment after a script line is YAML's, not the script's:
            // read it from the block as written.
            let want = expected_exit(&s.body);
            assert_eq!(
                out.status.code(),
                Some(want),
                "README.md block at line {}: GitLab script:\n{script}\n{}",
                s.line,
                String::from_utf8_lossy(&out.stderr)
            );
            if let Some(report) = gl["artifacts"]["reports"]["junit"].as_str() {
                let xml = std::fs::read_to_string(work.join(report))
                    .unwrap_or_else(|e| panic!("{report}: {e}"));
                assert!(xml.contains("<testsuites>"), "{report}: {xml}");
            }
        }
    }
    assert!(github_steps >= 2, "README.md has GitHub steps to run");
    assert!(gitlab_jobs >= 1, "README.md has a GitLab job to run");
}

#[test]
fn commands_are_cut_as_a_shell_reads_them() {
    let body = "# dropped\n\nlogs check a \\\n  --fail-on high   # exits 1\n\nif true; then\n  echo x\nfi\n# exits 2: this one\nb | c\n# trailing\n";
    let got = commands(body);
    assert_eq!(
        got,
        [
            "logs check a \\\n  --fail-on high   # exits 1\n",
            "if true; then\n  echo x\nfi\n",
            "# exits 2: this one\nb | c\n"
        ]
    );
    assert_eq!(expected_exit(&got[0]), 1);
    assert_eq!(expected_exit(&got[1]), 0);
    assert_eq!(expected_exit(&got[2]), 2);
    assert_eq!(
        expected_exit("x   # (exits 1: it finds known signatures)"),
        1
    );
    let s = snippets("text\n```sh\na\n```\n\n```yaml\nrun: b\n```\n");
    assert_eq!(s.len(), 2);
    assert_eq!(
        (s[0].line, s[0].lang.as_str(), s[0].body.as_str()),
        (2, "sh", "a\n")
    );
    assert_eq!(s[1].lang, "yaml");
}

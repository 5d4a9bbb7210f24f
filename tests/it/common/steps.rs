//! Runs GitHub Actions `run:` steps outside GitHub, the way the runner does:
//! the step's shell (`bash -e {0}` when none is given, `bash --noprofile
//! --norc -eo pipefail {0}` for `shell: bash`), `GITHUB_STEP_SUMMARY`,
//! `GITHUB_OUTPUT`, `GITHUB_ENV` and `GITHUB_PATH` files, and what a step
//! writes to the last two carried into the next steps. `logs` is on PATH
//! only when a test puts it there: directories of the machine's PATH that
//! hold a `logs` are left out, so an installed copy never stands in.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A job: a workspace (the steps' working directory), a runner temp folder,
/// and what earlier steps added to PATH and the environment.
pub struct Job {
    pub workspace: PathBuf,
    pub temp: PathBuf,
    /// Prepended to PATH, first wins.
    pub path: Vec<PathBuf>,
    pub env: Vec<(String, String)>,
    summary: PathBuf,
    step: usize,
}

/// What one step did.
pub struct Step {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// What the step wrote to `GITHUB_OUTPUT`.
    pub outputs: String,
}

/// The machine's PATH without directories that hold a `logs`.
fn system_path() -> Vec<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .filter(|d| !d.join("logs").exists())
        .collect()
}

/// A folder holding `logs`: a link to the binary under test.
pub fn logs_bin_dir(root: &Path) -> PathBuf {
    let dir = root.join("logs-bin");
    std::fs::create_dir_all(&dir).expect("bin dir");
    let link = dir.join("logs");
    if !link.exists() {
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_logs"), &link).expect("link logs");
    }
    dir
}

impl Job {
    /// A job in `workspace`, with runner files under `temp`.
    pub fn new(workspace: &Path, temp: &Path) -> Job {
        std::fs::create_dir_all(temp).expect("runner temp");
        let summary = temp.join("step-summary.md");
        std::fs::write(&summary, "").expect("summary file");
        Job {
            workspace: workspace.to_path_buf(),
            temp: temp.to_path_buf(),
            path: Vec::new(),
            env: Vec::new(),
            summary,
            step: 0,
        }
    }

    /// The job summary so far.
    pub fn summary(&self) -> String {
        std::fs::read_to_string(&self.summary).expect("summary")
    }

    /// Runs one step's script with `shell` (None: the runner's default) and
    /// the step's `env`.
    pub fn run(&mut self, script: &str, shell: Option<&str>, env: &[(String, String)]) -> Step {
        self.step += 1;
        let n = self.step;
        let file = |name: &str| {
            let p = self.temp.join(format!("step{n}-{name}"));
            std::fs::write(&p, "").expect("runner file");
            p
        };
        let (output, github_env, github_path) = (file("output"), file("env"), file("path"));
        let script_file = self.temp.join(format!("step{n}.sh"));
        std::fs::write(&script_file, script).expect("script");
        let mut cmd = Command::new("bash");
        match shell {
            None => cmd.arg("-e"),
            Some("bash") => cmd.args(["--noprofile", "--norc", "-eo", "pipefail"]),
            Some(other) => panic!("shell {other:?} is not run by this test runner"),
        };
        let path: Vec<PathBuf> = self.path.iter().cloned().chain(system_path()).collect();
        cmd.arg(&script_file)
            .current_dir(&self.workspace)
            .env_clear()
            .env("PATH", std::env::join_paths(path).expect("PATH"))
            .env("HOME", &self.temp)
            // The chdb that tests/run.sh installed, so that the README's
            // `tests/run.sh` finds it instead of installing it again.
            .envs(std::env::var_os(super::chdb::PYTHON_ENV).map(|v| (super::chdb::PYTHON_ENV, v)))
            .env("CI", "true")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", &self.workspace)
            .env("RUNNER_TEMP", &self.temp)
            .env("GITHUB_STEP_SUMMARY", &self.summary)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_ENV", &github_env)
            .env("GITHUB_PATH", &github_path)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .envs(env.iter().map(|(k, v)| (k, v)));
        let out = cmd.output().expect("run bash");
        for line in std::fs::read_to_string(&github_path)
            .expect("GITHUB_PATH")
            .lines()
            .filter(|l| !l.is_empty())
        {
            self.path.insert(0, PathBuf::from(line));
        }
        for line in std::fs::read_to_string(&github_env)
            .expect("GITHUB_ENV")
            .lines()
        {
            let (k, v) = line
                .split_once('=')
                .unwrap_or_else(|| panic!("GITHUB_ENV line {line:?}: only NAME=value is read"));
            self.env.push((k.to_string(), v.to_string()));
        }
        Step {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            outputs: std::fs::read_to_string(&output).expect("GITHUB_OUTPUT"),
        }
    }
}

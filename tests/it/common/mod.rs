//! Shared helpers of the integration tests: run the real `logs` binary in a
//! clean environment, write fixtures to a temporary folder.

#![allow(dead_code)]

pub mod chdb;
pub mod steps;
pub mod weeks;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `logs` binary with a stable environment: no colour, no terminal
/// width, no inherited `NO_COLOR`/`CI` differences.
pub fn logs() -> Command {
    let mut cmd = Command::cargo_bin("logs").expect("logs binary builds");
    cmd.env_clear()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    cmd
}

/// A temporary folder for fixtures, removed when dropped.
pub struct Dir(pub tempfile::TempDir);

impl Dir {
    pub fn new() -> Dir {
        Dir(tempfile::tempdir().expect("temp dir"))
    }

    /// Writes `bytes` to `name` and returns its path.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.path().join(name);
        std::fs::write(&p, bytes).expect("write fixture");
        p
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }
}

/// Runs `logs check --format json` with extra args; returns (exit code, JSON).
pub fn check_json(args: &[&str], stdin: Option<&[u8]>) -> (i32, serde_json::Value) {
    let mut cmd = logs();
    cmd.arg("check").arg("--format").arg("json").args(args);
    if let Some(s) = stdin {
        cmd.write_stdin(s.to_vec());
    }
    let out = cmd.output().expect("run logs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

/// Runs `logs <command> <args> --format json`, expects exit 0, returns the JSON.
pub fn json_of(command: &str, args: &[&str]) -> serde_json::Value {
    let out = logs()
        .arg(command)
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run logs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// `(signature, count)` pairs of a check report's catalog signatures,
/// sorted: without the cron and webhook checks, which count requests (and
/// some shapes cannot join a request's lines or name its caller).
pub fn signature_counts(report: &serde_json::Value) -> Vec<(String, u64)> {
    let mut v = counts(report);
    v.retain(|(id, _)| {
        !report["findings"].as_array().is_some_and(|fs| {
            fs.iter()
                .any(|f| f["signature"] == id.as_str() && f.get("access").is_some())
        })
    });
    v
}

/// `(signature, count)` pairs of a check report, sorted.
pub fn counts(report: &serde_json::Value) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["signature"].as_str().unwrap().to_string(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// One drain NDJSON record with `message`. A small `ts` is seconds after
/// 2026-01-19T09:00:00Z (real records carry plausible times).
pub fn drain(ts: i64, message: &str, extra: &str) -> String {
    let ts = if ts < 1_000_000_000_000 {
        1_768_813_200_000 + ts * 1000
    } else {
        ts
    };
    let m = serde_json::to_string(message).unwrap();
    format!(
        r#"{{"id":"12345678901234567890123456789012","deploymentId":"dpl_A","source":"lambda","host":"app.vercel.app","timestamp":{ts},"level":"error","message":{m},"type":"stderr","path":"/leads/[id]","statusCode":500,"environment":"production","proxy":{{"method":"POST","path":"/leads/42","userAgent":["Mozilla/5.0"],"statusCode":500}}{extra}}}"#
    )
}

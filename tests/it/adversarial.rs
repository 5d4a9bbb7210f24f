//! Hostile inputs through the binary, with the address space bounded by
//! `prlimit --as` where the tool exists (1 GiB: the 64 MiB record bound
//! plus the scan's buffers, far below what an unbounded read would take):
//! a gzip bomb, one line longer than the maximum record size (mapped and
//! streamed), deep nesting, special files, NUL bytes, many tiny records.
//! Each ends with the documented exit code and a message, never a crash.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::common::Dir;

/// Address space allowed to one run.
const AS_LIMIT: u64 = 1 << 30;

fn bounded(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("logs");
    let prlimit = Command::new("prlimit").arg("--version").output().is_ok();
    let mut cmd = if prlimit {
        let mut c = Command::new("prlimit");
        c.arg(format!("--as={AS_LIMIT}")).arg("--").arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args)
        .env_clear()
        .env("NO_COLOR", "1")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run logs");
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        // The reader may stop early (damage): a broken pipe here is fine.
        let _ = pipe.write_all(bytes);
    }
    child.wait_with_output().expect("logs ends")
}

fn code_and_stderr(out: &Output) -> (Option<i32>, String) {
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_gzip_bomb_is_damage_at_the_record_bound_in_bounded_memory() {
    // 200 MiB of zeros, no newline: 200 KB compressed.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let block = vec![0u8; 1 << 20];
    for _ in 0..200 {
        gz.write_all(&block).expect("gzip");
    }
    let d = Dir::new();
    let bomb = d.file("bomb.ndjson.gz", gz.finish().expect("gzip"));
    let out = bounded(
        &[
            "check",
            bomb.to_str().expect("path"),
            "--input-format",
            "ndjson",
        ],
        None,
    );
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("64 MiB"), "{err}");
}

#[test]
fn one_line_over_the_record_bound_is_damage_from_a_file_and_from_stdin() {
    let d = Dir::new();
    let path = d.path().join("huge.ndjson");
    let mut line = br#"{"message":"P2002 "#.to_vec();
    line.resize((64 << 20) + 1024, b'a');
    line.extend_from_slice(b"\"}\n");
    std::fs::write(&path, &line).expect("write");
    let out = bounded(&["check", path.to_str().expect("path")], None);
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(2), "file: {err}");
    let out = bounded(&["check", "-"], Some(&line));
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(2), "stdin: {err}");
}

#[test]
fn deep_nesting_and_nul_bytes_are_malformed_records_not_crashes() {
    let d = Dir::new();
    let mut deep = b"{\"message\":".to_vec();
    deep.extend(std::iter::repeat_n(b'[', 200_000));
    deep.extend(std::iter::repeat_n(b']', 200_000));
    deep.extend_from_slice(b"}\n");
    let good = crate::common::drain(1, "Unique constraint failed on the fields: (`email`)", "");
    deep.extend_from_slice(good.as_bytes());
    deep.extend_from_slice(b"\n{\"message\":\"a\0b\",\"level\":\"error\"}\n\0\0\0\n");
    let path = d.file("deep.ndjson", &deep);
    let out = bounded(
        &["check", path.to_str().expect("path"), "--format", "json"],
        None,
    );
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(1), "the good record is still found: {err}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(json["malformed"].as_u64().unwrap_or(0) >= 1, "{json}");
}

#[test]
fn special_files_are_errors() {
    for (path, why) in [
        ("/dev/null", "empty"),
        ("/", "a directory"),
        ("/proc/self/status", "not a log"),
    ] {
        let out = bounded(&["check", path], None);
        let (code, err) = code_and_stderr(&out);
        assert_eq!(code, Some(2), "{path} ({why}): {err}");
        // An empty input is said as such (it names no file: every input
        // was empty); the others name the file.
        let said = if path == "/dev/null" {
            "no log records"
        } else {
            path
        };
        assert!(err.contains(said), "{path}: {err}");
    }
}

#[test]
fn many_tiny_records_are_counted() {
    let good = crate::common::drain(1, "Unique constraint failed on the fields: (`email`)", "");
    let mut bytes = Vec::with_capacity(3 << 20);
    for _ in 0..500_000 {
        bytes.extend_from_slice(b"{}\n");
    }
    bytes.extend_from_slice(good.as_bytes());
    bytes.push(b'\n');
    let d = Dir::new();
    let path = d.file("tiny.ndjson", &bytes);
    let out = bounded(
        &["check", path.to_str().expect("path"), "--format", "json"],
        None,
    );
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, Some(1), "{err}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["records"].as_u64(), Some(500_001), "{json}");
}

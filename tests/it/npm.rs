//! The npm distribution (`npm/`) end to end on this machine, offline: stage
//! the binary cargo built for the tests into this platform's package with
//! `npm/build.js`, `npm pack` it and the `@logs-cli/logs` wrapper, install
//! both tarballs into a new project, and run `npm run logs:check` there.
//! Also: exit codes and signals pass through the launcher, a missing
//! platform package is explained, and build.js refuses mismatched versions.
//!
//! npm never reaches a registry here: `--offline`, and the registry set to a
//! closed loopback port. The staged copy is stripped of debug info when
//! `strip` is there (the test binary is ~100 MB with it), which only makes
//! packing faster.

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::{Dir, drain};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fails (never skips) when node or npm is missing, saying how to get them.
fn need(tool: &str) {
    let found = Command::new(tool).arg("--version").output().is_ok();
    assert!(
        found,
        "{tool} is needed for the npm package test: install Node.js with npm \
         (`apt-get install nodejs npm`); .ci/run installs them"
    );
}

/// npm, offline, with its cache in `root`.
fn npm(root: &Path, cwd: &Path, args: &[&str]) -> Output {
    Command::new("npm")
        .args(args)
        .current_dir(cwd)
        .env("npm_config_cache", root.join("npm-cache"))
        .env("npm_config_registry", "http://127.0.0.1:9/")
        .env("npm_config_offline", "true")
        .env("npm_config_audit", "false")
        .env("npm_config_fund", "false")
        .env("npm_config_update_notifier", "false")
        .env("NO_COLOR", "1")
        .output()
        .expect("run npm")
}

fn ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Copies `from` into `to`, leaving out staged binaries and tarballs.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        let name = name.to_str().expect("UTF-8 name");
        let src = entry.path();
        let platform_dir = from
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.contains('-'));
        if name.ends_with(".tgz") || (name == "bin" && platform_dir) {
            continue;
        }
        if src.is_dir() {
            copy_tree(&src, &to.join(name));
        } else {
            std::fs::copy(&src, to.join(name)).expect("copy");
        }
    }
}

/// `linux-x64` and the like, as node names this machine.
fn platform() -> String {
    let out = Command::new("node")
        .args(["-p", "process.platform + '-' + process.arch"])
        .output()
        .expect("run node");
    ok(&out, "node -p").trim().to_string()
}

/// A copy of `npm/` (and the Cargo.toml build.js reads) under `root`.
fn npm_tree(root: &Path) -> PathBuf {
    std::fs::copy(repo().join("Cargo.toml"), root.join("Cargo.toml")).expect("Cargo.toml");
    let tree = root.join("npm");
    copy_tree(&repo().join("npm"), &tree);
    tree
}

/// Stages the test binary, packs both packages, installs the tarballs into
/// a new project with a `logs:check` script; returns the project folder.
fn installed_project(root: &Path) -> PathBuf {
    need("node");
    need("npm");
    let tree = npm_tree(root);
    let platform = platform();
    let staged = Command::new("node")
        .arg(tree.join("build.js"))
        .args(["--binary", env!("CARGO_BIN_EXE_logs")])
        .output()
        .expect("run build.js");
    let said = ok(&staged, "npm/build.js");
    assert!(
        said.contains(&format!("as @logs-cli/{platform}@")),
        "{said}"
    );
    let binary = tree.join(&platform).join("bin/logs");
    let _ = Command::new("strip")
        .arg("--strip-debug")
        .arg(&binary)
        .status();
    let packs = root.join("packs");
    std::fs::create_dir_all(&packs).expect("packs");
    let wrapper = tree.join("logs");
    let native = tree.join(&platform);
    let out = npm(
        root,
        &packs,
        &[
            "pack",
            "--json",
            wrapper.to_str().unwrap(),
            native.to_str().unwrap(),
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&out, "npm pack")).expect("JSON");
    let tarballs: Vec<PathBuf> = json
        .as_array()
        .expect("packed list")
        .iter()
        .map(|p| packs.join(p["filename"].as_str().expect("filename")))
        .collect();
    assert_eq!(tarballs.len(), 2);
    let project = root.join("project");
    std::fs::create_dir_all(&project).expect("project");
    std::fs::write(
        project.join("package.json"),
        r#"{"name": "my-app", "version": "1.0.0", "private": true}"#,
    )
    .expect("package.json");
    let mut install = vec!["install"];
    install.extend(tarballs.iter().map(|t| t.to_str().unwrap()));
    ok(
        &npm(root, &project, &install),
        "npm install of the tarballs",
    );
    let pkg = project.join("package.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&pkg).expect("read")).expect("JSON");
    manifest["scripts"] = serde_json::json!({"logs:check": "logs check export.json"});
    std::fs::write(&pkg, manifest.to_string()).expect("write package.json");
    project
}

#[test]
fn npm_run_logs_check_from_packed_tarballs() {
    let d = Dir::new();
    let project = installed_project(d.path());
    // The wrapper was installed from its tarball, and the platform binary
    // resolved through its optional dependency.
    let manifest = std::fs::read_to_string(project.join("package.json")).expect("read");
    assert!(manifest.contains("@logs-cli/logs"), "{manifest}");

    std::fs::write(
        project.join("export.json"),
        format!("{}\n", drain(1_768_813_200_000, "GET /inbox 200", "")),
    )
    .expect("clean export");
    let out = npm(d.path(), &project, &["run", "logs:check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("PASSED: no finding at or above low in 1 records"),
        "{stdout}"
    );

    std::fs::copy(
        repo().join("samples/dashboard.json"),
        project.join("export.json"),
    )
    .expect("sample");
    let out = npm(d.path(), &project, &["run", "logs:check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAILED: 14 findings (13 signatures, 1 access check)"),
        "{stdout}"
    );

    std::fs::remove_file(project.join("export.json")).expect("rm");
    let out = npm(d.path(), &project, &["run", "logs:check"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unreadable export is an error"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("export.json"));

    launcher_forwards_signals(&project);
    launcher_explains_a_missing_platform_package(&project);
}

/// SIGTERM to the launcher ends the binary, and the launcher ends by the
/// same signal.
fn launcher_forwards_signals(project: &Path) {
    let mut child = Command::new(project.join("node_modules/.bin/logs"))
        .args(["check", "-"])
        .current_dir(project)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the launcher");
    let launcher = child.id();
    // Wait until the launcher has started the binary (it reads stdin,
    // which stays open): its child shows in /proc, first as a forked node,
    // then as the binary once it has exec'd.
    let children = format!("/proc/{launcher}/task/{launcher}/children");
    let binary = loop {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the launcher ended before starting the binary: {status:?}");
        }
        let list = std::fs::read_to_string(&children).unwrap_or_default();
        if let Some(pid) = list.split_whitespace().next() {
            let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok();
            if exe.is_some_and(|e| e.ends_with("bin/logs")) {
                break pid.to_string();
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    Command::new("kill")
        .args(["-TERM", &launcher.to_string()])
        .status()
        .expect("kill");
    let status = child.wait().expect("wait");
    drop(child.stdin.take());
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
    }
    assert_eq!(
        status.signal(),
        Some(15),
        "ended by SIGTERM: {status:?}; stderr: {stderr}"
    );
    let state = std::fs::read_to_string(format!("/proc/{binary}/stat")).unwrap_or_default();
    assert!(
        state.is_empty() || state.contains(") Z "),
        "the binary ended too: {state}"
    );
}

fn launcher_explains_a_missing_platform_package(project: &Path) {
    let modules = project.join("node_modules/@logs-cli");
    let platform = platform();
    std::fs::rename(modules.join(&platform), modules.join("moved")).expect("move");
    let out = Command::new(project.join("node_modules/.bin/logs"))
        .arg("--version")
        .output()
        .expect("run the launcher");
    std::fs::rename(modules.join("moved"), modules.join(&platform)).expect("move back");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("@logs-cli/{platform} is not installed"))
            && stderr.contains("--omit=optional"),
        "{stderr}"
    );
}

#[test]
fn build_refuses_versions_that_differ_from_cargo_toml() {
    need("node");
    let d = Dir::new();
    let tree = npm_tree(d.path());
    let pkg = tree.join("linux-arm64/package.json");
    let text = std::fs::read_to_string(&pkg).expect("read");
    let version = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
    std::fs::write(&pkg, text.replace(&version, "\"0.0.9\"")).expect("write");
    let out = Command::new("node")
        .arg(tree.join("build.js"))
        .args(["--binary", env!("CARGO_BIN_EXE_logs")])
        .output()
        .expect("run build.js");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "npm/linux-arm64/package.json: @logs-cli/linux-arm64 is 0.0.9, Cargo.toml is"
        ),
        "{stderr}"
    );
}

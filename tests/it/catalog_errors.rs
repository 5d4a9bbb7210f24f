//! Catalog mistakes through the binary: an unknown key or an unknown
//! `sources` value is an error (exit 2) naming the file, the signature and
//! the key; a valid `sources` scope is applied to records.

use crate::common::{Dir, check_json, logs};

const SIG: &str = "[[signature]]\nid = \"build-broke\"\ntitle = \"t\"\nseverity = \"high\"\nmeaning = \"m\"\naction = \"a\"\nanchors = [\"Build failed badly\"]\n";

fn stderr_of(catalog: &str) -> (i32, String) {
    let dir = Dir::new();
    let cat = dir.file("mine.toml", catalog);
    let input = dir.file("x.ndjson", "{\"message\":\"ok\",\"source\":\"lambda\"}\n");
    let out = logs()
        .args(["check", "--signatures"])
        .arg(&cat)
        .arg(&input)
        .output()
        .expect("run logs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn unknown_keys_and_sources_name_file_signature_and_key() {
    let (code, err) = stderr_of(&format!("{SIG}source = [\"build\"]\n"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("mine.toml: signature `build-broke`: unknown key `source`"),
        "{err}"
    );
    let (code, err) = stderr_of(&format!("{SIG}sources = [\"builds\"]\n"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "mine.toml: signature `build-broke`: key `sources`: unknown source \"builds\""
        ),
        "{err}"
    );
}

#[test]
fn a_sources_scope_limits_a_signature_to_those_records() {
    let dir = Dir::new();
    let cat = dir.file("mine.toml", format!("{SIG}sources = [\"build\"]\n"));
    let input = dir.file(
        "x.ndjson",
        concat!(
            "{\"timestamp\":1768813460047,\"source\":\"build\",\"message\":\"Build failed badly\"}\n",
            "{\"timestamp\":1768813460048,\"source\":\"lambda\",\"message\":\"Build failed badly\"}\n",
            "{\"timestamp\":1768813460049,\"source\":\"static\",\"message\":\"Build failed badly\"}\n",
        ),
    );
    let (code, report) = check_json(
        &[
            "--no-builtin",
            "--signatures",
            cat.to_str().expect("utf-8"),
            input.to_str().expect("utf-8"),
        ],
        None,
    );
    assert_eq!(code, 1);
    assert_eq!(report["findings"][0]["signature"], "build-broke");
    assert_eq!(report["findings"][0]["count"], 1);
}

//! `logs audit --suggest` on multi-line Node.js errors (texts from public
//! issues, see tests/real/templates/messages.toml): `fetch failed` with
//! different causes and a Prisma error behind its call preamble are
//! separate unknown groups, and each stub is specific enough that
//! `logs signatures test` passes with the other groups' examples as
//! `rejects`, and matches only its own group once added to the catalog.
//! The built-in catalog is left out (`--no-builtin`), so that every one of
//! these errors is unknown whatever the catalog learns.

mod common;

use common::{Dir, drain, logs};

/// From nodejs/undici#3300 and vercel/next.js#49896 (frames trimmed).
const SOCKET: &str = "TypeError: fetch failed\n    at node:internal/deps/undici/undici:12502:13\n    at async streamFetch (file:///srv/www/example.mjs:52:18) {\n  [cause]: SocketError: other side closed\n      at Socket.<anonymous> (/srv/www/node_modules/undici/lib/dispatcher/client-h1.js:681:24) {\n    code: 'UND_ERR_SOCKET'\n  }\n}";
const REFUSED: &str = "TypeError: fetch failed\n    at Object.fetch (node:internal/deps/undici/undici:11457:11) {\n  cause: Error: connect ECONNREFUSED 127.0.0.1:3000\n      at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1494:16) {\n    errno: -4078,\n    code: 'ECONNREFUSED',\n    syscall: 'connect'\n  }\n}";
/// From icoretech/airbroke#129 (frames trimmed).
const UNIQUE: &str = "- error PrismaClientKnownRequestError: \nInvalid `prisma.occurrence.upsert()` invocation:\n\n\nUnique constraint failed on the fields: (`notice_id`,`message`)\n    at zr.handleRequestError (/app/node_modules/@prisma/client/runtime/library.js:122:8308) {\n  code: 'P2002'\n}";

#[test]
fn stubs_of_sibling_causes_reject_each_other() {
    let t0 = 1_768_813_200_000; // 2026-01-19T09:00:00Z
    let body: Vec<String> = [SOCKET, REFUSED, UNIQUE, SOCKET, REFUSED, UNIQUE]
        .iter()
        .enumerate()
        .map(|(i, m)| drain(t0 + i as i64 * 1_000, m, ""))
        .collect();
    let d = Dir::new();
    let export = d.file("x.ndjson", body.join("\n") + "\n");
    let export = export.to_str().expect("utf-8");
    let out = logs()
        .args(["audit", export, "--format", "json", "--no-builtin"])
        .output()
        .expect("run");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut templates: Vec<&str> = r["unknown"]
        .as_array()
        .expect("unknown")
        .iter()
        .map(|g| g["template"].as_str().expect("template"))
        .collect();
    templates.sort();
    assert_eq!(
        templates,
        [
            "TypeError: fetch failed [cause: ECONNREFUSED]",
            "TypeError: fetch failed [cause: UND_ERR_SOCKET]",
            "Unique constraint failed on the fields: (<*>)",
        ]
    );

    let stubs = d.path().join("stubs");
    logs()
        .args(["audit", export, "--no-builtin", "--suggest"])
        .arg(&stubs)
        .assert()
        .code(0);
    let mut texts = Vec::new();
    for f in std::fs::read_dir(&stubs).expect("stubs") {
        texts.push(std::fs::read_to_string(f.expect("entry").path()).expect("stub"));
    }
    assert_eq!(texts.len(), 3);
    for t in texts.iter().filter(|t| t.contains("fetch failed")) {
        assert!(t.contains("rejects = ["), "{t}");
    }
    let test = logs()
        .args(["signatures", "test"])
        .arg(&stubs)
        .output()
        .expect("run");
    assert_eq!(
        test.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&test.stdout)
    );

    // With the stubs in the catalog, each group is its own signature.
    let out = logs()
        .args([
            "audit",
            export,
            "--format",
            "json",
            "--no-builtin",
            "--signatures",
        ])
        .arg(&stubs)
        .output()
        .expect("run");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(r["unknown"].as_array().map(Vec::len), Some(0));
    let totals: Vec<u64> = r["signatures"]
        .as_array()
        .expect("signatures")
        .iter()
        .map(|s| s["total"].as_u64().expect("total"))
        .collect();
    assert_eq!(totals, [2, 2, 2], "{r:#}");
}

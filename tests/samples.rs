//! The bundled samples: regenerated from the generator and compared byte for
//! byte (run with `LOGS_BLESS=1` to rewrite them after a deliberate change),
//! then checked through the real binary: every shape of the same events gives
//! the same per-signature counts, and the canary samples give their decision.

mod common;

use std::path::PathBuf;

use common::{Dir, check_json, counts, logs};
use logs::generate::{
    Event, Shape, Workload, WriteOptions, merge, request, traffic, write_events, write_workload,
};

const T0: i64 = 1_768_813_200_000;
const MIN: i64 = 60_000;

fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn workload() -> Workload {
    Workload {
        seed: 42,
        records: 600,
        signature_hits_per_thousand: 70.0,
        look_alikes_per_thousand: 10.0,
        ..Workload::default()
    }
}

/// The canary scenario: a clean baseline, and a canary that throws five
/// distinct Server Action 500s in its first minutes (`bad`), or stays clean
/// for 45 minutes.
fn canary(bad: bool) -> Vec<Event> {
    let minutes = if bad { 12 } else { 45 };
    let mut all = traffic(
        3,
        "dpl_8mFwq2XoYb7TcJ3hLk9sNv4RzPd1",
        T0 - 30 * MIN,
        30 + minutes,
        7,
    );
    all.extend(traffic(
        4,
        "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L",
        T0,
        minutes,
        7,
    ));
    if bad {
        for i in 0..5 {
            let t = T0 + MIN + i * 90_000;
            let route = ["/", "/leads/[id]", "/inbox", "/settings", "/campaigns/[id]"][i as usize];
            let path = route.replace("[id]", "42");
            all.push(
                request(t, "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L", "POST", &path, route, 500)
                    .with_level("error")
                    .with_duration(180)
                    .with_message(format!(
                        "⨯ Error: A \"use server\" file can only export async functions, found object.\nRead more: https://nextjs.org/docs/messages/invalid-use-server-value\n{{ digest: '{}@E352' }}",
                        4_171_760_897u64 + i as u64
                    )),
            );
        }
    }
    merge([all])
}

fn render(name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let shape_of = |s: &str| Shape::from_name(s).expect("shape");
    let plain = WriteOptions::default();
    let result = match name {
        "drain.ndjson" => write_workload(shape_of("drain-ndjson"), &workload(), &plain, &mut out),
        "drain-batches.json" => {
            write_workload(shape_of("drain-batches"), &workload(), &plain, &mut out)
        }
        "dashboard.json" => {
            write_workload(shape_of("dashboard-json"), &workload(), &plain, &mut out)
        }
        "dashboard.csv" => {
            let opts = WriteOptions {
                crlf: true,
                bom: true,
                ..WriteOptions::default()
            };
            write_workload(shape_of("dashboard-csv"), &workload(), &opts, &mut out)
        }
        "cli.ndjson" => write_workload(shape_of("cli-json"), &workload(), &plain, &mut out),
        "cli-legacy.ndjson" => {
            write_workload(shape_of("cli-legacy-json"), &workload(), &plain, &mut out)
        }
        "dashboard-copy.jsonl" => {
            write_workload(shape_of("dashboard-copy"), &workload(), &plain, &mut out)
        }
        "drain.ndjson.gz" => {
            let opts = WriteOptions {
                gzip: true,
                gzip_member_bytes: Some(200_000),
                ..WriteOptions::default()
            };
            write_workload(shape_of("drain-ndjson"), &workload(), &opts, &mut out)
        }
        "canary-rollback.ndjson" => {
            write_events(shape_of("drain-ndjson"), canary(true), &plain, &mut out)
        }
        "canary-proceed.json" => {
            write_events(shape_of("dashboard-json"), canary(false), &plain, &mut out)
        }
        other => panic!("unknown sample {other}"),
    };
    result.expect("generate sample");
    out
}

const SHAPES: [&str; 8] = [
    "drain.ndjson",
    "drain-batches.json",
    "dashboard.json",
    "dashboard.csv",
    "cli.ndjson",
    "cli-legacy.ndjson",
    "dashboard-copy.jsonl",
    "drain.ndjson.gz",
];

#[test]
fn samples_match_the_generator() {
    let bless = std::env::var_os("LOGS_BLESS").is_some();
    for name in SHAPES
        .iter()
        .chain(&["canary-rollback.ndjson", "canary-proceed.json"])
    {
        let want = render(name);
        let path = samples_dir().join(name);
        if bless {
            std::fs::write(&path, &want).expect("write sample");
        }
        let have = std::fs::read(&path).unwrap_or_default();
        assert!(
            have == want,
            "samples/{name} is out of date: run `LOGS_BLESS=1 cargo test --test samples`"
        );
    }
}

/// Renders a sample into `dir` (the checked-in copy is compared separately,
/// so these tests never race a blessing run).
fn fresh(dir: &Dir, name: &str) -> PathBuf {
    dir.file(name, render(name))
}

#[test]
fn every_shape_of_the_same_events_gives_the_same_counts() {
    let dir = Dir::new();
    let mut first: Option<Vec<(String, u64)>> = None;
    for name in SHAPES {
        let path = fresh(&dir, name);
        let (code, r) = check_json(&[path.to_str().unwrap()], None);
        assert_eq!(code, 1, "{name}");
        assert_eq!(r["malformed"], 0, "{name}");
        let c = counts(&r);
        assert!(c.len() >= 10, "{name}: {c:?}");
        match &first {
            None => first = Some(c),
            Some(f) => assert_eq!(&c, f, "{name} differs from {}", SHAPES[0]),
        }
    }
}

#[test]
fn canary_samples_give_their_decisions() {
    let dir = Dir::new();
    let rollback = fresh(&dir, "canary-rollback.ndjson");
    logs()
        .args([
            "rollback",
            rollback.to_str().unwrap(),
            "--deployment",
            "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L",
        ])
        .assert()
        .code(1);
    let proceed = fresh(&dir, "canary-proceed.json");
    logs()
        .args([
            "rollback",
            proceed.to_str().unwrap(),
            "--deployment",
            "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L",
        ])
        .assert()
        .code(0);
}

//! Targets through the scan engine on real files: the whole path from
//! bytes to a check report (detection, copy header, framing, CSV, chunking,
//! mapped and streamed reading, gzip members), and every check output
//! format of the result.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use logs::check::{self, CheckAnalysis, CheckConfig, CheckReport, JunitRun};
use logs::input::{InputBytes, InputSpec, open};
use logs::report::check::{CheckFormat, write, write_junit};
use logs::report::style::Style;
use logs::scan::{ScanSettings, scan};
use serde_json::Value;

use super::engine::{Target, fuzz};
use super::records::{JSON_DICT, catalog};
use super::seeds;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip")
}

fn report(path: &Path, threads: usize, chunk_size: usize) -> CheckReport {
    let config = CheckConfig::default();
    let analysis = CheckAnalysis { config: &config };
    let settings = ScanSettings {
        threads,
        chunk_size,
        progress: None,
        ..ScanSettings::default()
    };
    let outcome = scan(
        &[InputSpec::Path(path.to_path_buf())],
        catalog(),
        &analysis,
        &settings,
    );
    check::build(&outcome, catalog(), &config)
}

/// What must not depend on how the input was read: everything but the
/// fields that describe the reading (gzip, bytes on disk, the damage's
/// wording).
fn comparable(r: &CheckReport) -> Value {
    let mut v = serde_json::to_value(r).expect("report serialises");
    for input in v["inputs"].as_array_mut().into_iter().flatten() {
        for key in ["path", "gzip", "bytes"] {
            input.as_object_mut().map(|o| o.remove(key));
        }
        for key in ["damage", "error"] {
            input[key] = Value::Bool(!input[key].is_null());
        }
    }
    if let Some(o) = v.as_object_mut() {
        o.remove("errors");
    }
    for f in v["findings"].as_array_mut().into_iter().flatten() {
        for s in f["samples"].as_array_mut().into_iter().flatten() {
            s.as_object_mut().map(|o| o.remove("input"));
        }
    }
    v
}

/// Every output format is well-formed whatever the input held.
fn check_outputs(r: &CheckReport) {
    let json = serde_json::to_string(r).expect("JSON");
    let _: Value = serde_json::from_str(&json).expect("the JSON output parses");
    for format in [
        CheckFormat::Table,
        CheckFormat::Markdown,
        CheckFormat::Github,
    ] {
        let mut out = Vec::new();
        write(r, format, Style::PLAIN, &mut out).expect("write");
        let text = String::from_utf8(out).expect("UTF-8 output");
        // Tabs are harmless in a Markdown code block; nothing else is.
        let allowed = |c: char| c == '\n' || (c == '\t' && format == CheckFormat::Markdown);
        assert!(
            !text.chars().any(|c| c.is_control() && !allowed(c)),
            "{format:?} output holds a control character: {text:?}"
        );
        if format == CheckFormat::Github {
            for line in text.lines() {
                assert!(
                    line.starts_with("::"),
                    "a github output line is not a command: {line:?}"
                );
            }
        }
    }
    let run = JunitRun {
        started_ms: 1_768_813_200_000,
        seconds: 0.5,
        strict: false,
    };
    let mut out = Vec::new();
    write_junit(&check::junit(r, catalog(), run), &mut out).expect("junit");
    let text = String::from_utf8(out).expect("UTF-8 JUnit");
    roxmltree::Document::parse(&text).expect("the JUnit output is XML");
}

pub struct Files {
    _dir: tempfile::TempDir,
    plain: PathBuf,
    gz: PathBuf,
}

impl Files {
    pub fn new() -> Files {
        let dir = tempfile::tempdir().expect("temp dir");
        Files {
            plain: dir.path().join("input"),
            gz: dir.path().join("input.gz"),
            _dir: dir,
        }
    }

    /// The uncompressed input file.
    pub fn plain(&self) -> &Path {
        &self.plain
    }
}

/// A cheap hash of the input, to vary chunk sizes deterministically.
fn hash(bytes: &[u8]) -> usize {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    }) as usize
}

/// The scan property: `mutant`, repeated past the streaming reader's first
/// read (64 KiB) so that streamed blocks are cut in the middle of whatever
/// it holds, gives the same report read serially, in chunks on two threads,
/// and streamed from gzip; and every output format of it is well-formed.
pub fn scan_property(files: &Files, mutant: &[u8]) {
    let mut bytes = Vec::new();
    while !mutant.is_empty() && bytes.len() < 70 << 10 {
        bytes.extend_from_slice(mutant);
    }
    std::fs::write(&files.plain, &bytes).expect("write");
    std::fs::write(&files.gz, gzip(&bytes)).expect("write");
    let serial = report(&files.plain, 1, usize::MAX / 2);
    check_outputs(&serial);
    let chunk = 1024 + hash(mutant) % (20 << 10);
    let parallel = report(&files.plain, 2, chunk);
    let want = comparable(&serial);
    assert_eq!(
        comparable(&parallel),
        want,
        "chunked (chunk {chunk}) differs from serial"
    );
    let streamed = report(&files.gz, 2, chunk);
    assert_eq!(
        comparable(&streamed),
        want,
        "streamed (block {chunk}) differs from mapped"
    );
}

pub fn scan_file() {
    let files = Files::new();
    fuzz(
        Target {
            name: "scan_file",
            seeds: seeds::containers(),
            dict: JSON_DICT,
            max_len: 24 << 10,
            cases: 400,
        },
        |mutant| scan_property(&files, mutant),
    );
}

pub fn gzip_members() {
    let mut seeds = vec![seeds::read("samples/drain.ndjson.gz")];
    seeds[0].truncate(8 << 10);
    for s in seeds::containers().into_iter().take(8) {
        let one = gzip(&s);
        let mut two = one.clone();
        two.extend(gzip(
            b"{\"message\":\"P2002 second member\",\"level\":\"error\"}\n",
        ));
        seeds.push(one);
        seeds.push(two);
    }
    const DICT: &[&[u8]] = &[
        b"\x1f\x8b\x08\x00",
        b"\x1f\x8b",
        b"\x00\x00\xff\xff",
        b"\x03\x00",
    ];
    let files = Files::new();
    fuzz(
        Target {
            name: "gzip_members",
            seeds,
            dict: DICT,
            max_len: 16 << 10,
            cases: 600,
        },
        |bytes| {
            std::fs::write(&files.gz, bytes).expect("write");
            // Reading the stream ends in data or an error, within bounds.
            if let Ok(opened) = open(&InputSpec::Path(files.gz.clone())) {
                if let InputBytes::Stream(r) = opened.bytes {
                    let mut sink = Vec::new();
                    let _ = std::io::Read::read_to_end(
                        &mut std::io::Read::take(r, 64 << 20),
                        &mut sink,
                    );
                }
            }
            let r = report(&files.gz, 2, 4096);
            check_outputs(&r);
        },
    );
}

//! Tests of the matcher on the built-in catalog: token boundaries, URLs,
//! captures, fingerprints and source scopes.

use super::{Field, SignatureSet, load_catalog};
use crate::record::Record;

fn set() -> SignatureSet {
    SignatureSet::new(load_catalog(true, &[]).unwrap()).unwrap()
}

fn ids(set: &SignatureSet, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    set.match_text(Field::Message, text, 0, &mut out);
    out.iter()
        .map(|h| set.defs()[h.signature].id.clone())
        .collect()
}

#[test]
fn anchors_inside_longer_tokens_do_not_count() {
    let s = set();
    assert!(ids(&s, "Invoice INV-P20021 paid").is_empty());
    assert!(ids(&s, "Order SKU E352-blue shipped").is_empty());
    assert_eq!(ids(&s, "{ code: 'P2002' }"), ["prisma-unique-constraint"]);
}

#[test]
fn codes_in_request_lines_and_urls_are_not_hits() {
    let s = set();
    assert!(ids(&s, "GET /docs/errors/P2002 200 in 14ms").is_empty());
    assert!(
        ids(
            &s,
            "see https://vercel.com/docs/errors/FUNCTION_INVOCATION_TIMEOUT"
        )
        .is_empty()
    );
    assert_eq!(
        ids(&s, "Code: FUNCTION_INVOCATION_TIMEOUT"),
        ["vercel-function-timeout"]
    );
}

#[test]
fn p1001_keeps_host_and_port_when_the_code_comes_first() {
    let s = set();
    let mut hits = Vec::new();
    s.match_text(
        Field::Message,
        "{ errorCode: 'P1001' } Error: P1001: Can't reach database server at `db.x.supabase.co`:`5432`",
        0,
        &mut hits,
    );
    assert!(
        hits[0]
            .fingerprint
            .ends_with("[host=db.x.supabase.co] [port=5432]"),
        "{}",
        hits[0].fingerprint
    );
}

#[test]
fn sources_scope_signatures_to_records() {
    let s = set();
    let oom = "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory";
    let of = |source: Option<&str>| {
        let rec = Record {
            source: source.map(Into::into),
            lines: vec![crate::record::LogLine {
                level: None,
                text: oom.into(),
            }],
            ..Record::default()
        };
        let mut out = Vec::new();
        s.match_record(&rec, &mut out);
        out.iter()
            .map(|h| s.defs()[h.signature].id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(of(Some("build")), ["vercel-build-out-of-memory"]);
    assert_eq!(of(Some("lambda")), ["node-heap-out-of-memory"]);
    assert_eq!(of(None), ["node-heap-out-of-memory"]);
    assert!(of(Some("static")).is_empty());
}

#[test]
fn prefilter_sees_escaped_anchors() {
    let s = set();
    assert!(
        s.is_candidate(br#"{"message":"A \"use server\" file can only export async functions"}"#)
    );
    assert!(s.is_candidate(b"x,\"A \"\"use server\"\" file can only export async\""));
    assert!(!s.is_candidate(br#"{"message":"all good"}"#));
}

/// A record holding only a probe is a candidate, and confirming it finds
/// nothing; one holding an anchor too (before or after the probe) finds
/// the anchor's signature.
#[test]
fn a_probe_makes_a_candidate_and_confirms_nothing() {
    let s = set()
        .with_probes(vec!["api/cron".into(), "Task timed".into()])
        .unwrap();
    let hits = |raw: &[u8]| {
        let mut out = Vec::new();
        s.match_record(&crate::record::decode_json(raw).unwrap(), &mut out);
        out.len()
    };
    let probe = br#"{"path":"/api/cron/sync","message":"ok"}"#;
    assert!(s.is_candidate(probe));
    assert_eq!(hits(probe), 0);
    for both in [
        &br#"{"path":"/api/cron/sync","source":"lambda","message":"Task timed out after 300 seconds"}"#[..],
        br#"{"message":"Error: P1001: Can't reach database server at `db.example.co:5432`","path":"/api/cron/x"}"#,
    ] {
        assert!(s.is_candidate(both));
        assert_eq!(hits(both), 1);
    }
    assert!(!s.is_candidate(br#"{"message":"all good"}"#));
    // Without the probes, the probe's record is no candidate.
    assert!(!set().is_candidate(probe));
}

#[test]
fn fingerprints_ignore_variable_parts_and_keep_captures() {
    let s = set();
    let mut a = Vec::new();
    s.match_text(
        Field::Message,
        "Vercel Runtime Timeout Error: Task timed out after 300 seconds",
        0,
        &mut a,
    );
    let mut b = Vec::new();
    s.match_text(
        Field::Message,
        "Vercel Runtime Timeout Error: Task timed out after 800 seconds",
        0,
        &mut b,
    );
    assert_ne!(a[0].fingerprint_hash, b[0].fingerprint_hash);
    let mut c = Vec::new();
    s.match_text(Field::Message, "{ digest: '1111@E352' }", 0, &mut c);
    let mut d = Vec::new();
    s.match_text(Field::Message, "{ digest: '2222@E352' }", 0, &mut d);
    assert_eq!(c[0].fingerprint, d[0].fingerprint);
}

/// Built-in regexes are compiled when first needed: each must compile.
#[test]
fn every_builtin_regex_compiles() {
    let defs = load_catalog(true, &[]).unwrap();
    let with_regex: Vec<_> = defs.iter().filter(|d| d.regex.is_some()).collect();
    assert!(with_regex.len() > 10);
    for d in with_regex {
        assert!(d.is_builtin(), "{}", d.source);
        let r = d.regex.as_deref().unwrap();
        assert!(regex::Regex::new(r).is_ok(), "{}: {r}", d.id);
    }
}

/// Remembering what a text confirmed changes nothing: on every example
/// text of the catalog, alone and in pairs (a signature counts once per
/// record, from its first line), from every source (scopes apply per
/// record), the memo's hits are the fresh ones, whether the text is new
/// to the memo or already in it.
#[test]
fn the_confirmation_memo_gives_the_same_hits() {
    use crate::record::LogLine;
    use crate::signatures::{ConfirmMemo, RecordSource};
    let s = set();
    let texts: Vec<&str> = (s.defs().iter())
        .flat_map(|d| d.matches.iter().chain(&d.rejects))
        .map(String::as_str)
        .collect();
    assert!(texts.len() > 100, "{}", texts.len());
    let sources: Vec<Option<&str>> = std::iter::once(None)
        .chain(RecordSource::ALL.iter().map(|r| Some(r.as_str())))
        .collect();
    let mut memo = ConfirmMemo::default();
    let mut hits = 0;
    for round in 0..2 {
        for (i, a) in texts.iter().enumerate() {
            let b = texts[(i * 7 + round) % texts.len()];
            for source in &sources {
                let rec = Record {
                    source: source.map(Into::into),
                    path: Some((*a).into()),
                    lines: [a, &b]
                        .iter()
                        .map(|t| LogLine {
                            level: None,
                            text: (**t).into(),
                        })
                        .collect(),
                    ..Record::default()
                };
                let (mut fresh, mut remembered) = (Vec::new(), Vec::new());
                s.match_record(&rec, &mut fresh);
                s.match_record_memo(&rec, &mut memo, &mut remembered);
                assert_eq!(fresh, remembered, "{a:?} + {b:?} from {source:?}");
                hits += fresh.len();
            }
        }
    }
    assert!(hits > 1000, "{hits}");
}

/// The memo keeps fields apart: the same text confirms one signature as a
/// message and another as a path. So does the memo the chunks share: a new
/// chunk's memo draws on it.
#[test]
fn the_confirmation_memo_keeps_fields_apart() {
    use crate::record::LogLine;
    use crate::signatures::{ConfirmMemo, parse_catalog};
    let toml = r#"
[[signature]]
id = "in-message"
title = "t"
severity = "low"
anchors = ["legacy-export"]
meaning = "m"
action = "a"

[[signature]]
id = "in-path"
title = "t"
severity = "low"
field = "path"
anchors = ["legacy-export"]
meaning = "m"
action = "a"
"#;
    let s = SignatureSet::new(parse_catalog("fields.toml", toml).unwrap()).unwrap();
    let text = "legacy-export";
    let message = Record {
        lines: vec![LogLine {
            level: None,
            text: text.into(),
        }],
        ..Record::default()
    };
    let path = Record {
        path: Some(text.into()),
        ..Record::default()
    };
    let mut memo = ConfirmMemo::default();
    for rec in [&message, &path, &message, &path] {
        let (mut fresh, mut remembered, mut shared) = (Vec::new(), Vec::new(), Vec::new());
        s.match_record(rec, &mut fresh);
        s.match_record_memo(rec, &mut memo, &mut remembered);
        s.match_record_memo(rec, &mut ConfirmMemo::default(), &mut shared);
        assert_eq!(fresh.len(), 1);
        assert_eq!(fresh, remembered);
        assert_eq!(fresh, shared);
    }
}

/// Every literal start the prefilter reports in `hay`, one search after
/// another (as the scan asks: from just past the last one).
fn literal_starts(set: &SignatureSet, hay: &[u8]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(at) = set.find_literal(hay, from, hay.len()) {
        starts.push(at);
        from = at + 1;
    }
    starts
}

/// Ordering the literals for an input changes no result: the prefilter
/// finds the same starts, on the bundled samples (each format) and on text
/// packed with literals and near misses.
#[test]
fn ordering_the_prefilter_for_an_input_finds_the_same_literals() {
    let plain = set();
    let ordered = set();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
    let mut files: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x != "gz" && x != "md"))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    ordered.order_prefilter_for(&std::fs::read(format!("{dir}/drain.ndjson")).unwrap());
    assert!(ordered.prefilter_is_ordered());
    assert!(!plain.prefilter_is_ordered());
    let mut dense = Vec::new();
    for (i, anchor) in plain.raw_patterns().iter().enumerate() {
        let cut = anchor.len() / 2;
        dense.extend_from_slice(format!("{i} {anchor}{anchor}").as_bytes());
        // A near miss: the anchor without its last byte, then its second
        // half alone.
        dense.extend_from_slice(&anchor.as_bytes()[..anchor.len() - 1]);
        dense.extend_from_slice(&anchor.as_bytes()[cut..]);
    }
    files.push(dense);
    let mut found = 0;
    for hay in &files {
        let expected = literal_starts(&plain, hay);
        found += expected.len();
        assert_eq!(literal_starts(&ordered, hay), expected);
    }
    assert!(found > 2 * plain.raw_patterns().len(), "{found}");
}

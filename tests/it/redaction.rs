//! The redaction corpus (`tests/real/redaction.toml`) against
//! `logs::redact::redact`: secrets go, real error text stays; and every real
//! error text of `tests/real/texts.toml` still gets its signature once
//! redacted, so samples never lose the words that name the error.

use logs::record::{LogLine, Record};
use logs::redact::redact;
use logs::signatures::{SignatureSet, load_catalog};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    secret: Vec<Secret>,
    keep: Vec<Keep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Secret {
    text: String,
    gone: Vec<String>,
    kinds: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Keep {
    text: String,
    source: String,
}

#[derive(Deserialize)]
struct Texts {
    text: Vec<Text>,
}

#[derive(Deserialize)]
struct Text {
    text: String,
    source: String,
    record_source: Option<String>,
}

fn read(name: &str) -> String {
    let path = format!("{}/tests/real/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn secrets_go_and_error_text_stays() {
    let corpus: Corpus = toml::from_str(&read("redaction.toml")).expect("redaction.toml parses");
    let mut failures = Vec::new();
    for s in &corpus.secret {
        let out = redact(&s.text);
        for g in &s.gone {
            if out.contains(g.as_str()) {
                failures.push(format!("kept {g:?}: {out}"));
            }
        }
        for k in &s.kinds {
            if !out.contains(k.as_str()) {
                failures.push(format!("no {k} in: {out}"));
            }
        }
    }
    for k in &corpus.keep {
        let out = redact(&k.text);
        if out != k.text {
            failures.push(format!("{}: changed to {out}", k.source));
        }
    }
    assert!(corpus.secret.len() >= 20 && corpus.keep.len() >= 20);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn ids(set: &SignatureSet, text: &str, source: Option<&str>) -> Vec<String> {
    let rec = Record {
        source: source.map(Into::into),
        lines: vec![LogLine {
            level: None,
            text: text.into(),
        }],
        ..Record::default()
    };
    let mut hits = Vec::new();
    set.match_record(&rec, &mut hits);
    let mut v: Vec<String> = hits
        .iter()
        .map(|h| set.defs()[h.signature].id.clone())
        .collect();
    v.sort();
    v
}

#[test]
fn redacted_real_errors_keep_their_signature() {
    let set = SignatureSet::new(load_catalog(true, &[]).expect("catalog")).expect("compiles");
    let texts: Texts = toml::from_str(&read("texts.toml")).expect("texts.toml parses");
    let mut failures = Vec::new();
    for t in &texts.text {
        let src = t.record_source.as_deref();
        let before = ids(&set, &t.text, src);
        let redacted = redact(&t.text);
        let after = ids(&set, &redacted, src);
        if before != after {
            failures.push(format!(
                "{}: {before:?} became {after:?} after redaction:\n    {redacted}",
                t.source
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

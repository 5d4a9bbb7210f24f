//! Real error texts (`tests/real/texts.toml`, each with its public source)
//! through the built-in catalog: every text must get exactly its expected
//! signature (plus any listed in `also`), look-alikes none. Each text is a
//! record of its own, with the `source` the entry names, so `sources` scopes
//! are exercised the way `logs check` applies them.

use logs::record::{LogLine, Record};
use logs::signatures::{SignatureSet, load_catalog};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    text: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    text: String,
    source: String,
    expect: String,
    class: String,
    #[serde(default)]
    also: Vec<String>,
    #[serde(default)]
    record_source: Option<String>,
    /// Collected after the catalog was settled (see the README's numbers).
    #[serde(default)]
    held_out: bool,
}

fn corpus() -> Vec<Entry> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/real/texts.toml");
    let text = std::fs::read_to_string(path).expect("read texts.toml");
    toml::from_str::<Corpus>(&text)
        .expect("texts.toml parses")
        .text
}

fn catalog() -> SignatureSet {
    SignatureSet::new(load_catalog(true, &[]).expect("built-in catalog")).expect("compiles")
}

/// The signature ids the catalog finds in one entry, as `logs check` would.
fn found(set: &SignatureSet, e: &Entry) -> Vec<String> {
    let rec = Record {
        source: e.record_source.as_deref().map(Into::into),
        lines: vec![LogLine {
            level: None,
            text: e.text.as_str().into(),
        }],
        ..Record::default()
    };
    let mut hits = Vec::new();
    set.match_record(&rec, &mut hits);
    let mut ids: Vec<String> = hits
        .iter()
        .map(|h| set.defs()[h.signature].id.clone())
        .collect();
    ids.sort();
    ids
}

#[test]
fn every_real_text_gets_its_signature_and_nothing_else() {
    let set = catalog();
    let known: Vec<&str> = set.defs().iter().map(|d| d.id.as_str()).collect();
    let mut failures = Vec::new();
    for e in corpus() {
        let mut want: Vec<String> = match e.expect.as_str() {
            "none" => Vec::new(),
            id => vec![id.to_string()],
        };
        want.extend(e.also.iter().cloned());
        want.sort();
        for id in &want {
            assert!(
                known.contains(&id.as_str()),
                "{}: unknown signature {id}",
                e.source
            );
        }
        let got = found(&set, &e);
        if got != want {
            let held_out = if e.held_out { ", held out" } else { "" };
            failures.push(format!(
                "{} ({}{held_out}): want {want:?}, got {got:?}\n    {:?}",
                e.source, e.class, e.text
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_corpus_is_real_and_covers_every_class() {
    let entries = corpus();
    for e in &entries {
        assert!(
            matches!(e.class.as_str(), "known" | "new" | "none"),
            "{}: class {}",
            e.source,
            e.class
        );
        assert_eq!(e.class == "none", e.expect == "none", "{}", e.source);
        assert!(!e.source.trim().is_empty() && !e.text.trim().is_empty());
    }
    // Every class named in issue 8 §3 has real texts here (at least two each).
    let set = catalog();
    let classes = [
        "next-server-action-not-found",
        "react-too-many-rerenders",
        "prisma-unique-constraint",
        "supabase-refresh-token-not-found",
        "vercel-function-timeout",
        "vercel-edge-function-timeout",
        "node-process-crash",
        "vercel-platform-internal-error",
        "abort-error",
        "prisma-pool-timeout",
        "postgres-prepared-statement-exists",
        "postgres-connection-terminated",
        "postgres-too-many-connections",
        "network-econnreset",
        "network-etimedout",
        "supabase-auth-session-missing",
        "supabase-refresh-token-already-used",
        "supabase-missing-url-or-key",
        "prisma-missing-database-url",
        "next-dynamic-server-usage",
        "next-not-found",
        "vercel-build-out-of-memory",
    ];
    for id in classes {
        assert!(set.defs().iter().any(|d| d.id == id), "no signature {id}");
        let n = entries.iter().filter(|e| e.expect == id).count();
        assert!(n >= 2, "{id}: only {n} real texts");
    }
    assert!(entries.iter().filter(|e| e.class == "none").count() >= 10);
}

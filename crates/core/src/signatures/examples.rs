//! Checking a catalog's own examples: every `matches` text must hit its
//! signature and every `rejects` text must not.

use super::catalog::SignatureDef;
use super::matcher::SignatureSet;

/// One example that did not behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub signature: String,
    pub file: String,
    pub example: String,
    /// `true`: a `matches` example missed; `false`: a `rejects` example hit.
    pub should_match: bool,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.should_match {
            "should match but does not"
        } else {
            "should not match but does"
        };
        write!(
            f,
            "{}: signature `{}`: example {what}: {:?}",
            self.file, self.signature, self.example
        )
    }
}

/// Runs every example of every signature through the full matcher (anchors,
/// token boundaries, regex), the same path records take.
pub fn check_examples(set: &SignatureSet) -> (usize, Vec<ExampleFailure>) {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (i, def) in set.defs().iter().enumerate() {
        let cases = def
            .matches
            .iter()
            .map(|e| (e, true))
            .chain(def.rejects.iter().map(|e| (e, false)));
        for (example, should_match) in cases {
            checked += 1;
            let mut hits = Vec::new();
            set.match_text(def.field, example, 0, &mut hits);
            if hits.iter().any(|h| h.signature == i) != should_match {
                failures.push(failure(def, example, should_match));
            }
        }
    }
    (checked, failures)
}

fn failure(def: &SignatureDef, example: &str, should_match: bool) -> ExampleFailure {
    ExampleFailure {
        signature: def.id.clone(),
        file: def.source.clone(),
        example: example.to_string(),
        should_match,
    }
}

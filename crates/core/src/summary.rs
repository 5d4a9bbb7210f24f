//! What every report says about its inputs: path, format, shape, records,
//! malformed records and damage, and what a copied-logs header said. Shared
//! by the check, rollback and audit reports (and their JSON contracts).

use serde::Serialize;

use crate::input::ExportHeader;
use crate::scan::InputSummary;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InputReport {
    pub path: String,
    /// `ndjson`, `json-array`, `json-batches`, `json-document`, `csv`, `empty`,
    /// or null when unreadable.
    pub format: Option<String>,
    /// `drain`, `dashboard`, `dashboard-copy`, `cli`, `cli-legacy` or
    /// `unknown`.
    pub shape: Option<String>,
    pub gzip: bool,
    pub records: u64,
    pub malformed: u64,
    /// Records read with invalid UTF-8 or lone surrogates replaced by U+FFFD.
    pub repaired: u64,
    /// Bytes scanned (decompressed).
    pub bytes: u64,
    pub malformed_samples: Vec<MalformedReport>,
    /// What cut the input short, when something did.
    pub damage: Option<String>,
    /// Why the input could not be read at all.
    pub error: Option<String>,
    /// What the header of a dashboard "Copy logs" text said: project, team,
    /// search query and searched time range.
    pub export: Option<ExportHeader>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MalformedReport {
    pub line: u64,
    pub offset: u64,
    pub problem: String,
}

impl InputReport {
    /// What went wrong with the input as a whole, if anything.
    pub fn problem(&self) -> Option<&str> {
        self.error.as_deref().or(self.damage.as_deref())
    }
}

/// The report form of an input's scan summary.
pub fn input_report(s: &InputSummary) -> InputReport {
    InputReport {
        path: s.name.clone(),
        format: s.container.map(|c| c.to_string()),
        shape: s.shape.map(|sh| sh.as_str().to_string()),
        gzip: s.gzip,
        records: s.records,
        malformed: s.malformed,
        repaired: s.repaired,
        bytes: s.bytes,
        malformed_samples: s
            .malformed_samples
            .iter()
            .map(|m| MalformedReport {
                line: m.line,
                offset: m.offset,
                problem: m.problem.clone(),
            })
            .collect(),
        damage: s.damage.as_ref().map(ToString::to_string),
        error: s.error.as_ref().map(ToString::to_string),
        export: s.export.clone(),
    }
}

/// Whether any input could not be read, or was cut short.
pub fn any_problem(inputs: &[InputReport]) -> bool {
    inputs.iter().any(|i| i.problem().is_some())
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

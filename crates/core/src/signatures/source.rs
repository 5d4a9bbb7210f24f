//! Record sources: what produced a log line (a build, a function, the CDN),
//! and the `sources` key that scopes a signature to some of them.
//!
//! Exports name sources differently: drains say `lambda`/`edge`/`build`/
//! `static`/`external`/`firewall`/`redirect`, the dashboard's copy and the
//! CLI say `serverless`/`edge-function`/`edge-middleware`, and the dashboard
//! download only has a `type` (`serverless`, `function`, `static`). Every
//! spelling maps to one [`RecordSource`].
//!
//! A record that names no source comes from an export that holds runtime
//! output only (the dashboard and CLI exports never carry build lines), so it
//! counts as function output: it matches a scoped signature when the scope
//! includes `lambda` or `edge`.

use std::fmt;

use crate::record::Record;

/// What produced a record, in the catalog's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordSource {
    /// Build output (`npm run build`, `next build`).
    Build,
    /// A Node.js (serverless) function.
    Lambda,
    /// An edge function or middleware.
    Edge,
    /// A static asset served by the CDN: not function output.
    Static,
    /// A rewrite to an external origin: not function output.
    External,
    /// The Vercel firewall.
    Firewall,
    /// A redirect served by the CDN.
    Redirect,
}

impl RecordSource {
    pub const ALL: [RecordSource; 7] = [
        RecordSource::Build,
        RecordSource::Lambda,
        RecordSource::Edge,
        RecordSource::Static,
        RecordSource::External,
        RecordSource::Firewall,
        RecordSource::Redirect,
    ];

    /// The name used in catalogs.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordSource::Build => "build",
            RecordSource::Lambda => "lambda",
            RecordSource::Edge => "edge",
            RecordSource::Static => "static",
            RecordSource::External => "external",
            RecordSource::Firewall => "firewall",
            RecordSource::Redirect => "redirect",
        }
    }

    /// A catalog name (exactly one of [`RecordSource::ALL`]'s names).
    pub fn from_catalog(name: &str) -> Option<RecordSource> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Any spelling an export uses for `source` or the dashboard's `type`.
    pub fn from_export(value: &str) -> Option<RecordSource> {
        // Every record is asked: compared without a lower-cased copy.
        const NAMES: [(&str, RecordSource); 12] = [
            ("build", RecordSource::Build),
            ("lambda", RecordSource::Lambda),
            ("serverless", RecordSource::Lambda),
            ("function", RecordSource::Lambda),
            ("edge", RecordSource::Edge),
            ("edge-function", RecordSource::Edge),
            ("edge-middleware", RecordSource::Edge),
            ("middleware", RecordSource::Edge),
            ("static", RecordSource::Static),
            ("external", RecordSource::External),
            ("firewall", RecordSource::Firewall),
            ("redirect", RecordSource::Redirect),
        ];
        let v = value.trim();
        (NAMES.iter())
            .find(|(name, _)| v.eq_ignore_ascii_case(name))
            .map(|&(_, source)| source)
    }

    /// The source of a record: its `source`, else its `type` when that names
    /// a source (a drain's `type` is `stdout`/`stderr`, which does not).
    pub fn of(rec: &Record<'_>) -> Option<RecordSource> {
        rec.source
            .as_deref()
            .and_then(RecordSource::from_export)
            .or_else(|| rec.kind.as_deref().and_then(RecordSource::from_export))
    }

    fn is_runtime(self) -> bool {
        matches!(self, RecordSource::Lambda | RecordSource::Edge)
    }

    /// Every catalog name, for error messages.
    pub fn names() -> String {
        Self::ALL.map(RecordSource::as_str).join(", ")
    }
}

impl fmt::Display for RecordSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The sources a signature applies to. Empty means every source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceScope(Vec<RecordSource>);

impl SourceScope {
    pub fn new(sources: Vec<RecordSource>) -> SourceScope {
        SourceScope(sources)
    }

    pub fn is_everything(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a record of `source` (`None`: the record names none) is in
    /// scope.
    pub fn admits(&self, source: Option<RecordSource>) -> bool {
        match source {
            _ if self.0.is_empty() => true,
            Some(s) => self.0.contains(&s),
            None => self.0.iter().any(|s| s.is_runtime()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_export_spelling_maps_to_a_source() {
        assert_eq!(
            RecordSource::from_export("edge-middleware"),
            Some(RecordSource::Edge)
        );
        assert_eq!(
            RecordSource::from_export("serverless"),
            Some(RecordSource::Lambda)
        );
        assert_eq!(RecordSource::from_export("stdout"), None);
        // Case and surrounding spaces do not matter; nothing else is folded.
        assert_eq!(
            RecordSource::from_export(" Lambda\t"),
            Some(RecordSource::Lambda)
        );
        assert_eq!(RecordSource::from_export("EDGE"), Some(RecordSource::Edge));
        assert_eq!(RecordSource::from_export("lambda-x"), None);
        assert_eq!(RecordSource::from_export("ſtatic"), None);
        let rec = Record {
            kind: Some("static".into()),
            ..Record::default()
        };
        assert_eq!(RecordSource::of(&rec), Some(RecordSource::Static));
    }

    #[test]
    fn unknown_sources_count_as_runtime_output() {
        let build = SourceScope::new(vec![RecordSource::Build]);
        let runtime = SourceScope::new(vec![RecordSource::Lambda, RecordSource::Edge]);
        assert!(!build.admits(None));
        assert!(runtime.admits(None));
        assert!(!runtime.admits(Some(RecordSource::Static)));
        assert!(SourceScope::default().admits(Some(RecordSource::External)));
    }
}

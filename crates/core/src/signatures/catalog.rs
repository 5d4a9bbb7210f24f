//! Catalog files: the TOML schema, loading and validation.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::catalog_keys::{check_keys, key_at, signature_at};
pub use super::error::CatalogError;
use super::source::{RecordSource, SourceScope};

/// How bad a signature is. `--fail-on` compares against this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The record field a signature is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    #[default]
    Message,
    Path,
    Route,
    UserAgent,
    Host,
}

/// What else a signature tells, besides its own finding: a typed role that
/// other analyses read (never its id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The text a webhook handler logs when a delivery's signature does not
    /// verify: a 2xx answer to such a request means it was accepted
    /// unverified (`webhook-unverified-success`).
    WebhookSignature,
}

/// One signature as written in a catalog file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureDef {
    /// Stable identifier, `[a-z0-9-]+`.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// What it means (the runbook's explanation).
    pub meaning: String,
    /// What to do.
    pub action: String,
    #[serde(default)]
    pub field: Field,
    /// Literal, case-sensitive strings; one must occur in the field at token
    /// boundaries for the signature to be considered.
    pub anchors: Vec<String>,
    /// Optional confirmation; its capture groups join the fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// Record sources the signature applies to (`build`, `lambda`, `edge`,
    /// `static`, `external`, `firewall`, `redirect`); empty means all. See
    /// [`super::RecordSource`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// What else the signature tells (see [`Role`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Field texts that must match.
    #[serde(default)]
    pub matches: Vec<String>,
    /// Field texts that must not match.
    #[serde(default)]
    pub rejects: Vec<String>,
    /// The catalog file it came from (filled in on load).
    #[serde(skip_deserializing)]
    pub source: String,
}

/// How a built-in catalog file is named in `source`.
const BUILT_IN: &str = " (built in)";

impl SignatureDef {
    /// It comes from the built-in catalog (whose regexes a test compiles).
    pub fn is_builtin(&self) -> bool {
        self.source.ends_with(BUILT_IN)
    }

    /// The validated `sources` as a scope (unknown names were rejected when
    /// the catalog was parsed).
    pub fn scope(&self) -> SourceScope {
        SourceScope::new(
            self.sources
                .iter()
                .filter_map(|s| RecordSource::from_catalog(s))
                .collect(),
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default)]
    signature: Vec<SignatureDef>,
}

/// Parses and validates one catalog file's text.
pub fn parse_catalog(file: &str, text: &str) -> Result<Vec<SignatureDef>, CatalogError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(file, text, &e, None))?;
    check_keys(file, &table)?;
    let parsed: CatalogFile = toml::from_str(text).map_err(|e| {
        let signature = e.span().and_then(|s| signature_at(text, s.start, &table));
        toml_error(file, text, &e, signature.as_deref())
    })?;
    let mut defs = parsed.signature;
    for def in &mut defs {
        def.source = file.to_string();
        validate(file, def)?;
    }
    Ok(defs)
}

/// A TOML error with its line and, when known, its signature and key.
fn toml_error(
    file: &str,
    text: &str,
    e: &toml::de::Error,
    signature: Option<&str>,
) -> CatalogError {
    let place = e
        .span()
        .map(|s| {
            let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
            match key_at(text, s.start) {
                Some(key) if signature.is_some() => format!("line {line}: key `{key}`: "),
                _ => format!("line {line}: "),
            }
        })
        .unwrap_or_default();
    CatalogError::new(file, signature, format!("{place}{}", e.message()))
}

fn validate(file: &str, def: &SignatureDef) -> Result<(), CatalogError> {
    let err = |p: String| Err(CatalogError::new(file, Some(&def.id), p));
    if def.id.is_empty()
        || !def
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(CatalogError::new(
            file,
            Some(&def.id),
            "id must be non-empty lowercase letters, digits and `-`",
        ));
    }
    if def.title.trim().is_empty() {
        return err("title is empty".into());
    }
    if def.anchors.is_empty() {
        return err("needs at least one anchor".into());
    }
    for a in &def.anchors {
        if a.len() < 3 {
            return err(format!("anchor {a:?} is shorter than 3 characters"));
        }
        if !a.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return err(format!("anchor {a:?} must be printable ASCII"));
        }
    }
    for name in &def.sources {
        if RecordSource::from_catalog(name).is_none() {
            return err(format!(
                "key `sources`: unknown source {name:?} (expected one of: {})",
                RecordSource::names()
            ));
        }
    }
    // Regexes are compiled (and reported when invalid) once, by
    // `SignatureSet::new`.
    Ok(())
}

/// Loads the built-in catalog plus the files or folders in `extra`; checks
/// that ids are unique across all of them.
pub fn load_catalog(builtin: bool, extra: &[PathBuf]) -> Result<Vec<SignatureDef>, CatalogError> {
    let mut defs = Vec::new();
    if builtin {
        for (name, text) in super::BUILTIN_FILES {
            defs.extend(parse_catalog(
                &format!("signatures/{name}{BUILT_IN}"),
                text,
            )?);
        }
    }
    for path in extra {
        for file in catalog_files(path)? {
            let name = file.display().to_string();
            let text = crate::input::read_side_text(&file)
                .map_err(|e| CatalogError::new(&name, None, format!("cannot read: {e}")))?;
            defs.extend(parse_catalog(&name, &text)?);
        }
    }
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for d in &defs {
        if let Some(first) = seen.insert(&d.id, &d.source) {
            return Err(CatalogError::new(
                &d.source,
                Some(&d.id),
                format!("id already defined in {first}"),
            ));
        }
    }
    Ok(defs)
}

/// A file, or the `*.toml` files of a folder in name order.
fn catalog_files(path: &Path) -> Result<Vec<PathBuf>, CatalogError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path)
        .map_err(|e| CatalogError::new(&name, None, format!("cannot read: {e}")))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path)
        .map_err(|e| CatalogError::new(&name, None, format!("cannot list: {e}")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(CatalogError::new(
            &name,
            None,
            "folder holds no .toml files",
        ));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_loads() {
        let defs = load_catalog(true, &[]).unwrap();
        assert!(defs.iter().any(|d| d.id == "prisma-db-unreachable"));
    }

    #[test]
    fn errors_name_file_signature_and_problem() {
        let e = parse_catalog("x.toml", "[[signature]]\nid = \"a\"\ntitle = \"t\"\nseverity = \"high\"\nmeaning = \"m\"\naction = \"a\"\nanchors = []\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.toml: signature `a`: needs at least one anchor"
        );
        let e = parse_catalog(
            "x.toml",
            "[[signature]]\nid = \"a\"\nseverity = \"urgent\"\n",
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("x.toml: signature `a`: line 3: key `severity`: "),
            "{e}"
        );
        let e = parse_catalog("x.toml", "[[signature]]\nid = \"a\"\ntitle = \"t\"\nseverity = \"high\"\nmeaning = \"m\"\naction = \"a\"\nanchors = [\"abc\"]\nsources = [\"lamda\"]\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("x.toml: signature `a`: key `sources`: unknown source \"lamda\""),
            "{e}"
        );
        let defs = parse_catalog("x.toml", "[[signature]]\nid = \"a\"\ntitle = \"t\"\nseverity = \"high\"\nmeaning = \"m\"\naction = \"a\"\nanchors = [\"abc\"]\nregex = \"(\"\n").unwrap();
        let e = super::super::SignatureSet::new(defs).err().unwrap();
        assert!(
            e.to_string()
                .starts_with("x.toml: signature `a`: invalid regex"),
            "{e}"
        );
    }
}

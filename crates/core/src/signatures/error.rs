//! [`CatalogError`]: why a signature catalog cannot be used.

/// A catalog that cannot be used. Names the file, the signature when there is
/// one, and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {problem}", .signature.as_ref().map(|s| format!(": signature `{s}`")).unwrap_or_default())]
pub struct CatalogError {
    pub file: String,
    pub signature: Option<String>,
    pub problem: String,
}

impl CatalogError {
    pub(crate) fn new(file: &str, signature: Option<&str>, problem: impl Into<String>) -> Self {
        CatalogError {
            file: file.to_string(),
            signature: signature.map(str::to_string),
            problem: problem.into(),
        }
    }
}

//! The repository config file, `logs.toml`: catalogs, `fail_on`, ignores,
//! suppressions, the rollback policy and per-command defaults, so a team's
//! gate is the same in CI and on a laptop.
//!
//! [`find`] looks for `logs.toml` in the current directory and its parents
//! (`--config FILE` names one instead). Paths inside are relative to the
//! file. Unknown keys are errors that name the key and the line. Flags
//! override the file; the file overrides the built-in defaults.

mod file;

use std::path::{Path, PathBuf};

pub use file::{AuditDefaults, CheckDefaults, ConfigFile, RollbackDefaults, TemplatesDefaults};

use crate::check::Suppression;

/// The file name searched for.
pub const FILE_NAME: &str = "logs.toml";

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The I/O error is part of the message, not a `source`: the command
    /// layer prints the whole chain, which would say it twice.
    #[error("{path}: cannot read: {cause}")]
    Read { path: String, cause: std::io::Error },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// A loaded config file, paths resolved.
#[derive(Debug, Clone, Default)]
pub struct RepoConfig {
    /// Where it was read from (`None`: no file, built-in defaults).
    pub path: Option<PathBuf>,
    pub file: ConfigFile,
    /// Extra catalogs, relative to the file's folder.
    pub signatures: Vec<PathBuf>,
    pub suppressions: Vec<Suppression>,
    /// The rollback policy overlay as TOML text (a file, or the inline
    /// `[rollback.rules]`), and where it came from.
    pub policy: Option<(String, String)>,
}

/// The `logs.toml` in `start` or its nearest parent, if any.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Loads and validates a config file.
pub fn load(path: &Path) -> Result<RepoConfig, ConfigError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|cause| ConfigError::Read {
        path: name.clone(),
        cause,
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    parse(&name, &text, dir).map(|mut c| {
        c.path = Some(path.to_path_buf());
        c
    })
}

/// Parses config text; `dir` is where relative paths start.
pub fn parse(name: &str, text: &str, dir: &Path) -> Result<RepoConfig, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        path: name.to_string(),
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file: ConfigFile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
    let suppressions = file
        .suppress
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.resolve()
                .map_err(|m| invalid(format!("[[suppress]] #{}: {m}", i + 1)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let policy = match (&file.rollback.policy, &file.rollback.rules) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "[rollback]: give either `policy` (a file) or `[rollback.rules.…]`, not both"
                    .into(),
            ));
        }
        (Some(p), None) => {
            let p = dir.join(p);
            let text = std::fs::read_to_string(&p).map_err(|cause| ConfigError::Read {
                path: p.display().to_string(),
                cause,
            })?;
            Some((p.display().to_string(), text))
        }
        (None, Some(rules)) => {
            let mut t = toml::Table::new();
            t.insert("rules".into(), toml::Value::Table(rules.clone()));
            Some((format!("{name} [rollback.rules]"), t.to_string()))
        }
        (None, None) => None,
    };
    Ok(RepoConfig {
        path: None,
        signatures: file.signatures.iter().map(|p| dir.join(p)).collect(),
        suppressions,
        policy,
        file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_section() {
        let text = r#"
signatures = ["team-signatures"]

[check]
fail_on = "medium"
ignore = ["node-deprecation-warning"]

[rollback.rules.server-action-500s]
max_unique_errors = 5

[[suppress]]
signature = "prisma-unique-constraint"
until = 2026-12-31
reason = "dedupe race, fixed in #123"
"#;
        let c = parse("logs.toml", text, Path::new("/repo")).unwrap();
        assert_eq!(c.signatures, [PathBuf::from("/repo/team-signatures")]);
        assert_eq!(
            c.file.check.fail_on,
            Some(crate::signatures::Severity::Medium)
        );
        assert_eq!(c.suppressions.len(), 1);
        assert_eq!(c.suppressions[0].until.to_string(), "2026-12-31");
        let (origin, policy) = c.policy.unwrap();
        assert!(origin.contains("[rollback.rules]"));
        assert!(policy.contains("max_unique_errors = 5"), "{policy}");
    }

    #[test]
    fn unknown_keys_and_bad_suppressions_name_the_place() {
        let e = parse("logs.toml", "[check]\nfail_onn = \"low\"\n", Path::new("."))
            .unwrap_err()
            .to_string();
        assert!(e.contains("fail_onn") && e.contains("line 2"), "{e}");
        let e = parse(
            "logs.toml",
            "\n[check]\nformat = \"html\"\n",
            Path::new("."),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("line 3") && e.contains("junit"), "{e}");
        let e = parse(
            "logs.toml",
            "[[suppress]]\nsignature = \"a\"\nuntil = 2026-12-31\n",
            Path::new("."),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("reason"), "{e}");
        let e = parse(
            "logs.toml",
            "[[suppress]]\nsignature = \"a\"\nuntil = \"soon\"\nreason = \"x\"\n",
            Path::new("."),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("until"), "{e}");
    }
}

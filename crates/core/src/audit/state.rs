//! [`AuditState`]: what earlier audits saw, carried from one week to the
//! next (`--state FILE` reads it, `--save-state FILE` writes it), so that
//! "new" means never seen before, not merely absent from this week's files.
//!
//! The file is versioned JSON (`logs.audit-state/v1`). Unknown-error
//! templates are kept as tokens (see [`crate::text::encode_tokens`]) so
//! that the next run's miner recognises them even when their text has
//! grown a variable since.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::period::PeriodKind;
use crate::record::time::{format_ms, parse_rfc3339};

/// Schema name and version of the state file.
pub const STATE_SCHEMA: &str = "logs.audit-state/v1";

/// A state file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not an audit state file: {problem}")]
    Invalid { path: String, problem: String },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Everything earlier audits knew.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditState {
    pub schema: String,
    /// The period kind of the audit that saved it (informational).
    pub period: PeriodKind,
    /// Start of the latest period of the audit that saved it (RFC 3339).
    pub latest_period_start: Option<String>,
    pub signatures: Vec<KnownSignature>,
    pub templates: Vec<KnownTemplate>,
}

/// A known signature and when it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownSignature {
    pub id: String,
    pub first_seen: String,
    pub last_seen: String,
}

/// A template of unknown errors and when it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownTemplate {
    /// Stable id (`u-…`), kept from the first audit that saw it.
    pub id: String,
    pub template: String,
    /// The template's tokens, to recognise it again.
    pub tokens: Vec<String>,
    pub first_seen: String,
    pub last_seen: String,
}

/// First and last seen, as epoch ms.
pub type Seen = (i64, i64);

fn seen(path: &str, what: &str, first: &str, last: &str) -> Result<Seen, StateError> {
    let parse = |t: &str| {
        parse_rfc3339(t).ok_or_else(|| StateError::Invalid {
            path: path.to_string(),
            problem: format!("{what}: {t:?} is not an RFC 3339 time"),
        })
    };
    Ok((parse(first)?, parse(last)?))
}

impl AuditState {
    /// An empty state.
    pub fn empty(period: PeriodKind) -> Self {
        AuditState {
            schema: STATE_SCHEMA.to_string(),
            period,
            latest_period_start: None,
            signatures: Vec::new(),
            templates: Vec::new(),
        }
    }

    /// Reads and validates a state file; a file that does not exist yet is
    /// `Ok(None)` (the first week).
    pub fn load(path: &Path) -> Result<Option<AuditState>, StateError> {
        let name = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(StateError::Read { path: name, source }),
        };
        let invalid = |problem: String| StateError::Invalid {
            path: name.clone(),
            problem,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let state: AuditState = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        if state.schema != STATE_SCHEMA {
            return Err(invalid(format!(
                "schema {:?}, expected {STATE_SCHEMA:?}",
                state.schema
            )));
        }
        state
            .validate(chrono::Utc::now().timestamp_millis())
            .map_err(invalid)?;
        Ok(Some(state))
    }

    /// Checks the content, not only the structure: every time plausible and
    /// not in the future (`now_ms` plus a day), first seen before last seen,
    /// nothing seen after the latest period, the latest period a period
    /// start, ids unique. A hand-edited or damaged state is refused rather
    /// than allowed to make the audit forget or invent entries.
    pub fn validate(&self, now_ms: i64) -> Result<(), String> {
        let limit = now_ms.saturating_add(86_400_000);
        let check = |what: &str, first: &str, last: &str| -> Result<Seen, String> {
            let (f, l) = seen("", what, first, last).map_err(|e| e.to_string())?;
            for t in [f, l] {
                if !crate::record::time::is_plausible(t) || t > limit {
                    return Err(format!(
                        "{what}: {} is not a plausible time (after now, or outside 2000–2100)",
                        format_ms(t)
                    ));
                }
            }
            if f > l {
                return Err(format!(
                    "{what}: first seen {first} is after last seen {last}"
                ));
            }
            Ok((f, l))
        };
        let latest = match &self.latest_period_start {
            Some(t) => {
                let (start, _) = check("latest_period_start", t, t)?;
                if self.period.start_of(start) != start {
                    return Err(format!(
                        "latest_period_start {t} is not the start of a {}",
                        self.period.as_str()
                    ));
                }
                Some(self.period.next(start))
            }
            None => None,
        };
        let mut ids = std::collections::HashSet::new();
        let entries = self
            .signatures
            .iter()
            .map(|s| (&s.id, &s.first_seen, &s.last_seen))
            .chain(
                self.templates
                    .iter()
                    .map(|t| (&t.id, &t.first_seen, &t.last_seen)),
            );
        for (id, first, last) in entries {
            let (_, l) = check(id, first, last)?;
            if latest.is_some_and(|end| l >= end) {
                return Err(format!("{id}: last seen {last} is after the latest period"));
            }
            if !ids.insert(id.as_str()) {
                return Err(format!("{id}: listed twice"));
            }
        }
        Ok(())
    }

    /// Writes the state durably and atomically: to a new temporary file in
    /// the same folder (a unique name, never an existing file), flushed to
    /// disk, then renamed over the target, and the folder flushed. A
    /// symlink is followed (its target is replaced, the link kept); a
    /// target that exists but is not a regular file is refused.
    pub fn save(&self, path: &Path) -> Result<(), StateError> {
        use std::io::Write as _;
        let fail = |source| StateError::Write {
            path: path.display().to_string(),
            source,
        };
        let target = match std::fs::canonicalize(path) {
            Ok(real) => real,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
            Err(e) => return Err(fail(e)),
        };
        if let Ok(meta) = std::fs::metadata(&target) {
            if !meta.is_file() {
                return Err(fail(std::io::Error::other(
                    "exists and is not a regular file",
                )));
            }
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let mut text = serde_json::to_string_pretty(self)
            .map_err(std::io::Error::other)
            .map_err(fail)?;
        text.push('\n');
        let mut tmp = tempfile::Builder::new()
            .prefix(".logs-state-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(fail)?;
        tmp.write_all(text.as_bytes()).map_err(fail)?;
        tmp.as_file().sync_all().map_err(fail)?;
        tmp.persist(&target).map_err(|e| fail(e.error))?;
        if let Ok(d) = std::fs::File::open(&dir) {
            // Best effort: not every platform can sync a folder.
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// First and last seen of a signature, if known.
    pub fn signature(&self, id: &str) -> Option<Seen> {
        let s = self.signatures.iter().find(|s| s.id == id)?;
        seen("", id, &s.first_seen, &s.last_seen).ok()
    }

    /// First and last seen of a template entry.
    pub fn template_seen(t: &KnownTemplate) -> Option<Seen> {
        seen("", &t.id, &t.first_seen, &t.last_seen).ok()
    }

    /// Records that a signature was seen from `first` to `last` (epoch ms).
    pub fn note_signature(&mut self, id: &str, (first, last): Seen) {
        let merged = self
            .signature(id)
            .map_or((first, last), |(f, l)| (f.min(first), l.max(last)));
        let (first_seen, last_seen) = seen_strings(merged);
        self.signatures.retain(|s| s.id != id);
        self.signatures.push(KnownSignature {
            id: id.to_string(),
            first_seen,
            last_seen,
        });
    }

    /// Start of the saving audit's latest period, epoch ms.
    pub fn latest_period_ms(&self) -> Option<i64> {
        self.latest_period_start.as_deref().and_then(parse_rfc3339)
    }

    /// Drops entries last seen before `cutoff` (epoch ms) and sorts what is
    /// left, so saved files diff cleanly.
    pub fn forget_before(&mut self, cutoff: i64) -> usize {
        let before = self.signatures.len() + self.templates.len();
        let keep = |last: &str| parse_rfc3339(last).is_some_and(|t| t >= cutoff);
        self.signatures.retain(|s| keep(&s.last_seen));
        self.templates.retain(|t| keep(&t.last_seen));
        self.signatures.sort_by(|a, b| a.id.cmp(&b.id));
        self.templates.sort_by(|a, b| a.id.cmp(&b.id));
        before - self.signatures.len() - self.templates.len()
    }
}

/// `(first, last)` as the state writes them.
pub fn seen_strings((first, last): Seen) -> (String, String) {
    (format_ms(first), format_ms(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(id: &str, last: &str) -> KnownSignature {
        KnownSignature {
            id: id.into(),
            first_seen: "2026-01-05T10:00:00.000Z".into(),
            last_seen: last.into(),
        }
    }

    #[test]
    fn saves_loads_and_forgets() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("state.json");
        assert!(AuditState::load(&path).expect("missing is fine").is_none());
        let mut s = AuditState::empty(PeriodKind::Week);
        s.signatures = vec![
            known("b", "2026-03-01T00:00:00.000Z"),
            known("a", "2026-01-05T10:00:00.000Z"),
        ];
        let cutoff = parse_rfc3339("2026-02-01T00:00:00Z").expect("time");
        assert_eq!(s.forget_before(cutoff), 1);
        s.save(&path).expect("save");
        let back = AuditState::load(&path).expect("load").expect("present");
        assert_eq!(back.signatures, [known("b", "2026-03-01T00:00:00.000Z")]);
        assert!(back.signature("b").is_some() && back.signature("a").is_none());
    }

    #[test]
    fn saving_follows_symlinks_and_leaves_other_files_alone() {
        let dir = tempfile::tempdir().expect("dir");
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        let unrelated = dir.path().join("link.tmp");
        std::fs::write(&real, "old").expect("write");
        std::fs::write(&unrelated, "keep me").expect("write");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        AuditState::empty(PeriodKind::Week)
            .save(&link)
            .expect("save");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert!(
            std::fs::read_to_string(&real)
                .expect("real")
                .contains(STATE_SCHEMA)
        );
        assert_eq!(std::fs::read_to_string(&unrelated).expect("tmp"), "keep me");
        assert!(
            AuditState::empty(PeriodKind::Week)
                .save(Path::new("/dev/null"))
                .is_err()
        );
        let leftovers = std::fs::read_dir(dir.path()).expect("dir").count();
        assert_eq!(leftovers, 3, "no temporary file left behind");
    }

    #[test]
    fn hand_edited_content_is_refused() {
        let mut s = AuditState::empty(PeriodKind::Week);
        s.latest_period_start = Some("2999-01-05T00:00:00.000Z".into());
        assert!(s.validate(0).unwrap_err().contains("plausible"));
        s.latest_period_start = Some("2026-01-07T00:00:00.000Z".into());
        let now = parse_rfc3339("2026-03-01T00:00:00Z").expect("time");
        assert!(s.validate(now).unwrap_err().contains("not the start"));
        s.latest_period_start = Some("2026-01-05T00:00:00.000Z".into());
        s.signatures = vec![known("a", "2026-02-01T00:00:00.000Z")];
        assert!(
            s.validate(now)
                .unwrap_err()
                .contains("after the latest period")
        );
        s.signatures = vec![KnownSignature {
            id: "a".into(),
            first_seen: "2026-01-06T00:00:00.000Z".into(),
            last_seen: "2026-01-05T10:00:00.000Z".into(),
        }];
        assert!(s.validate(now).unwrap_err().contains("is after last seen"));
        s.signatures = vec![known("a", "2026-01-05T10:00:00.000Z"); 2];
        assert!(s.validate(now).unwrap_err().contains("twice"));
        s.signatures.pop();
        assert_eq!(s.validate(now), Ok(()));
    }

    #[test]
    fn rejects_other_files() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("x.json");
        std::fs::write(&path, r#"{"schema":"logs.check/v1"}"#).expect("write");
        assert!(matches!(
            AuditState::load(&path),
            Err(StateError::Invalid { .. })
        ));
        let mut s = AuditState::empty(PeriodKind::Day);
        s.signatures = vec![known("a", "yesterday")];
        std::fs::write(&path, serde_json::to_string(&s).expect("json")).expect("write");
        let err = AuditState::load(&path).expect_err("bad time");
        assert!(err.to_string().contains("\"yesterday\""), "{err}");
    }
}

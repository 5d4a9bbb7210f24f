//! Which requests the access checks watch: cron and webhook paths as globs
//! (`logs.toml` `[cron] paths`, `[webhooks] paths`), compiled with globset.
//! `*` stays within one path segment, `**` crosses them.
//!
//! [`AccessPaths::probes`] gives the literals that make a record a scan
//! candidate (the longest literal run of each glob outside `{…}` and
//! `[…]`), so the scan decodes requests to those paths and still skips
//! every other record after one automaton pass. A glob with no literal of
//! three characters or more makes the scan decode every record.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Serialize;

/// What a watched path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Watched {
    Cron,
    Webhook,
}

/// The conventional cron paths (`vercel.json` crons under `/api/cron/`).
pub const DEFAULT_CRON_PATHS: &[&str] = &["/api/cron/**"];
/// The conventional webhook paths.
pub const DEFAULT_WEBHOOK_PATHS: &[&str] = &["/api/webhooks/**"];

/// The shortest literal worth a prefilter probe.
const MIN_PROBE: usize = 3;

/// What the access checks are asked to do (resolved from `logs.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct AccessConfig {
    pub cron_paths: Vec<String>,
    pub webhook_paths: Vec<String>,
    /// A webhook route is reported when at least this share of its
    /// answered requests were refused 401/403 …
    pub webhook_rejection_rate: f64,
    /// … and at least this many were.
    pub webhook_min_rejections: u64,
}

impl Default for AccessConfig {
    fn default() -> Self {
        AccessConfig {
            cron_paths: DEFAULT_CRON_PATHS.iter().map(|s| s.to_string()).collect(),
            webhook_paths: DEFAULT_WEBHOOK_PATHS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            webhook_rejection_rate: 0.10,
            webhook_min_rejections: 5,
        }
    }
}

/// The literals a scan must look for to see the watched requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probes {
    /// Some glob has no usable literal: decode every record.
    All,
    Literals(Vec<String>),
}

/// The compiled globs.
#[derive(Debug, Clone)]
pub struct AccessPaths {
    pub config: AccessConfig,
    cron: GlobSet,
    webhook: GlobSet,
    /// The [`Probes`] literals, when every glob has one: a path holding
    /// none of them matches no glob (globs match case for case), so most
    /// paths are ruled out without the glob matcher.
    required: Option<Vec<memchr::memmem::Finder<'static>>>,
}

/// A glob that does not compile, with the setting it came from.
#[derive(Debug, thiserror::Error)]
#[error("{setting}: invalid glob {glob:?}: {cause}")]
pub struct PathsError {
    pub setting: &'static str,
    pub glob: String,
    pub cause: String,
}

fn compile(setting: &'static str, globs: &[String]) -> Result<GlobSet, PathsError> {
    let mut set = GlobSetBuilder::new();
    for g in globs {
        let err = |cause: String| PathsError {
            setting,
            glob: g.clone(),
            cause,
        };
        if !g.starts_with('/') && !g.starts_with("**") {
            return Err(err("a path glob starts with `/` (or `**`)".into()));
        }
        let glob = GlobBuilder::new(g)
            .literal_separator(true)
            .build()
            .map_err(|e| err(e.kind().to_string()))?;
        set.add(glob);
    }
    set.build().map_err(|e| PathsError {
        setting,
        glob: globs.join(", "),
        cause: e.to_string(),
    })
}

impl AccessPaths {
    pub fn new(config: AccessConfig) -> Result<AccessPaths, PathsError> {
        let mut paths = AccessPaths {
            cron: compile("[cron] paths", &config.cron_paths)?,
            webhook: compile("[webhooks] paths", &config.webhook_paths)?,
            config,
            required: None,
        };
        if let Probes::Literals(literals) = paths.probes() {
            let finders = literals
                .iter()
                .map(|l| memchr::memmem::Finder::new(l).into_owned());
            paths.required = Some(finders.collect());
        }
        Ok(paths)
    }

    /// Which watched kind a concrete path is (cron first).
    pub fn watched(&self, path: &str) -> Option<Watched> {
        let holds = |f: &memchr::memmem::Finder<'_>| f.find(path.as_bytes()).is_some();
        if self.required.as_ref().is_some_and(|r| !r.iter().any(holds)) {
            return None;
        }
        if self.cron.is_match(path) {
            Some(Watched::Cron)
        } else if self.webhook.is_match(path) {
            Some(Watched::Webhook)
        } else {
            None
        }
    }

    /// The prefilter literals of every glob.
    pub fn probes(&self) -> Probes {
        let mut out = Vec::new();
        for g in self
            .config
            .cron_paths
            .iter()
            .chain(&self.config.webhook_paths)
        {
            match longest_literal(g) {
                Some(l) => out.push(l),
                None => return Probes::All,
            }
        }
        out.sort();
        out.dedup();
        Probes::Literals(out)
    }
}

/// The longest run of plain characters of a glob, outside `{…}` and `[…]`
/// and without `/` (which an export may escape as `\/`).
fn longest_literal(glob: &str) -> Option<String> {
    let mut best = String::new();
    let mut run = String::new();
    let mut depth = 0usize;
    for c in glob.chars() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let plain =
            depth == 0 && !matches!(c, '*' | '?' | '{' | '}' | '[' | ']' | '\\' | '!' | '/');
        if plain {
            run.push(c);
        } else {
            if run.len() > best.len() {
                best = std::mem::take(&mut run);
            }
            run.clear();
        }
    }
    if run.len() > best.len() {
        best = run;
    }
    (best.len() >= MIN_PROBE).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(cron: &[&str], webhook: &[&str]) -> AccessPaths {
        AccessPaths::new(AccessConfig {
            cron_paths: cron.iter().map(|s| s.to_string()).collect(),
            webhook_paths: webhook.iter().map(|s| s.to_string()).collect(),
            ..AccessConfig::default()
        })
        .unwrap()
    }

    #[test]
    fn defaults_watch_the_conventional_paths() {
        let p = AccessPaths::new(AccessConfig::default()).unwrap();
        assert_eq!(p.watched("/api/cron/followups"), Some(Watched::Cron));
        assert_eq!(p.watched("/api/cron/a/b"), Some(Watched::Cron));
        assert_eq!(
            p.watched("/api/webhooks/calendly/42"),
            Some(Watched::Webhook)
        );
        assert_eq!(p.watched("/api/cronjobs"), None);
        assert_eq!(p.watched("/leads/42"), None);
        assert_eq!(
            p.probes(),
            Probes::Literals(vec!["cron".into(), "webhooks".into()])
        );
    }

    #[test]
    fn single_star_stays_in_a_segment() {
        let p = paths(&["/api/*/tick"], &["/hooks/{stripe,github}"]);
        assert_eq!(p.watched("/api/jobs/tick"), Some(Watched::Cron));
        assert_eq!(p.watched("/api/a/b/tick"), None);
        assert_eq!(p.watched("/hooks/github"), Some(Watched::Webhook));
        assert_eq!(
            p.probes(),
            Probes::Literals(vec!["hooks".into(), "tick".into()])
        );
        assert_eq!(paths(&["/**"], &[]).probes(), Probes::All);
    }

    #[test]
    fn bad_globs_name_their_setting() {
        let e = AccessPaths::new(AccessConfig {
            webhook_paths: vec!["/api/[x".into()],
            ..AccessConfig::default()
        })
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("[webhooks] paths") && e.contains("/api/[x"),
            "{e}"
        );
        let e = AccessPaths::new(AccessConfig {
            cron_paths: vec!["api/cron/*".into()],
            ..AccessConfig::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("starts with"), "{e}");
    }

    proptest::proptest! {
        /// Ruling paths out by the globs' literals changes no answer: for
        /// globs and paths made of the same pieces (literals, `*`, `**`,
        /// `?`, `{a,b}` and `[…]`, upper and lower case), the answer is the
        /// glob matcher's alone.
        #[test]
        fn the_literal_test_agrees_with_the_globs(
            cron in proptest::collection::vec("(/(api|cron|Cron|jobs|\\*|\\*\\*|t\\?ck|\\{a,cron\\}|\\[ct\\]ron)){1,4}", 1..3),
            webhook in proptest::collection::vec("(/(api|hooks|webhooks|\\*|\\*\\*|h\\?oks)){1,3}", 0..3),
            path in "(/(api|cron|Cron|CRON|jobs|tick|tock|a|hooks|webhooks|x)){0,5}",
        ) {
            let Ok(p) = AccessPaths::new(AccessConfig {
                cron_paths: cron,
                webhook_paths: webhook,
                ..AccessConfig::default()
            }) else {
                return Ok(());
            };
            let mut plain = p.clone();
            plain.required = None;
            proptest::prop_assert_eq!(p.watched(&path), plain.watched(&path));
        }
    }
}

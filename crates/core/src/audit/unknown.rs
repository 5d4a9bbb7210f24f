//! Unknown errors → groups: the distinct heads collected by the scan are
//! mined into templates (the saved state's templates go in first, so last
//! week's groups are recognised), and each template becomes an
//! [`UnknownGroup`] with counts per period, examples and a suggested stub.

use super::accumulate::{EXAMPLES, ExampleAcc, UnknownAcc};
use super::build::Frame;
use super::report::{Callout, Example, PeriodCount, Status, Trend, UnknownGroup};
use super::state::{AuditState, KnownTemplate, seen_strings};
use super::stub::{StubInput, Suggestion, suggest};
use crate::check::report::top;
use crate::hash::hash_bytes;
use crate::record::time::format_ms;
use crate::signatures::Severity;
use crate::templates::{MinerConfig, decode_tokens};

/// What the unknown errors contribute to the report and the next state.
pub(super) struct UnknownOutcome {
    pub groups: Vec<UnknownGroup>,
    /// Saved templates absent now that were active at the last audit.
    pub resolved: Vec<Callout>,
    /// Every template to save: this run's groups and the saved ones not
    /// seen this time.
    pub known: Vec<KnownTemplate>,
}

/// The heads of one group folded together.
fn fold<'a>(accs: impl Iterator<Item = &'a UnknownAcc>) -> UnknownAcc {
    let mut all = UnknownAcc::default();
    let mut examples: Vec<ExampleAcc> = Vec::new();
    for acc in accs {
        examples.extend(acc.examples.iter().cloned());
        let mut part = acc.clone();
        part.examples.clear();
        all.merge(part);
    }
    examples.sort_by_key(|e| e.at);
    // Prefer examples that differ from each other.
    let mut picked: Vec<ExampleAcc> = Vec::new();
    for e in &examples {
        if picked.len() < EXAMPLES && !picked.iter().any(|p| p.message == e.message) {
            picked.push(e.clone());
        }
    }
    // Two at least, even when they read the same.
    for e in examples {
        if picked.len() < 2 && !picked.iter().any(|p| p.at == e.at) {
            picked.push(e);
        }
    }
    all.examples = picked;
    all
}

/// Groups the unknown errors of `partial`.
pub(super) fn groups(
    frame: &Frame<'_>,
    state: Option<&AuditState>,
    taken_ids: &mut Vec<String>,
) -> UnknownOutcome {
    let saved: &[KnownTemplate] = state.map_or(&[], |s| s.templates.as_slice());
    let seeds: Vec<_> = saved.iter().map(|t| decode_tokens(&t.tokens)).collect();
    let table = &frame.outcome.partial.unknown;
    let mined = table.mine(MinerConfig::default(), &seeds);
    let mut covered = vec![false; saved.len()];
    let mut groups = Vec::new();
    let mut known = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut facts_of: Vec<String> = Vec::new();
    for m in mined.iter().filter(|m| !m.heads.is_empty()) {
        let acc = fold(m.heads.iter().map(|&h| &table.heads()[h].value));
        let counts: Vec<u64> = frame
            .periods
            .iter()
            .map(|p| acc.periods.get(p).copied().unwrap_or(0))
            .collect();
        if counts.iter().all(|&c| c == 0) {
            continue; // only before the periods shown (see MAX_PERIODS)
        }
        let oldest = m
            .seeds
            .iter()
            .filter_map(|&s| Some((AuditState::template_seen(&saved[s])?, s)))
            .min();
        for &s in &m.seeds {
            covered[s] = true;
        }
        let mut id = match oldest {
            Some((_, s)) => saved[s].id.clone(),
            None => format!("u-{:08x}", hash_bytes(m.template.as_bytes()) >> 32),
        };
        while ids.contains(&id) {
            id = format!("u-{:08x}", hash_bytes(id.as_bytes()) >> 32);
        }
        ids.push(id.clone());
        let known_since = oldest.map(|((first, _), _)| first);
        let latest = counts.last().copied().unwrap_or(0);
        let previous = counts.len().checked_sub(2).map_or(0, |i| counts[i]);
        let first_period = acc.periods.keys().next().copied();
        let status = if latest == 0 {
            Status::Resolved
        } else if oldest.is_none() && first_period == frame.latest {
            Status::New
        } else {
            Status::Active
        };
        let severity = if acc.fatal {
            Severity::High
        } else {
            Severity::Medium
        };
        let routes = top(acc.routes.clone());
        let total: u64 = counts.iter().sum();
        let facts = format!(
            "{total} occurrence(s) from {} to {}{}",
            acc.first_ms.map(format_ms).unwrap_or_default(),
            acc.last_ms.map(format_ms).unwrap_or_default(),
            routes
                .first()
                .map(|r| format!(", mostly on {}", r.value))
                .unwrap_or_default()
        );
        facts_of.push(facts);
        let first = known_since.into_iter().chain(acc.first_ms).min();
        let last_saved = oldest.map(|((_, last), _)| last);
        if let (Some(f), Some(l)) = (first, acc.last_ms.into_iter().chain(last_saved).max()) {
            let (first_seen, last_seen) = seen_strings((f, l));
            known.push(KnownTemplate {
                id: id.clone(),
                template: m.template.clone(),
                tokens: m.tokens.clone(),
                first_seen,
                last_seen,
            });
        }
        groups.push(UnknownGroup {
            id,
            template: m.template.clone(),
            status,
            severity,
            total,
            latest,
            trend: Trend::of(latest, previous),
            periods: frame
                .labels
                .iter()
                .zip(&counts)
                .map(|(period, &count)| PeriodCount {
                    period: period.clone(),
                    count,
                })
                .collect(),
            first_seen: acc.first_ms.map(format_ms),
            last_seen: acc.last_ms.map(format_ms),
            known_since: known_since.map(format_ms),
            routes,
            deployments: top(acc.deployments.clone()),
            examples: acc.examples.iter().map(|e| frame.example(e)).collect(),
            suggestion: None,
        });
    }
    suggest_all(&mut groups, &facts_of, taken_ids);
    groups.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(b.latest.cmp(&a.latest))
            .then(b.total.cmp(&a.total))
            .then_with(|| a.template.cmp(&b.template))
    });
    let mut resolved = Vec::new();
    let last_audit = state.and_then(AuditState::latest_period_ms);
    for (t, _) in saved.iter().zip(&covered).filter(|(_, c)| !**c) {
        let active_then = AuditState::template_seen(t)
            .zip(last_audit)
            .is_some_and(|((_, last), audit)| last >= audit);
        if active_then {
            resolved.push(Callout {
                kind: "unknown",
                id: t.id.clone(),
                title: t.template.clone(),
                severity: None,
                count: 0,
                first_seen: Some(t.first_seen.clone()),
                last_seen: Some(t.last_seen.clone()),
            });
        }
        known.push(t.clone());
    }
    UnknownOutcome {
        groups,
        resolved,
        known,
    }
}

/// A suggested stub for each group (`facts[i]` describes group `i`), each
/// checked against the examples of every other group so that it does not
/// catch them.
fn suggest_all(groups: &mut [UnknownGroup], facts: &[String], taken_ids: &mut Vec<String>) {
    let examples: Vec<Vec<&str>> = groups
        .iter()
        .map(|g| g.examples.iter().map(|e| e.message.as_str()).collect())
        .collect();
    let suggestions: Vec<Option<Suggestion>> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let others: Vec<&str> = examples
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .flat_map(|(_, e)| e.iter().copied())
                .collect();
            suggest(
                &StubInput {
                    template: &g.template,
                    examples: &examples[i],
                    others: &others,
                    severity: g.severity,
                    facts: facts.get(i).map_or("", String::as_str),
                },
                taken_ids,
            )
        })
        .collect();
    for (g, s) in groups.iter_mut().zip(suggestions) {
        g.suggestion = s;
    }
}

impl Frame<'_> {
    /// An example as reported: input name and line resolved.
    pub(super) fn example(&self, e: &ExampleAcc) -> Example {
        Example {
            input: self.input_name(e.at.input),
            line: self.line_of(&e.at),
            offset: e.at.offset,
            time: e.time_ms.map(format_ms),
            route: e.route.clone(),
            message: e.message.clone(),
        }
    }
}

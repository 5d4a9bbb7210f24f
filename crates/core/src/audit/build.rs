//! From a finished scan and the saved state to an [`AuditReport`] and the
//! state to save next: periods, each signature's trend, the unknown groups,
//! and the call-outs (new, resolved).

use super::accumulate::AuditPartial;
use super::period::PeriodKind;
use super::report::{
    AuditReport, Callout, PeriodInfo, SCHEMA, SignaturePeriod, SignatureTrend, StateSummary,
    Status, Trend,
};
use super::state::{AuditState, Seen};
use super::{AuditConfig, unknown};
use crate::check::SignatureAcc;
use crate::check::report::{input_report, top};
use crate::record::time::format_ms;
use crate::scan::{Location, ScanOutcome};
use crate::signatures::SignatureSet;

/// The periods of a report and how to name places in its inputs.
pub(super) struct Frame<'a> {
    /// Period starts, oldest first; the last is the latest.
    pub periods: Vec<i64>,
    pub labels: Vec<String>,
    pub latest: Option<i64>,
    pub outcome: &'a ScanOutcome<AuditPartial>,
}

impl Frame<'_> {
    pub fn input_name(&self, input: u32) -> String {
        self.outcome
            .inputs
            .get(input as usize)
            .map_or_else(String::new, |i| i.name.clone())
    }

    pub fn line_of(&self, at: &Location) -> u64 {
        self.outcome.line_of(at)
    }
}

/// Most periods a report covers (the latest ones): a stray record stamped
/// 1970 must not turn a weekly report into three thousand columns.
pub const MAX_PERIODS: usize = 520;

/// The periods to report: from the first with records to the latest (the
/// one `--until` ends in, else the last with records), at most
/// [`MAX_PERIODS`] of them.
fn periods(kind: PeriodKind, partial: &AuditPartial, until_ms: Option<i64>) -> Vec<i64> {
    let (Some(&first), Some(&last)) =
        (partial.records.keys().next(), partial.records.keys().last())
    else {
        return Vec::new();
    };
    let latest = until_ms
        .map_or(last, |u| kind.start_of(u.saturating_sub(1)))
        .max(last);
    let span = i64::try_from(MAX_PERIODS - 1).unwrap_or(i64::MAX);
    let earliest = latest.saturating_sub(kind.length_ms().saturating_mul(span));
    kind.range(first.max(earliest), latest)
}

/// One signature over the frame's periods.
fn trend(
    frame: &Frame<'_>,
    sig: usize,
    signatures: &SignatureSet,
    state: Option<&AuditState>,
) -> (SignatureTrend, Option<Seen>) {
    let def = &signatures.defs()[sig];
    let partial = &frame.outcome.partial;
    let accs: Vec<Option<&SignatureAcc>> = frame
        .periods
        .iter()
        .map(|p| {
            partial
                .signatures
                .get(p)
                .and_then(|c| c.signatures.get(&sig))
        })
        .collect();
    let mut periods = Vec::with_capacity(accs.len());
    let mut previous = 0;
    for (label, acc) in frame.labels.iter().zip(&accs) {
        let count = acc.map_or(0, |a| a.count);
        periods.push(SignaturePeriod {
            period: label.clone(),
            count,
            distinct: acc.map_or(0, |a| a.fingerprints.len() as u64),
            first_seen: acc.and_then(|a| a.first_ms).map(format_ms),
            last_seen: acc.and_then(|a| a.last_ms).map(format_ms),
            routes: acc.map(|a| top(a.routes.clone())).unwrap_or_default(),
            deployments: acc.map(|a| top(a.deployments.clone())).unwrap_or_default(),
            trend: Trend::of(count, previous),
        });
        previous = count;
    }
    let present = accs.iter().flatten();
    let first = present.clone().filter_map(|a| a.first_ms).min();
    let seen = first.zip(present.clone().filter_map(|a| a.last_ms).max());
    let known = state.and_then(|s| s.signature(&def.id));
    let latest = periods.last().map_or(0, |p| p.count);
    let first_index = periods.iter().position(|p| p.count > 0);
    let status = if latest == 0 {
        Status::Resolved
    } else if known.is_none() && first_index == periods.len().checked_sub(1) {
        Status::New
    } else {
        Status::Active
    };
    let trend = SignatureTrend {
        signature: def.id.clone(),
        title: def.title.clone(),
        severity: def.severity,
        status,
        total: periods.iter().map(|p| p.count).sum(),
        latest,
        trend: periods.last().map_or(Trend::of(0, 0), |p| p.trend),
        first_seen: seen.map(|(f, _)| format_ms(f)),
        last_seen: seen.map(|(_, l)| format_ms(l)),
        known_since: known.map(|(first, _)| format_ms(first)),
        example: present
            .flat_map(|a| a.samples.first())
            .next()
            .map(|s| s.message.shown()),
        action: def.action.trim().to_string(),
        periods,
    };
    (trend, seen)
}

fn callout(t: &SignatureTrend, count: u64) -> Callout {
    Callout {
        kind: "signature",
        id: t.signature.clone(),
        title: t.title.clone(),
        severity: Some(t.severity),
        count,
        first_seen: t.first_seen.clone(),
        last_seen: t.last_seen.clone(),
    }
}

/// Builds the report, and the state to save (`--save-state`).
pub fn build(
    outcome: &ScanOutcome<AuditPartial>,
    signatures: &SignatureSet,
    config: &AuditConfig,
    state: Option<&AuditState>,
    state_path: Option<String>,
) -> (AuditReport, AuditState) {
    let kind = config.period;
    let partial = &outcome.partial;
    let starts = periods(kind, partial, config.filter.until_ms);
    let frame = Frame {
        labels: starts.iter().map(|&p| kind.label(p)).collect(),
        latest: starts.last().copied(),
        periods: starts,
        outcome,
    };
    let mut sig_ids: Vec<usize> = partial
        .signatures
        .values()
        .flat_map(|c| c.signatures.keys().copied())
        .collect();
    sig_ids.sort_unstable();
    sig_ids.dedup();
    let (mut trends, seen): (Vec<SignatureTrend>, Vec<Option<Seen>>) = sig_ids
        .iter()
        .map(|&s| trend(&frame, s, signatures, state))
        .unzip();
    let mut next = state.cloned().unwrap_or_else(|| AuditState::empty(kind));
    next.period = kind;
    for (t, seen) in trends.iter().zip(seen) {
        if let Some(seen) = seen {
            next.note_signature(&t.signature, seen);
        }
    }
    trends.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.latest.cmp(&a.latest))
            .then(b.total.cmp(&a.total))
            .then_with(|| a.signature.cmp(&b.signature))
    });
    let mut taken: Vec<String> = signatures.defs().iter().map(|d| d.id.clone()).collect();
    let unknown = unknown::groups(&frame, state, &mut taken);

    let mut new: Vec<Callout> = trends
        .iter()
        .filter(|t| t.status == Status::New)
        .map(|t| callout(t, t.latest))
        .collect();
    let mut resolved: Vec<Callout> = trends
        .iter()
        .filter(|t| t.status == Status::Resolved)
        .map(|t| callout(t, t.total))
        .collect();
    // Saved signatures absent from this input that were active at the last audit.
    let last_audit = state.and_then(AuditState::latest_period_ms);
    for known in state.map_or(&[][..], |s| s.signatures.as_slice()) {
        let absent = !trends.iter().any(|t| t.signature == known.id);
        let was_active = last_audit
            .zip(state.and_then(|s| s.signature(&known.id)))
            .is_some_and(|(audit, (_, last))| last >= audit);
        if absent && was_active {
            resolved.push(Callout {
                kind: "signature",
                id: known.id.clone(),
                title: signatures
                    .defs()
                    .iter()
                    .find(|d| d.id == known.id)
                    .map_or_else(|| known.id.clone(), |d| d.title.clone()),
                severity: signatures
                    .defs()
                    .iter()
                    .find(|d| d.id == known.id)
                    .map(|d| d.severity),
                count: 0,
                first_seen: Some(known.first_seen.clone()),
                last_seen: Some(known.last_seen.clone()),
            });
        }
    }
    for g in &unknown.groups {
        let c = Callout {
            kind: "unknown",
            id: g.id.clone(),
            title: g.template.clone(),
            severity: Some(g.severity),
            count: if g.status == Status::New {
                g.latest
            } else {
                g.total
            },
            first_seen: g.first_seen.clone(),
            last_seen: g.last_seen.clone(),
        };
        match g.status {
            Status::New => new.push(c),
            Status::Resolved => resolved.push(c),
            Status::Active => {}
        }
    }
    resolved.extend(unknown.resolved);

    // The state to save: what was known, updated with what was seen.
    next.templates = unknown.known;
    let latest_saved = frame.latest.into_iter().chain(last_audit).max();
    next.latest_period_start = latest_saved.map(format_ms);
    let forgotten = latest_saved.map_or(0, |l| {
        next.forget_before(l - i64::from(config.forget_after_weeks) * PeriodKind::Week.length_ms())
    });

    let records_in_range = partial.records.values().sum();
    let periods = frame
        .periods
        .iter()
        .zip(&frame.labels)
        .map(|(&p, label)| PeriodInfo {
            label: label.clone(),
            start: format_ms(p),
            end: format_ms(kind.next(p)),
            records: partial.records.get(&p).copied().unwrap_or(0),
        })
        .collect();
    let inputs: Vec<_> = outcome.inputs.iter().map(input_report).collect();
    let report = AuditReport {
        schema: SCHEMA,
        period: kind,
        since: config.filter.since_ms.map(format_ms),
        until: config.filter.until_ms.map(format_ms),
        periods,
        latest: frame.labels.last().cloned(),
        records: outcome.records(),
        records_in_range,
        untimed: partial.untimed,
        future: partial.future,
        malformed: outcome.malformed(),
        input_errors: inputs
            .iter()
            .any(|i| i.error.is_some() || i.damage.is_some()),
        inputs,
        new,
        resolved,
        unknown_total: unknown.groups.iter().map(|g| g.total).sum(),
        signatures: trends,
        unknown: unknown.groups,
        state: StateSummary {
            loaded: state_path,
            known_signatures: state.map_or(0, |s| s.signatures.len()),
            known_templates: state.map_or(0, |s| s.templates.len()),
            forgotten,
        },
        access: access_section(partial, signatures, config),
    };
    (report, next)
}

/// Every access check over the audited range.
fn access_section(
    partial: &AuditPartial,
    signatures: &SignatureSet,
    config: &AuditConfig,
) -> super::report::AccessSection {
    use crate::access::AccessRule;
    let (found, coverage) = crate::access::judge(
        &partial.access,
        &config.access.config,
        &AccessRule::ALL,
        signatures,
    );
    super::report::AccessSection {
        checks: found
            .iter()
            .map(|f| super::report::AccessCheck {
                check: f.rule.id().to_string(),
                title: f.rule.title().to_string(),
                severity: f.rule.severity(),
                count: f.count,
                first_seen: f.first_ms.map(format_ms),
                last_seen: f.last_ms.map(format_ms),
                routes: f.routes.iter().map(crate::check::route_detail).collect(),
                action: f.rule.action().to_string(),
            })
            .collect(),
        summary: crate::check::access_summary(&config.access.config, &AccessRule::ALL, coverage),
    }
}

//! `new-critical-signatures` (seed 001: "confirm no new error patterns"): a
//! signature of at least `min_severity` on the canary that the baseline never
//! showed, at any severity. With no baseline lines at all nothing can be
//! called new, so such signatures make the rule INCONCLUSIVE instead.

use super::super::policy::NewSignatureRule;
use super::super::scope::Scope;
use super::measure::{NewSignature, NewSignatureMeasure};
use super::outcome::{Finding, NewSignatureCase, NewSignatureFinding, Outcome, Span};
use super::outcome::{Unit, Verdict};

/// The canary's signatures that no baseline line showed, at any severity,
/// with their (highest) severity and line counts.
pub fn measure(scope: &Scope) -> NewSignatureMeasure {
    let known = scope.baseline_flagged.signatures();
    let new: Vec<NewSignature> = (scope.canary_flagged.signatures().iter())
        .filter(|(id, _)| !known.contains_key(*id))
        .map(|(id, &(severity, lines))| NewSignature {
            id: id.clone(),
            severity,
            lines,
        })
        .collect();
    NewSignatureMeasure {
        elapsed_ms: scope.now_ms - scope.deploy_ms,
        canary_lines: scope.canary_lines,
        baseline_lines: scope.baseline_lines,
        new,
    }
}

/// A new signature at `min_severity` or worse fails; with no baseline lines
/// nothing can be called new, so it holds instead.
pub fn judge(m: &NewSignatureMeasure, rule: &NewSignatureRule) -> Outcome {
    let new: Vec<NewSignature> = (m.new.iter())
        .filter(|s| s.severity >= rule.min_severity)
        .cloned()
        .collect();
    let (verdict, case) = if new.is_empty() {
        (Verdict::Pass, NewSignatureCase::NoneNew)
    } else if m.baseline_lines == 0 {
        (Verdict::Inconclusive, NewSignatureCase::NoBaseline)
    } else {
        (Verdict::Fail, NewSignatureCase::New)
    };
    Outcome {
        verdict,
        unit: Unit::Count,
        observed: Some(new.len() as f64),
        baseline: None,
        span: Some(Span::since_deploy(m.elapsed_ms)),
        samples: m.canary_lines,
        baseline_samples: Some(m.baseline_lines),
        p_value: None,
        finding: Finding::NewSignatures(NewSignatureFinding {
            case,
            elapsed_ms: m.elapsed_ms,
            min_severity: rule.min_severity,
            new,
        }),
    }
}

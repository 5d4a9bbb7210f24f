//! Formatting shared by the printers: a [`RuleResult`]'s numbers as text.
//! Formatting only — nothing here decides anything.

use logs_core::rollback::{RuleResult, Unit, Verdict};

/// `5`, `3.40%`, `1820 ms`, `45.0 min`; `—` when absent.
pub fn value(unit: Unit, value: Option<f64>) -> String {
    let Some(v) = value else { return "—".into() };
    match unit {
        Unit::Count => format!("{v:.0}"),
        Unit::Ratio => format!("{:.2}%", v * 100.0),
        Unit::Ms => format!("{v:.0} ms"),
        Unit::Minutes => format!("{v:.1} min"),
    }
}

/// `412` or `412 / 9800` (canary / baseline).
pub fn samples(rule: &RuleResult) -> String {
    match rule.baseline_samples {
        Some(b) => format!("{} / {b}", rule.samples),
        None => rule.samples.to_string(),
    }
}

/// The word printed in tables: PASS, FAIL, INCONCLUSIVE, N/A.
pub fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "PASS",
        Verdict::Fail => "FAIL",
        Verdict::Inconclusive => "INCONCLUSIVE",
        Verdict::NotApplicable => "N/A",
    }
}

/// `FAIL`, or `FAIL (advisory)` for an advisory rule's failure.
pub fn verdict(rule: &RuleResult) -> String {
    let label = verdict_label(rule.verdict);
    if rule.advisory && rule.verdict == Verdict::Fail {
        format!("{label} (advisory)")
    } else {
        label.to_string()
    }
}

/// At most `max` characters, with `…` when cut; newlines become spaces.
pub fn clip(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// `dpl_old`, or the words for "every other deployment".
pub fn baseline(baseline: Option<&str>) -> String {
    baseline.map_or_else(|| "all other deployments".into(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_by_unit() {
        assert_eq!(value(Unit::Ratio, Some(0.034)), "3.40%");
        assert_eq!(value(Unit::Ms, Some(1820.4)), "1820 ms");
        assert_eq!(value(Unit::Count, None), "—");
    }

    #[test]
    fn clip_is_char_safe() {
        assert_eq!(clip("héllo\nworld", 20), "héllo world");
        assert_eq!(clip("ééééé", 3), "éé…");
    }
}

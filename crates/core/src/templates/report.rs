//! [`TemplatesReport`]: the result of `logs templates` as plain data. Its
//! JSON form is the versioned contract `logs.templates/v1`.
//!
//! Line numbers are 1-based. With several inputs they run on from one input
//! to the next, as if the inputs were concatenated in the order given; each
//! input's `first_line` says where its lines start.

use serde::Serialize;

/// Schema name and version of the JSON output.
pub const SCHEMA: &str = "logs.templates/v1";

#[derive(Debug, Clone, Serialize)]
pub struct TemplatesReport {
    pub schema: &'static str,
    /// Messages grouped (non-empty message heads).
    pub messages: u64,
    pub inputs: Vec<TemplatesInput>,
    /// Most frequent first; ties in order of first line.
    pub templates: Vec<TemplateRow>,
}

/// One input as read.
#[derive(Debug, Clone, Serialize, Default)]
pub struct TemplatesInput {
    pub path: String,
    /// `text`, or the export container (`ndjson`, `json-array`, `csv`, …);
    /// null when unreadable.
    pub format: Option<String>,
    pub gzip: bool,
    /// Messages read from it.
    pub messages: u64,
    /// Malformed records skipped (exports only).
    pub malformed: u64,
    /// The number its first line has in `lines`.
    pub first_line: u64,
    /// What cut the input short, when something did.
    pub damage: Option<String>,
    /// Why the input could not be read at all.
    pub error: Option<String>,
}

/// One template.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TemplateRow {
    /// 1-based, in order of first appearance in the input.
    pub id: u64,
    /// `<*>` marks the variable parts.
    pub template: String,
    /// Messages it covers.
    pub count: u64,
    /// Their line numbers, ascending, each once.
    pub lines: Vec<u64>,
}

impl TemplatesReport {
    /// Assembles a report: numbers the templates in order of first line,
    /// then sorts them by count (descending), ties by first line.
    pub fn new(inputs: Vec<TemplatesInput>, mut templates: Vec<TemplateRow>) -> Self {
        let first = |t: &TemplateRow| t.lines.first().copied().unwrap_or(u64::MAX);
        templates.sort_by_key(|t| (first(t), t.template.clone()));
        for (i, t) in templates.iter_mut().enumerate() {
            t.id = i as u64 + 1;
        }
        templates.sort_by(|a, b| b.count.cmp(&a.count).then(first(a).cmp(&first(b))));
        TemplatesReport {
            schema: SCHEMA,
            messages: inputs.iter().map(|i| i.messages).sum(),
            inputs,
            templates,
        }
    }

    /// Whether an input could not be read or was cut short.
    pub fn input_errors(&self) -> bool {
        self.inputs
            .iter()
            .any(|i| i.error.is_some() || i.damage.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(template: &str, count: u64, lines: &[u64]) -> TemplateRow {
        TemplateRow {
            id: 0,
            template: template.into(),
            count,
            lines: lines.to_vec(),
        }
    }

    #[test]
    fn ids_follow_first_lines_and_order_follows_counts() {
        let r = TemplatesReport::new(
            vec![TemplatesInput {
                messages: 6,
                ..TemplatesInput::default()
            }],
            vec![
                row("c", 1, &[6]),
                row("b", 2, &[2, 5]),
                row("a", 2, &[1, 3]),
                row("d", 1, &[4]),
            ],
        );
        let got: Vec<(u64, &str)> = r
            .templates
            .iter()
            .map(|t| (t.id, t.template.as_str()))
            .collect();
        assert_eq!(got, [(1, "a"), (2, "b"), (3, "d"), (4, "c")]);
        assert_eq!((r.schema, r.messages), ("logs.templates/v1", 6));
    }
}

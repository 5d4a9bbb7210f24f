//! The JSON printer: the [`RollbackReport`] itself, serialised. The shape is
//! the versioned `logs.rollback/v1` contract (see `report.rs`).

use logs_core::rollback::RollbackReport;

/// Pretty-printed JSON of `report`, ending in a newline.
pub fn render_json(report: &RollbackReport) -> String {
    // Serialising plain structs with string keys cannot fail (non-finite
    // floats become `null`), so there is no error to hand back.
    let mut text =
        serde_json::to_string_pretty(report).expect("a RollbackReport always serialises");
    text.push('\n');
    text
}

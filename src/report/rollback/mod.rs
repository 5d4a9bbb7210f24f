//! Printers of [`crate::rollback::RollbackReport`]: the decision first, then
//! the rules table (table, Markdown, JSON).

mod format;
mod json;
mod markdown;
#[cfg(test)]
mod printer_tests;
mod table;

pub use json::render_json;
pub use markdown::render_markdown;
pub use table::{render_table, render_table_width};

//! The normalised log record: one shape for every Vercel export.
//!
//! Drain records, dashboard rows (JSON or CSV) and both `vercel logs --json`
//! eras decode into [`Record`], borrowing from the input where they can.

mod csv;
mod failure;
mod fast;
mod filter;
mod json;
mod loose;
mod model;
mod raw;
pub mod route;
pub mod time;

pub use csv::CsvColumns;
pub use failure::{is_request_line, reads_like_error};
pub use filter::RecordFilter;
pub use json::{DecodeError, decode_json, decode_json_fields, repair_text};
pub use model::{Level, LogLine, Record, Shape, deployment_name};

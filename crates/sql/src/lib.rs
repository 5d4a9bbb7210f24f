//! `logs-sql`: what `logs` knows, compiled to ClickHouse SQL, for logs kept
//! in a log store rather than in files (`logs sql`).
//!
//! - [`schema`]: the documented drain table (DDL) and how to load it;
//! - [`check`]: per-signature counts, generated from the catalog
//!   ([`matcher`] turns each signature into a predicate);
//! - [`rollback`]: the rollback rules' measures (`logs_core::rollback::
//!   Measure`), generated from the policy; [`results`] reads their output
//!   back so that `logs rollback --from-sql-results` judges them with the
//!   same Rust code as a file scan;
//! - [`audit`]: per-period counts and the inputs of unknown-error grouping.
//!
//! Text only: no database client. The tests run the SQL in ClickHouse
//! (chdb) and compare with the Rust scan.

pub mod audit;
pub mod check;
mod columns;
pub mod filter;
mod json;
pub mod matcher;
pub mod quote;
pub mod results;
pub mod rollback;
mod rollback_rules;
pub mod schema;

pub use columns::{COLUMNS, Column};
pub use filter::Filters;

/// The table name when none is given.
pub const DEFAULT_TABLE: &str = "vercel_logs";

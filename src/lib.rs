//! `logs`: find incidents in Vercel logs.
//!
//! The workspace follows the data flow:
//!
//! - `logs-core` (`crates/core`): input → record → text → signatures →
//!   scan → analyses (check, rollback, audit, templates), with no terminal,
//!   server or database dependency;
//! - `logs-report` (`crates/report`): the printers (tables, JSON, Markdown,
//!   GitHub annotations, JUnit, HTML). Analyses never print; printers never
//!   compute;
//! - `logs-generate` (`crates/generate`): realistic synthetic exports;
//! - this crate: the `logs` binary (`src/main.rs`, [`cli`]: flags, config
//!   file, terminal, progress, exit codes).
//!
//! The core's modules are re-exported here under their own names
//! (`logs::check`, `logs::record`, …), with `logs::report` and
//! `logs::generate`.

pub mod cli;

pub use logs_core::*;
pub use logs_generate as generate;
pub use logs_report as report;

//! `logs`: find incidents in Vercel logs.
//!
//! The crate is laid out along the data flow:
//!
//! - [`input`]: bytes from files, stdin and gzip; format detection; framing
//!   of records in every export shape;
//! - [`record`]: the normalised [`record::Record`];
//! - [`signatures`]: the catalog of known errors and the matcher;
//! - [`templates`]: message normalisation and online template mining (the
//!   one normaliser: signature fingerprints use it too);
//! - [`scan`]: the parallel engine that feeds records to an analysis;
//! - analyses ([`check`], [`rollback`], [`audit`]) that turn records into plain report data;
//! - [`report`]: printers that write report data as tables, JSON, Markdown
//!   or GitHub annotations. Analyses never print; printers never compute.
//!
//! The `logs` binary (`src/main.rs`, `src/cli/`) is a thin layer over this.

pub mod audit;
pub mod check;
pub mod cli;
pub mod config;
pub mod error;
pub mod generate;
pub mod input;
pub mod named;
pub mod record;
pub mod redact;
pub mod report;
pub mod rollback;
pub mod scan;
pub mod signatures;
pub mod summary;
pub mod templates;

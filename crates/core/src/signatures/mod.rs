//! The signature catalog: known error texts, how to recognise them, and what
//! to do about them.
//!
//! Signatures are TOML files (`signatures/*.toml` are compiled into the
//! binary; users add more with `--signatures`). [`SignatureSet`] compiles a
//! catalog into one Aho-Corasick automaton over every anchor (run on raw input
//! bytes, to pick candidate records) and per-signature confirmation on the
//! decoded field.

mod anchor;
mod builtin;
mod catalog;
mod catalog_keys;
mod error;
mod examples;
mod matcher;
#[cfg(test)]
mod matcher_tests;
mod memo;
mod prefilter;
mod source;
mod teddy_order;

pub use builtin::BUILTIN_FILES;
pub use catalog::{CatalogError, Field, Role, Severity, SignatureDef, load_catalog, parse_catalog};
pub use examples::{ExampleFailure, check_examples};
pub use matcher::{Hit, SignatureSet};
pub use memo::ConfirmMemo;
pub use source::{RecordSource, SourceScope};

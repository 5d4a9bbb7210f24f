//! `logs-core`: find incidents in Vercel logs, without a terminal, a server
//! or a database.
//!
//! The crate is laid out along the data flow:
//!
//! - [`input`]: bytes from files, stdin and gzip; format detection; framing
//!   of records in every export shape;
//! - [`record`]: the normalised [`record::Record`];
//! - [`text`]: the one normaliser (error heads, tokens, `<*>` masking) that
//!   signature fingerprints and template mining share;
//! - [`signatures`]: the catalog of known errors and the matcher;
//! - [`scan`]: the engine that feeds records to an analysis (files, readers
//!   and an incremental feed alike);
//! - analyses ([`check`], [`rollback`], [`audit`], [`templates`]) that turn
//!   records into plain report data, and [`access`] (cron and webhook auth
//!   read from requests to those paths), which `check` and `audit` share;
//! - [`redact`], [`summary`], [`inventory`], [`config`]: what every analysis
//!   shares ([`inventory`]: the deployments an input holds, which filters
//!   and the canary names resolve against).
//!
//! Printers live in `logs-report`, the export generator in `logs-generate`,
//! and the `logs` binary (flags, terminal, progress) on top of them.

pub mod access;
pub mod audit;
pub mod check;
pub mod config;
pub mod formats;
pub mod hash;
pub mod input;
pub mod inventory;
pub mod named;
pub mod record;
pub mod redact;
pub mod rollback;
pub mod scan;
pub mod signatures;
pub mod summary;
pub mod templates;
pub mod text;

//! Typed input problems: [`InputError`] (an input that could not be read
//! at all) and [`Damage`] (an input cut short: the records before the
//! damage are scanned). The command layer adds context with `anyhow`.

use std::io;

/// An input that could not be opened or read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: cannot open: {source}")]
    Open { path: String, source: io::Error },
    #[error("{path}: is a directory")]
    IsDirectory { path: String },
    #[error("{path}: read failed at byte {offset}: {source}")]
    Read {
        path: String,
        offset: u64,
        source: io::Error,
    },
    #[error("{path}: unrecognised format (starts with {head:?}); pass --input-format")]
    UnknownFormat { path: String, head: String },
    #[error(
        "{path}: a record at byte {offset} is longer than {} MiB, the maximum record size: the input is damaged",
        super::MAX_RECORD_BYTES >> 20
    )]
    TooLong { path: String, offset: u64 },
    #[error(
        "{path}: the CSV header is longer than {} MiB, the maximum record size",
        super::MAX_RECORD_BYTES >> 20
    )]
    CsvHeaderTooLong { path: String },
    #[error("{path}: CSV input without a recognised header row")]
    NoCsvHeader { path: String },
    #[error("{path}: {what}")]
    Internal { path: String, what: String },
}

/// Errors compare by what they say (an `io::Error` has no equality).
impl Eq for InputError {}

impl PartialEq for InputError {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

/// What cut an input short. The records before it were scanned; the run
/// is an error (exit 2), never a silent drop.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Damage {
    #[error("input ends inside a record or array: it is truncated")]
    Truncated,
    #[error(
        "the record at byte {offset} is longer than {} MiB, the maximum record size (not read)",
        super::MAX_RECORD_BYTES >> 20
    )]
    Oversized { offset: u64 },
    #[error(
        "no record boundary within {} MiB after byte {after}: a record longer than the maximum record size",
        super::MAX_RECORD_BYTES >> 20
    )]
    NoBoundary { after: u64 },
    #[error("stream is truncated or corrupt after {after} bytes: {message}")]
    Corrupt { after: u64, message: String },
}

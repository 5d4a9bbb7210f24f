//! Typed errors of the library. The command layer adds context with `anyhow`.

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
        crate::input::MAX_RECORD_BYTES >> 20
    )]
    TooLong { path: String, offset: u64 },
}

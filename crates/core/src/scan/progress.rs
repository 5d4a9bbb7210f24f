//! Progress reporting as a trait: the engine says how far it got; the
//! binary decides what to show (a bar on a terminal's stderr), so the core
//! knows nothing of terminals.

use std::sync::Arc;

/// Receives progress of scans. Cheap to call from many threads.
pub trait ProgressSink: Send + Sync {
    /// An input of `size` bytes (when known; compressed size for gzip is
    /// not passed) starts.
    fn start(&self, name: &str, size: Option<u64>) -> Box<dyn InputProgress>;
}

/// Progress of one input.
pub trait InputProgress: Send + Sync {
    /// `bytes` more were scanned.
    fn advance(&self, bytes: u64);
    /// The input is done.
    fn finish(&self);
}

/// Progress of one input, or nothing.
pub struct Progress(Option<Box<dyn InputProgress>>);

impl Progress {
    /// Starts reporting one input to `sink`, if there is one.
    pub fn new(sink: Option<&Arc<dyn ProgressSink>>, size: Option<u64>, name: &str) -> Progress {
        Progress(sink.map(|s| s.start(name, size)))
    }

    /// Reports nothing.
    pub fn none() -> Progress {
        Progress(None)
    }

    /// Adds scanned bytes.
    pub fn advance(&self, bytes: u64) {
        if let Some(p) = &self.0 {
            p.advance(bytes);
        }
    }

    /// Ends the input's report.
    pub fn finish(&self) {
        if let Some(p) = &self.0 {
            p.finish();
        }
    }
}

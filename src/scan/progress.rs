//! A progress bar on stderr for long scans; a no-op when disabled.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress of one input. Cheap to update from many threads.
pub struct Progress(Option<ProgressBar>);

/// Inputs smaller than this finish too fast for a bar to help.
const MIN_BYTES: u64 = 64 << 20;

impl Progress {
    /// A bar when `enabled` and the input is long (or of unknown length).
    pub fn new(enabled: bool, size: Option<u64>, name: &str) -> Progress {
        if !enabled || size.is_some_and(|s| s < MIN_BYTES) {
            return Progress(None);
        }
        let bar = match size {
            Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        };
        let template = if size.is_some() {
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}"
        } else {
            "{msg} {spinner} {bytes} {bytes_per_sec}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(name.to_string());
        Progress(Some(bar))
    }

    /// A disabled bar.
    pub fn none() -> Progress {
        Progress(None)
    }

    /// Adds scanned bytes.
    pub fn advance(&self, bytes: u64) {
        if let Some(b) = &self.0 {
            b.inc(bytes);
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

//! Progress bars on stderr (indicatif), for long scans when stderr is a
//! terminal: the binary's implementation of the core's
//! [`ProgressSink`](crate::scan::ProgressSink).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::scan::{InputProgress, ProgressSink};

/// Inputs smaller than this finish too fast for a bar to help.
const MIN_BYTES: u64 = 64 << 20;

/// Bars on stderr.
pub struct Bars;

struct Bar(ProgressBar);

/// Nothing to show (a small input).
struct Quiet;

impl ProgressSink for Bars {
    fn start(&self, name: &str, size: Option<u64>) -> Box<dyn InputProgress> {
        if size.is_some_and(|s| s < MIN_BYTES) {
            return Box::new(Quiet);
        }
        let bar = ProgressBar::with_draw_target(size, ProgressDrawTarget::stderr());
        let template = if size.is_some() {
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}"
        } else {
            "{msg} {spinner} {bytes} {bytes_per_sec}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(name.to_string());
        Box::new(Bar(bar))
    }
}

impl InputProgress for Bar {
    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl InputProgress for Quiet {
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

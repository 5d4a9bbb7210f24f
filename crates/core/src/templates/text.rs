//! Mining plain text, one message per non-blank line, on several threads.
//!
//! One thread reads (the input layer frames lines and checks UTF-8) and
//! hands lines over in batches of about [`BATCH_BYTES`] to `threads`
//! workers; when they are all busy and their queue is full it records the
//! batch itself rather than wait. Each thread records lines in its own [`TemplateMiner`], and
//! the miners are merged at the end. Grouping depends only on the set of distinct heads and their
//! counts (see [`super::cluster`]), so the templates, their counts and
//! their line numbers are the same for any number of threads and any way
//! the lines were split between them.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, TrySendError, sync_channel};

use super::report::{TemplateRow, TemplatesInput, TemplatesReport};
use super::{MinerConfig, TemplateMiner};
use crate::input::{InputSpec, read_text_lines};

/// Text handed to a worker at a time.
const BATCH_BYTES: usize = 256 * 1024;

/// Lines for a worker: their text back to back, and each line's number and
/// byte range in it.
#[derive(Default)]
struct Batch {
    text: String,
    lines: Vec<(u64, usize, usize)>,
}

impl Batch {
    fn push(&mut self, line: u64, text: &str) {
        let start = self.text.len();
        self.text.push_str(text);
        self.lines.push((line, start, self.text.len()));
    }
}

/// Mines plain text inputs on all cores.
pub fn mine_text(specs: &[InputSpec], config: MinerConfig) -> TemplatesReport {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    mine_text_threads(specs, config, threads)
}

/// Mines plain text inputs with `threads` workers (1: on this thread, as
/// the lines are read).
pub fn mine_text_threads(
    specs: &[InputSpec],
    config: MinerConfig,
    threads: usize,
) -> TemplatesReport {
    let (miner, inputs) = if threads <= 1 {
        let mut miner = TemplateMiner::new(config);
        let inputs = read_all(specs, |line, text| miner.add(line, text));
        (miner, inputs)
    } else {
        in_parallel(specs, config, threads)
    };
    let rows = miner
        .templates()
        .into_iter()
        .map(|t| TemplateRow {
            id: 0,
            template: t.template,
            count: t.count,
            lines: t.lines,
        })
        .collect();
    TemplatesReport::new(inputs, rows)
}

/// Reads every input, numbering lines on from one input to the next.
fn read_all(specs: &[InputSpec], mut each: impl FnMut(u64, &str)) -> Vec<TemplatesInput> {
    let mut inputs = Vec::with_capacity(specs.len());
    let mut offset = 0;
    for spec in specs {
        let mut input = TemplatesInput {
            path: spec.display_name(),
            first_line: offset + 1,
            ..TemplatesInput::default()
        };
        match read_text_lines(spec, |n, text| each(offset + n, text)) {
            Ok(stats) => {
                input.format = Some("text".into());
                input.gzip = stats.gzip;
                input.messages = stats.messages;
                offset += stats.lines;
            }
            Err(e) => input.error = Some(e.to_string()),
        }
        inputs.push(input);
    }
    inputs
}

/// A worker: records every batch it receives until the reader is done.
fn work(batches: &Mutex<Receiver<Batch>>, config: MinerConfig) -> TemplateMiner {
    let mut miner = TemplateMiner::new(config);
    loop {
        let next = batches
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .recv();
        let Ok(batch) = next else {
            return miner;
        };
        for &(line, start, end) in &batch.lines {
            miner.add(line, &batch.text[start..end]);
        }
    }
}

fn in_parallel(
    specs: &[InputSpec],
    config: MinerConfig,
    threads: usize,
) -> (TemplateMiner, Vec<TemplatesInput>) {
    let (tx, rx) = sync_channel::<Batch>(threads * 2);
    let rx = Mutex::new(rx);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| scope.spawn(|| work(&rx, config)))
            .collect();
        let mut miner = TemplateMiner::new(config);
        let mut hand_over = |batch: Batch| match tx.try_send(batch) {
            Ok(()) => {}
            Err(TrySendError::Full(batch) | TrySendError::Disconnected(batch)) => {
                for &(line, start, end) in &batch.lines {
                    miner.add(line, &batch.text[start..end]);
                }
            }
        };
        let mut batch = Batch::default();
        let inputs = read_all(specs, |line, text| {
            batch.push(line, text);
            if batch.text.len() >= BATCH_BYTES {
                hand_over(std::mem::take(&mut batch));
            }
        });
        if !batch.lines.is_empty() {
            hand_over(batch);
        }
        drop(tx);
        for w in workers {
            match w.join() {
                Ok(part) => miner.merge(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        (miner, inputs)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_number_of_threads_gives_the_same_report() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("app.log");
        let mut text = String::new();
        for i in 0..40_000 {
            text.push_str(&match i % 4 {
                0 => format!("job {i} finished in {}ms\n", i % 97),
                1 => format!(
                    "token issued to user {} (ttl=1h)\n",
                    ["alice", "bob"][i % 2]
                ),
                2 => "\n".to_string(),
                _ => format!("GET /api/items/{i} 200 in {}ms\n", i % 13),
            });
        }
        std::fs::write(&path, text).expect("write");
        let specs = [InputSpec::Path(path)];
        let json = |threads| {
            let report = mine_text_threads(&specs, MinerConfig::default(), threads);
            serde_json::to_string(&report).expect("serialises")
        };
        let one = json(1);
        assert!(one.contains("\"messages\":30000"), "{}", &one[..200]);
        for threads in [2, 3, 8] {
            assert_eq!(json(threads), one);
        }
    }
}

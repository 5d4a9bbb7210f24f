//! The single writer: one thread owns the store. Store jobs queued while
//! it was syncing are written together and synced once (group commit);
//! the new lines go to the judge's thread (see [`crate::judging`]) and
//! only then is each sender answered, so a question asked after a 200 is
//! judged with those records. When the store moves to a new hour file,
//! the compressor thread is told, and closes the older hours.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use tokio::sync::{mpsc, oneshot};

use crate::batch::Record;
use crate::judging::Judging;
use crate::store::{Store, fresh_lines, read_hour_file, stored_files};

/// What a stored batch came to.
#[derive(Debug, Clone, Copy)]
pub struct Stored {
    /// Records written now.
    pub written: usize,
    /// Records already stored (same id), skipped.
    pub duplicates: usize,
}

pub enum Job {
    Store {
        records: Vec<Record>,
        reply: oneshot::Sender<Result<Stored, String>>,
    },
    /// Passed to the judge, in order.
    Ask(Judging),
}

/// Runs the writer until every sender is gone.
pub fn run(
    mut store: Store,
    dir: PathBuf,
    mut rx: mpsc::Receiver<Job>,
    judge: SyncSender<Judging>,
    closed: std::sync::mpsc::Sender<PathBuf>,
) {
    if let Err(e) = feed_stored(&dir, &judge) {
        crate::log_error!(
            "reading the stored files of {} for /status: {e}",
            dir.display()
        );
    }
    let _ = judge.send(Judging::Started);
    let mut current: Option<PathBuf> = stored_files(&dir).ok().and_then(|f| f.last().cloned());
    if let Some(c) = &current {
        let _ = closed.send(c.clone());
    }
    while let Some(first) = rx.blocking_recv() {
        let mut jobs = vec![first];
        while let Ok(more) = rx.try_recv() {
            jobs.push(more);
        }
        let mut lines = Vec::new();
        let mut ids = std::collections::HashSet::new();
        let mut counts = Vec::new();
        let mut records = 0;
        for job in &jobs {
            if let Job::Store { records: batch, .. } = job {
                let bytes = lines.len();
                fresh_lines(&store.window, batch, &mut lines, &mut ids);
                let written = lines[bytes..].iter().filter(|&&b| b == b'\n').count();
                records += written;
                counts.push(Stored {
                    written,
                    duplicates: batch.len() - written,
                });
            }
        }
        let now = chrono::Utc::now();
        let result = if lines.is_empty() {
            Ok(())
        } else {
            store.append(now, &lines)
        };
        match &result {
            Ok(()) => {
                for id in ids {
                    store.window.insert(id);
                }
                if !lines.is_empty() {
                    let _ = judge.send(Judging::Received {
                        lines,
                        records: records as u64,
                        at_ms: now.timestamp_millis(),
                    });
                }
                let written = store.current().map(Path::to_path_buf);
                if written.is_some() && written != current {
                    current = written;
                    if let Some(c) = &current {
                        let _ = closed.send(c.clone());
                    }
                }
            }
            Err(e) => crate::log_error!(
                "storing a batch in {} failed: {e}; answered 500, the sender will retry",
                dir.display()
            ),
        }
        let mut counts = counts.into_iter();
        for job in jobs {
            match job {
                Job::Store { reply, .. } => {
                    let answer = match &result {
                        Ok(()) => Ok(counts.next().unwrap_or(Stored {
                            written: 0,
                            duplicates: 0,
                        })),
                        Err(e) => Err(e.to_string()),
                    };
                    let _ = reply.send(answer);
                }
                Job::Ask(question) => {
                    let _ = judge.send(question);
                }
            }
        }
    }
}

fn feed_stored(dir: &Path, judge: &SyncSender<Judging>) -> io::Result<()> {
    for f in stored_files(dir)? {
        if judge.send(Judging::Stored(read_hour_file(&f)?)).is_err() {
            break;
        }
    }
    Ok(())
}

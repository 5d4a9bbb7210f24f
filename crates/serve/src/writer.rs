//! The single writer: one thread owns the store and the live judge. Store
//! jobs queued while it was syncing are written together and synced once
//! (group commit), then each is answered; only then are the new lines fed
//! to the judge, so `/status` judges exactly what is on disk.

use std::io;

use tokio::sync::{mpsc, oneshot};

use crate::batch::Record;
use crate::store::{Store, fresh_lines, stored_files};

/// The live judgement of what is stored (the CLI's rollback policy).
pub trait Judge {
    /// Bytes appended to the store (whole NDJSON lines).
    fn push(&mut self, bytes: &[u8]);
    /// The current judgement, as the body of `GET /status`.
    fn status(&mut self) -> Vec<u8>;
}

/// Builds the judge on the writer thread (it may borrow what it builds).
pub type MakeJudge = Box<dyn FnOnce() -> Box<dyn Judge> + Send>;

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
    Status {
        reply: oneshot::Sender<Vec<u8>>,
    },
}

/// Runs the writer until every sender is gone.
pub fn run(
    mut store: Store,
    dir: std::path::PathBuf,
    make: MakeJudge,
    mut rx: mpsc::Receiver<Job>,
) {
    let mut judge = make();
    match feed_stored(&dir, judge.as_mut()) {
        Ok(()) => {}
        Err(e) => eprintln!(
            "logs serve: ERROR: reading the stored files of {} for /status: {e}",
            dir.display()
        ),
    }
    while let Some(first) = rx.blocking_recv() {
        let mut jobs = vec![first];
        while let Ok(more) = rx.try_recv() {
            jobs.push(more);
        }
        let mut lines = Vec::new();
        let mut ids = std::collections::HashSet::new();
        let mut counts = Vec::new();
        for job in &jobs {
            if let Job::Store { records, .. } = job {
                let bytes = lines.len();
                fresh_lines(&store.window, records, &mut lines, &mut ids);
                let written = lines[bytes..].iter().filter(|&&b| b == b'\n').count();
                counts.push(Stored {
                    written,
                    duplicates: records.len() - written,
                });
            }
        }
        let result = if lines.is_empty() {
            Ok(())
        } else {
            store.append(chrono::Utc::now(), &lines)
        };
        match &result {
            Ok(()) => {
                for id in ids {
                    store.window.insert(id);
                }
                judge.push(&lines);
            }
            Err(e) => eprintln!(
                "logs serve: ERROR: storing a batch in {} failed: {e}; answered 500, the sender will retry",
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
                Job::Status { reply } => {
                    let _ = reply.send(judge.status());
                }
            }
        }
    }
}

fn feed_stored(dir: &std::path::Path, judge: &mut dyn Judge) -> io::Result<()> {
    for f in stored_files(dir)? {
        judge.push(&std::fs::read(f)?);
    }
    Ok(())
}

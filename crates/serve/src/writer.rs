//! The single writer: one thread owns the store and the live judge. Store
//! jobs queued while it was syncing are written together and synced once
//! (group commit), then each is answered; only then are the new lines fed
//! to the judge, and status and page requests answered, so `/status`
//! judges exactly what is on disk. Once a second (a tick) the decision is
//! looked at again if records came in; a change is handed to the notifier
//! without waiting. When the store moves to a new hour file, the
//! compressor thread is told, and closes the older hours.

use std::collections::VecDeque;
use std::io;
use std::path::PathBuf;

use tokio::sync::{mpsc, oneshot};

use crate::batch::Record;
use crate::store::{Store, fresh_lines, read_hour_file, stored_files};

/// The live judgement of what is stored (the CLI's rollback policy).
pub trait Judge {
    /// Bytes appended to the store (whole NDJSON lines).
    fn push(&mut self, bytes: &[u8]);
    /// The current judgement, as the body of `GET /status`.
    fn status(&mut self) -> Vec<u8>;
    /// The current decision's name (`rollback`, `hold`, `proceed`).
    fn decision(&mut self) -> String;
    /// The notification body for the decision last returned by
    /// [`Judge::decision`].
    fn notice(&mut self) -> Vec<u8>;
    /// The page of `GET /`, with what was stored per minute.
    fn page(&mut self, activity: &Activity) -> Vec<u8>;
}

/// Builds the judge on the writer thread (it may borrow what it builds).
pub type MakeJudge = Box<dyn FnOnce() -> Box<dyn Judge> + Send>;

/// Records stored per minute of receipt, the last hour.
#[derive(Debug, Clone, Default)]
pub struct Activity {
    /// (minute start in epoch ms, records), oldest first.
    pub per_minute: VecDeque<(i64, u64)>,
}

impl Activity {
    const MINUTES: usize = 60;

    fn add(&mut self, at_ms: i64, n: u64) {
        let minute = at_ms - at_ms.rem_euclid(60_000);
        match self.per_minute.back_mut() {
            Some((m, c)) if *m == minute => *c += n,
            _ => self.per_minute.push_back((minute, n)),
        }
        while self
            .per_minute
            .front()
            .is_some_and(|(m, _)| *m <= minute - Self::MINUTES as i64 * 60_000)
        {
            self.per_minute.pop_front();
        }
    }
}

/// Where the writer hands work it does not wait for.
pub struct Handoff {
    /// Notification bodies (a full queue drops the notice, loudly).
    pub notify: Option<mpsc::Sender<Vec<u8>>>,
    /// The hour file now written, whenever it changes.
    pub closed: Option<std::sync::mpsc::Sender<PathBuf>>,
}

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
    Page {
        reply: oneshot::Sender<Vec<u8>>,
    },
    /// Look at the decision again (sent once a second).
    Tick,
}

/// Runs the writer until every sender is gone.
pub fn run(
    mut store: Store,
    dir: PathBuf,
    make: MakeJudge,
    mut rx: mpsc::Receiver<Job>,
    handoff: Handoff,
) {
    let mut judge = make();
    if let Err(e) = feed_stored(&dir, judge.as_mut()) {
        eprintln!(
            "logs serve: ERROR: reading the stored files of {} for /status: {e}",
            dir.display()
        );
    }
    let mut decision = judge.decision();
    eprintln!("logs serve: decision on start: {decision}");
    let mut dirty = false;
    let mut activity = Activity::default();
    let mut current: Option<PathBuf> = stored_files(&dir).ok().and_then(|f| f.last().cloned());
    if let (Some(c), Some(tx)) = (&current, &handoff.closed) {
        let _ = tx.send(c.clone());
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
            }
            Err(e) => eprintln!(
                "logs serve: ERROR: storing a batch in {} failed: {e}; answered 500, the sender will retry",
                dir.display()
            ),
        }
        // Durable: answer the senders first, then judge.
        let mut counts = counts.into_iter();
        let mut later = Vec::new();
        let mut tick = false;
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
                Job::Tick => tick = true,
                other => later.push(other),
            }
        }
        if result.is_ok() && !lines.is_empty() {
            let n = lines.iter().filter(|&&b| b == b'\n').count() as u64;
            activity.add(now.timestamp_millis(), n);
            judge.push(&lines);
            dirty = true;
            let now_written = store.current().map(std::path::Path::to_path_buf);
            if now_written.is_some() && now_written != current {
                current = now_written;
                if let (Some(c), Some(tx)) = (&current, &handoff.closed) {
                    let _ = tx.send(c.clone());
                }
            }
        }
        for job in later {
            match job {
                Job::Status { reply } => {
                    let _ = reply.send(judge.status());
                }
                Job::Page { reply } => {
                    let _ = reply.send(judge.page(&activity));
                }
                Job::Store { .. } | Job::Tick => {}
            }
        }
        if tick && dirty {
            dirty = false;
            let now = judge.decision();
            if now != decision {
                eprintln!("logs serve: decision changed: {decision} → {now}");
                decision = now;
                if let Some(tx) = &handoff.notify {
                    if tx.try_send(judge.notice()).is_err() {
                        eprintln!(
                            "logs serve: ERROR: the notification queue is full; the change to {decision} is not notified"
                        );
                    }
                }
            }
        }
    }
}

fn feed_stored(dir: &std::path::Path, judge: &mut dyn Judge) -> io::Result<()> {
    for f in stored_files(dir)? {
        judge.push(&read_hour_file(&f)?);
    }
    Ok(())
}

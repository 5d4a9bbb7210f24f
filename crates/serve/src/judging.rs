//! The judge's thread: the live judge (the CLI's rollback policy) gets the
//! stored lines from the writer, in the order they were stored, over a
//! short bounded queue — so judging overlaps the next batch's storage, and
//! a judge that falls behind slows the acknowledgements rather than
//! growing a backlog. Status and page requests come through the same
//! queue, after the lines stored before them, so `/status` judges exactly
//! what was on disk when it was asked. Once a second (a tick) the decision
//! is looked at again if lines came in; a change is handed to the
//! notifier without waiting.

use std::collections::VecDeque;
use std::sync::mpsc::Receiver;

use tokio::sync::{mpsc, oneshot};

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

/// Builds the judge on its thread (it may borrow what it builds).
pub type MakeJudge = Box<dyn FnOnce() -> Box<dyn Judge> + Send>;

/// Records stored per minute of receipt, the last hour.
#[derive(Debug, Clone, Default)]
pub struct Activity {
    /// (minute start in epoch ms, records), oldest first.
    pub per_minute: VecDeque<(i64, u64)>,
}

impl Activity {
    const MINUTES: i64 = 60;

    fn add(&mut self, at_ms: i64, n: u64) {
        let minute = at_ms - at_ms.rem_euclid(60_000);
        match self.per_minute.back_mut() {
            Some((m, c)) if *m == minute => *c += n,
            _ => self.per_minute.push_back((minute, n)),
        }
        while (self.per_minute.front()).is_some_and(|(m, _)| *m <= minute - Self::MINUTES * 60_000)
        {
            self.per_minute.pop_front();
        }
    }
}

/// What the judge's thread is asked.
pub enum Judging {
    /// Lines read back on start (not counted as received).
    Stored(Vec<u8>),
    /// Lines just stored: `records` of them, received at `at_ms`.
    Received {
        lines: Vec<u8>,
        records: u64,
        at_ms: i64,
    },
    /// Read back on start is done: the decision from here on is tracked.
    Started,
    Status(oneshot::Sender<Vec<u8>>),
    Page(oneshot::Sender<Vec<u8>>),
    Tick,
}

/// Runs the judge until the writer hangs up.
pub fn run(make: MakeJudge, rx: Receiver<Judging>, notify: Option<mpsc::Sender<Vec<u8>>>) {
    let mut judge = make();
    let mut activity = Activity::default();
    let mut decision: Option<String> = None;
    let mut dirty = false;
    while let Ok(job) = rx.recv() {
        match job {
            Judging::Stored(lines) => judge.push(&lines),
            Judging::Received {
                lines,
                records,
                at_ms,
            } => {
                activity.add(at_ms, records);
                judge.push(&lines);
                dirty = true;
            }
            Judging::Started => {
                let now = judge.decision();
                crate::log_info!("decision on start: {now}");
                decision = Some(now);
            }
            Judging::Status(reply) => {
                let _ = reply.send(judge.status());
            }
            Judging::Page(reply) => {
                let _ = reply.send(judge.page(&activity));
            }
            Judging::Tick if dirty => {
                dirty = false;
                let now = judge.decision();
                let Some(before) = decision.replace(now.clone()) else {
                    continue;
                };
                if now == before {
                    continue;
                }
                crate::log_info!("decision changed: {before} → {now}");
                if let Some(tx) = &notify {
                    if tx.try_send(judge.notice()).is_err() {
                        crate::log_error!(
                            "the notification queue is full; the change to {now} is not notified"
                        );
                    }
                }
            }
            Judging::Tick => {}
        }
    }
}

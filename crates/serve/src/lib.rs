//! logs-serve: the Vercel log drain receiver behind `logs serve`. Every
//! POST is checked against its `x-vercel-signature` before anything else
//! is done with the body, decoded (gzip, under a limit), split into
//! records (all or nothing), stored by hour with an fsync before the 2xx
//! (see [`store`]), and fed to a live judge that `GET /status` and the page
//! on `GET /` read; a change of decision is posted to `--notify` (see
//! [`notify`]); closed hours are compressed and old ones deleted (see
//! [`compress`]). The HTTP stack (tokio, hyper) lives in this crate only.

pub mod batch;
pub mod compress;
mod http;
pub mod judging;
pub mod layout;
pub mod log;
pub mod notify;
pub mod store;
pub mod verify;
pub mod writer;

use std::net::SocketAddr;
use std::path::PathBuf;

pub use compress::Retention;
pub use judging::{Activity, Judge, MakeJudge};
pub use notify::Notify;

/// What `logs serve` was told.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (port 0: any free port, announced on stderr).
    pub listen: SocketAddr,
    /// The directory of the hour files.
    pub dir: PathBuf,
    /// The drain secret (HMAC-SHA1 key).
    pub secret: Vec<u8>,
    /// The `x-vercel-verify` answer, if any.
    pub verify: Option<String>,
    /// Largest request body on the wire, in bytes (larger: 413).
    pub max_body: u64,
    /// Largest body after gzip decoding, in bytes (larger: 413).
    pub max_decoded: u64,
    /// How many recent record ids are remembered to drop retried records.
    pub dedupe_window: usize,
    /// Connections served at once (more wait to be accepted).
    pub max_connections: usize,
    /// Where a change of decision is posted.
    pub notify: Option<Notify>,
    /// How long closed hours are kept.
    pub retention: Retention,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{}: cannot open the storage directory: {source}", dir.display())]
    Store {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot start the runtime: {0}")]
    Runtime(std::io::Error),
}

/// Serves until SIGTERM or ctrl-c, then finishes the requests in flight
/// and the pending writes.
pub fn run(config: Config, make: MakeJudge) -> Result<(), ServeError> {
    let store = store::Store::open(&config.dir, config.dedupe_window).map_err(|source| {
        ServeError::Store {
            dir: config.dir.clone(),
            source,
        }
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let (tx, rx) = tokio::sync::mpsc::channel(1024);
    let (closed_tx, closed_rx) = std::sync::mpsc::channel();
    let (dir, retention) = (config.dir.clone(), config.retention);
    let compressor = std::thread::Builder::new()
        .name("logs-serve-compress".into())
        .spawn(move || compress::run(dir, retention, closed_rx))
        .map_err(ServeError::Runtime)?;
    let notify = config.notify.clone().map(|n| {
        let (ntx, nrx) = tokio::sync::mpsc::channel(64);
        runtime.spawn(notify::run(n, nrx));
        ntx
    });
    // A few batches' worth: a judge that falls behind slows the answers.
    let (judge_tx, judge_rx) = std::sync::mpsc::sync_channel(4);
    let judge = std::thread::Builder::new()
        .name("logs-serve-judge".into())
        .spawn(move || judging::run(make, judge_rx, notify))
        .map_err(ServeError::Runtime)?;
    let dir = config.dir.clone();
    let writer = std::thread::Builder::new()
        .name("logs-serve-writer".into())
        .spawn(move || writer::run(store, dir, rx, judge_tx, closed_tx))
        .map_err(ServeError::Runtime)?;
    // The tick holds no sender between ticks, so the writer still ends
    // when the server's senders are gone.
    let weak = tx.downgrade();
    runtime.spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            every.tick().await;
            let Some(tx) = weak.upgrade() else { break };
            if tx
                .send(writer::Job::Ask(judging::Judging::Tick))
                .await
                .is_err()
            {
                break;
            }
        }
    });
    let served = runtime.block_on(http::serve(config, tx));
    // Every sender is gone: the writer ends after the queued jobs, and
    // with it the compressor.
    let _ = writer.join();
    let _ = judge.join();
    let _ = compressor.join();
    served
}

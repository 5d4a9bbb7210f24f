//! Durable storage: records appended to `DIR/YYYY-MM-DD/HH.ndjson` (UTC
//! hour of receipt, never going back to an earlier hour if the clock
//! does), one per line, and `sync_data` before the caller answers. A
//! failed write is cut back to where it started, so a batch is on disk
//! whole or not at all. On start the leftovers of an interrupted
//! compression are cleared (see [`crate::compress`]), the newest file's
//! half-written last line (a crash mid-write) is cut off, and the ids of
//! the newest files fill the dedupe window, so a retry after a restart is
//! still recognised.
//!
//! Test hook: `LOGS_SERVE_FAULT_DATA_FILE=/dev/full` makes every append go
//! to that file instead of the hour file, so a test can see what a full
//! disk does (a 500 and a loud line, never a 200) without root or mounts.

use std::collections::{HashSet, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::batch::Record;
pub use crate::layout::{hour_of, is_hour_file, read_hour_file, stored_files};

/// The ids of the last `capacity` stored records.
pub struct Window {
    capacity: usize,
    order: VecDeque<String>,
    set: HashSet<String>,
}

impl Window {
    pub fn new(capacity: usize) -> Self {
        Window {
            capacity,
            order: VecDeque::new(),
            set: HashSet::new(),
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.set.contains(id)
    }

    pub fn insert(&mut self, id: String) {
        if self.capacity == 0 || !self.set.insert(id.clone()) {
            return;
        }
        self.order.push_back(id);
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
    }
}

/// The hour files under one directory.
pub struct Store {
    dir: PathBuf,
    open: Option<(PathBuf, File)>,
    /// The latest hour written (or found on start): never written before.
    last: Option<DateTime<Utc>>,
    fault: Option<PathBuf>,
    pub window: Window,
}

/// The environment variable of the write-failure test hook.
pub const FAULT_ENV: &str = "LOGS_SERVE_FAULT_DATA_FILE";

impl Store {
    /// Opens `dir` (created if missing): repairs the newest file and loads
    /// the dedupe window from the newest files.
    pub fn open(dir: &Path, window: usize) -> io::Result<Store> {
        std::fs::create_dir_all(dir)?;
        crate::compress::clear_leftovers(dir)?;
        let files = stored_files(dir)?;
        if let Some(last) = files
            .last()
            .filter(|f| f.extension().is_some_and(|e| e == "ndjson"))
        {
            repair(last)?;
        }
        let mut store = Store {
            dir: dir.to_path_buf(),
            open: None,
            last: files.last().and_then(|f| hour_of(f)),
            fault: std::env::var_os(FAULT_ENV).map(PathBuf::from),
            window: Window::new(window),
        };
        let mut ids = Vec::new();
        for f in files.iter().rev() {
            let text = read_hour_file(f)?;
            let mut these: Vec<String> = text
                .split(|&b| b == b'\n')
                .filter_map(|l| serde_json::from_slice::<IdOnly>(l).ok()?.id)
                .collect();
            these.append(&mut ids);
            ids = these;
            if ids.len() >= window {
                break;
            }
        }
        for id in ids {
            store.window.insert(id);
        }
        Ok(store)
    }

    /// The file of the hour of `at`.
    pub fn path_for(&self, at: DateTime<Utc>) -> PathBuf {
        self.dir
            .join(at.format("%Y-%m-%d").to_string())
            .join(at.format("%H.ndjson").to_string())
    }

    /// The hour file open for appending, if any.
    pub fn current(&self) -> Option<&Path> {
        self.open.as_ref().map(|(p, _)| p.as_path())
    }

    /// Appends `lines` (each ends in a newline) to the hour file of `at`
    /// (or of the latest hour written, if later) and syncs it. On error
    /// the file is cut back to its length before.
    pub fn append(&mut self, at: DateTime<Utc>, lines: &[u8]) -> io::Result<()> {
        let at = self.last.map_or(at, |l| l.max(at));
        self.last = Some(at);
        let path = match &self.fault {
            Some(f) => f.clone(),
            None => self.path_for(at),
        };
        if self.open.as_ref().is_none_or(|(p, _)| *p != path) {
            self.open = None;
            let parent = path.parent().unwrap_or(&self.dir);
            let fresh = !path.exists();
            std::fs::create_dir_all(parent)?;
            let file = OpenOptions::new().create(true).append(true).open(&path)?;
            if fresh {
                // The new file's directory entry is durable too.
                file.sync_all()?;
                File::open(parent)?.sync_all()?;
                File::open(&self.dir)?.sync_all()?;
            }
            self.open = Some((path, file));
        }
        let Some((_, file)) = self.open.as_mut() else {
            return Err(io::Error::other("no open file"));
        };
        let before = file.metadata()?.len();
        let written = file.write_all(lines).and_then(|()| file.sync_data());
        if let Err(e) = written {
            let _ = file.set_len(before).and_then(|()| file.sync_data());
            self.open = None;
            return Err(e);
        }
        Ok(())
    }
}

#[derive(serde::Deserialize)]
struct IdOnly {
    #[serde(default)]
    id: Option<String>,
}

/// Cuts `path` back to its last newline (a line half-written by a crash).
fn repair(path: &Path) -> io::Result<()> {
    let bytes = std::fs::read(path)?;
    let keep = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    if keep < bytes.len() {
        crate::log_info!(
            "repaired {}: cut a half-written last line ({} bytes)",
            path.display(),
            bytes.len() - keep
        );
        let file = OpenOptions::new().write(true).open(path)?;
        file.set_len(keep as u64)?;
        file.sync_all()?;
    }
    Ok(())
}

/// The lines of `records` not yet stored (by id, within the window and
/// within the batch), each followed by a newline; and their ids.
pub fn fresh_lines(
    window: &Window,
    records: &[Record],
    out: &mut Vec<u8>,
    ids: &mut HashSet<String>,
) {
    for r in records {
        if let Some(id) = &r.id {
            if window.contains(id) || !ids.insert(id.clone()) {
                continue;
            }
        }
        out.extend_from_slice(&r.line);
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_forgets_the_oldest() {
        let mut w = Window::new(2);
        for id in ["a", "b", "a", "c"] {
            w.insert(id.into());
        }
        assert!(!w.contains("a") && w.contains("b") && w.contains("c"));
    }

    #[test]
    fn reopen_repairs_and_remembers_ids() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path(), 10).unwrap();
        let at = Utc::now();
        s.append(at, b"{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"")
            .unwrap();
        drop(s);
        let s = Store::open(dir.path(), 10).unwrap();
        let text = std::fs::read(s.path_for(at)).unwrap();
        assert_eq!(text, b"{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
        assert!(s.window.contains("a") && s.window.contains("b"));
        assert!(!s.window.contains("c"));
    }
}

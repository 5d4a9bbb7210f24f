//! Closed hours compressed, old ones deleted. An hour file is closed once
//! the writer has moved to a later hour (it never goes back); the writer
//! then hands this thread the file it now writes, and every older
//! `HH.ndjson` becomes `HH.ndjson.gz`:
//!
//! 1. gzip into `HH.ndjson.gz.tmp`, fsync it;
//! 2. rename it to `HH.ndjson.gz`, fsync the day directory;
//! 3. delete `HH.ndjson`, fsync the day directory.
//!
//! A crash between any two steps leaves either a `.tmp` (deleted on start,
//! the `.ndjson` is whole) or both files (the `.gz` is whole: it was
//! synced before its rename, so the `.ndjson` is deleted on start). Every
//! other command reads `.gz` files as they are.
//!
//! Retention then deletes closed hours older than `--retain-days`, and the
//! oldest closed hours while the directory holds more than
//! `--retain-bytes`. The hour being written is never deleted.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::layout::{day_files, hour_of, stored_files};

/// How long stored hours are kept.
#[derive(Debug, Clone, Copy, Default)]
pub struct Retention {
    /// Closed hours older than this many days are deleted.
    pub days: Option<u32>,
    /// The oldest closed hours are deleted while the stored files take more.
    pub bytes: Option<u64>,
}

const TMP: &str = ".tmp";

/// Deletes what an interrupted compression left (see the module doc).
pub fn clear_leftovers(dir: &Path) -> io::Result<()> {
    for (day, files) in day_files(dir)? {
        for f in files {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(".ndjson.gz.tmp") {
                std::fs::remove_file(&f)?;
            } else if name.ends_with(".ndjson") && gz_path(&f).exists() {
                std::fs::remove_file(&f)?;
                crate::log_info!(
                    "{} was already compressed; removed the plain copy",
                    f.display()
                );
            }
        }
        File::open(&day)?.sync_all()?;
    }
    Ok(())
}

fn gz_path(ndjson: &Path) -> PathBuf {
    let mut name = ndjson.as_os_str().to_owned();
    name.push(".gz");
    PathBuf::from(name)
}

/// Compresses one closed hour file (steps 1–3 of the module doc).
pub fn compress(path: &Path) -> io::Result<PathBuf> {
    let gz = gz_path(path);
    let mut tmp = gz.as_os_str().to_owned();
    tmp.push(TMP);
    let tmp = PathBuf::from(tmp);
    let input = File::open(path)?;
    let out = File::create(&tmp)?;
    let mut enc =
        flate2::write::GzEncoder::new(io::BufWriter::new(out), flate2::Compression::default());
    io::copy(&mut io::BufReader::new(input), &mut enc)?;
    let out = enc.finish()?.into_inner().map_err(|e| e.into_error())?;
    out.sync_all()?;
    drop(out);
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::rename(&tmp, &gz)?;
    File::open(parent)?.sync_all()?;
    std::fs::remove_file(path)?;
    File::open(parent)?.sync_all()?;
    Ok(gz)
}

/// Compresses every open-form hour file older than `current` (the file
/// being written), then applies `retention` at `now`.
pub fn close_before(dir: &Path, current: &Path, retention: Retention, now: DateTime<Utc>) {
    let files = match stored_files(dir) {
        Ok(f) => f,
        Err(e) => {
            crate::log_error!("listing {} to compress: {e}", dir.display());
            return;
        }
    };
    for f in files.iter().filter(|f| f.as_path() < current) {
        if f.extension().is_some_and(|e| e == "ndjson") {
            match compress(f) {
                Ok(gz) => crate::log_info!("compressed {}", gz.display()),
                Err(e) => {
                    crate::log_error!("compressing {} failed (kept as it is): {e}", f.display())
                }
            }
        }
    }
    if let Err(e) = retain(dir, current, retention, now) {
        crate::log_error!("retention in {}: {e}", dir.display());
    }
}

/// Deletes closed hours (older than `current`) past `retention`.
fn retain(dir: &Path, current: &Path, retention: Retention, now: DateTime<Utc>) -> io::Result<()> {
    let files = stored_files(dir)?;
    let mut sizes = Vec::with_capacity(files.len());
    for f in &files {
        sizes.push(std::fs::metadata(f).map_or(0, |m| m.len()));
    }
    let mut total: u64 = sizes.iter().sum();
    let cutoff = retention
        .days
        .map(|d| now - chrono::Duration::days(i64::from(d)));
    for (f, size) in files.iter().zip(sizes) {
        if f.as_path() >= current {
            break;
        }
        let too_old =
            cutoff.is_some_and(|c| hour_of(f).is_some_and(|h| h + chrono::Duration::hours(1) <= c));
        let too_big = retention.bytes.is_some_and(|b| total > b);
        if !(too_old || too_big) {
            continue;
        }
        std::fs::remove_file(f)?;
        total -= size;
        crate::log_info!("retention: deleted {}", f.display());
        if let Some(day) = f.parent() {
            // Removed only when empty; then the day's entry is gone too.
            if std::fs::remove_dir(day).is_ok() {
                File::open(dir)?.sync_all()?;
            } else {
                File::open(day)?.sync_all()?;
            }
        }
    }
    Ok(())
}

/// Runs until the writer hangs up: each path received is the file now
/// written.
pub fn run(dir: PathBuf, retention: Retention, rx: std::sync::mpsc::Receiver<PathBuf>) {
    while let Ok(mut current) = rx.recv() {
        // Only the latest matters when several queued up.
        while let Ok(later) = rx.try_recv() {
            current = later;
        }
        close_before(&dir, &current, retention, Utc::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(path: &Path, text: &[u8]) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::File::create(path)
            .unwrap()
            .write_all(text)
            .unwrap();
    }

    #[test]
    fn closed_hours_are_compressed_and_leftovers_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (a, b, c) = (
            d.join("2026-12-01/22.ndjson"),
            d.join("2026-12-01/23.ndjson"),
            d.join("2026-12-02/00.ndjson"),
        );
        write(&a, b"{\"id\":\"a\"}\n");
        write(&b, b"{\"id\":\"b\"}\n");
        write(&c, b"{\"id\":\"c\"}\n");
        close_before(d, &c, Retention::default(), Utc::now());
        let files = stored_files(d).unwrap();
        assert_eq!(files, vec![gz_path(&a), gz_path(&b), c.clone()]);
        let text = crate::layout::read_hour_file(&gz_path(&b)).unwrap();
        assert_eq!(text, b"{\"id\":\"b\"}\n");
        // A crash after the rename, before the delete: both exist.
        write(&b, b"{\"id\":\"b\"}\n");
        write(&d.join("2026-12-01/21.ndjson.gz.tmp"), b"half");
        clear_leftovers(d).unwrap();
        assert_eq!(stored_files(d).unwrap(), files);
        assert!(!d.join("2026-12-01/21.ndjson.gz.tmp").exists());
    }

    #[test]
    fn retention_by_age_and_size_spares_the_current_hour() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let old = d.join("2026-11-01/10.ndjson.gz");
        let mid = d.join("2026-12-01/10.ndjson.gz");
        let cur = d.join("2026-12-02/10.ndjson");
        for p in [&old, &mid, &cur] {
            write(p, &[b'x'; 100]);
        }
        let now = hour_of(&cur).unwrap();
        let week = Retention {
            days: Some(7),
            bytes: None,
        };
        retain(d, &cur, week, now).unwrap();
        assert_eq!(stored_files(d).unwrap(), vec![mid.clone(), cur.clone()]);
        assert!(!d.join("2026-11-01").exists());
        let tiny = Retention {
            days: None,
            bytes: Some(1),
        };
        retain(d, &cur, tiny, now).unwrap();
        assert_eq!(stored_files(d).unwrap(), vec![cur]);
    }
}

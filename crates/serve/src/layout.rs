//! The directory `logs serve` writes: `DIR/YYYY-MM-DD/HH.ndjson` for the
//! hour being written, `HH.ndjson.gz` once closed. Names sort by time, and
//! every other command reads the files as they are.

use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

/// Whether `path` is an hour file, open (`.ndjson`) or closed (`.ndjson.gz`).
pub fn is_hour_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".ndjson") || name.ends_with(".ndjson.gz")
}

/// The hour an hour file holds, from its name (`YYYY-MM-DD/HH.ndjson…`).
pub fn hour_of(path: &Path) -> Option<DateTime<Utc>> {
    let name = path.file_name()?.to_str()?;
    let day = path.parent()?.file_name()?.to_str()?;
    let hour: u32 = name.get(..2)?.parse().ok()?;
    let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(hour, 0, 0)?.and_utc())
}

/// An hour file's bytes, gunzipped when it is closed.
pub fn read_hour_file(path: &Path) -> io::Result<Vec<u8>> {
    let bytes = std::fs::read(path)?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut out)?;
        return Ok(out);
    }
    Ok(bytes)
}

/// Every `DIR/*/*.ndjson` and `DIR/*/*.ndjson.gz`, oldest first (the names
/// sort by time).
pub fn stored_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for day in std::fs::read_dir(dir)? {
        let day = day?.path();
        if !day.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&day)? {
            let f = f?.path();
            if is_hour_file(&f) {
                files.push(f);
            }
        }
    }
    files.sort();
    Ok(files)
}

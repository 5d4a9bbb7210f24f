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

/// Each day directory `DIR/*/` with every file in it (any name).
pub fn day_files(dir: &Path) -> io::Result<Vec<(PathBuf, Vec<PathBuf>)>> {
    let mut days = Vec::new();
    for day in std::fs::read_dir(dir)? {
        let day = day?.path();
        if !day.is_dir() {
            continue;
        }
        let files = std::fs::read_dir(&day)?
            .map(|f| f.map(|f| f.path()))
            .collect::<io::Result<Vec<_>>>()?;
        days.push((day, files));
    }
    Ok(days)
}

/// Every `DIR/*/*.ndjson` and `DIR/*/*.ndjson.gz`, oldest first (the names
/// sort by time).
pub fn stored_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = day_files(dir)?
        .into_iter()
        .flat_map(|(_, files)| files)
        .filter(|f| is_hour_file(f))
        .collect();
    files.sort();
    Ok(files)
}

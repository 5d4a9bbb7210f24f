//! Reading the small files a user names besides the exports (`logs.toml`,
//! catalogs, policies, the audit state, a baseline report), bounded: a
//! flag that names `/dev/zero` or a huge file must end in an error, never
//! in unbounded memory.

use std::io::{self, Read};
use std::path::Path;

/// The largest such file read: 64 MiB (like [`super::MAX_RECORD_BYTES`]);
/// real ones are kilobytes.
pub const MAX_SIDE_FILE_BYTES: u64 = super::MAX_RECORD_BYTES as u64;

/// The bytes of `path`, or an error when it is longer than
/// [`MAX_SIDE_FILE_BYTES`]. Special files are read as streams (what
/// `/proc` holds), directories are refused.
pub fn read_side_file(path: &Path) -> io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "is a directory",
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_SIDE_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SIDE_FILE_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "longer than {} MiB, the most read from a file that is not an export",
                MAX_SIDE_FILE_BYTES >> 20
            ),
        ));
    }
    Ok(bytes)
}

/// [`read_side_file`] as UTF-8 text.
pub fn read_side_text(path: &Path) -> io::Result<String> {
    String::from_utf8(read_side_file(path)?)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("not UTF-8: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_and_special_files_are_bounded() {
        let err = read_side_file(Path::new("/dev/zero")).expect_err("endless");
        assert!(err.to_string().contains("64 MiB"), "{err}");
        assert!(read_side_file(Path::new("/")).is_err());
        assert!(
            !read_side_text(Path::new("/proc/self/status"))
                .expect("proc")
                .is_empty()
        );
    }
}

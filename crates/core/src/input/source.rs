//! Opening inputs: memory-map regular files, stream pipes, stdin and gzip.
//!
//! Regular files are memory-mapped so chunks can be scanned in parallel
//! without copying. Gzip (detected by its magic bytes, several concatenated
//! members allowed), stdin and other non-regular files are streamed in bounded
//! memory: the whole input is never held at once.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;
use memmap2::Mmap;

use crate::input::InputError;

/// What the user named: a path, or `-` for standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    Path(PathBuf),
    Stdin,
}

impl InputSpec {
    /// `-` is stdin; anything else a path.
    pub fn parse(arg: &str) -> Self {
        if arg == "-" {
            InputSpec::Stdin
        } else {
            InputSpec::Path(PathBuf::from(arg))
        }
    }

    /// The name used in reports.
    pub fn display_name(&self) -> String {
        match self {
            InputSpec::Path(p) => p.display().to_string(),
            InputSpec::Stdin => "<stdin>".to_string(),
        }
    }
}

/// The bytes of an opened input.
pub enum InputBytes {
    /// The whole input in memory (mapped, or an empty file).
    Mapped(MappedBytes),
    /// A stream read block by block.
    Stream(Box<dyn Read + Send>),
}

/// Mapped file contents.
pub enum MappedBytes {
    Map(Mmap),
    Empty,
}

impl MappedBytes {
    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            MappedBytes::Map(m) => m,
            MappedBytes::Empty => &[],
        }
    }

    /// Gives back the pages wholly inside `start..stop` once they are
    /// scanned. A later read of them faults them in again from the page
    /// cache, unchanged. Unmapping a large file takes a while (about 12 ms
    /// for 284 MB); done chunk by chunk, that work is shared by the scan's
    /// threads instead of coming after the scan on one.
    pub fn release(&self, start: usize, stop: usize) {
        #[cfg(unix)]
        if let MappedBytes::Map(m) = self {
            const PAGE: usize = 4096;
            let from = start.div_ceil(PAGE) * PAGE;
            let to = stop.min(m.len()) / PAGE * PAGE;
            if from < to {
                // SAFETY: the map is private and read-only, never written:
                // dropping its pages loses nothing, and reading them again
                // maps the same file bytes (a file changed under the map is
                // the caveat of mapping at all; see `open`). Failing only
                // leaves the pages mapped.
                let _ = unsafe {
                    m.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, from, to - from)
                };
            }
        }
        #[cfg(not(unix))]
        let _ = (start, stop);
    }
}

/// An opened input.
pub struct OpenedInput {
    /// Display name.
    pub name: String,
    /// Whether the bytes are gzip-compressed (decompressed by the stream).
    pub gzip: bool,
    /// Size on disk when known (compressed size for gzip).
    pub size: Option<u64>,
    pub bytes: InputBytes,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Opens an input for scanning.
pub fn open(spec: &InputSpec) -> Result<OpenedInput, InputError> {
    let name = spec.display_name();
    match spec {
        InputSpec::Stdin => open_stream(name, Box::new(io::stdin()), None),
        InputSpec::Path(path) => open_path(name, path),
    }
}

fn open_path(name: String, path: &Path) -> Result<OpenedInput, InputError> {
    let fail = |source| InputError::Open {
        path: name.clone(),
        source,
    };
    let file = File::open(path).map_err(fail)?;
    let meta = file.metadata().map_err(fail)?;
    if meta.is_dir() {
        return Err(InputError::IsDirectory { path: name });
    }
    if !meta.is_file() {
        return open_stream(name, Box::new(file), None);
    }
    let size = meta.len();
    if size == 0 {
        // Empty, or a file whose size the kernel does not know (`/proc`,
        // `/sys`): read it as a stream, which also handles a real empty
        // file.
        return open_stream(name, Box::new(file), None);
    }
    // Gzip is streamed from the file, not mapped: a mapped compressed file
    // would count in full against the memory bound of streaming.
    let mut magic = [0u8; 2];
    let is_gzip = (&file).read_exact(&mut magic).is_ok() && magic == GZIP_MAGIC;
    if is_gzip {
        (&file).seek(io::SeekFrom::Start(0)).map_err(fail)?;
        let mut opened = open_stream(name, Box::new(file), Some(size))?;
        opened.gzip = true;
        return Ok(opened);
    }
    // SAFETY: the map is read-only and private to this process. If another
    // process truncates the file while it is mapped, reads past the new end
    // fault (SIGBUS); that is the documented cost of mapping (ripgrep makes
    // the same trade) and is why only regular files are mapped.
    let map = unsafe { Mmap::map(&file) }.map_err(fail)?;
    let bytes = InputBytes::Mapped(MappedBytes::Map(map));
    Ok(OpenedInput {
        name,
        gzip: false,
        size: Some(size),
        bytes,
    })
}

fn open_stream(
    name: String,
    reader: Box<dyn Read + Send>,
    size: Option<u64>,
) -> Result<OpenedInput, InputError> {
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    let head = loop {
        match reader.fill_buf() {
            Ok(head) => break head,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(source) => {
                return Err(InputError::Read {
                    path: name,
                    offset: 0,
                    source,
                });
            }
        }
    };
    if head.starts_with(&GZIP_MAGIC) {
        let bytes = InputBytes::Stream(Box::new(MultiGzDecoder::new(reader)));
        return Ok(OpenedInput {
            name,
            gzip: true,
            size,
            bytes,
        });
    }
    Ok(OpenedInput {
        name,
        gzip: false,
        size,
        bytes: InputBytes::Stream(Box::new(reader)),
    })
}
